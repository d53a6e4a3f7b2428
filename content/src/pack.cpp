#include "pack.h"

#include "toml_safety.h"
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <filesystem>
#include <set>

namespace kiosk::content {
namespace fs = std::filesystem;
namespace {

int line_of(const toml::source_region& src) { return static_cast<int>(src.begin.line); }

bool parse_toml(const std::string& file, toml::table* out, std::vector<PackProblem>* problems) {
  kiosk::core::TomlRefusal refusal;
  if (kiosk::core::parse_toml_file_checked(file, out, &refusal)) return true;
  problems->push_back({file, refusal.line, refusal.reason});
  return false;
}

void append_texts(const std::vector<PackProblem>& problems, std::vector<std::string>* errors) {
  for (const PackProblem& p : problems) errors->push_back(p.text());
}

bool valid_language_code(std::string_view code) {
  return code.size() >= 2 && code.size() <= 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

bool valid_content_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
         std::none_of(name.begin(), name.end(), [](char c) {
           return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
         });
}

bool exhibit_image_path(const std::string& folder, const std::string& meta, const std::optional<std::string>& image,
                        std::string* path, std::string* error) {
  const std::string name = image.value_or("illustration.png");
  if (!valid_file_name(name)) {  // the checker refuses it too: never a path outside the folder
    *error = meta + ": image must be the name of a file in the exhibit's folder, not '" +
             kiosk::core::one_line_text(name) + "'";
    return false;
  }
  *path = folder + "/" + name;
  return true;
}

namespace {

// "#RRGGBB" as 0xRRGGBB.
std::optional<std::uint32_t> hex_colour(std::string_view s) {
  if (s.size() != 7 || s[0] != '#') return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s.substr(1)) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
    else return std::nullopt;
  }
  return v;
}

double relative_luminance(std::uint32_t rgb) {
  auto channel = [](std::uint32_t v) {
    const double c = static_cast<double>(v & 0xFF) / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
}

// T2: `rgb` mixed toward white in small steps until it reads at 4.5:1 on `background`.
std::uint32_t lighten_for(std::uint32_t rgb, std::uint32_t background) {
  for (int step = 0; step <= 20; ++step) {
    const double t = step / 20.0;
    auto mix = [&](int shift) {
      const double c = static_cast<double>((rgb >> shift) & 0xFF);
      return static_cast<std::uint32_t>(std::lround(c + (255.0 - c) * t)) << shift;
    };
    const std::uint32_t out = mix(16) | mix(8) | mix(0);
    if (contrast_ratio(out, background) >= 4.5) return out;
  }
  return 0xFFFFFF;  // impossible on a dark background: white always passes
}

}  // namespace

double contrast_ratio(std::uint32_t a, std::uint32_t b) {
  const double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string theme_problem(std::string_view theme) {
  const bool named = std::find(k_pack_themes.begin(), k_pack_themes.end(), theme) != k_pack_themes.end();
  if (!named && !hex_colour(theme))
    return "must be one of \"default\", \"crimson\", \"green\", \"indigo\", \"ochre\", \"teal\" "
           "or an accent colour \"#RRGGBB\"";
  if (theme == "default") return "";
  const double ratio = contrast_ratio(theme_accent_rgb(theme), k_theme_button_text_rgb);
  if (ratio < 4.5) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "accent '%.*s' gives white button text a contrast of %.2f:1, under the 4.5:1 "
                  "text needs: choose a darker accent",
                  static_cast<int>(theme.size()), theme.data(), ratio);
    return buf;
  }
  return "";
}

ThemeColors theme_colors(std::string_view theme, bool high_contrast) {
  ThemeColors c;
  if (theme == "default" || !theme_problem(theme).empty()) return c;  // the kiosk's own colours
  c.is_default = false;
  c.accent = theme_accent_rgb(theme);
  c.accent_text = k_theme_button_text_rgb;
  c.accent_ink = lighten_for(c.accent, high_contrast ? k_high_contrast_background_rgb : k_visitor_background_rgb);
  return c;
}

