// kiosk/app/backup_commands.cpp — `kiosk --backup DIR`, `--backup-unencrypted DIR` and
// `--restore FILE` for technicians (issue 14 item 5; rules B1-B6, R1-R2 in
// sync/kiosk_backup.cpp). The Health screen shows the last backup.
// Exit codes: 0 done, 1 with the reason on stderr (nothing half-written), 2 usage.
#include "admin_tool.h"

#include "kiosk_backup.h"
#include "kiosk_sync.h"
#include "log.h"
#include "store.h"

#include <cstdio>
#include <cstring>
#include <filesystem>

namespace kiosk::app {

int AdminTool::backup() {
  std::string error;
  if (!open_store(&error)) return open_failed(error);
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

int AdminTool::restore() {
  std::string error;
  if (!load_config(&error)) return open_failed(error);
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
  m_store = open_kiosk_store(m_config, &error);
  if (!m_store) {
    std::fprintf(stderr, "kiosk: the restored store does not open: %s\n", error.c_str());
    return 1;
  }
  std::printf("restored %lld people; this store's incarnation is now %s\n",
              static_cast<long long>(done.people), m_store->incarnation().c_str());
  return 0;
}

}  // namespace kiosk::app
