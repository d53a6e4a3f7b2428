// tests/core/test_support.h — fixtures shared by the kiosk_core suites.
#pragma once

#include "consent.h"
#include "registry.h"
#include "staff.h"
#include "store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace core_test {

namespace fs = std::filesystem;

// One folder per test process, PREFIX<pid> in the temporary folder: two suites running at once
// (ctest -j, a second checkout's CI) must never open each other's stores. It is removed when the
// process that made it exits normally (ctest runs every test case as a process of its own:
// thousands of folders otherwise); a forked child that exits never removes its parent's.
class ProcessDir {
 public:
  explicit ProcessDir(const std::string& prefix)
      : m_owner(::getpid()), m_dir(fs::temp_directory_path() / (prefix + std::to_string(m_owner))) {
    fs::create_directories(m_dir);
  }
  ~ProcessDir() {
    std::error_code ec;
    if (::getpid() == m_owner) fs::remove_all(m_dir, ec);
  }
  ProcessDir(const ProcessDir&) = delete;
  ProcessDir& operator=(const ProcessDir&) = delete;
  const fs::path& path() const { return m_dir; }

 private:
  pid_t m_owner;
  fs::path m_dir;
};

inline std::string fresh_path(const std::string& name) {
  static const ProcessDir dir("kiosk-core-test-");
  fs::create_directories(dir.path());  // a test may have removed it
  fs::path p = dir.path() / name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + suffix);
  return p.string();
}

inline std::string scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

inline long count(sqlite3* db, const std::string& table) {
  return std::stol(scalar(db, "SELECT count(*) FROM " + table));
}

// A controllable wall clock, starting at 2026-11-29T10:00:00Z, and boot clock (store.h BootTime),
// starting at one hour after boot "boot-1". advance_ms() moves both, as real time does;
// set_wall_ms() moves the wall clock alone (a technician, a dead battery); reboot() starts a
// new boot.
struct FakeClock {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1'795'946'400'000);
  std::shared_ptr<kiosk::core::BootTime> boot =
      std::make_shared<kiosk::core::BootTime>(kiosk::core::BootTime{"boot-1", 3'600'000});
  kiosk::core::Clock clock() const {
    auto n = now;
    return [n] { return *n; };
  }
  kiosk::core::BootClock boot_clock() const {
    auto b = boot;
    return [b] { return *b; };
  }
  // Both clocks of a store (call again after reopening it).
  void attach(kiosk::core::Store& store) const {
    store.set_clock(clock());
    store.set_boot_clock(boot_clock());
  }
  void advance_ms(std::int64_t ms) const {
    *now += ms;
    boot->ms += ms;
  }
  void set_wall_ms(std::int64_t wall) const { *now = wall; }
  void reboot(const std::string& id, std::int64_t ms_since_boot = 20'000) const {
    *boot = {id, ms_since_boot};
  }
};

// A store with one supervisor (PIN 2468) and one event with two activities.
struct Fixture {
  static constexpr const char* kEventStart = "2026-11-28";  // the event's first day
  std::string path;
  std::unique_ptr<kiosk::core::Store> store;
  FakeClock clock;
  std::string staff_id, event_id;

  explicit Fixture(const std::string& name) : path(fresh_path(name)) {
    std::string error;
    store = kiosk::core::Store::open(path, &error);
    REQUIRE(store);
    clock.attach(*store);
    kiosk::core::StaffDirectory staff(*store);
    auto s = staff.add_staff("Sophea Supervisor", "2468", "supervisor", "");
    REQUIRE(s.ok());
    staff_id = s.id;
    kiosk::core::Registry reg(*store);
    kiosk::core::EventInfo e;
    e.name = "Science on Wheels — Phnom Penh";
    e.venue = "Institute of Technology";
    e.city = "Phnom Penh";
    e.country = "KH";
    e.start_date = kEventStart;
    e.end_date = "2026-12-02";
    e.activity_types = {"exhibition_visit", "science_camp"};
    auto ev = reg.create_event(e, staff_id);
    REQUIRE(ev.ok());
    event_id = ev.id;
  }

