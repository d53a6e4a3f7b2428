// content/src/check.cpp — see check.h for what is checked and why.
//
// [SECTIONS]
//   [REPORT]     Finding / CheckReport formatting
//   [TEXT]       UTF-8 validation with positions, code point counting, Burmese detection
//   [IMAGES]     check_image(): limits from the header, then one decode
//   [CHECKER]    the Checker class: manifest, catalogs, exhibits, loader net
//   [STATS]      format_coverage()
#include "check.h"

#include "exhibit.h"
#include "pack.h"

#include "unicode/unicode.h"
#include <stb_image.h>
#include "toml_safety.h"
#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace kiosk::content {
namespace fs = std::filesystem;

// [REPORT] --------------------------------------------------------------------------------------

std::string Finding::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (!out.empty()) out += ": ";
  if (severity == Severity::Warning) out += "warning: ";
  return out + problem;
}

int CheckReport::errors() const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
    return f.severity == Severity::Error;
  }));
}

int CheckReport::warnings() const {
  return static_cast<int>(findings.size()) - errors();
}

std::string CheckReport::summary() const {
  // Always plural: tools match this line literally ("N errors, M warnings in PACK").
  return std::to_string(errors()) + " errors, " + std::to_string(warnings()) + " warnings in " +
         pack;
}

bool CheckReport::contains(std::string_view finding_text) const {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.text() == finding_text; });
}

// [TEXT] ----------------------------------------------------------------------------------------
namespace {

// The first ill-formed UTF-8 byte of each line of a file, as findings.
bool check_utf8_file(std::string_view bytes, const std::string& file, std::vector<Finding>* out) {
  bool ok = true;
  int line = 1;
  size_t line_start = 0, i = 0;
  bool reported_this_line = false;
  while (i < bytes.size()) {
    if (bytes[i] == '\n') {
      ++line;
      line_start = ++i;
      reported_this_line = false;
      continue;
    }
    const kiosk::unicode::Decoded d = kiosk::unicode::decode_at(bytes, i);
    if (d.ok) {
      i += d.length;
      continue;
    }
    if (!reported_this_line) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(bytes[i])));
      out->push_back({Severity::Error, file, line,
                      "invalid UTF-8 (byte " + std::string(hex) + " at column " +
                          std::to_string(i - line_start + 1) + ")"});
      reported_this_line = true;
    }
    ok = false;
    ++i;
  }
  return ok;
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  *out = buf.str();
  return true;
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

}  // namespace

// [IMAGES] --------------------------------------------------------------------------------------

ImageCheck check_image(const std::string& path) {
  ImageCheck r;
  std::error_code ec;
  r.bytes = fs::file_size(path, ec);
  std::FILE* f = ec ? nullptr : std::fopen(path.c_str(), "rb");
  if (!f) {
    r.problem = "image cannot be read";
    return r;
  }
  const ImageHeader header = read_image_header(f, r.bytes);
  r.width = static_cast<int>(std::min<std::uint64_t>(header.width, INT32_MAX));
  r.height = static_cast<int>(std::min<std::uint64_t>(header.height, INT32_MAX));
  if (!header.ok) {
    std::fclose(f);
    r.problem = header.problem;
    return r;
  }
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load_from_file(f, &w, &h, &channels, 0);
  std::fclose(f);
  r.decoded = true;
  if (!pixels) {
    r.problem = "image is corrupt: " + explain_stb_failure(stbi_failure_reason());
    return r;
  }
  stbi_image_free(pixels);
  r.ok = true;
  return r;
}

// [CHECKER] -------------------------------------------------------------------------------------
namespace {

// The shape of one language's quiz, compared across languages.
struct QuizShape {
  bool known = false;
  std::vector<int> options;  // option count per question
  int first_quiz_line = 0;
};

class Checker {
 public:
  explicit Checker(const std::string& folder) { m_report.pack = folder; }

  CheckReport run();

