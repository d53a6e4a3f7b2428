// kiosk/app/backup_commands.cpp — `kiosk --backup DIR`, `--backup-unencrypted DIR` and
// `--restore FILE` for technicians (issue 14 item 5; rules B1-B6, R1-R2 in
// sync/kiosk_backup.cpp). The Health screen shows the last backup.
// Exit codes: 0 done, 1 with the reason on stderr (nothing half-written), 2 usage.
#include "app.h"

#include "kiosk_backup.h"
#include "kiosk_sync.h"
#include "log.h"

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace kiosk::app {

int App::run_backup() {
  std::string error;
  if (!open_store_for_tool(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }
  sync::KioskSync sync(*m_store);
  const sync::SyncOutcome o = sync.write_backup(m_config.data_dir, m_options.backup_dir, m_options.backup_unencrypted);
  if (!o.ok()) {
    std::fprintf(stderr, "kiosk: backup failed (%s): %s\n", sync::sync_code_key(o.code), o.detail.c_str());
    return 1;
  }
  std::printf("wrote %s (%lld people), read back and verified\n", o.files.front().c_str(),
              static_cast<long long>(o.entries));
  return 0;
}

int App::run_restore() {
  std::string error;
  if (!load_tool_config(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }
  const sync::RestoreCheck check = sync::check_restore(m_options.restore_file, m_config.data_dir);
  if (!check.ok) {
    std::fprintf(stderr, "kiosk: cannot restore: %s\n", check.problem.c_str());
    return 1;
  }
  std::printf("Restore %s (%lld people) as the store of %s.\n", m_options.restore_file.c_str(),
              static_cast<long long>(check.people), m_config.data_dir.c_str());
  if (!m_options.assume_yes) {
    std::printf("Type RESTORE and press Enter to go on: ");
    std::fflush(stdout);
    char line[64] = {};
    if (!std::fgets(line, sizeof line, stdin) || std::strncmp(line, "RESTORE", 7) != 0 ||
        (line[7] != '\n' && line[7] != '\0' && line[7] != '\r')) {
      std::fprintf(stderr, "\nkiosk: not confirmed; nothing restored\n");
      return 1;
    }
  }
  const sync::RestoreCheck done = sync::restore_store(m_options.restore_file, m_config.data_dir);
  if (!done.ok) {
    std::fprintf(stderr, "kiosk: restore failed: %s\n", done.problem.c_str());
    return 1;
  }
  // R2: opened like any store, it notices it is a copy and starts a new incarnation.
  if (!init_store(&error)) {
    std::fprintf(stderr, "kiosk: the restored store does not open: %s\n", error.c_str());
    return 1;
  }
  std::printf("restored %lld people; this store's incarnation is now %s\n",
              static_cast<long long>(done.people), m_store->incarnation().c_str());
  return 0;
}

// [backup] folder / every_hours: looked at once a minute while the kiosk idles on Attract; the
// backup itself runs on the sync worker's thread and connection (never blocking a visitor),
// encrypted (an unenrolled kiosk's try fails at once and is looked at again a minute later; Health shows
// the last backup). No folder (the stick is out): nothing.
void App::maybe_scheduled_backup(double now_ms) {
  if (m_config.backup_folder.empty() || !m_sync || now_ms - m_backup_checked_ms < 60'000) return;
  m_backup_checked_ms = now_ms;
  std::error_code ec;
  if (!std::filesystem::is_directory(m_config.backup_folder, ec)) return;
  if (!sync::backup_due(m_config.data_dir, m_store->now_ms(), m_config.backup_every_hours)) return;
  if (m_sync->snapshot().running) return;
  if (m_sync->start(sync::SyncWorker::Job::backup_usb, m_config.backup_folder))
    log::info("scheduled backup into " + m_config.backup_folder);
}

}  // namespace kiosk::app
