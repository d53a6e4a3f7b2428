// kiosk/app/pack_guard.h — which content pack the kiosk may run.
//
// A pack is run only after `kiosk-content check` finds no errors in it. The check reads and
// decodes everything, so its verdict is remembered in the data directory, keyed by a
// fingerprint of every file the pack uses (path, size, modification time): an unchanged pack
// starts without re-checking, a replaced or edited one is checked again.
//
//   configured pack --fingerprint matches a passed check--> run it
//        |                      \--no: check it --ok--> remember it as last good, run it
//        |                                       \--errors--> print them; last good pack
//        |                                                    still passes? run that (warning)
//        \--------------------------------------------------------------> else: refuse (exit 1)
//
// Contract: choose_pack() never throws; on refusal it returns false with the checker's
// "file:line: problem" lines in *error. Files written: <data_dir>/pack-state.txt (atomically).
#pragma once

#include <string>

namespace kiosk::app {

struct PackChoice {
  std::string path;      // the pack to run
  bool fell_back = false;  // the configured pack was refused; path is the last good one
  std::string warning;   // the refusal, for the log and for staff
};

bool choose_pack(const std::string& configured, const std::string& data_dir, PackChoice* out,
                 std::string* error);

}  // namespace kiosk::app