 private:
  // Problems often quote the pack's own text (an id, a version, a loader's reason, a file name
  // on the stick): control characters in it are written out, so every finding stays one line
  // (check.h).
  void error(const std::string& file, int line, std::string_view problem) {
    m_report.findings.push_back(
        {Severity::Error, kiosk::core::one_line_text(file), line, kiosk::core::one_line_text(problem)});
  }
  void warning(const std::string& file, int line, std::string_view problem) {
    m_report.findings.push_back(
        {Severity::Warning, kiosk::core::one_line_text(file), line, kiosk::core::one_line_text(problem)});
  }
  std::string path_in_pack(const std::string& relative) const {
    return (fs::path(m_report.pack) / relative).lexically_normal().string();
  }

  bool read_text_file(const std::string& path, std::string* bytes);
  bool parse_toml(const std::string& path, toml::table* out);
  void check_string(const std::string& file, const toml::node& n, std::string_view what,
                    size_t limit);
  void check_burmese(const std::string& file, int line, std::string_view text);
  void check_message(const std::string& file, int line, std::string_view text);

  void check_manifest();
  void check_catalogs();
  void check_consent(const std::string& path, const PoFile& po);
  void check_exhibits();
  void check_exhibit(size_t index);
  std::vector<int> check_exhibit_meta(const std::string& file, const std::string& id,
                                      const std::string& folder, int* answers_line,
                                      bool* answers_present);
  QuizShape check_exhibit_text(const std::string& file);
  void run_loaders();

