// kiosk/core/store.h — the on-device SQLite store.
//
// Design note
//  1. One file, WAL journal, synchronous=FULL, foreign_keys=ON: a transaction that returned
//     from commit survives power loss.
//  2. The schema is one numbered migration list (store.cpp, kMigrations); PRAGMA user_version
//     is the number of migrations applied. open() applies the missing ones, each in its own
//     transaction, so a crash mid-migration leaves the previous version intact.
//  3. A database newer than this build (user_version > migrations known) is refused, never
//     downgraded.
//  4. The device row (id = random UUID) is created once, in the migration that makes the table.
//  5. Time comes from one injectable clock (unix milliseconds, UTC) so timestamps and ages are
//     testable; every timestamp the store writes is ISO-8601 UTC with milliseconds. Durations
//     that must not move with the wall clock (the PIN lockout) use the injectable boot clock.
//  6. Every state change goes through Store::Transaction (BEGIN IMMEDIATE ... COMMIT). A
//     Transaction that is destroyed without commit() rolls back; commit() reports failure
//     (disk full, read-only, I/O) and then nothing of the transaction is in the file.
//  7. Incarnations: a store file copied, restored from a backup or moved to another machine
//     keeps its device id but starts a new incarnation (random UUID) at last_seq + 1 the first
//     time it is opened there (machine id, device and inode no longer match). Headquarters keys
//     entries by (device, incarnation, seq), so a clone's new entries are never mistaken for
//     replays of the original's, and the original's are never overwritten by the clone's.
//  8. A store is never silently replaced, and nothing is written into a damaged one. A new store
//     is built as PATH.new and renamed into place once its migrations committed, so an existing
//     store file is never legitimately empty. open() runs PRAGMA quick_check before its first
//     write; a store that fails it, is not a database or is empty (0 bytes) is closed, set
//     aside as PATH.damaged-STAMP (with its -wal and -shm files: renamed, never deleted) when
//     the caller asks (OnDamage::set_aside: the app's first connection), and open() fails with
//     a message that names the file(s) and tells staff what to do. While a
//     damaged store lies beside a missing PATH, open() refuses to create a new one: a person
//     moves the damaged files away (for headquarters) or restores a backup first.
//  9. The open check may run after open() returns (OpenCheck::after_open: the app's first
//     connection), so a large store does not hold the first frame (quick_check reads every page:
//     about 6 s at 100,000 people). Only when open() itself writes nothing: the file exists,
//     needs no migration, is in WAL mode, its incarnation row already names this machine and file
//     (7), and no PATH.check-failed lies beside it (10); otherwise the check runs inside open()
//     as in 8. The check then runs on a thread of the Store's own, on a read-only connection of
//     its own, while the kiosk shows its visitor screens and reads the store:
//
//         checking ──quick_check passes──> passed     writes allowed
//            └────fails, or cannot run───> damaged    writes refused until the kiosk restarts
//
//     Until it passed, nothing is written through this connection: every Transaction is
//     refused (begin_rc() kStoreChecking → StoreError::checking, "checking the store, tap Save
//     again in a moment"; once damaged kStoreDamaged → StoreError::io), the connection is
//     query_only underneath (a write outside a Transaction fails as read-only), checkpoint()
//     does nothing and closing does not checkpoint. So a damaged store is never written (8).
//     query_only is lifted by write_gate() on the connection's own thread: by the next
//     Transaction, or by the app's loop, which calls write_gate() every turn so that writes
//     outside a Transaction (visit analytics) work again as soon as the check passed.
// 10. A failed after-open check writes PATH.check-failed (the problem, one line). The next
//     open() of PATH runs its check inside open(): the kiosk's next start (OnDamage::set_aside)
//     sets the damaged store aside as in 8 and removes the marker with it; a store that passes
//     that check (the failure was a passing I/O error, not damage) removes the marker.
//
// The domain tables (migrations 2..) and their rules are described in registry.h / registry.cpp;
// the migration list itself is in store.cpp.
//
// Contract: Store::open() never throws; `path` may be a "file:..." URI (e.g. "?mode=ro" for a
// read-only store: every write then fails with StoreError::read_only); on failure it returns nullptr with the path and SQLite's
// reason in *error. Not thread-safe: one Store per thread. Repositories (Registry, StaffDirectory,
// VisitStats, ...) borrow a Store& and must not outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct sqlite3;