std::uint32_t theme_accent_rgb(std::string_view theme) {
  if (auto v = hex_colour(theme)) return *v;
  if (theme == "crimson") return 0xB3261E;
  if (theme == "green") return 0x2E7D32;
  if (theme == "indigo") return 0x3949AB;
  if (theme == "ochre") return 0x8A5300;
  if (theme == "teal") return 0x00796B;
  return 0x1F5FAF;  // "default"
}

std::string PackProblem::text() const {
  return line > 0 ? file + ":" + std::to_string(line) + ": " + what : file + ": " + what;
}

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

bool read_manifest(const std::string& folder, PackManifest* out,
                   std::vector<PackProblem>* problems) {
  const size_t problems_before = problems->size();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    problems->push_back({folder, 0, "content pack folder not found"});
    return false;
  }
  PackManifest& m = *out;
  m.file = (fs::path(folder) / "pack.toml").string();
  if (!fs::is_regular_file(m.file, ec)) {
    problems->push_back({m.file, 0, "pack manifest missing"});
    return false;
  }
  toml::table root;
  if (!parse_toml(m.file, &root, problems)) return false;

  auto err = [&](const toml::node& n, const std::string& key, const std::string& why) {
    problems->push_back({m.file, line_of(n.source()), "key '" + key + "': " + why});
  };
  auto string_list = [&](const toml::node& n, const std::string& key,
                         std::vector<std::string>* list, std::vector<int>* lines) {
    const toml::array* a = n.as_array();
    if (!a) return err(n, key, "expected a list of strings");
    for (const toml::node& item : *a) {
      auto s = item.value<std::string>();
      if (!s || s->empty()) return err(item, key, "expected a non-empty string");
      list->push_back(*s);
      lines->push_back(line_of(item.source()));
    }
  };
  for (auto&& [k, node_binding] : root) {
    const std::string key(k.str());
    // A reference of its own: clang 14 (the fuzz build) cannot capture a structured binding.
    auto& node = node_binding;
    auto str = [&](std::string* into) {
      auto s = node.value<std::string>();
      if (!s || s->empty()) return err(node, key, "expected a non-empty string");
      *into = *s;
    };
    if (key == "id") {
      str(&m.id);
      // The id names the tour's form file (<forms_dir>/<id>.toml): a path segment of its own.
      if (!m.id.empty() && !valid_content_id(m.id))
        err(node, key, "must be 1 to 64 lowercase letters, digits and '-' such as \"cambodia\"");
    }
    else if (key == "name") str(&m.name);
    else if (key == "country") {
      str(&m.country);
      const bool iso = m.country.size() == 2 &&
                       std::all_of(m.country.begin(), m.country.end(),
                                   [](char c) { return c >= 'A' && c <= 'Z'; });
      if (!m.country.empty() && !iso)
        err(node, key, "expected an ISO 3166 two-letter country code such as \"KH\"");
    } else if (key == "default_language") {
      str(&m.default_language);
      m.has_default_language = true;
    } else if (key == "digits") {
      str(&m.digits);
      if (m.digits != "latin" && m.digits != "native")
        err(node, key, "must be \"latin\" or \"native\"");
    } else if (key == "theme") {
      str(&m.theme);
      if (const std::string why = theme_problem(m.theme); !m.theme.empty() && !why.empty())
        err(node, key, why);  // T1
    } else if (key == "strings_dir") str(&m.strings_dir);
    else if (key == "exhibits_dir") str(&m.exhibits_dir);
    else if (key == "languages") {
      string_list(node, key, &m.languages, &m.language_lines);
      // Every screen shows one of them; with none the attract loop had nothing to cycle through
      // (it divided by zero, SIGFPE on every start).
      if (node.is_array() && node.as_array()->empty())
        err(node, key, "expected at least one language code such as \"km\"; an empty list "
                       "leaves the kiosk nothing to show");
    }
    else if (key == "exhibits") string_list(node, key, &m.exhibit_ids, &m.exhibit_lines);
    else problems->push_back({m.file, line_of(k.source()), "unknown key '" + key + "'"});
  }
  if (m.id.empty() && !root.contains("id")) problems->push_back({m.file, 0, "missing key 'id'"});
  if (m.languages.empty() && !root.contains("languages"))
    problems->push_back({m.file, 0, "missing key 'languages'"});
  if (m.default_language.empty() && !m.languages.empty()) m.default_language = m.languages.front();
  std::set<std::string> seen;
  std::vector<std::string> codes;
  std::vector<int> code_lines;
  for (size_t i = 0; i < m.languages.size(); ++i) {
    const std::string& l = m.languages[i];
    if (!valid_language_code(l)) {
      // A language names files (strings/<lang>.po, exhibits/*/<lang>.toml): one that is not a
      // code is refused here and kept out of the manifest, so no path is ever built from it.
      problems->push_back({m.file, m.language_lines[i],
                           "language '" + l + "' is not a lowercase ISO 639 code such as \"km\""});
      continue;
    }
    if (!seen.insert(l).second) problems->push_back({m.file, 0, "language '" + l + "' listed twice"});
    codes.push_back(l);
    code_lines.push_back(m.language_lines[i]);
  }
  m.languages = std::move(codes);
  m.language_lines = std::move(code_lines);
  if (!m.default_language.empty() && !m.languages.empty() && !seen.count(m.default_language))
    problems->push_back(
        {m.file, 0, "default_language '" + m.default_language + "' is not in languages"});
  return problems->size() == problems_before;
}

