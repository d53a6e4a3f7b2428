// sync/pack_store.h — the kiosk's own copies of its content pack, and installing a new one so
// that a crash, a full disk or a pulled USB stick can never leave the kiosk without a whole pack.
//
// The kiosk never runs content from a USB stick or from the configured (editable) folder: it
// runs a copy in its data directory. A pack file (`hq pack build`, pack_file.h) or the configured
// folder is only a source, staged, verified and then switched to.
//
//   <data_dir>/packs/
//     pointer                 "current store-<hex>\nprevious store-<hex>\n" (previous optional)
//     store-<hex>/tree/...    a whole pack (pack.toml at tree/<pack_root>), never changed again
//     store-<hex>/manifest.txt   its description (pack_file.h manifest text: every file's hash)
//     store-<hex>/source.txt     where it came from (a folder, or a pack file's name)
//     staging-<hex>/          a pack being copied in; never run
//
//   source ──stage_file / stage_folder──> staging-X (written, fsync'd, verified, checked)
//        ──commit──> rename staging-X → store-X, fsync ──> pointer: current X, previous old-current
//   rollback ──> pointer: current old-previous, previous old-current
//
// Invariants:
//  P1. The kiosk runs only the folder the pointer names as current. The pointer is replaced only
//      by write_file_durably (temporary file, fsync, rename, fsync of the folder), so after a
//      crash at any moment it names the old pair or the new pair, never a mix.
//  P2. A store-* folder is whole before a pointer names it: every file and folder is written
//      and flushed (syncfs of the data directory's file system, which covers them all), then
//      manifest.txt and source.txt are written and flushed the same way, then staging-X is
//      renamed to store-X and packs/ fsync'd, all before the pointer is written.
//  P3. Nothing is written outside packs/staging-X while staging: entry paths pass pack_file.h F3,
//      files are created with O_CREAT|O_EXCL|O_NOFOLLOW in folders this code made, so a path
//      that leaves the pack, a link or a name given twice is refused.
//  P4. A staged pack is committed only after: headquarters' signature (a pack file), every
//      file's size and hash, the tour (pack id, and the pack file's tour when it names one),
//      pack.toml's strings_dir and exhibits_dir staying inside the tree, the manifest's id and
//      languages matching pack.toml, and the checker (content/src/check.h) finding no error.
//      A refusal removes the staging folder and changes nothing else.
//  P5. commit() makes the staged pack current and the old current previous in one pointer
//      write; rollback() swaps current and previous in one pointer write. A pack that is
//      neither is garbage.
//  P6. collect_garbage() removes only staging-* and store-* folders the pointer does not name
//      (and a stale pointer.partial); a crash while removing leaves only more garbage.
//  P7. verify() re-hashes an installed copy; the kiosk does so at start, and a damaged current
//      copy falls back to previous (kiosk/app/pack_guard.h).
//
// Contract: not thread-safe; one PackStore per thread (PackWorker runs its own). Never throws.
// Every refusal has a code (for the screens: content.outcome.<name> in the catalogs) and an
// English detail naming the file and the reason (for logs and the command line).
#pragma once

#include "pack_file.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::sync {

enum class PackCode {
  ok,
  not_a_pack,         // empty file, no RSKP header, unknown format
  newer_format,       // F4: update the kiosk software
  bad_signature,      // not signed by this kiosk's headquarters
  damaged,            // truncated, tampered, a listed file missing or changed
  unsafe_path,        // a path that leaves the pack, a link, a name given twice
  other_tour,         // a pack for another tour
  not_enrolled,       // no headquarters key to verify with (kiosk --enroll first)
  refused_by_checker, // the content checker found errors
  disk_full,          // the data directory ran out of space while staging
  io,                 // cannot read the source or write the data directory
  nothing_to_roll_back,
};
const char* pack_code_key(PackCode code);  // "content.outcome.<name>"

struct PackOutcome {
  PackCode code = PackCode::ok;
  std::string detail;  // English, technical: file and reason
  bool ok() const { return code == PackCode::ok; }
};

struct InstalledPack {
  std::string store;     // "store-<hex>"
  std::string run_path;  // absolute folder of its pack.toml
  std::string source;    // the folder or pack file it came from
  PackDescription description;
};

struct StagedPack {
  std::string dir;  // absolute staging folder, empty once committed or discarded
  std::string source;
  PackDescription description;
  int checker_errors = 0, checker_warnings = 0;
  std::vector<std::string> checker_lines;  // errors first, at most a few
};

// What installing `after` over `before` (null: nothing installed) would change.
struct PackDiff {
  std::int64_t version_before = 0, version_after = 0;
  std::vector<std::string> languages_before, languages_after;
  std::vector<std::string> added, changed, removed;  // exhibit ids
};
PackDiff diff_packs(const PackDescription* before, const PackDescription& after);

class PackStore {
 public:
  explicit PackStore(std::string dir);  // <data_dir>/packs, made when first written

  // The copies the pointer names. nullopt with *why empty when there is none; with a reason when
  // the pointer or the copy's description cannot be read.
  std::optional<InstalledPack> current(std::string* why) const;
  std::optional<InstalledPack> previous(std::string* why) const;
  // P7: every listed file present with its size and hash. False with the first difference.
  bool verify(const InstalledPack& pack, std::string* why) const;

  using Progress = std::function<void(double fraction)>;  // 0..1; may be empty
  struct Expect {
    std::string pack_id;  // the running pack's id: a pack for another tour is refused; empty: any
    std::string tour;     // the enrolled tour: a pack file naming another is refused
  };
  // P3, P4: copies a pack file (verifying as it reads) or a pack folder into a staging folder and
  // checks it. On success *out holds the staged pack (commit or discard it).
  PackOutcome stage_file(const std::string& path, const Key32& hq_sign_public, const Expect& expect,
                         const Progress& progress, StagedPack* out);
  PackOutcome stage_folder(const std::string& folder, const Expect& expect, const Progress& progress,
                           StagedPack* out);
  // P2, P5. `after_step` (tests: crash points) is called after each durable step, numbered from 1.
  PackOutcome commit(StagedPack* staged, const std::function<void(int)>& after_step = {});
  PackOutcome rollback();
  void discard(StagedPack* staged);
  void collect_garbage();

  // Tests: staging writes fail with ENOSPC once this many bytes were written (a full disk).
  void set_write_limit_for_tests(std::uint64_t bytes) { m_write_limit = bytes; }
  const std::string& dir() const { return m_dir; }

 private:
  struct Pointer {
    std::string current, previous;
  };
  std::optional<Pointer> read_pointer(std::string* why) const;
  bool write_pointer(const Pointer& p, std::string* why);
  std::optional<InstalledPack> installed(const std::string& store, std::string* why) const;
  PackOutcome finish_staging(StagedPack* out, const Expect& expect, const Progress& progress);
  std::string m_dir;
  std::uint64_t m_write_limit = UINT64_MAX;
};

}  // namespace kiosk::sync
