// core/health.h: the store's part of the report, the problems staff must act on (H2), the JSON
// (H3: no personal data) and the integrity check on its own thread (H1).
#include "health.h"
#include "sync_identity.h"
#include "test_support.h"

#include <chrono>
#include <thread>

using namespace kiosk::core;
using namespace core_test;

namespace {
std::string wait_for_integrity(IntegrityJob& job) {
  for (int i = 0; i < 500 && job.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return job.result();
}
}  // namespace

TEST_CASE("health reads the store: size, people not yet sent, the PIN pad", "[health]") {
  Fixture f("health-store.sqlite3");
  Registry reg(*f.store);
  REQUIRE(reg.register_participant(f.registration("Chantha", "Dara"), f.staff_id).ok());
  REQUIRE(reg.register_participant(f.registration("Bopha", "Sok"), f.staff_id).ok());
  Health h;
  std::string error;
  REQUIRE(read_store_health(*f.store, f.path, &h, &error));
  CHECK(h.store_bytes > 0);
  CHECK(h.open_check_ms >= 0);
  CHECK(h.people_pending == 2);
  CHECK(h.any_people_pending);
  // H4: the staff home's quick read knows that someone waits, without counting.
  Health quick;
  REQUIRE(read_store_health(*f.store, f.path, &quick, &error, PendingCount::any));
  CHECK(quick.people_pending == -1);
  CHECK(quick.any_people_pending);
  Health empty;
  Fixture g("health-store-empty.sqlite3");
  REQUIRE(read_store_health(*g.store, g.path, &empty, &error, PendingCount::any));
  CHECK_FALSE(empty.any_people_pending);
  CHECK_FALSE(h.enrolled);
  CHECK(h.last_receipt_at.empty());
  CHECK(h.pin_pad.remaining_ms == 0);
  h.version = "0.1.0";
  const std::string json = health_json(h, f.store->now_iso());
  CHECK(json.find("\"people_pending\":2") != std::string::npos);
  CHECK(json.find("\"ok\":true") != std::string::npos);
  // H3: counts and sizes only, never a name.
  CHECK(json.find("Chantha") == std::string::npos);
  CHECK(json.find("Bopha") == std::string::npos);
  CHECK(json.find("Sophea") == std::string::npos);
}

TEST_CASE("the problems staff must act on, worst first (H2)", "[health]") {
  Health h;
  const std::string now = "2026-12-04T10:00:00.000Z";
  CHECK(health_problems(h, now).empty());
  h.disk_free_bytes = kLowDiskBytes - 1;
  CHECK(health_problems(h, now) == std::vector<std::string>{"health.problem.disk_low"});
  h.disk_free_bytes = kLowDiskBytes;
  CHECK(health_problems(h, now).empty());
  h.pack_fell_back = true;
  h.integrity = "row 3 missing from index i";
  CHECK(health_problems(h, now) ==
        std::vector<std::string>{"health.problem.store_damaged", "health.problem.pack_refused"});
  h.pack_fell_back = false;
  h.integrity = "running";
  CHECK(health_problems(h, now).empty());
  // People unsent for more than kUnsentWarnDays since the last receipt.
  h.any_people_pending = true;  // what the staff home reads (H4): no exact count needed
  h.last_receipt_at = "2026-11-20T09:00:00.000Z";  // 14 days: not yet
  CHECK(health_problems(h, now).empty());
  h.last_receipt_at = "2026-11-19T09:00:00.000Z";  // 15 days
  CHECK(health_problems(h, now) == std::vector<std::string>{"health.problem.unsent_long"});
  h.any_people_pending = false;  // nothing waiting: nothing to warn about
  CHECK(health_problems(h, now).empty());
  h.any_people_pending = true;
  const std::string json = health_json(h, now);
  CHECK(json.find("\"ok\":false") != std::string::npos);
  CHECK(json.find("\"problems\":[\"health.problem.unsent_long\"]") != std::string::npos);
}

TEST_CASE("the open check after start: checking, then damaged or nothing (H2, store.h 9)", "[health]") {
  Health h;
  const std::string now = "2026-12-04T10:00:00.000Z";
  h.open_check = "checking";
  h.disk_free_bytes = kLowDiskBytes - 1;
  CHECK(health_problems(h, now) ==
        std::vector<std::string>{"health.problem.store_checking", "health.problem.disk_low"});
  CHECK(health_json(h, now).find("\"open_check\":\"checking\"") != std::string::npos);
  h.open_check = "quick_check: Page 7: btreeInitPage() returns error code 11";
  CHECK(health_problems(h, now) ==
        std::vector<std::string>{"health.problem.store_damaged", "health.problem.disk_low"});
  h.open_check = "ok";
  CHECK(health_problems(h, now) == std::vector<std::string>{"health.problem.disk_low"});
}

TEST_CASE("the full integrity check runs on its own thread and finds what quick_check cannot",
          "[health]") {
  Fixture f("health-integrity.sqlite3");
  IntegrityJob job;
  CHECK(job.result() == "not_run");
  job.start(f.path);
  CHECK(wait_for_integrity(job) == "ok");

  // An index whose content no longer matches its table: quick_check (run by every open) does
  // not compare index content, integrity_check does.
  sqlite3* db = f.store->handle();
  REQUIRE(sqlite3_exec(db,
                       "CREATE TABLE scratch(a INTEGER, b INTEGER); CREATE INDEX scratch_i ON scratch(a);"
                       "INSERT INTO scratch VALUES (1, 10), (2, 20), (3, 30);"
                       "PRAGMA writable_schema = ON;"
                       "UPDATE sqlite_schema SET sql = 'CREATE INDEX scratch_i ON scratch(b)' WHERE name = 'scratch_i';"
                       "PRAGMA writable_schema = OFF;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  f.store.reset();
  std::string error;
  f.store = Store::open(f.path, &error);  // quick_check passes: the store opens
  REQUIRE(f.store);
  job.start(f.path);
  const std::string verdict = wait_for_integrity(job);
  CHECK(verdict != "ok");
  CHECK(verdict != "running");
  CHECK(verdict.find("scratch_i") != std::string::npos);
  Health h;
  h.integrity = verdict;
  CHECK(health_problems(h, f.store->now_iso()).front() == "health.problem.store_damaged");
}
