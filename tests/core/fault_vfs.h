// tests/core/fault_vfs.h — a test-only SQLite VFS that injects storage faults (issue 12 item 6).
//
// Linked into test executables only (CMake target core_fault_vfs), never into the kiosk. It wraps
// the default VFS (unix) and, while a FaultVfs object lives, is the default VFS of the process, so
// Store::open() reaches it without any change to the store.
//
// Design note
//  1. Pass-through by default: every call goes to the wrapped VFS; FaultVfs only counts and
//     records. File kinds come from the open flags: the main database, its WAL, its rollback
//     journal; anything else (temporary files) is `other` and is never failed or cut.
//  2. Nth-operation faults (arm()): the Nth write, sync or truncate of a chosen kind, counted
//     from arm(), returns the chosen SQLite code (SQLITE_IOERR_*, SQLITE_FULL) without touching
//     the file; `persistent` makes every later one fail too (a disk that stays full).
//  3. The simulated disk: every write and truncate of a db/WAL/journal file is recorded (offset,
//     bytes before, bytes after, size before) until that file is synced; a successful sync of a
//     path forgets its records (fsync covers every descriptor of the inode, so records are kept
//     per path, across closes). A deleted path forgets its records.
//  4. A power cut has two halves. cut_power_after(n): the nth write/sync/truncate from now fails
//     and so does every later write, sync, truncate and delete — the machine is off, the
//     connection can only be closed. restore_after_power_cut(), once every file is closed, puts
//     back on disk what a real power cut leaves: every unsynced change undone in reverse order
//     (drop), or undone and then a random subset of 512-byte sectors of the unsynced writes
//     replayed in order (tear: the page cache had written some of them back). Only what was
//     synced is certain to be there. Directory entries (create, delete, rename) are not
//     modelled: SQLite syncs the directory of a new WAL or journal itself, and store.cpp syncs
//     the store's folder after its rename.
//  5. Sensitivity switch: set_sync_noop(true) makes every sync succeed without syncing (and
//     without forgetting records), as a file system with fsync turned off would. A test that
//     passes in that mode proves nothing about durability; tests/core/power_cut_test.cpp
//     asserts that its checker finds lost registrations in it.
//  6. The real fsync is skipped: only the simulated disk is ever cut, and an fsync costs
//     milliseconds on the test machine's ext4 (many more under load).
//
// Contract: one FaultVfs at a time; construct it before, and destroy it after, every connection
// that uses it (it unregisters itself and the previous default comes back). Thread-safe: one
// mutex guards the counters and records.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>

namespace core_test {

enum class FileKind { db, wal, journal, other };
enum class IoOp { write, sync, truncate };

const char* file_kind_name(FileKind k);
const char* io_op_name(IoOp op);

// Fail the nth (1-based, counted from arm()) `op` on a file of `kind` with SQLite code `rc`.
struct Fault {
  FileKind kind = FileKind::wal;
  IoOp op = IoOp::write;
  long nth = 1;
  int rc = 0;               // e.g. SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_FULL
  bool persistent = false;  // every matching op after the nth fails as well
};

enum class CutMode { drop, tear };

struct CutReport {
  long files = 0;           // files that had unsynced changes
  long changes = 0;         // unsynced writes and truncates
  long sectors_kept = 0;    // tear: 512-byte sectors of unsynced writes that reached the disk
  long sectors_lost = 0;    // sectors of unsynced writes undone
};

class FaultVfs {
 public:
  FaultVfs();
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // Operations on files of `kind` since the last reset_counts() (failed ones included).
  long count(FileKind kind, IoOp op) const;
  void reset_counts();

  // Design note 2. arm() replaces any armed fault; fired() tells how many ops it failed.
  void arm(const Fault& fault);
  void disarm();
  long fired() const;

  // Design note 4. n >= 1: the nth write/sync/truncate of a db/WAL/journal file from now is the
  // first to fail; n == 0: the power is off at once.
  void cut_power_after(long n);
  bool power_is_off() const;
  // Requires every file opened through this VFS to be closed (it asserts so). Powers back on.
  CutReport restore_after_power_cut(CutMode mode, std::mt19937& rng);
  // Unsynced writes and truncates recorded now, over all files.
  long unsynced_changes() const;

  void set_sync_noop(bool on);  // design note 5

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace core_test