  CheckReport m_report;
  PackManifest m_manifest;
  bool m_manifest_ok = false;
  std::string m_strings_dir, m_exhibits_dir;
  std::set<std::string> m_catalog_langs;  // languages with a <lang>.po in strings_dir
};

bool Checker::read_text_file(const std::string& path, std::string* bytes) {
  if (!read_file(path, bytes)) {
    error(path, 0, "cannot be read");
    return false;
  }
  return check_utf8_file(*bytes, path, &m_report.findings);
}

bool Checker::parse_toml(const std::string& path, toml::table* out) {
  std::string bytes;
  if (!read_text_file(path, &bytes)) return false;
  kiosk::core::TomlRefusal refusal;
  if (kiosk::core::parse_toml_checked(bytes, path, out, &refusal)) return true;
  error(path, refusal.line, refusal.reason);
  return false;
}

void Checker::check_burmese(const std::string& file, int line, std::string_view text) {
  if (kiosk::unicode::looks_like_zawgyi(text))
    error(file, line, "Burmese text looks Zawgyi-encoded; it must be Unicode");
}

// A catalog message (msgstr) holds no control character but its \n and \t, and no bidi control
// (unicode::check_text()); parse_po() already refuses raw control bytes in the file, this also
// catches C1 controls and U+202A..U+202E, U+2066..U+2069. A message may be blank ("…").
void Checker::check_message(const std::string& file, int line, std::string_view text) {
  kiosk::unicode::TextRules rules;
  rules.allowed_controls = "\n\t";
  rules.check_zawgyi = false;  // check_burmese() reports it
  const kiosk::unicode::TextCheck found = kiosk::unicode::check_text(text, rules);
  if (found.problem == kiosk::unicode::TextProblem::control ||
      found.problem == kiosk::unicode::TextProblem::bidi_control)
    error(file, line, std::string("message contains the ") +
                          (found.problem == kiosk::unicode::TextProblem::bidi_control ? "bidi " : "") +
                          "control character " + kiosk::unicode::code_point_name(found.code_point) +
                          "; only text a screen can show is allowed");
}

// A required non-empty string within its slot's length.
void Checker::check_string(const std::string& file, const toml::node& n, std::string_view what,
                           size_t limit) {
  auto v = n.value<std::string>();
  if (!v || v->find_first_not_of(" \t\r\n") == std::string::npos) {
    error(file, line_of(n), std::string(what) + ": expected a non-empty string");
    return;
  }
  // NUL, ESC and other controls, bidi controls, invalid UTF-8, or nothing a visitor could read
  // (only U+200B, joiners, marks or punctuation): unicode::check_text(), the same rule as staff
  // and kiosk names, form values and the directory CSV. Only the body may break lines and hold
  // tabs; spaces and line breaks around a value are not part of it.
  const std::string_view text = std::string_view(*v).substr(v->find_first_not_of(" \t\r\n"));
  kiosk::unicode::TextRules rules;
  rules.allowed_controls = what == "body" ? "\n\r\t" : "";
  rules.check_zawgyi = false;  // check_burmese() reports it
  const kiosk::unicode::TextCheck found =
      kiosk::unicode::check_text(text.substr(0, text.find_last_not_of(" \t\r\n") + 1), rules);
  const std::string screen_only = "; only text a screen can show is allowed";
  switch (found.problem) {
    case kiosk::unicode::TextProblem::invalid_utf8:
      error(file, line_of(n), std::string(what) + ": contains invalid UTF-8" + screen_only);
      return;
    case kiosk::unicode::TextProblem::control:
    case kiosk::unicode::TextProblem::bidi_control:
      error(file, line_of(n), std::string(what) + ": contains the " +
                                  (found.problem == kiosk::unicode::TextProblem::bidi_control ? "bidi " : "") +
                                  "control character " + kiosk::unicode::code_point_name(found.code_point) +
                                  screen_only);
      return;
    case kiosk::unicode::TextProblem::blank:
      error(file, line_of(n), std::string(what) + ": has no letter or digit (only spaces, invisible "
                                                  "characters or punctuation)");
      return;
    case kiosk::unicode::TextProblem::too_long:  // no limit given: the slot's is checked below
    case kiosk::unicode::TextProblem::zawgyi:
    case kiosk::unicode::TextProblem::none: break;
  }
  const size_t length = kiosk::unicode::count_code_points(*v);
  if (length > limit)
    error(file, line_of(n), std::string(what) + " is too long for its slot: " +
                                std::to_string(length) + " code points (limit " +
                                std::to_string(limit) + ")");
  check_burmese(file, line_of(n), *v);
}

CheckReport Checker::run() {
  check_manifest();
  if (!m_manifest_ok) return std::move(m_report);
  check_catalogs();
  check_exhibits();
  if (m_report.errors() == 0) run_loaders();
  return std::move(m_report);
}

void Checker::check_manifest() {
  // Validate the bytes first: a manifest with invalid UTF-8 gets one clear line per bad line.
  const std::string file = (fs::path(m_report.pack) / "pack.toml").string();
  std::error_code ec;
  const bool present = fs::is_regular_file(file, ec);
  if (present) {
    std::string bytes;
    if (!read_text_file(file, &bytes)) return;
  }
  std::vector<PackProblem> problems;
  const bool ok = read_manifest(m_report.pack, &m_manifest, &problems);
  for (const PackProblem& p : problems) error(p.file, p.line, p.what);
  if (!present) return;  // no folder or no pack.toml: nothing else can be checked
  const std::string& mf = m_manifest.file;
  if (ok || !m_manifest.languages.empty()) {
    if (m_manifest.name.empty()) error(mf, 0, "missing key 'name'");
    if (m_manifest.country.empty()) error(mf, 0, "missing key 'country'");
    if (m_manifest.exhibit_ids.empty()) error(mf, 0, "missing key 'exhibits' (a list of exhibit ids)");
    if (!m_manifest.has_default_language)
      warning(mf, 0, "no default_language; the first language, '" +
                         m_manifest.default_language + "', is the default");
  }
  m_strings_dir = path_in_pack(m_manifest.strings_dir);
  m_exhibits_dir = path_in_pack(m_manifest.exhibits_dir);
  if (!fs::is_directory(m_strings_dir, ec))
    error(mf, 0, "strings_dir '" + m_manifest.strings_dir + "' is not a folder");
  if (!fs::is_directory(m_exhibits_dir, ec))
    error(mf, 0, "exhibits_dir '" + m_manifest.exhibits_dir + "' is not a folder");
  for (const std::string& lang : m_manifest.languages) {
    LanguageCoverage row;
    row.lang = lang;
    m_report.coverage.push_back(row);
  }
  m_manifest_ok = !m_manifest.languages.empty() && fs::is_directory(m_strings_dir, ec) &&
                  fs::is_directory(m_exhibits_dir, ec);
}

void Checker::check_catalogs() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(m_strings_dir, ec))
    if (entry.path().extension() == ".po") m_catalog_langs.insert(entry.path().stem().string());

  std::vector<std::string> langs = m_manifest.languages;
  if (std::find(langs.begin(), langs.end(), "en") == langs.end()) langs.push_back("en");
  std::map<std::string, PoFile, std::less<>> catalogs;
  for (const std::string& lang : langs) {
    const std::string path = (fs::path(m_strings_dir) / (lang + ".po")).string();
    if (!fs::is_regular_file(path, ec)) {
      error(path, 0, lang == "en" && !std::count(m_manifest.languages.begin(),
                                                   m_manifest.languages.end(), "en")
                         ? "missing: English is every pack's last fallback"
                         : "missing: the UI strings of '" + lang + "', a language of this pack");
      continue;
    }
    std::string bytes;
    if (!read_text_file(path, &bytes)) continue;
    PoFile po;
    std::string why;
    if (!parse_po(bytes, path, &po, &why)) {
      // parse_po says "path:line: reason"; keep the line apart for the Finding.
      std::string rest = why.substr(std::min(why.size(), path.size() + 1));
      int line = 0;
      size_t digits = 0;
      while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
        line = line * 10 + (rest[digits++] - '0');
      error(path, line, digits > 0 && rest.size() > digits + 2 ? rest.substr(digits + 2) : why);
      continue;
    }
    for (const auto& [key, text] : po.messages) {
      check_burmese(path, po.lines.at(key), text);
      check_message(path, po.lines.at(key), text);
    }
    if (std::count(m_manifest.languages.begin(), m_manifest.languages.end(), lang))
      check_consent(path, po);
    catalogs.emplace(lang, std::move(po));
  }

  auto en = catalogs.find("en");
  for (LanguageCoverage& row : m_report.coverage) {
    if (en == catalogs.end()) break;
    row.strings_total = static_cast<int>(en->second.messages.size());
    auto po = catalogs.find(row.lang);
    if (po == catalogs.end()) continue;
    const std::string path = (fs::path(m_strings_dir) / (row.lang + ".po")).string();
    auto fallback = catalogs.find(m_manifest.default_language);
    // Untranslated keys, grouped by their first segment ("events.*") and fallback target: a
    // screen's worth of new English strings is one line, not fifty. Small groups are listed
    // key by key, so one forgotten visitor string always stands out by name.
    struct Missing {
      std::string group, target;
      std::vector<std::string> keys;
    };
    std::vector<Missing> missing;
    for (const auto& [key, english] : en->second.messages) {
      if (po->second.messages.count(key)) {
        ++row.strings_translated;
        continue;
      }
      if (key == k_consent_text_key || key == k_consent_version_key) continue;  // an error above
      const bool to_default = row.lang != m_manifest.default_language &&
                              m_manifest.default_language != "en" &&
                              fallback != catalogs.end() && fallback->second.messages.count(key);
      std::string target = to_default ? "the pack default '" + m_manifest.default_language + "'"
                                      : std::string("English");
      std::string group = key.substr(0, key.find('.'));
      if (missing.empty() || missing.back().group != group || missing.back().target != target)
        missing.push_back({std::move(group), std::move(target), {}});
      missing.back().keys.push_back(key);
    }
    for (const Missing& m : missing) {
      if (m.keys.size() <= k_max_untranslated_listed) {
        for (const std::string& key : m.keys)
          warning(path, 0, "'" + key + "' is not translated (falls back to " + m.target + ")");
      } else {
        warning(path, 0, std::to_string(m.keys.size()) + " strings '" + m.group + ".*' are not " +
                             "translated (fall back to " + m.target + "), from '" +
                             m.keys.front() + "' to '" + m.keys.back() + "'");
      }
    }
    if (row.lang == "en") continue;
    for (const auto& [key, text] : po->second.messages)
      if (!en->second.messages.count(key))
        warning(path, po->second.lines.at(key), "'" + key + "' is not in en.po; nothing shows it");
  }
}

