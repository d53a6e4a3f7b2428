// tests/core/store_check_test.cpp — store.h invariant 8: a damaged or empty store is never written
// to and never silently replaced; it is set aside (renamed, never deleted) with a message for staff.
#include "test_support.h"

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <iterator>
#include <sys/stat.h>

using namespace kiosk::core;
using namespace core_test;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A closed store (checkpointed: everything in the main file) with a multi-page `setting` table;
// returns the device id, and the 1-based page number of that table's root in *root_page.
std::string make_store(const std::string& path, long* root_page) {
  std::string error, device;
  {
    auto s = Store::open(path, &error);
    REQUIRE(s);
    device = s->device_id();
    REQUIRE(sqlite3_exec(s->handle(),
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                         " INSERT INTO setting(key, value) SELECT 'k' || i, printf('%.80c', 'v') FROM n",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    *root_page = std::stol(scalar(s->handle(), "SELECT rootpage FROM sqlite_master WHERE name = 'setting'"));
  }
  REQUIRE_FALSE(fs::exists(path + "-wal"));  // closing the last connection checkpointed it
  return device;
}

// The store files set aside next to `path` (main files; their -wal/-shm lie beside them).
std::vector<std::string> set_aside(const std::string& path, bool with_wal_and_shm = false) {
  std::vector<std::string> out;
  const std::string prefix = fs::path(path).filename().string() + ".damaged-";
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && (with_wal_and_shm || name.find('-', prefix.size()) == std::string::npos))
      out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void clear_aside(const std::string& path) {
  for (const auto& f : set_aside(path, true)) fs::remove(f);
}

}  // namespace

TEST_CASE("a new store is built beside its path and moved into place whole", "[store][check]") {
  const auto path = fresh_path("check-new.sqlite3");
  clear_aside(path);
  std::string error;
  auto s = Store::open(path, &error);
  REQUIRE(s);
  CHECK_FALSE(fs::exists(path + ".new"));
  CHECK(fs::file_size(path) > 0);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::vector<std::string> problems = {"stale"};
  CHECK(s->quick_check(&problems) == SQLITE_OK);
  CHECK(problems.empty());
  CHECK(s->integrity_check(&problems) == SQLITE_OK);
  CHECK(problems.empty());
}

TEST_CASE("an empty (0-byte) store is set aside, never replaced by a new device", "[store][check]") {
  const auto path = fresh_path("check-empty.sqlite3");
  clear_aside(path);
  long root = 0;
  const std::string device = make_store(path, &root);
  write_all(path, "");  // what a truncating file system leaves after a power cut
  std::string error;
  // A second connection (sync's) only refuses it; it is never renamed under another's feet.
  CHECK_FALSE(Store::open(path, &error));
  CHECK(error.find(path + " is damaged (the file is empty: 0 bytes)") == 0);
  CHECK(set_aside(path).empty());
  CHECK(fs::exists(path));
  // The app's first connection sets it aside.
  CHECK_FALSE(Store::open(path, &error, Store::OnDamage::set_aside));
  CHECK(error.find("damaged") != std::string::npos);
  CHECK(error.find("0 bytes") != std::string::npos);
  const auto aside = set_aside(path);
  REQUIRE(aside.size() == 1);
  CHECK(error.find(aside[0]) != std::string::npos);  // the message names the file kept aside
  CHECK(fs::file_size(aside[0]) == 0);
  CHECK_FALSE(fs::exists(path));

  // Started again (a service restarts it): still no new store while the damaged one lies there.
  error.clear();
  CHECK_FALSE(Store::open(path, &error));
  CHECK(error.find("does not start a new, empty store by itself") != std::string::npos);
  CHECK_FALSE(fs::exists(path));

  // A person moved the damaged files away: now a new store may begin, with a new device id.
  fs::rename(aside[0], fs::path(path).parent_path() / "moved-away-for-hq");
  auto s = Store::open(path, &error);
  REQUIRE(s);
  CHECK(s->device_id() != device);
}

TEST_CASE("a zeroed page or flipped bytes: the store is refused, untouched and set aside",
          "[store][check]") {
  const bool zero = GENERATE(true, false);
  const auto path = fresh_path(zero ? "check-zeroed.sqlite3" : "check-flipped.sqlite3");
  clear_aside(path);
  long root = 0;
  make_store(path, &root);
  std::string bytes = read_all(path);
  const std::size_t page = 4096, at = static_cast<std::size_t>(root - 1) * page;
  REQUIRE(bytes.size() >= at + page);
  if (zero) {
    std::fill(bytes.begin() + static_cast<long>(at), bytes.begin() + static_cast<long>(at + page), '\0');
  } else {
    for (std::size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(bytes[at + i] ^ 0x5A);
  }
  write_all(path, bytes);

  std::string error;
  CHECK_FALSE(Store::open(path, &error));
  CHECK(set_aside(path).empty());
  CHECK(read_all(path) == bytes);
  CHECK_FALSE(Store::open(path, &error, Store::OnDamage::set_aside));
  CHECK(error.find(path + " is damaged") != std::string::npos);
  CHECK(error.find("USB stick") != std::string::npos);
  const auto aside = set_aside(path);
  REQUIRE(aside.size() == 1);
  CHECK(read_all(aside[0]) == bytes);  // not one byte written: no WAL switch, no migration
  // Its WAL (SQLite opened an empty one) went with it; nothing was left behind at `path`.
  CHECK((!fs::exists(aside[0] + "-wal") || fs::file_size(aside[0] + "-wal") == 0));
  CHECK_FALSE(fs::exists(path + "-wal"));
  CHECK_FALSE(fs::exists(path + "-shm"));
  CHECK_FALSE(fs::exists(path));
}

// Invariant 9 (issue 15): the app's first connection checks a large store after open, while the
// visitor screens run; nothing is written until the check passed.
namespace {
struct Latch {  // holds the check thread until released
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return open; });
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(m);
      open = true;
    }
    cv.notify_all();
  }
};
}  // namespace

