// core_crash_helper — the child of the crash test: registers people in a loop and prints each
// participant id on stdout (a pipe) only after register_participant() returned ok, i.e. after
// COMMIT. The first line is "ready" once the store is open. The parent SIGKILLs it at random
// moments — after "ready", or from its start on to hit Store::open (and the WAL recovery in it).
//   usage: core_crash_helper <db path> <staff id> <event id> [--grow-wal | --open-only]
//   --grow-wal   no automatic checkpoint: the WAL only grows, so every later open recovers it all
//   --open-only  open the store (creating it if there is none), print "ready" and exit
#include "registry.h"
#include "store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  const std::string mode = argc == 5 ? argv[4] : "";
  if ((argc != 4 && argc != 5) || (argc == 5 && mode != "--grow-wal" && mode != "--open-only")) {
    std::fprintf(stderr, "usage: %s <db> <staff id> <event id> [--grow-wal | --open-only]\n", argv[0]);
    return 2;
  }
  std::string error;
  auto store = kiosk::core::Store::open(argv[1], &error);
  if (!store) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (mode == "--grow-wal" &&
      sqlite3_exec(store->handle(), "PRAGMA wal_autocheckpoint=0", nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "cannot turn the automatic checkpoint off: %s\n", sqlite3_errmsg(store->handle()));
    return 1;
  }
  kiosk::core::Registry reg(*store);
  // Tell the parent the store is open: for its registration-loop kills the random delay starts
  // now; for its open and recovery kills this ends the window they aim at.
  if (write(STDOUT_FILENO, "ready\n", 6) != 6) return 1;
  if (mode == "--open-only") return 0;
  for (long i = 0;; ++i) {
    kiosk::core::Registration r;
    r.person.given_name = "ក្មេង" + std::to_string(i);
    r.person.given_name_latin = "Child" + std::to_string(i);
    r.person.family_name_latin = "Crash";
    r.person.birth_year = 2010 + static_cast<int>(i % 8);
    r.person.guardian_name = "Guardian";
    r.event_id = argv[3];
    r.activity = "exhibition_visit";
    r.consent = kiosk::core::ConsentInput{"2026-1", "km", "Guardian", {'S', 'G', 1, 0}, "km",
                                          "Consent text shown in 'km'"};
    const auto saved = reg.register_participant(r, argv[2]);
    if (!saved.ok()) {
      std::fprintf(stderr, "save failed: %s\n", saved.detail.c_str());
      return 1;
    }
    // One write() per line (< PIPE_BUF): the parent never sees half an id.
    const std::string line = saved.id + "\n";
    if (write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      return 1;
  }
}