namespace kiosk::core {

// Unix time in milliseconds (UTC). Tests inject a fake; the default reads the system clock.
using Clock = std::function<std::int64_t()>;
std::int64_t system_clock_ms();

// This boot's monotonic clock: the kernel's boot id and milliseconds since boot (CLOCK_BOOTTIME,
// which counts suspend too and never moves when the wall clock is set). Within one boot `ms`
// only grows, across kiosk restarts as well; a different boot_id means a reboot (or an unknown
// one when empty). Tests inject a fake.
struct BootTime {
  std::string boot_id;
  std::int64_t ms = 0;
};
using BootClock = std::function<BootTime()>;
BootTime system_boot_time();

// Why a write failed, coarse enough for the UI to choose a message (see store_error_key()).
enum class StoreError {
  none,
  invalid,     // the caller's data broke a rule (bad id, empty void reason, ...)
  not_found,   // the record referred to does not exist
  conflict,    // a uniqueness or foreign-key constraint refused the row
  disk_full,   // SQLITE_FULL: storage is full
  read_only,   // SQLITE_READONLY: the database file or its directory cannot be written
  io,          // SQLITE_IOERR / SQLITE_CORRUPT / SQLITE_CANTOPEN: the storage is failing
  busy,        // another connection holds the write lock past the busy timeout
  other,
  checking,    // invariant 9: the store is being checked after start; writes wait for it
};
// Transaction::begin_rc() when invariant 9 refuses a write (SQLite's own extended codes of
// SQLITE_BUSY (5) and SQLITE_CORRUPT (11) stop far below these).
inline constexpr int kStoreChecking = 5 | (0x70 << 8);
inline constexpr int kStoreDamaged = 11 | (0x70 << 8);
// The catalog key of a StoreError, e.g. "store.error.disk_full" (English text in the report).
const char* store_error_key(StoreError e);
StoreError store_error_from_sqlite(int rc);

// The result of every mutation: ok() only after COMMIT returned SQLITE_OK.
// A screen shows `rule` when it is set (a domain rule refused the change, e.g. consent.h's
// "consent.refused.minor"), else store_error_key(error).
struct SaveResult {
  StoreError error = StoreError::none;
  std::string id;       // the record created or changed (empty on failure)
  std::string detail;   // SQLite's message or the broken rule, for logs (not for visitors)
  std::string rule;     // catalog key of the domain rule that refused the change; empty if none
  bool ok() const { return error == StoreError::none; }
  static SaveResult success(std::string record_id) { return {StoreError::none, std::move(record_id), {}, {}}; }
  static SaveResult failure(StoreError e, std::string why) { return {e, {}, std::move(why), {}}; }
  static SaveResult refused(std::string rule_key, std::string why) {
    return {StoreError::invalid, {}, std::move(why), std::move(rule_key)};
  }
};

class Store {
 public:
  // What open() does with a damaged store (invariant 8). The kiosk's first connection (the app
  // at start, before anything else has the file open) sets it aside; every other connection
  // (sync's, tools') only refuses it: renaming a file another connection may still be writing
  // to would split the store in two.
  enum class OnDamage { refuse, set_aside };
  // Where the open check runs (invariants 8, 9). before_check (tests only) runs on the check
  // thread before quick_check starts, so a test can hold the store in `checking`.
  enum class OpenCheck { at_open, after_open };
  static std::unique_ptr<Store> open(const std::string& path, std::string* error,
                                     OnDamage on_damage = OnDamage::refuse,
                                     OpenCheck check = OpenCheck::at_open,
                                     std::function<void()> before_check = {});
  // Test and tooling hook: migrate only up to `version` (1..latest). Used to build a database as
  // an older build left it, so that opening it with open() exercises every later migration.
  static std::unique_ptr<Store> open_at_version(const std::string& path, int version,
                                                std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;
  static int latest_schema_version();
  const std::string& device_id() const { return m_device_id; }
  // The current incarnation's id (invariant 7); empty only below schema version 5.
  const std::string& incarnation() const { return m_incarnation; }
  sqlite3* handle() const { return m_db; }

  // SQLite's own checks of the file: quick_check (structure, O(pages); open() runs it) and
  // integrity_check (also every index against its table; slower — for a staff Health screen,
  // off the UI thread on a large store). *problems gets up to 20 of SQLite's findings, empty when
  // the store is sound. Returns an SQLite result code (SQLITE_CORRUPT/NOTADB when SQLite could
  // not even read the pages to check them).
  int quick_check(std::vector<std::string>* problems) const;
  int integrity_check(std::vector<std::string>* problems) const;
  // How long the open check (quick_check) took, in open() or after it (health.h;
  // BENCHMARKS.md); 0 while it runs.
  double open_check_ms() const;
  // Invariant 9: where the open check is. `problem` is the first finding (or why the check
  // could not run) once damaged. wait_open_check() blocks until it is no longer checking or the
  // time-out passes (tools, tests); it returns the state then.
  enum class CheckState { passed, checking, damaged };
  CheckState open_check_state() const;
  std::string open_check_problem() const;
  CheckState wait_open_check(double timeout_ms) const;

  // The clock every repository reads. Not thread-safe; set it before use.
  void set_clock(Clock clock) { m_clock = std::move(clock); }
  std::int64_t now_ms() const { return m_clock(); }
  std::string now_iso() const;  // "2026-11-29T22:50:00.123Z"
  // The monotonic clock durations are counted on (staff.h's lockout). Set it before use.
  void set_boot_clock(BootClock clock) { m_boot_clock = std::move(clock); }
  BootTime boot_time() const { return m_boot_clock(); }

  // Copies committed WAL frames into the database file (passive: never waits for readers).
  // SQLite also does this by itself every 1000 WAL pages inside the COMMIT that crosses the
  // mark, and that stays within the save budget (BENCHMARKS.md). Call checkpoint() only
  // after long idle (e.g. back on the attract screen), never between saves: the first commit
  // after a checkpoint restarts the WAL and pays one extra fsync (p50 4 → 12 ms measured).
  // Returns an SQLite result code.
  int checkpoint();

  // One write transaction (BEGIN IMMEDIATE). Pair: construct, do the work, commit(); a
  // Transaction destroyed without a successful commit() rolls back. Transactions do not nest.
  class Transaction {
   public:
    explicit Transaction(Store& store);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    bool begun() const { return m_rc == 0; }
    int begin_rc() const { return m_rc; }
    int commit();  // SQLite result code of COMMIT; SQLITE_OK (0) means durable
   private:
    Store& m_store;
    int m_rc = 0;
    bool m_done = false;
  };

 public:
  // Invariant 9: SQLITE_OK, kStoreChecking or kStoreDamaged; lifts query_only once the check
  // passed. Cheap (a mutex read); the app's loop calls it every turn.
  int write_gate();

 private:
  static std::unique_ptr<Store> open_impl(const std::string& path, int target_version,
                                          std::string* error, OnDamage on_damage, OpenCheck check,
                                          std::function<void()> before_check);
  explicit Store(sqlite3* db);
  bool check_incarnation(std::string* why);
  bool incarnation_matches();  // invariant 9: check_incarnation() would write nothing
  bool load_incarnation(std::string* why);
  void start_open_check(const std::string& path, std::function<void()> before_check);
  sqlite3* m_db = nullptr;
  std::string m_device_id;
  std::string m_incarnation;
  struct OpenCheckState;  // shared with the check thread (store.cpp)
  std::shared_ptr<OpenCheckState> m_check;
  std::thread m_check_thread;
  bool m_query_only = false;  // set while the after-open check has not passed
  Clock m_clock = system_clock_ms;
  BootClock m_boot_clock = system_boot_time;
};

// The result of a read: a value, or why it could not be read (never an empty value standing
// in for a failing disk). ok() is true when error == none.
template <class T>
struct ReadResult {
  T value{};
  StoreError error = StoreError::none;
  std::string detail;
  bool ok() const { return error == StoreError::none; }
  static ReadResult success(T v) { return {std::move(v), StoreError::none, {}}; }
  static ReadResult failure(StoreError e, std::string why) { return {T{}, e, std::move(why)}; }
};

// A random (version 4) UUID in its usual text form, from libsodium's CSPRNG.
std::string new_uuid();

// "YYYY-MM-DDTHH:MM:SS.mmmZ" for a unix-milliseconds time, and "YYYY-MM-DD" for its day.
std::string iso_time(std::int64_t unix_ms);
std::string iso_day(std::int64_t unix_ms);

}  // namespace kiosk::core
