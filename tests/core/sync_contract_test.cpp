// The change log as a sync contract (change_log.h C1-C3, store.h invariant 7): payload format,
// incarnations of copied stores, and reads that report errors instead of short answers.
#include "change_log.h"
#include "test_support.h"

#include <filesystem>

using namespace kiosk::core;
using namespace core_test;

TEST_CASE("every entry carries its payload format and its incarnation", "[sync_contract]") {
  Fixture f("contract-format.sqlite3");
  ChangeLog log(*f.store);
  REQUIRE(Registry(*f.store).register_participant(f.registration("Dara", "Sok"), f.staff_id).ok());
  const auto all = log.range(1, log.last_seq().value);
  REQUIRE(all.ok());
  REQUIRE(all.value.size() == 5);  // staff, event, Dara's consent, record and attendance
  for (const auto& e : all.value) {
    CHECK(e.format == kPayloadFormat);
    CHECK(e.incarnation == f.store->incarnation());
  }
  CHECK(f.store->incarnation().size() == 36);
}

TEST_CASE("reopening the same file keeps its incarnation", "[sync_contract]") {
  const auto path = fresh_path("contract-reopen.sqlite3");
  std::string error, first;
  {
    auto s = Store::open(path, &error);
    REQUIRE(s);
    first = s->incarnation();
  }
  auto s = Store::open(path, &error);
  REQUIRE(s);
  CHECK(s->incarnation() == first);
  CHECK(ChangeLog(*s).incarnations().value.size() == 1);
}

TEST_CASE("a copied store starts a new incarnation after the original's last seq",
          "[sync_contract]") {
  std::string original_path, copy_path, original_inc;
  std::int64_t last = 0;
  {
    Fixture f("contract-original.sqlite3");
    REQUIRE(Registry(*f.store).register_participant(f.registration("Dara", "Sok"), f.staff_id).ok());
    original_path = f.path;
    original_inc = f.store->incarnation();
    last = ChangeLog(*f.store).last_seq().value;
    REQUIRE(last == 5);
  }
  copy_path = fresh_path("contract-copy.sqlite3");
  std::filesystem::copy_file(original_path, copy_path);  // as a restore from a backup does
  std::string error;
  auto copy = Store::open(copy_path, &error);
  REQUIRE(copy);
  CHECK(copy->device_id().size() == 36);
  CHECK(copy->incarnation() != original_inc);
  const auto incs = ChangeLog(*copy).incarnations();
  REQUIRE(incs.ok());
  REQUIRE(incs.value.size() == 2);
  CHECK(incs.value[0].id == original_inc);
  CHECK(incs.value[1].base_seq == last + 1);
  CHECK(incs.value[1].reason == "copied");
  // New entries on the copy belong to the new incarnation; old ones keep the original's.
  FakeClock clock;
  copy->set_clock(clock.clock());
  const auto staff = scalar(copy->handle(), "SELECT id FROM staff LIMIT 1");
  Registration r;
  r.person.given_name_latin = "Bopha";
  r.person.family_name_latin = "Chan";
  r.person.birth_year = 2012;
  r.event_id = scalar(copy->handle(), "SELECT id FROM event LIMIT 1");
  r.activity = "exhibition_visit";
  r.consent = Fixture::consent("Chan Guardian");
  REQUIRE(Registry(*copy).register_participant(r, staff).ok());
  const auto entries = ChangeLog(*copy).range(1, ChangeLog(*copy).last_seq().value);
  REQUIRE(entries.ok());
  for (const auto& e : entries.value)
    CHECK(e.incarnation == (e.seq <= last ? original_inc : copy->incarnation()));
  // The original, reopened in place, still runs its own incarnation.
  auto original = Store::open(original_path, &error);
  REQUIRE(original);
  CHECK(original->incarnation() == original_inc);
}

TEST_CASE("a copy made before any entry of its incarnation never shares it", "[sync_contract]") {
  const auto a = fresh_path("contract-empty-a.sqlite3");
  std::string error, inc_a;
  {
    auto s = Store::open(a, &error);
    REQUIRE(s);
    inc_a = s->incarnation();
  }
  const auto b = fresh_path("contract-empty-b.sqlite3");
  std::filesystem::copy_file(a, b);
  auto copy = Store::open(b, &error);
  REQUIRE(copy);
  CHECK(copy->incarnation() != inc_a);
  const auto incs = ChangeLog(*copy).incarnations();
  REQUIRE(incs.ok());
  REQUIRE(incs.value.size() == 1);  // the unused one was dropped, not reused
  CHECK(incs.value[0].base_seq == 1);
}

TEST_CASE("change-log reads report a failing store instead of 0 or a short list",
          "[sync_contract]") {
  Fixture f("contract-readerr.sqlite3");
  ChangeLog log(*f.store);
  REQUIRE(log.last_seq().ok());
  CHECK_FALSE(log.range(1, 99).ok());  // beyond last_seq: an error, not 2 entries
  CHECK(log.range(1, 99).detail.find("seq 3") != std::string::npos);
  CHECK_FALSE(log.range(0, 1).ok());
  CHECK_FALSE(log.range(2, 1).ok());
  // The tables behind the reads disappear (a damaged file): every read says so.
  REQUIRE(sqlite3_exec(f.store->handle(),
                       "DROP TRIGGER change_log_keep_unacked; ALTER TABLE change_log RENAME TO gone;"
                       " ALTER TABLE sync_state RENAME TO gone2;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK_FALSE(log.last_seq().ok());
  CHECK_FALSE(log.acked_seq().ok());
  CHECK_FALSE(log.pending_count().ok());
  CHECK_FALSE(log.range(1, 1).ok());
  CHECK_FALSE(log.acknowledge(1).ok());
}
