// content/src/pack.h — a content pack: the manifest (pack.toml), its UI string catalogs and the
// exhibits it lists. Data only: no UI, no SDL; loaded once at start-up.
//
// Layout (paths in pack.toml are relative to the pack folder):
//   pack.toml                  id, name, country, languages, default_language, digits,
//                              strings_dir, exhibits_dir, exhibits = [ids in display order]
//   <strings_dir>/<lang>.po    UI strings per language (see catalog.h)
//   <exhibits_dir>/<id>/       exhibit.toml and <lang>.toml per language (exhibits/README.md)
//
// Contract: load_pack() never throws; every problem is reported as "FILE:LINE: reason" lines in
// *errors and the function returns false. A pack that loads has every listed language's catalog
// and every listed exhibit's exhibit.toml.
#pragma once

#include "catalog.h"

#include <string>
#include <vector>

namespace kiosk::content {

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
  Catalog strings;
  std::vector<ExhibitSummary> exhibits;

  // The exhibit's title in lang, falling back like the catalog; sets *shown_lang.
  std::string_view title(const ExhibitSummary& e, std::string_view lang,
                         std::string_view* shown_lang) const;
};

bool load_pack(const std::string& folder, Pack* out, std::vector<std::string>* errors);

}  // namespace kiosk::content