// The guardian's consent in one pack language: its text and, beside it, its version (the kiosk
// records both, and refuses a consent whose text fell back to another language).
void Checker::check_consent(const std::string& path, const PoFile& po) {
  const auto text = po.messages.find(k_consent_text_key);
  const auto version = po.messages.find(k_consent_version_key);
  const auto line = [&](std::string_view key) {
    const auto l = po.lines.find(key);
    return l == po.lines.end() ? 0 : l->second;
  };
  if (text == po.messages.end())
    error(path, line(k_consent_version_key),
          "missing '" + std::string(k_consent_text_key) + "' (absent, empty or fuzzy): guardians "
          "of this language would be shown another language's consent, which the kiosk refuses");
  if (version == po.messages.end()) {
    error(path, line(k_consent_text_key),
          "missing '" + std::string(k_consent_version_key) + "' beside '" +
              std::string(k_consent_text_key) + "': the kiosk cannot record which text was signed");
    return;
  }
  const std::string& v = version->second;
  const bool well_formed = !v.empty() && v.size() <= 100 &&
                           std::all_of(v.begin(), v.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                           });
  if (!well_formed)
    error(path, line(k_consent_version_key),
          "'" + std::string(k_consent_version_key) + "' must be 1 to 100 letters, digits, '.', "
          "'-' or '_' (it is recorded with every consent), not \"" + v + "\"");
}

