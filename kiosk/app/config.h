// kiosk/app/config.h — the kiosk's one human-edited configuration file (TOML).
//
// Contract:
//  - load_config() never throws. On any problem it returns false and *error holds one line of the
//    form "FILE:LINE: key 'section.key': reason" (LINE omitted when the whole file is at fault).
//  - Unknown sections and keys are errors, not ignored: a typo must not silently fall back.
//  - Relative paths in the file (pack, data_dir) are resolved against the file's folder.
#pragma once

#include <string>

namespace kiosk::app {

struct Config {
  // [kiosk]
  std::string pack_path;        // content pack folder
  std::string data_dir;         // per-kiosk data (SQLite store); empty: XDG default
  std::string forms_dir;        // registration form schemas (<tour>.toml); empty: next to packs
  bool fullscreen = true;
  double ui_scale = 1.0;        // multiplies the scale derived from the window size
  double idle_timeout_s = 90;   // visitor screens return to Attract after this long untouched
  // [staff]
  double staff_long_press_s = 3.0;  // hold on the corner logo to reach the PIN pad
  double staff_session_idle_s = 300;
  std::string staff_language = "en";  // staff screens' language until a supervisor changes it
  // [sync]
  std::string sync_url;  // headquarters, e.g. "http://10.0.0.5:8080"; empty: the enrollment's
  int retention_days = 30;  // personal data kept this long after headquarters' receipt (1-3650)
  // [backup] (sync/README.md "Backups"): while the kiosk idles on Attract, a backup encrypted to
  // headquarters is written into `folder` (a mounted stick or disk) when the last one is older
  // than every_hours; nothing when the folder is absent (no stick) or the kiosk is not enrolled.
  std::string backup_folder;  // empty: no scheduled backups (Sync screen and --backup still work)
  double backup_every_hours = 24;  // 1..720
  // [log]
  int log_max_kib = 2048;  // kiosk.log is rotated to kiosk.log.1 past this size (64-1048576 KiB)
};

// Reads and validates path into *config (which keeps its defaults for absent keys).
bool load_config(const std::string& path, Config* config, std::string* error);

}  // namespace kiosk::app
