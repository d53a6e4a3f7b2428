#include "catalog.h"

#include "toml_safety.h"  // one_line_text

#include <cstdio>
#include <fstream>
#include <sstream>

namespace kiosk::content {
namespace {

// Parses one "..." literal at s[i]; appends the unescaped text. Returns false on a bad literal.
bool read_literal(std::string_view s, size_t i, std::string* out, std::string* reason) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i >= s.size() || s[i] != '"') {
    *reason = "expected a quoted string";
    return false;
  }
  ++i;
  while (i < s.size() && s[i] != '"') {
    char c = s[i++];
    if (c == '\\') {
      if (i >= s.size()) break;
      char e = s[i++];
      switch (e) {
        case 'n': *out += '\n'; break;
        case 't': *out += '\t'; break;
        case '"': *out += '"'; break;
        case '\\': *out += '\\'; break;
        default:
          // The byte after the backslash is quoted as a number when it is not printable
          // ASCII, so the reason stays one readable line (found by tests/fuzz/pack_check).
          if (static_cast<unsigned char>(e) > 0x20 && static_cast<unsigned char>(e) < 0x7F) {
            *reason = std::string("unknown escape \\") + e;
          } else {
            char code[8];
            std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(e)));
            *reason = std::string("unknown escape: a backslash before the byte ") + code;
          }
          return false;
      }
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      // A raw NUL, ESC or other control byte: nothing a screen can show, and a NUL cuts the
      // string short wherever it meets C. (Tab is written \t, line breaks \n.)
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
      *reason = std::string("control character ") + code + (c == 0 ? " (NUL)" : c == 0x1B ? " (ESC)" : "") +
                " in a string; write a tab as \\t and a line break as \\n";
      return false;
    } else {
      *out += c;
    }
  }
  if (i >= s.size()) {
    *reason = "unterminated string";
    return false;
  }
  ++i;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
  if (i != s.size()) {
    *reason = "unexpected text after the closing quote";
    return false;
  }
  return true;
}

}  // namespace

bool parse_po(std::string_view source, const std::string& file_name, PoFile* out,
              std::string* error) {
  enum class Field { None, Ctxt, Id, Str };
  Field field = Field::None;
  std::string msgid, msgstr;
  int id_line = 0;
  bool have_entry = false, fuzzy = false, next_fuzzy = false;
  auto flush = [&]() -> bool {
    if (have_entry && !msgid.empty() && !msgstr.empty() && !fuzzy) {
      if (out->messages.count(msgid)) {
        *error = file_name + ":" + std::to_string(id_line) + ": duplicate msgid \"" +
                 kiosk::core::one_line_text(msgid) + "\"";
        return false;
      }
      out->messages.emplace(msgid, msgstr);
      out->lines.emplace(msgid, id_line);
    }
    msgid.clear();
    msgstr.clear();
    have_entry = false;
    return true;
  };
  int number = 0;
  size_t pos = 0;
  while (pos <= source.size()) {
    size_t end = source.find('\n', pos);
    if (end == std::string_view::npos) end = source.size();
    std::string_view line = source.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string reason;
    auto fail = [&](const std::string& why) {
      *error = file_name + ":" + std::to_string(number) + ": " + why;
      return false;
    };
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    line.remove_prefix(first);
    if (line[0] == '#') {
      if (line.starts_with("#,") && line.find("fuzzy") != std::string_view::npos) next_fuzzy = true;
      continue;
    }
    auto starts = [&](std::string_view kw) {
      return line.starts_with(kw) && line.size() > kw.size() &&
             (line[kw.size()] == ' ' || line[kw.size()] == '\t');
    };
    if (starts("msgctxt")) {
      if (!flush()) return false;
      field = Field::Ctxt;
      std::string ignored;
      if (!read_literal(line, 7, &ignored, &reason)) return fail(reason);
    } else if (starts("msgid")) {
      if (field != Field::Ctxt && !flush()) return false;
      field = Field::Id;
      have_entry = true;
      fuzzy = next_fuzzy;
      next_fuzzy = false;
      id_line = number;
      if (!read_literal(line, 5, &msgid, &reason)) return fail(reason);
    } else if (starts("msgid_plural") || line.starts_with("msgstr[")) {
      return fail("plural forms are not used by the kiosk's catalogs");
    } else if (starts("msgstr")) {
      if (field != Field::Id) return fail("msgstr without a msgid before it");
      field = Field::Str;
      if (!read_literal(line, 6, &msgstr, &reason)) return fail(reason);
    } else if (line[0] == '"') {
      std::string* target = field == Field::Id ? &msgid : field == Field::Str ? &msgstr : nullptr;
      std::string ignored;
      if (field == Field::None) return fail("string continuation outside an entry");
      if (!read_literal(line, 0, target ? target : &ignored, &reason)) return fail(reason);
    } else {
      return fail("unrecognised line (expected msgid, msgstr, a \"string\" or a # comment)");
    }
  }
  return flush();
}

bool read_po(const std::string& path, PoFile* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open the catalog";
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_po(buf.str(), path, out, error);
}

void Catalog::add_language(const std::string& lang, PoFile file) {
  m_langs[lang] = std::move(file);
}

Catalog::Lookup Catalog::get(std::string_view lang, std::string_view key) const {
  const std::string_view chain[] = {lang, m_default, "en"};
  for (size_t i = 0; i < 3; ++i) {
    auto l = m_langs.find(chain[i]);
    if (l == m_langs.end()) continue;
    auto m = l->second.messages.find(key);
    if (m != l->second.messages.end()) return {m->second, l->first, i > 0, false};
  }
  auto p = m_placeholders.find(key);
  if (p == m_placeholders.end()) {
    std::fprintf(stderr, "kiosk: missing UI string '%.*s' in every language\n",
                 static_cast<int>(key.size()), key.data());
    p = m_placeholders.emplace(std::string(key), "\xE2\x9F\xA6" + std::string(key) + "\xE2\x9F\xA7").first;
  }
  return {p->second, "en", true, true};
}

}  // namespace kiosk::content