void Checker::check_exhibits() {
  std::map<std::string, int> first_line;
  for (size_t i = 0; i < m_manifest.exhibit_ids.size(); ++i) {
    const std::string& id = m_manifest.exhibit_ids[i];
    const int line = m_manifest.exhibit_lines[i];
    auto [first, fresh] = first_line.emplace(id, line);
    if (!fresh) {
      error(m_manifest.file, line, "duplicate exhibit id '" + id + "' (first listed on line " +
                                       std::to_string(first->second) + ")");
      continue;
    }
    if (!valid_content_id(id)) {
      error(m_manifest.file, line,
            "exhibit id '" + id + "' must be 1 to 64 lowercase letters, digits and '-'");
      continue;
    }
    check_exhibit(i);
  }
  for (LanguageCoverage& row : m_report.coverage)
    row.exhibits_total = static_cast<int>(first_line.size());
}

// One exhibit folder. Its id is unique: the manifest lists it once (checked by the caller) and
// exhibit.toml's id must equal the folder name, so no two folders can claim one id.
void Checker::check_exhibit(size_t index) {
  const std::string& id = m_manifest.exhibit_ids[index];
  const std::string folder = (fs::path(m_exhibits_dir) / id).string();
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    error(m_manifest.file, m_manifest.exhibit_lines[index],
          "exhibit '" + id + "': folder " + folder + " not found");
    return;
  }
  const std::string meta = (fs::path(folder) / "exhibit.toml").string();
  int answers_line = 0;
  bool answers_present = false;
  bool meta_ok = false;
  std::vector<int> answers;
  if (!fs::is_regular_file(meta, ec)) {
    error(meta, 0, "missing: every exhibit needs an exhibit.toml");
  } else {
    const size_t before = m_report.findings.size();
    answers = check_exhibit_meta(meta, id, folder, &answers_line, &answers_present);
    meta_ok = std::none_of(m_report.findings.begin() + static_cast<std::ptrdiff_t>(before),
                           m_report.findings.end(),
                           [&](const Finding& f) {
                             return f.severity == Severity::Error && f.file == meta;
                           });
  }

  // Each pack language's text, and the shape of its quiz.
  std::map<std::string, QuizShape> shapes;
  for (const std::string& lang : m_manifest.languages) {
    const std::string file = (fs::path(folder) / (lang + ".toml")).string();
    if (!fs::is_regular_file(file, ec)) {
      error(file, 0, "missing: exhibit '" + id + "' has no text in '" + lang +
                         "', a language of this pack");
      continue;
    }
    shapes[lang] = check_exhibit_text(file);
  }

  // Every language asks the same questions with the same number of options as the default.
  auto ref = shapes.find(m_manifest.default_language);
  if (ref == shapes.end() || !ref->second.known)
    ref = std::find_if(shapes.begin(), shapes.end(), [](const auto& s) { return s.second.known; });
  if (ref != shapes.end()) {
    const QuizShape& r = ref->second;
    const std::string ref_name = "the " + std::string(ref->first == m_manifest.default_language
                                                          ? "default language" : "language") +
                                 " '" + ref->first + "'";
    for (const auto& [lang, shape] : shapes) {
      if (!shape.known || lang == ref->first) continue;
      const std::string file = (fs::path(folder) / (lang + ".toml")).string();
      if (shape.options.size() != r.options.size()) {
        error(file, shape.first_quiz_line, "quiz has " + std::to_string(shape.options.size()) +
                                               " questions; " + ref_name + " has " +
                                               std::to_string(r.options.size()));
        continue;
      }
      for (size_t q = 0; q < r.options.size(); ++q)
        if (shape.options[q] != r.options[q])
          error(file, shape.first_quiz_line,
                "quiz question " + std::to_string(q + 1) + " has " +
                    std::to_string(shape.options[q]) + " options; " + ref_name + " has " +
                    std::to_string(r.options[q]));
    }
    // quiz_answers: one right answer per question, inside that question's options.
    if (meta_ok && !answers_present) {
      error(meta, 0, "missing key 'quiz_answers': no quiz question has a right answer");
    } else if (meta_ok) {
      for (size_t q = 0; q < r.options.size(); ++q) {
        if (q >= answers.size()) {
          error(meta, answers_line, "quiz question " + std::to_string(q + 1) +
                                        " has no right answer in quiz_answers");
        } else if (answers[q] < 0 || answers[q] >= r.options[q]) {
          error(meta, answers_line, "quiz question " + std::to_string(q + 1) + ": answer " +
                                        std::to_string(answers[q]) + " is out of range (" +
                                        std::to_string(r.options[q]) + " options)");
        }
      }
      if (answers.size() > r.options.size())
        error(meta, answers_line, "quiz_answers has " + std::to_string(answers.size()) +
                                      " answers for " + std::to_string(r.options.size()) +
                                      " quiz questions");
    }
  }

  // Completeness per language: the text exists and nothing is wrong in it.
  for (LanguageCoverage& row : m_report.coverage) {
    const std::string file = (fs::path(folder) / (row.lang + ".toml")).string();
    if (!shapes.count(row.lang)) continue;
    const bool clean = std::none_of(m_report.findings.begin(), m_report.findings.end(),
                                    [&](const Finding& f) {
                                      return f.severity == Severity::Error && f.file == file;
                                    });
    if (clean) ++row.exhibits_complete;
  }

  // Language files this pack does not show (see check.h for why shared languages are fine).
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const fs::path& p = entry.path();
    const std::string stem = p.stem().string();
    if (p.extension() != ".toml" || stem == "exhibit") continue;
    const bool in_pack = std::count(m_manifest.languages.begin(), m_manifest.languages.end(), stem);
    if (!in_pack && !m_catalog_langs.count(stem))
      warning(p.string(), 0, "'" + stem + "' is not a language of this pack; the file is not shown");
  }
}