  // A consent as the registration screen records it: the text shown in the language chosen.
  static kiosk::core::ConsentInput consent(const std::string& guardian,
                                           const std::string& lang = "km") {
    return {"2026-1", lang, guardian, {'S', 'G', 1, 0}, lang,
            "Consent text shown in '" + lang + "' (test fixture)"};
  }

  // A person at the fixture's event; a minor there (consent.h K1) comes with a guardian's consent.
  kiosk::core::Registration registration(const std::string& given, const std::string& family,
                                         int year = 2013) const {
    kiosk::core::Registration r;
    r.person.given_name = given;
    r.person.family_name = family;
    r.person.given_name_latin = given;
    r.person.family_name_latin = family;
    r.person.birth_year = year;
    r.person.gender = "female";
    r.person.guardian_name = "Guardian " + family;
    r.person.guardian_phone = "+855 12 345 678";
    r.event_id = event_id;
    r.activity = "exhibition_visit";
    if (kiosk::core::needs_guardian_consent(r.person, kEventStart))
      r.consent = consent(r.person.guardian_name);
    return r;
  }
};

// Every device's change_log is 1..n without gaps.
inline bool change_log_contiguous(sqlite3* db) {
  return scalar(db,
                "SELECT count(*) = coalesce(max(seq), 0) AND coalesce(min(seq), 1) = 1"
                " FROM change_log") == "1";
}

// The seed of a randomized test: $env_var when it is set (to replay a logged run), else a fresh
// random one. Printed on stdout either way, so every log holds what it takes to replay the run.
inline std::uint32_t test_seed(const char* env_var, const char* test_name) {
  const char* env = std::getenv(env_var);
  const std::uint32_t seed = env && *env ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10))
                                         : std::random_device{}();
  std::printf("%s: seed %u (replay: %s=%u)\n", test_name, seed, env_var, seed);
  std::fflush(stdout);
  return seed;
}

// A name of letters only that differs for every i (names are checked; digits may not pass).
inline std::string letters_name(const std::string& prefix, long i) {
  std::string out = prefix;
  do {
    out += static_cast<char>('a' + i % 26);
    i /= 26;
  } while (i > 0);
  return out;
}

// What a durability test checks of an open store after a crash or a power cut: SQLite's
// quick_check, a contiguous change log, and every acknowledged registration stored whole (the
// participant with its attendance and consent rows: the tests register minors, who all have one).
struct StoreHealth {
  std::vector<std::string> problems;  // quick_check's findings, or the code it failed with
  bool change_log_ok = false;
  std::vector<std::string> missing;   // acknowledged participant ids not stored whole
  long stored = 0;                    // participants in the store
  bool intact() const { return problems.empty() && change_log_ok; }
};

inline StoreHealth check_store(kiosk::core::Store& store, const std::set<std::string>& acknowledged) {
  StoreHealth h;
  sqlite3* db = store.handle();
  const int rc = store.quick_check(&h.problems);
  if (rc != SQLITE_OK) h.problems.push_back(std::string("quick_check failed: ") + sqlite3_errstr(rc));
  h.change_log_ok = change_log_contiguous(db);
  std::set<std::string> whole;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT p.id FROM participant p JOIN attendance a ON a.participant_id = p.id"
                     " JOIN consent c ON c.id = p.consent_id",
                     -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    whole.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const auto& id : acknowledged)
    if (!whole.count(id)) h.missing.push_back(id);
  h.stored = count(db, "participant");
  return h;
}

// A store fit for work after a failure: at the latest schema and passing quick_check.
inline void check_sound(kiosk::core::Store& store) {
  CHECK(store.schema_version() == kiosk::core::Store::latest_schema_version());
  std::vector<std::string> problems;
  CHECK(store.quick_check(&problems) == SQLITE_OK);
  INFO("quick_check: " << (problems.empty() ? "ok" : problems.front()));
  CHECK(problems.empty());
}

}  // namespace core_test