bool load_pack(const std::string& folder, Pack* out, std::vector<std::string>* errors) {
  const size_t errors_before = errors->size();
  std::error_code ec;
  PackManifest m;
  {
    std::vector<PackProblem> problems;
    if (!read_manifest(folder, &m, &problems)) {
      append_texts(problems, errors);
      return false;
    }
  }

  Pack pack;
  pack.folder = fs::absolute(folder).lexically_normal().string();
  pack.id = m.id;
  pack.name = m.name;
  pack.country = m.country;
  pack.languages = m.languages;
  pack.default_language = m.default_language;
  pack.digits = m.digits;
  pack.theme = m.theme;
  const std::string& manifest = m.file;

  // Catalogs: every listed language needs one; English is loaded too as the last fallback.
  const fs::path strings = fs::path(pack.folder) / m.strings_dir;
  std::vector<std::string> catalog_langs = pack.languages;
  if (std::find(catalog_langs.begin(), catalog_langs.end(), "en") == catalog_langs.end())
    catalog_langs.push_back("en");
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
  const fs::path exhibits = fs::path(pack.folder) / m.exhibits_dir;
  std::set<std::string> seen_exhibits;
  std::vector<PackProblem> problems;
  for (const std::string& id : m.exhibit_ids) {
    if (!seen_exhibits.insert(id).second) {
      errors->push_back(manifest + ": exhibit '" + id + "' listed twice");
      continue;
    }
    if (!valid_content_id(id)) {
      errors->push_back(manifest + ": exhibit id '" + kiosk::core::one_line_text(id) +
                        "' must be 1 to 64 lowercase letters, digits and '-'");
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
    problems.clear();
    if (!parse_toml(meta, &t, &problems)) {
      append_texts(problems, errors);
      continue;
    }
    ex.category = t["category"].value_or(std::string());
    std::string image_error;
    if (!exhibit_image_path(ex.folder, meta, t["image"].value<std::string>(), &ex.image, &image_error)) {
      errors->push_back(image_error);
      continue;
    }
    if (fs::is_regular_file(ex.folder + "/thumb.png", ec)) ex.thumbnail = ex.folder + "/thumb.png";
    for (const std::string& l : catalog_langs) {
      const std::string text = ex.folder + "/" + l + ".toml";
      if (!fs::is_regular_file(text, ec)) continue;
      toml::table tt;
      problems.clear();
      if (!parse_toml(text, &tt, &problems)) {
        append_texts(problems, errors);
        continue;
      }
      if (auto title = tt["title"].value<std::string>()) ex.titles[l] = *title;
    }
    pack.exhibits.push_back(std::move(ex));
  }
  if (errors->size() != errors_before) return false;
  *out = std::move(pack);
  return true;
}

}  // namespace kiosk::content