// exhibit.toml: returns quiz_answers (as written) and where they are.
std::vector<int> Checker::check_exhibit_meta(const std::string& file, const std::string& id,
                                             const std::string& folder, int* answers_line,
                                             bool* answers_present) {
  std::vector<int> answers;
  toml::table t;
  if (!parse_toml(file, &t)) return answers;
  bool has_id = false, has_category = false, has_image = false, has_credit = false;
  for (auto&& [k, node] : t) {
    const std::string key(k.str());
    const int line = line_of(node);
    auto text = node.value<std::string>();
    if (key == "id") {
      has_id = true;
      if (!text || *text != id)
        error(file, line, "id must be \"" + id + "\", the name of the exhibit's folder");
    } else if (key == "category") {
      has_category = true;
      if (!text || std::find(k_exhibit_categories.begin(), k_exhibit_categories.end(), *text) ==
                       k_exhibit_categories.end())
        error(file, line, "category must be one of light, electricity, forces, sound, body, "
                          "earth, space, energy");
    } else if (key == "image") {
      has_image = true;
      if (!text || !valid_file_name(*text)) {
        error(file, line, "image must be the name of a file in the exhibit's folder");
        continue;
      }
      const std::string path = (fs::path(folder) / *text).string();
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) {
        error(file, line, "image '" + *text + "' not found");
        continue;
      }
      ImageCheck img = check_image(path);
      if (!img.ok) error(path, 0, img.problem);
    } else if (key == "image_credit") {
      has_credit = true;
      if (!text || text->find_first_not_of(' ') == std::string::npos)
        error(file, line, "image_credit: expected who made the image");
    } else if (key == "quiz_answers") {
      *answers_present = true;
      *answers_line = line;
      const toml::array* a = node.as_array();
      bool ints = a != nullptr;
      if (a)
        for (const toml::node& n : *a) {
          auto v = n.value<int64_t>();
          if (!v || !n.is_integer() || *v < -1000 || *v > 1000) ints = false;
          else answers.push_back(static_cast<int>(*v));
        }
      if (!ints) {
        error(file, line, "quiz_answers: expected a list of 0-based option numbers");
        answers.clear();
      }
    } else {
      error(file, line_of(node), "unknown key '" + key + "'");
    }
  }
  if (!has_id) error(file, 0, "missing key 'id'");
  if (!has_category) error(file, 0, "missing key 'category'");
  if (!has_image) error(file, 0, "missing key 'image'");
  if (!has_credit) error(file, 0, "missing key 'image_credit' (who made the image)");
  const std::string thumb = (fs::path(folder) / "thumb.png").string();
  std::error_code ec;
  if (fs::is_regular_file(thumb, ec)) {
    ImageCheck img = check_image(thumb);
    if (!img.ok) error(thumb, 0, img.problem);
  }
  return answers;
}

