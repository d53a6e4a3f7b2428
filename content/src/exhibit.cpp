#include "exhibit.h"

#include "toml_safety.h"
#include <toml++/toml.h>

#include <filesystem>

namespace kiosk::content {
namespace fs = std::filesystem;

const ExhibitText* Exhibit::text(std::string_view lang, std::string_view default_lang) const {
  for (std::string_view l : {lang, default_lang, std::string_view("en")}) {
    auto it = texts.find(l);
    if (it != texts.end()) return &it->second;
  }
  return texts.empty() ? nullptr : &texts.begin()->second;
}

namespace {

std::string at(const std::string& file, const toml::node& n) {
  const auto& src = n.source();
  return src.begin.line > 0 ? file + ":" + std::to_string(src.begin.line) : file;
}

std::vector<std::string> split_paragraphs(const std::string& body) {
  std::vector<std::string> out;
  std::string current;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(pos, end - pos);
    pos = end + 1;
    const bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (blank) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      if (!current.empty()) current += ' ';
      current += line;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool parse_text(const std::string& file, const std::vector<int>& answers, ExhibitText* t,
                std::vector<std::string>* errors) {
  toml::table root;
  kiosk::core::TomlRefusal refusal;
  if (!kiosk::core::parse_toml_file_checked(file, &root, &refusal)) {
    errors->push_back(file + (refusal.line > 0 ? ":" + std::to_string(refusal.line) : "") + ": " +
                      refusal.reason);
    return false;
  }
  const size_t before = errors->size();
  auto str = [&](const char* key, std::string* into) {
    const toml::node* n = root.get(key);
    if (!n) return errors->push_back(file + ": missing key '" + key + "'");
    auto v = n->value<std::string>();
    if (!v || v->empty()) return errors->push_back(at(file, *n) + ": key '" + key + "': expected a non-empty string");
    *into = *v;
  };
  str("title", &t->title);
  str("summary", &t->summary);
  str("image_alt", &t->image_alt);
  str("body", &t->body);
  t->paragraphs = split_paragraphs(t->body);
  if (const toml::array* facts = root["facts"].as_array()) {
    for (const toml::node& f : *facts) {
      auto v = f.value<std::string>();
      if (!v || v->empty()) errors->push_back(at(file, f) + ": key 'facts': expected non-empty strings");
      else t->facts.push_back(*v);
    }
  } else {
    errors->push_back(file + ": missing key 'facts' (a list of 2 to 4 strings)");
  }
  if (const toml::array* quiz = root["quiz"].as_array()) {
    for (size_t i = 0; i < quiz->size(); ++i) {
      const toml::table* q = (*quiz)[i].as_table();
      if (!q) {
        errors->push_back(at(file, (*quiz)[i]) + ": quiz entries must be [[quiz]] tables");
        continue;
      }
      QuizQuestion qq;
      qq.question = (*q)["question"].value_or(std::string());
      qq.explanation = (*q)["explanation"].value_or(std::string());
      if (const toml::array* opts = (*q)["options"].as_array())
        for (const toml::node& o : *opts) qq.options.push_back(o.value_or(std::string()));
      qq.answer = i < answers.size() ? answers[i] : -1;
      if (qq.question.empty() || qq.options.empty())
        errors->push_back(at(file, (*quiz)[i]) + ": quiz question " + std::to_string(i + 1) +
                          " needs 'question' and 'options'");
      t->quiz.push_back(std::move(qq));
    }
  }
  return errors->size() == before;
}

}  // namespace

bool load_exhibit(const ExhibitSummary& summary, const std::vector<std::string>& languages,
                  Exhibit* out, std::vector<std::string>* errors) {
  const size_t before = errors->size();
  const std::string meta = summary.folder + "/exhibit.toml";
  toml::table root;
  kiosk::core::TomlRefusal refusal;
  if (!kiosk::core::parse_toml_file_checked(meta, &root, &refusal)) {
    errors->push_back(meta + (refusal.line > 0 ? ":" + std::to_string(refusal.line) : "") + ": " +
                      refusal.reason);
    return false;
  }
  Exhibit ex;
  ex.id = summary.id;
  ex.category = root["category"].value_or(std::string());
  ex.image_credit = root["image_credit"].value_or(std::string());
  std::string image_error;
  if (!exhibit_image_path(summary.folder, meta, root["image"].value<std::string>(), &ex.image_path, &image_error)) {
    errors->push_back(image_error);
    return false;
  }
  ex.thumb_path = summary.folder + "/thumb.png";
  if (const toml::array* a = root["quiz_answers"].as_array())
    for (const toml::node& n : *a) ex.quiz_answers.push_back(static_cast<int>(n.value_or(int64_t{-1})));
  std::error_code ec;
  for (const std::string& lang : languages) {
    const std::string file = summary.folder + "/" + lang + ".toml";
    if (!fs::is_regular_file(file, ec)) continue;
    ExhibitText t;
    t.lang = lang;
    if (parse_text(file, ex.quiz_answers, &t, errors)) ex.texts.emplace(lang, std::move(t));
  }
  if (ex.texts.empty()) errors->push_back(summary.folder + ": no text in any of the pack's languages");
  if (errors->size() != before) return false;
  *out = std::move(ex);
  return true;
}

}  // namespace kiosk::content
