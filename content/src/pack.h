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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// The themes a manifest may name: "default" (the kiosk's own gold accent), one of the named
// accent colours, or an accent of the tour's own as "#RRGGBB".
// Theme rules (the checker and the kiosk apply the same functions):
//  T1. Buttons in the accent colour carry white text (k_theme_button_text_rgb) at a contrast of
//      at least 4.5:1 (WCAG 2 contrast_ratio); an accent that cannot is refused with its line
//      (theme_problem()). Every named accent passes (tests/content).
//  T2. Where the accent is drawn as text or lines on the visitor background (dark blue, or black
//      in high contrast), the kiosk uses theme_colors().accent_ink: the accent lightened just
//      enough for 4.5:1 on that background — adjusted, not refused, since it stays the same hue.
//  T3. The accent applies to the visitor screens only; staff screens keep the kiosk's colours.
inline constexpr std::array<std::string_view, 6> k_pack_themes = {
    "default", "crimson", "green", "indigo", "ochre", "teal"};
inline constexpr std::uint32_t k_visitor_background_rgb = 0x0E1E34;
inline constexpr std::uint32_t k_high_contrast_background_rgb = 0x000000;
inline constexpr std::uint32_t k_theme_button_text_rgb = 0xFFFFFF;
// The accent colour of a theme as 0xRRGGBB (named or "#RRGGBB"); the default blue for an
// unknown name.
std::uint32_t theme_accent_rgb(std::string_view theme);
// WCAG 2 contrast ratio of two 0xRRGGBB colours, 1..21.
double contrast_ratio(std::uint32_t a, std::uint32_t b);
// Why `theme` cannot be used (unknown name, bad colour, T1), or "" when it can.
std::string theme_problem(std::string_view theme);
// The colours a visitor screen uses for `theme` (T1, T2); is_default: the kiosk's own colours.
struct ThemeColors {
  bool is_default = true;
  std::uint32_t accent = 0, accent_text = 0, accent_ink = 0;  // 0xRRGGBB
};
ThemeColors theme_colors(std::string_view theme, bool high_contrast);

struct ExhibitSummary {
  std::string id;
  std::string category;
  std::string folder;        // absolute path of the exhibit folder
  std::string thumbnail;     // absolute path of thumb.png, empty if the exhibit has none
  std::string image;         // absolute path of its picture (exhibit_image_path)
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

// Names from a pack that become parts of file paths (the checker refuses the rest, and the
// loaders refuse them again, so a pack that skipped the checker still cannot reach outside):
// the pack id (it names the tour's form file) and an exhibit id (a folder under exhibits_dir):
// 1-64 of a-z, 0-9 and '-';
bool valid_content_id(std::string_view id);
// a file name inside an exhibit's folder (its image): one path segment, not "." or "..", with
// no '/', '\\' or control character.
bool valid_file_name(std::string_view name);

// The picture an exhibit's `meta` (its exhibit.toml) names with `image` (absent: the default
// "illustration.png"), as a path in `folder`: what the home grid, attract and the exhibit screen
// draw. False, with "META: image must be ..." in *error, when it is not a plain file name.
bool exhibit_image_path(const std::string& folder, const std::string& meta, const std::optional<std::string>& image,
                        std::string* path, std::string* error);

}  // namespace kiosk::content
