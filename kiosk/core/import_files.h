// kiosk/core/import_files.h — finding the files headquarters sends on a USB stick.
//
// Until sync delivers it, the organization directory reaches a kiosk as organizations*.csv on a
// USB stick (or copied into <data_dir>/import). find_import_files() looks for such files under
// a few roots — the mount points of removable media (platform::removable_media_roots()) and the
// import folder — so that staff only plug the stick in and tap the file.
//
// Contract: never throws; unreadable or missing roots and folders are skipped (a stick pulled
// out mid-scan is not an error). Symlinks are not followed. Results are sorted by file name, then
// path, and capped at `limit`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

struct ImportFile {
  std::string path;
  std::string name;        // file name only
  std::uintmax_t bytes = 0;
};

// Regular files under `roots` (at most `max_depth` folders down) whose name, compared without
// case, starts with `prefix` and ends with `suffix` (e.g. "organizations", ".csv").
std::vector<ImportFile> find_import_files(const std::vector<std::string>& roots,
                                          std::string_view prefix, std::string_view suffix,
                                          int max_depth = 3, std::size_t limit = 20);

}  // namespace kiosk::core
