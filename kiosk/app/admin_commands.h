// kiosk/app/admin_commands.h — the administrative command-line commands: one-shot tools for a
// technician at the kiosk computer (or a script), run instead of the kiosk's window.
//
//   --add-staff NAME [--role R]   --set-pin NAME          (PIN on standard input)
//   --import-organizations FILE.csv
//   --health                                               (JSON on stdout)
//   --backup DIR | --backup-unencrypted DIR   --restore FILE [--yes]
//   --enroll FILE  --sync-now  --export-bundle DIR  --import-receipt F|D  --import-downlink F|D
//   --install-pack FILE  --rollback-pack
//
// Contract:
//  C1. No window, no GL, no fonts: a command works over SSH on a kiosk whose screen is broken.
//      Each reads the same configuration as the kiosk (--config, else the XDG file, else the
//      Debian package's; --data-dir and --pack override it) and opens the same store the same
//      way (a damaged store is set aside, store.h invariant 8), except --restore, which must
//      find no store.
//  C2. Exit 0 with what was done on stdout; exit 1 with every reason on stderr, naming the file
//      and line where a file was read, and nothing changed (each change is one transaction, or
//      staged and switched: pack_store.h, kiosk_backup.cpp R1). Usage errors (exit 2) are main's.
//  C3. Changes are audited as made "at the kiosk computer" (staff.h A1), never as a person:
//      whoever has the computer's keyboard is its administrator.
//  C4. A PIN is read from the first line of standard input, never from the command line (shell
//      history, `ps`); a restore is confirmed by typing RESTORE unless --yes.
//  C5. They keep the default SIGTERM/SIGINT action (a signal ends the process between or inside
//      a transaction, which SQLite rolls back); only the loop modes install stop_signals.h.
#pragma once

#include "app.h"
#include "config.h"

#include <memory>
#include <string>

namespace kiosk::core {
class Store;
}

namespace kiosk::app {

// The configuration the options ask for (C1), with --data-dir/--pack applied and the data
// directory defaulted. *config_path: the file read, empty for the built-in defaults.
bool resolve_config(const Options& options, Config* config, std::string* config_path, std::string* error);

// The kiosk's store in config.data_dir, created 0700/0600 when new; a damaged one is set aside.
// check: after_open for the running kiosk only (store.h invariant 9); the commands write at once.
std::unique_ptr<core::Store> open_kiosk_store(const Config& config, std::string* error,
                                              core::Store::OpenCheck check = core::Store::OpenCheck::at_open);

// True when the options name one of the commands above (main then never opens a window).
bool wants_admin_command(const Options& options);

// Runs that command: the process exit code (C2).
int run_admin_command(const Options& options);

}  // namespace kiosk::app
