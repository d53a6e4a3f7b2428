// content/src/catalog.h — UI string catalogs, one gettext PO file per language.
//
// Translators edit PO files with their usual tools (Poedit, Weblate). The kiosk uses stable keys
// as msgid ("attract.touch") and en.po holds the English source text. We read PO ourselves
// rather than through libgettextpo: its error handler may not return on fatal errors (it would
// need a longjmp through C frames), and we want "file:line: reason" messages of our own.
// Supported: comments, msgctxt (ignored for lookup), msgid, msgstr, multi-line "..." strings,
// C escapes (\n \t \" \\), the "#, fuzzy" flag (fuzzy entries are skipped, as gettext does).
//
// Contract: read_po() never throws; on malformed input it returns false with "FILE:LINE: reason".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// The guardian's consent text and its version, kept beside it in every language's catalog
// (kiosk/core/consent.h K2). Bump the version whenever that language's text changes; the
// registration screen records both, and `kiosk-content check` refuses a pack language lacking
// either.
inline constexpr std::string_view k_consent_text_key = "consent.text";
inline constexpr std::string_view k_consent_version_key = "consent.text.version";

struct PoFile {
  std::map<std::string, std::string, std::less<>> messages;  // msgid -> msgstr (non-empty only)
  std::map<std::string, int, std::less<>> lines;             // msgid -> line of its msgid
};

bool parse_po(std::string_view source, const std::string& file_name, PoFile* out,
              std::string* error);
bool read_po(const std::string& path, PoFile* out, std::string* error);

// The strings of every language of a pack, with the fallback chain
// requested language -> pack default language -> English.
class Catalog {
 public:
  void add_language(const std::string& lang, PoFile file);
  void set_default_language(const std::string& lang) { m_default = lang; }

  struct Lookup {
    std::string_view text;  // never empty: a missing key yields a visible "⟦key⟧" placeholder
    std::string_view lang;  // language the text is actually in (render it with that script)
    bool fell_back = false; // the requested language lacked the key (staff see this)
    bool missing = false;   // no language had it: text is the placeholder
  };
  Lookup get(std::string_view lang, std::string_view key) const;
  bool has_language(std::string_view lang) const { return m_langs.count(lang) != 0; }

 private:
  std::map<std::string, PoFile, std::less<>> m_langs;
  std::string m_default = "en";
  mutable std::map<std::string, std::string, std::less<>> m_placeholders;
};

}  // namespace kiosk::content