QuizShape Checker::check_exhibit_text(const std::string& file) {
  QuizShape shape;
  toml::table t;
  if (!parse_toml(file, &t)) return shape;
  static constexpr std::array<std::pair<std::string_view, size_t>, 4> k_strings = {{
      {"title", k_max_title_length},
      {"summary", k_max_summary_length},
      {"image_alt", k_max_image_alt_length},
      {"body", k_max_body_length},
  }};
  for (auto&& [k, node] : t) {
    const std::string_view key = k.str();
    const bool known = key == "facts" || key == "quiz" ||
                       std::any_of(k_strings.begin(), k_strings.end(),
                                   [&](const auto& s) { return s.first == key; });
    if (!known) error(file, line_of(node), "unknown key '" + std::string(key) + "'");
  }
  for (const auto& [key, limit] : k_strings) {
    if (const toml::node* n = t.get(key)) check_string(file, *n, key, limit);
    else error(file, 0, "missing key '" + std::string(key) + "'");
  }

  if (const toml::node* facts = t.get("facts")) {
    const toml::array* a = facts->as_array();
    if (!a) {
      error(file, line_of(*facts), "facts: expected a list of 2 to 4 strings");
    } else {
      const int count = static_cast<int>(a->size());
      if (count < k_min_facts || count > k_max_facts)
        error(file, line_of(*facts), "facts: " + std::to_string(count) +
                                         " facts; expected 2 to 4");
      for (size_t i = 0; i < a->size(); ++i)
        check_string(file, (*a)[i], "fact " + std::to_string(i + 1), k_max_fact_length);
    }
  } else {
    error(file, 0, "missing key 'facts' (2 to 4 \"did you know\" strings)");
  }

  const toml::node* quiz = t.get("quiz");
  if (!quiz) {
    error(file, 0, "missing key 'quiz' (2 to 4 [[quiz]] questions)");
    return shape;
  }
  const toml::array* questions = quiz->as_array();
  if (!questions || !questions->is_array_of_tables()) {
    error(file, line_of(*quiz), "quiz: expected 2 to 4 [[quiz]] tables");
    return shape;
  }
  const int count = static_cast<int>(questions->size());
  shape.known = true;
  shape.first_quiz_line = count > 0 ? line_of((*questions)[0]) : line_of(*quiz);
  if (count < k_min_questions || count > k_max_questions)
    error(file, shape.first_quiz_line,
          "quiz: " + std::to_string(count) + " questions; expected 2 to 4");
  for (size_t i = 0; i < questions->size(); ++i) {
    const toml::table& q = *(*questions)[i].as_table();
    const std::string name = "quiz question " + std::to_string(i + 1);
    const int qline = line_of((*questions)[i]);
    for (auto&& [k, node] : q)
      if (k.str() != "question" && k.str() != "options" && k.str() != "explanation")
        error(file, line_of(node), name + ": unknown key '" + std::string(k.str()) + "'");
    if (const toml::node* n = q.get("question")) check_string(file, *n, name, k_max_question_length);
    else error(file, qline, name + ": missing key 'question'");
    if (const toml::node* n = q.get("explanation"))
      check_string(file, *n, name + " explanation", k_max_explanation_length);
    else error(file, qline, name + ": missing key 'explanation'");
    const toml::node* opts = q.get("options");
    const toml::array* a = opts ? opts->as_array() : nullptr;
    if (!a) {
      error(file, opts ? line_of(*opts) : qline, name + ": expected 'options', a list of 2 to 4 strings");
      shape.options.push_back(0);
      continue;
    }
    const int n_opts = static_cast<int>(a->size());
    shape.options.push_back(n_opts);
    if (n_opts < k_min_options || n_opts > k_max_options)
      error(file, line_of(*opts), name + ": " + std::to_string(n_opts) + " options; expected 2 to 4");
    for (size_t o = 0; o < a->size(); ++o)
      check_string(file, (*a)[o], name + " option " + std::to_string(o + 1), k_max_option_length);
  }
  return shape;
}

