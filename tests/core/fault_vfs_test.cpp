// tests/core/fault_vfs_test.cpp — issue 12 item 6: the store under a disk that fails one write or
// one sync (fault_vfs.h design note 2), at every point where a registration, the creation of a
// store or a checkpoint writes or syncs. After each fault: the operation reported an error (or,
// for a checkpoint, its result code), nothing acknowledged is lost, the store passes quick_check
// and the next registration succeeds, in the same connection and after reopening.
#include "fault_vfs.h"
#include "test_support.h"

#include <algorithm>
#include <sstream>

using namespace kiosk::core;
using namespace core_test;

namespace {

// The error a registration must report for an injected SQLite code.
StoreError expected_error(int rc) { return (rc & 0xFF) == SQLITE_FULL ? StoreError::disk_full : StoreError::io; }

int fault_code(IoOp op, long n) {
  if (n % 2 == 0) return SQLITE_FULL;  // every other point: the disk is full instead of failing
  return op == IoOp::sync ? SQLITE_IOERR_FSYNC : SQLITE_IOERR_WRITE;
}

std::string describe(const Fault& f) {
  std::ostringstream out;
  out << "fault: " << io_op_name(f.op) << " #" << f.nth << " of the " << file_kind_name(f.kind)
      << " file fails with " << sqlite3_errstr(f.rc) << (f.persistent ? " (and every later one)" : "");
  return out.str();
}

// Up to k of the points 1..count, the first and the last among them, evenly spread.
std::vector<long> spread(long count, long k) {
  std::vector<long> out;
  for (long i = 0; i < std::min(count, k); ++i)
    out.push_back(count <= k ? i + 1 : 1 + i * (count - 1) / (k - 1));
  return out;
}

// Fault points per (file kind, operation) while a store is created: creating one runs every
// migration, ~0.2 s on the test machine, so all ~250 points would take a minute.
constexpr long kCreatePoints = 6;

struct FaultFixture {
  FaultVfs vfs;  // first: it outlives every connection below
  Fixture f;
  std::set<std::string> acknowledged;
  long next_name = 0;

  explicit FaultFixture(const std::string& name) : f(name) {}

  SaveResult register_one() {
    Registry reg(*f.store);
    auto r = reg.register_participant(f.registration(letters_name("Faul", next_name++), "Disk"), f.staff_id);
    if (r.ok()) acknowledged.insert(r.id);
    return r;
  }

  // Closes the store (the last connection: SQLite checkpoints and removes the WAL) and opens it
  // again, as a restarted kiosk does; then checks it.
  void reopen_and_check() {
    f.store.reset();
    std::string error;
    f.store = Store::open(f.path, &error);
    INFO(error);
    REQUIRE(f.store);
    f.clock.attach(*f.store);
    const StoreHealth h = check_store(*f.store, acknowledged);
    INFO("quick_check: " << (h.problems.empty() ? "ok" : h.problems.front()));
    CHECK(h.intact());
    CHECK(h.missing.empty());
  }
};

}  // namespace

TEST_CASE("fault vfs: a write or sync failing at any point of a registration loses nothing",
          "[fault]") {
  FaultFixture t("fault-registration.sqlite3");
  for (int i = 0; i < 3; ++i) REQUIRE(t.register_one().ok());
  // Count what one registration does right after an open (the first commit writes the WAL
  // header too, so it does the most); every faulted registration below runs at that point.
  t.reopen_and_check();
  t.vfs.reset_counts();
  REQUIRE(t.register_one().ok());
  const long writes = t.vfs.count(FileKind::wal, IoOp::write);
  const long syncs = t.vfs.count(FileKind::wal, IoOp::sync);
  CHECK(t.vfs.count(FileKind::db, IoOp::write) == 0);  // WAL mode: the commit writes the WAL only
  REQUIRE(writes > 0);
  REQUIRE(syncs > 0);  // synchronous=FULL: a commit syncs the WAL
  WARN("one registration after an open: " << writes << " WAL writes, " << syncs << " WAL syncs");

  long faults = 0;
  for (IoOp op : {IoOp::write, IoOp::sync}) {
    for (long n = 1; n <= (op == IoOp::write ? writes : syncs); ++n) {
      t.reopen_and_check();
      const Fault fault{FileKind::wal, op, n, fault_code(op, n), false};
      INFO(describe(fault));
      t.vfs.arm(fault);
      const SaveResult failed = t.register_one();
      t.vfs.disarm();
      CHECK(t.vfs.fired() == 1);
      CHECK_FALSE(failed.ok());
      CHECK(failed.error == expected_error(fault.rc));
      CHECK(failed.id.empty());
      // The same connection goes on: the next registration is saved.
      const SaveResult next = t.register_one();
      INFO(next.detail);
      CHECK(next.ok());
      ++faults;
    }
  }
  t.reopen_and_check();
  CHECK(faults == writes + syncs);
  CHECK(t.acknowledged.size() == static_cast<std::size_t>(4 + faults));
}

