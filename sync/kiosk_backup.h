// sync/kiosk_backup.h — restoring a kiosk backup, and when the last one was made (issue 14 item
// 5). Writing one is KioskSync::write_backup (kiosk_sync.h); the rules B1-B6 and R1-R2 are in
// kiosk_backup.cpp, the file format in format.h [BACKUP] and README "Backups".
//
// Contract: no UI; every function returns its verdict (never throws). A restore never writes over
// an existing store and leaves nothing behind when it fails.
#pragma once

#include <cstdint>
#include <string>

namespace kiosk::sync {

struct RestoreCheck {
  bool ok = false;
  std::int64_t people = 0;  // participants in the backup
  std::string problem;      // why not, naming the file and what to do
};

// What a restore of `file` into `data_dir` would do, for the confirmation: refuses an encrypted
// backup (it opens only at headquarters: `hq backup open`), an empty or damaged file, and a data
// folder that already holds a store.
RestoreCheck check_restore(const std::string& file, const std::string& data_dir);
// R1: the restore itself (after the person confirmed). Open the store afterwards with
// core::Store::open, which gives it a new incarnation (R2).
RestoreCheck restore_store(const std::string& file, const std::string& data_dir);

// B6: the ISO time of the last verified backup written from this data folder, empty if none.
std::string last_backup_at(const std::string& data_dir);
// Whether a scheduled backup is due at `now_ms` (wall clock): none yet, or the last one is older
// than `every_hours`, or its record is unreadable or in the future (a clock set back).
bool backup_due(const std::string& data_dir, std::int64_t now_ms, double every_hours);

}  // namespace kiosk::sync