// The kiosk's own loaders, so that "checked" always implies "loads".
void Checker::run_loaders() {
  Pack pack;
  std::vector<std::string> errors;
  if (load_pack(m_report.pack, &pack, &errors)) {
    for (const ExhibitSummary& summary : pack.exhibits) {
      Exhibit ex;
      load_exhibit(summary, pack.languages, &ex, &errors);
    }
  }
  for (const std::string& e : errors) error("", 0, "the kiosk's loader refuses the pack: " + e);
}

}  // namespace

CheckReport check_pack(const std::string& folder) {
  Checker checker(folder);
  return checker.run();
}

// [STATS] ---------------------------------------------------------------------------------------

std::string format_coverage(const CheckReport& report) {
  auto ratio = [](int part, int whole) {
    char cell[40];
    const int percent = whole > 0 ? (part * 100) / whole : 0;
    std::snprintf(cell, sizeof cell, "%d/%d (%d%%)", part, whole, percent);
    return std::string(cell);
  };
  std::string out = "coverage of " + report.pack + "\n";
  char row[160];
  std::snprintf(row, sizeof row, "%-10s %-18s %-18s\n", "language", "exhibits complete",
                "UI strings");
  out += row;
  for (const LanguageCoverage& c : report.coverage) {
    std::snprintf(row, sizeof row, "%-10s %-18s %-18s\n", c.lang.c_str(),
                  ratio(c.exhibits_complete, c.exhibits_total).c_str(),
                  ratio(c.strings_translated, c.strings_total).c_str());
    out += row;
  }
  return out;
}

}  // namespace kiosk::content