TEST_CASE("a store checked after open refuses every write until the check passed", "[store][check]") {
  const auto path = fresh_path("check-after-open.sqlite3");
  clear_aside(path);
  long root = 0;
  make_store(path, &root);
  const std::string before = read_all(path);
  Latch latch;
  std::string error;
  auto s = Store::open(path, &error, Store::OnDamage::set_aside, Store::OpenCheck::after_open,
                       [&] { latch.wait(); });
  REQUIRE(s);
  CHECK(s->open_check_state() == Store::CheckState::checking);
  CHECK_FALSE(s->device_id().empty());
  CHECK(scalar(s->handle(), "SELECT count(*) FROM setting") == "400");  // reads work meanwhile
  {
    Store::Transaction tx(*s);
    CHECK_FALSE(tx.begun());
    CHECK(tx.begin_rc() == kStoreChecking);
    CHECK(store_error_from_sqlite(tx.begin_rc()) == StoreError::checking);
    CHECK(std::string(store_error_key(StoreError::checking)) == "store.error.checking");
  }
  // A write outside a Transaction fails too (query_only), and a checkpoint does nothing.
  CHECK(sqlite3_exec(s->handle(), "INSERT INTO setting(key, value) VALUES ('x', 'y')", nullptr, nullptr,
                     nullptr) != SQLITE_OK);
  CHECK(s->checkpoint() != SQLITE_OK);
  CHECK(read_all(path) == before);

  latch.release();
  REQUIRE(s->wait_open_check(20000) == Store::CheckState::passed);
  CHECK(s->open_check_problem().empty());
  Store::Transaction tx(*s);
  REQUIRE(tx.begun());
  REQUIRE(sqlite3_exec(s->handle(), "INSERT INTO setting(key, value) VALUES ('x', 'y')", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  CHECK(tx.commit() == SQLITE_OK);
  CHECK(scalar(s->handle(), "SELECT value FROM setting WHERE key = 'x'") == "y");
  CHECK_FALSE(fs::exists(path + ".check-failed"));
}

TEST_CASE("a store damaged under a running kiosk: writes refused, the next start sets it aside",
          "[store][check]") {
  const auto path = fresh_path("check-after-open-bad.sqlite3");
  clear_aside(path);
  fs::remove(path + ".check-failed");
  long root = 0;
  make_store(path, &root);
  std::string bytes = read_all(path);
  const std::size_t page = 4096, at = static_cast<std::size_t>(root - 1) * page;
  REQUIRE(bytes.size() >= at + page);
  for (std::size_t i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>(bytes[at + i] ^ 0x5A);
  write_all(path, bytes);

  std::string error;
  {
    // The damage is in a table open() does not read: open() returns, the check finds it.
    auto s = Store::open(path, &error, Store::OnDamage::set_aside, Store::OpenCheck::after_open);
    REQUIRE(s);
    REQUIRE(s->wait_open_check(20000) == Store::CheckState::damaged);
    CHECK(s->open_check_problem().rfind("quick_check: ", 0) == 0);
    Store::Transaction tx(*s);
    CHECK_FALSE(tx.begun());
    CHECK(tx.begin_rc() == kStoreDamaged);
    CHECK(store_error_from_sqlite(tx.begin_rc()) == StoreError::io);
    CHECK(fs::exists(path + ".check-failed"));
  }
  CHECK(read_all(path) == bytes);  // not one byte written, closing included
  CHECK(set_aside(path).empty());  // not while it was open

  // The next start checks inside open() (invariant 10) and sets the store aside as at any start.
  CHECK_FALSE(Store::open(path, &error, Store::OnDamage::set_aside, Store::OpenCheck::after_open));
  CHECK(error.find(path + " is damaged") != std::string::npos);
  const auto aside = set_aside(path);
  REQUIRE(aside.size() == 1);
  CHECK(read_all(aside[0]) == bytes);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".check-failed"));
}

TEST_CASE("a store that open() must write to, or that failed a check before, is checked in open()",
          "[store][check]") {
  const auto path = fresh_path("check-in-open.sqlite3");
  clear_aside(path);
  long root = 0;
  make_store(path, &root);
  std::string error;
  std::atomic<int> checks_after_open{0};  // the hook runs on the check thread: only count there
  std::string original;
  {
    // A marker from an earlier failed check, over a sound store: checked now, marker removed.
    std::ofstream(path + ".check-failed") << "quick_check: something\n";
    auto s = Store::open(path, &error, Store::OnDamage::set_aside, Store::OpenCheck::after_open,
                         [&] { ++checks_after_open; });
    REQUIRE(s);
    CHECK(s->open_check_state() == Store::CheckState::passed);
    CHECK_FALSE(fs::exists(path + ".check-failed"));
    original = s->incarnation();
  }
  // A store copied elsewhere gets a new incarnation in open() (store.h 7): that is a write.
  const auto copy = fresh_path("check-in-open-copy.sqlite3");
  fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
  auto c = Store::open(copy, &error, Store::OnDamage::set_aside, Store::OpenCheck::after_open,
                       [&] { ++checks_after_open; });
  REQUIRE(c);
  CHECK(c->open_check_state() == Store::CheckState::passed);
  CHECK(c->incarnation() != original);
  CHECK(checks_after_open.load() == 0);
}
