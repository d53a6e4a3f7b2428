// kiosk/app/pack_guard.h — which content pack the kiosk runs at start.
//
// The kiosk runs only its own copy of a pack, in <data_dir>/packs (sync/pack_store.h): never
// the configured folder itself, which a person may be editing, and never a USB stick. The
// configured folder is a source: when it changed since the kiosk last looked (its fingerprint:
// every file the pack uses, with size and modification time), it is checked, and copied in
// only when `kiosk-content check` finds no error.
//
//   start ──> current copy whole? (P7: every hash) ──no──> previous copy whole? switch to it (warning)
//     │
//     └──> configured folder changed since last seen?
//            ├─no──> run the current copy (a pack installed from a file stays until the folder
//            │       is edited); a refusal seen before is shown again
//            └─yes─> check it ──ok──> copy in (stage, verify, switch) ──> run the new copy
//                             └─errors──> remember the refusal; run the current copy (warning)
//   no copy at all and nothing that passes ──> refuse to start (exit 1, the checker's lines)
//
// Rules:
//  G1. A broken edit of the configured folder never stops the kiosk once a pack ran: the last
//      good copy runs and the refusal (checker lines) is the warning staff see on their home
//      screen in their language (the heading is the catalog's `warning_key`; the lines are the
//      checker's, in English, with file and line).
//  G2. The folder's verdict is remembered with its fingerprint in <data_dir>/pack-state.txt
//      (written atomically), so an unchanged folder is not checked again at every start, and an
//      unchanged broken one keeps its warning.
//
//  G3. A look (PackLook::look, for `kiosk --health` beside a running kiosk) makes the same
//      decisions and reports the same verdict, but changes nothing: no copy in, no rollback, no
//      garbage collection, no state written. Only start-up (PackLook::choose) acts on them.
//
// Contract: choose_pack() never throws; on refusal it returns false with the checker's
// "file:line: problem" lines in *error.
#pragma once

#include "pack.h"

#include <string>

namespace kiosk::app {

struct PackChoice {
  std::string path;         // the folder of pack.toml in the kiosk's copy, to run
  bool fell_back = false;   // something was refused or damaged; path is the last good copy
  std::string warning;      // why, for the log and for staff (English, technical)
  std::string warning_key;  // the catalog key of the staff home screen's heading, when fell_back
};

enum class PackLook { choose, look };

bool choose_pack(const std::string& configured, const std::string& data_dir, PackChoice* out,
                 std::string* error, PackLook look = PackLook::choose);

// choose_pack() and then content::load_pack() of the chosen copy: everything the kiosk does with
// its pack before the first frame. No UI and no store, so the app runs it on a thread of its own
// while the store opens and the window starts (issue 15 item 5: start to first frame).
struct PackToRun {
  bool ok = false;
  PackChoice choice;
  content::Pack pack;
  std::string error;  // when !ok: choose_pack's error, or "the content pack was refused:" and the loader's lines
};
PackToRun load_pack_to_run(const std::string& configured, const std::string& data_dir);

}  // namespace kiosk::app