TEST_CASE("fault vfs: a disk that stays full refuses every registration, then recovers", "[fault]") {
  FaultFixture t("fault-full.sqlite3");
  REQUIRE(t.register_one().ok());
  t.vfs.arm({FileKind::wal, IoOp::write, 1, SQLITE_FULL, true});
  for (int i = 0; i < 3; ++i) {
    const SaveResult r = t.register_one();
    CHECK_FALSE(r.ok());
    CHECK(r.error == StoreError::disk_full);
  }
  CHECK(t.vfs.fired() >= 3);
  t.vfs.disarm();  // space freed
  CHECK(t.register_one().ok());
  t.reopen_and_check();
  CHECK(t.acknowledged.size() == 2);
}

TEST_CASE("fault vfs: a write or sync failing during a checkpoint loses nothing", "[fault]") {
  FaultFixture t("fault-checkpoint.sqlite3");
  // Each round: a fresh WAL (reopened), two registrations, then the app's idle checkpoint with
  // its nth WAL sync, database write or database sync failing — n = 1, 2, ... until the
  // checkpoint no longer reaches the nth one (how many pages it copies varies a little).
  long faulted = 0;
  for (FileKind kind : {FileKind::wal, FileKind::db}) {
    for (IoOp op : {IoOp::write, IoOp::sync}) {
      if (kind == FileKind::wal && op == IoOp::write) continue;  // a checkpoint only reads the WAL
      long points = 0;
      for (long n = 1; n <= 200; ++n) {
        t.reopen_and_check();
        for (int i = 0; i < 2; ++i) REQUIRE(t.register_one().ok());
        const Fault fault{kind, op, n, fault_code(op, n), false};
        INFO(describe(fault));
        t.vfs.arm(fault);
        const int rc = t.f.store->checkpoint();
        t.vfs.disarm();
        if (t.vfs.fired() == 0) {  // past the last one: the checkpoint completed
          CHECK(rc == SQLITE_OK);
          break;
        }
        ++points;
        CHECK(rc != SQLITE_OK);
        CHECK(t.register_one().ok());
        CHECK(t.f.store->checkpoint() == SQLITE_OK);  // the next one copies everything
      }
      INFO(io_op_name(op) << " of the " << file_kind_name(kind) << " file");
      CHECK(points > 0);
      CHECK(points < 200);
      faulted += points;
    }
  }
  t.reopen_and_check();
  WARN("checkpoint: " << faulted << " fault points");
}

TEST_CASE("fault vfs: a write or sync failing while a store is created leaves none or a sound one",
          "[fault]") {
  FaultVfs vfs;
  const auto path = fresh_path("fault-create.sqlite3");
  std::string error;
  // Count a clean creation and first open (journal for the migrations, then the switch to WAL).
  vfs.reset_counts();
  long counted[4][2] = {};
  {
    auto s = Store::open(path, &error);
    REQUIRE(s);
    for (FileKind kind : {FileKind::db, FileKind::wal, FileKind::journal})
      for (IoOp op : {IoOp::write, IoOp::sync})
        counted[static_cast<int>(kind)][op == IoOp::sync] = vfs.count(kind, op);
  }
  WARN("creating a store: db " << counted[0][0] << " writes, " << counted[0][1] << " syncs; WAL "
       << counted[1][0] << " writes, " << counted[1][1] << " syncs; journal " << counted[2][0]
       << " writes, " << counted[2][1] << " syncs");
  REQUIRE(counted[static_cast<int>(FileKind::journal)][0] > 0);
  REQUIRE(counted[static_cast<int>(FileKind::db)][1] > 0);

  long faults = 0, fired = 0;
  for (FileKind kind : {FileKind::db, FileKind::wal, FileKind::journal}) {
    for (IoOp op : {IoOp::write, IoOp::sync}) {
      for (long n : spread(counted[static_cast<int>(kind)][op == IoOp::sync], kCreatePoints)) {
        fs::remove(path);
        for (const char* suffix : {"-wal", "-shm", "-journal", ".new"}) fs::remove(path + suffix);
        const Fault fault{kind, op, n, fault_code(op, n), false};
        INFO(describe(fault));
        vfs.arm(fault);
        error.clear();
        auto s = Store::open(path, &error);
        vfs.disarm();
        ++faults;
        fired += vfs.fired();
        CHECK(vfs.fired() == 1);
        CHECK_FALSE(s);  // a failed write or sync while opening fails the open
        CHECK_FALSE(error.empty());
        CHECK(error.find("damaged") == std::string::npos);  // a failing disk is not damage
        s.reset();
        // Started again: a sound store at the latest schema, which takes a registration.
        error.clear();
        auto again = Store::open(path, &error);
        INFO(error);
        REQUIRE(again);
        check_sound(*again);
        StaffDirectory staff(*again);
        CHECK(staff.add_staff("Dara Supervisor", "1357", "supervisor", "").ok());
      }
    }
  }
  WARN("store creation and first open: " << faults << " fault points");
  CHECK(fired == faults);
}
