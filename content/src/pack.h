// content/src/pack.h — a content pack: the manifest (pack.toml), its UI string catalogs and the
// exhibits it lists. Data only: no UI, no SDL; loaded once at start-up. Format: content/README.md.
//
// Layout (paths in pack.toml are relative to the pack folder):
//   pack.toml                  id, name, country, languages, default_language, digits, theme,
//                              strings_dir, exhibits_dir, exhibits = [ids in display order]
//   <strings_dir>/<lang>.po    UI strings per language (see catalog.h)
//   <exhibits_dir>/<id>/       exhibit.toml and <lang>.toml per language (exhibits/README.md)
//
// Contract: read_manifest() and load_pack() never throw. read_manifest() checks the manifest
// alone (syntax, key types, unknown keys, languages) and reports structured problems; load_pack()
// reads the manifest, every catalog and every exhibit's exhibit.toml, and reports each problem as
// a "FILE:LINE: reason" line in *errors, returning false. A pack that loads has every listed
// language's catalog and every listed exhibit's exhibit.toml. The deeper content checks (every
// text, image and quiz) live in check.h; a pack that passes check_pack() always loads.
#pragma once

#include "catalog.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// The themes a manifest may name: "default" (the kiosk's blue), or one of the accent colours.
// Every accent keeps white text at a contrast of at least 4.5:1, so the high-contrast mode of the
// screens stays available whatever the pack chooses.
inline constexpr std::array<std::string_view, 6> k_pack_themes = {
    "default", "crimson", "green", "indigo", "ochre", "teal"};
// The accent colour of a theme as 0xRRGGBB; the default blue for an unknown name.
std::uint32_t theme_accent_rgb(std::string_view theme);

struct ExhibitSummary {
  std::string id;
  std::string category;
  std::string folder;        // absolute path of the exhibit folder
  std::string thumbnail;     // absolute path of thumb.png, empty if the exhibit has none
  std::map<std::string, std::string, std::less<>> titles;  // lang -> title
};

struct Pack {
  std::string folder;
  std::string id;
  std::string name;
  std::string country;
  std::vector<std::string> languages;  // display order
  std::string default_language;
  std::string digits = "latin";        // "latin" or "native"
  std::string theme = "default";       // one of k_pack_themes
  Catalog strings;
  std::vector<ExhibitSummary> exhibits;

  // The exhibit's title in lang, falling back like the catalog; sets *shown_lang.
  std::string_view title(const ExhibitSummary& e, std::string_view lang,
                         std::string_view* shown_lang) const;
};

// One problem found in a pack's sources. line is 0 when no line applies (a missing file or key).
struct PackProblem {
  std::string file;
  int line = 0;
  std::string what;
  std::string text() const;  // "file:line: what", or "file: what" without a line
};

// The manifest as written, with the line of each list entry for precise messages.
struct PackManifest {
  std::string file;  // path of pack.toml (the folder as given + "/pack.toml")
  std::string id, name, country, default_language;
  std::string digits = "latin";
  std::string theme = "default";
  std::string strings_dir = "strings", exhibits_dir = "exhibits";
  std::vector<std::string> languages;
  std::vector<int> language_lines;
  std::vector<std::string> exhibit_ids;
  std::vector<int> exhibit_lines;
  bool has_default_language = false;  // default_language was written (else: first language)
};

// Reads and validates pack.toml of folder. Returns false when anything is wrong; *out is filled
// as far as the manifest could be read either way.
bool read_manifest(const std::string& folder, PackManifest* out, std::vector<PackProblem>* problems);

bool load_pack(const std::string& folder, Pack* out, std::vector<std::string>* errors);

}  // namespace kiosk::content
