#include "pack.h"

#include <toml++/toml.h>

#include <filesystem>
#include <set>

namespace kiosk::content {
namespace fs = std::filesystem;
namespace {

std::string at(const std::string& file, const toml::source_region& src) {
  return src.begin.line > 0 ? file + ":" + std::to_string(src.begin.line) : file;
}

bool parse_toml(const std::string& file, toml::table* out, std::vector<std::string>* errors) {
  try {
    *out = toml::parse_file(file);
    return true;
  } catch (const toml::parse_error& e) {
    errors->push_back(at(file, e.source()) + ": " + std::string(e.description()));
    return false;
  }
}

}  // namespace

std::string_view Pack::title(const ExhibitSummary& e, std::string_view lang,
                             std::string_view* shown_lang) const {
  for (std::string_view l : {lang, std::string_view(default_language), std::string_view("en")}) {
    auto t = e.titles.find(l);
    if (t != e.titles.end()) {
      *shown_lang = t->first;
      return t->second;
    }
  }
  *shown_lang = "en";
  return e.id;
}

bool load_pack(const std::string& folder, Pack* out, std::vector<std::string>* errors) {
  const size_t errors_before = errors->size();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    errors->push_back(folder + ": content pack folder not found");
    return false;
  }
  const std::string manifest = (fs::path(folder) / "pack.toml").string();
  if (!fs::is_regular_file(manifest, ec)) {
    errors->push_back(manifest + ": pack manifest missing");
    return false;
  }
  toml::table root;
  if (!parse_toml(manifest, &root, errors)) return false;

  Pack pack;
  pack.folder = fs::absolute(folder).lexically_normal().string();
  std::string strings_dir = "strings", exhibits_dir = "exhibits";
  std::vector<std::string> exhibit_ids;
  auto err = [&](const toml::node& n, const std::string& key, const std::string& why) {
    errors->push_back(at(manifest, n.source()) + ": key '" + key + "': " + why);
  };
  auto string_list = [&](const toml::node& n, const std::string& key,
                         std::vector<std::string>* list) {
    const toml::array* a = n.as_array();
    if (!a) return err(n, key, "expected a list of strings");
    for (const toml::node& item : *a) {
      auto s = item.value<std::string>();
      if (!s || s->empty()) return err(item, key, "expected a non-empty string");
      list->push_back(*s);
    }
  };
  for (auto&& [k, node] : root) {
    const std::string key(k.str());
    auto str = [&](std::string* into) {
      auto s = node.value<std::string>();
      if (!s || s->empty()) return err(node, key, "expected a non-empty string");
      *into = *s;
    };
    if (key == "id") str(&pack.id);
    else if (key == "name") str(&pack.name);
    else if (key == "country") str(&pack.country);
    else if (key == "default_language") str(&pack.default_language);
    else if (key == "digits") {
      str(&pack.digits);
      if (pack.digits != "latin" && pack.digits != "native")
        err(node, key, "must be \"latin\" or \"native\"");
    } else if (key == "strings_dir") str(&strings_dir);
    else if (key == "exhibits_dir") str(&exhibits_dir);
    else if (key == "languages") string_list(node, key, &pack.languages);
    else if (key == "exhibits") string_list(node, key, &exhibit_ids);
    else errors->push_back(at(manifest, k.source()) + ": unknown key '" + key + "'");
  }
  if (pack.id.empty()) errors->push_back(manifest + ": missing key 'id'");
  if (pack.languages.empty()) errors->push_back(manifest + ": missing key 'languages'");
  if (pack.default_language.empty() && !pack.languages.empty())
    pack.default_language = pack.languages.front();
  std::set<std::string> seen;
  for (const std::string& l : pack.languages)
    if (!seen.insert(l).second) errors->push_back(manifest + ": language '" + l + "' listed twice");
  if (!pack.default_language.empty() && !seen.count(pack.default_language))
    errors->push_back(manifest + ": default_language '" + pack.default_language +
                      "' is not in languages");
  if (errors->size() != errors_before) return false;

  // Catalogs: every listed language needs one; English is loaded too as the last fallback.
  const fs::path strings = fs::path(pack.folder) / strings_dir;
  std::vector<std::string> catalog_langs = pack.languages;
  if (!seen.count("en")) catalog_langs.push_back("en");
  for (const std::string& l : catalog_langs) {
    PoFile po;
    std::string e;
    const std::string path = (strings / (l + ".po")).lexically_normal().string();
    if (!read_po(path, &po, &e)) {
      errors->push_back(e);
      continue;
    }
    pack.strings.add_language(l, std::move(po));
  }
  pack.strings.set_default_language(pack.default_language);

  // Exhibits: manifest fields needed for the home grid; full texts load when one is opened.
  const fs::path exhibits = fs::path(pack.folder) / exhibits_dir;
  std::set<std::string> seen_exhibits;
  for (const std::string& id : exhibit_ids) {
    if (!seen_exhibits.insert(id).second) {
      errors->push_back(manifest + ": exhibit '" + id + "' listed twice");
      continue;
    }
    ExhibitSummary ex;
    ex.id = id;
    ex.folder = (exhibits / id).lexically_normal().string();
    const std::string meta = ex.folder + "/exhibit.toml";
    toml::table t;
    if (!fs::is_regular_file(meta, ec)) {
      errors->push_back(manifest + ": exhibit '" + id + "': " + meta + " not found");
      continue;
    }
    if (!parse_toml(meta, &t, errors)) continue;
    ex.category = t["category"].value_or(std::string());
    if (fs::is_regular_file(ex.folder + "/thumb.png", ec)) ex.thumbnail = ex.folder + "/thumb.png";
    for (const std::string& l : catalog_langs) {
      const std::string text = ex.folder + "/" + l + ".toml";
      if (!fs::is_regular_file(text, ec)) continue;
      toml::table tt;
      if (!parse_toml(text, &tt, errors)) continue;
      if (auto title = tt["title"].value<std::string>()) ex.titles[l] = *title;
    }
    pack.exhibits.push_back(std::move(ex));
  }
  if (errors->size() != errors_before) return false;
  *out = std::move(pack);
  return true;
}

}  // namespace kiosk::content
