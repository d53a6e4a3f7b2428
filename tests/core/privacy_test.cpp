// Privacy on the kiosk (privacy.h V1-V4): after headquarters' receipt plus the retention period,
// a child's name is gone from the store file's bytes; counts stay.
#include "change_log.h"
#include "people_queries.h"
#include "privacy.h"
#include "test_support.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

using namespace kiosk::core;
using namespace core_test;

namespace {

std::string file_bytes(const std::string& path) {
  std::string all;
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(path + suffix, std::ios::binary);
    all += std::string(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

}  // namespace

TEST_CASE("a purge removes an acknowledged child's names from the file's bytes", "[privacy]") {
  Fixture f("privacy-purge.sqlite3");
  Registry reg(*f.store);
  Registration r = f.registration("ស្រីពៅ", "ចិន្តា");
  r.person.given_name_latin = "Sreypov";
  r.person.family_name_latin = "Chenda";
  r.person.guardian_name = "Guardian Vannaknitha";
  r.person.guardian_phone = "+855 97 555 0199";
  r.consent = Fixture::consent("Guardian Vannaknitha");
  r.person.extra = {{"camp_group", "dolphin"}, {"subject_taught", "Mrs Rathanakvisal's robotics club"}};
  const auto saved = reg.register_participant(r, f.staff_id);
  REQUIRE(saved.ok());
  ParticipantFields edited = r.person;
  edited.given_name_latin = "Sreypove";  // an edit: the audit row must not keep the old name
  REQUIRE(reg.update_participant(saved.id, edited, f.staff_id).ok());
  auto later = reg.register_participant(f.registration("Vibol", "Kanha"), f.staff_id);
  REQUIRE(later.ok());
  ChangeLog log(*f.store);
  // Vibol's consent, record and attendance follow Sreypov's last entry.
  const std::int64_t sreypov_last = log.last_seq().value - 3;
  f.store->checkpoint();
  const std::string before = file_bytes(f.path);
  REQUIRE(before.find("Sreypov") != std::string::npos);
  REQUIRE(before.find("Rathanakvisal") != std::string::npos);
  // Headquarters confirms everything up to Sreypov's last entry, not Vibol's.
  REQUIRE(log.acknowledge(sreypov_last).ok());
  Privacy privacy(*f.store);
  CHECK(privacy.eligible(30).value == 0);  // the receipt is new: retention not over
  f.clock.advance_ms(31LL * 86'400'000);
  CHECK(privacy.eligible(30).value == 1);  // Vibol is not acknowledged: kept
  const auto summary_before = PeopleQueries(*f.store).event_summary(f.event_id);
  const auto done = privacy.redact_acknowledged(30);
  REQUIRE(done.ok());
  CHECK(done.id == "1");
  const std::string after = file_bytes(f.path);
  for (const char* secret : {"Sreypov", "Sreypove", "Chenda", "ស្រីពៅ", "ចិន្តា", "Vannaknitha", "555 0199",
                             "sreypov", "chenda", "Rathanakvisal"})  // a tour field too (V2)
    CHECK(after.find(secret) == std::string::npos);
  CHECK(after.find("Vibol") != std::string::npos);  // not yet acknowledged: still here
  PeopleQueries q(*f.store);
  CHECK(q.search_people("sreypov").empty());
  CHECK(q.search_people("vibol").size() == 1);
  const auto p = q.participant(saved.id);
  REQUIRE(p);
  CHECK(p->birth_year == 2013);
  CHECK(p->extra.empty());
  const auto summary_after = q.event_summary(f.event_id);
  CHECK(summary_after.participants == summary_before.participants);
  CHECK(summary_after.by_gender == summary_before.by_gender);
  // Nothing of this is sent to headquarters, and the audit records that it happened.
  CHECK(log.last_seq().value == sreypov_last + 3);
  CHECK(scalar(f.store->handle(), "SELECT summary FROM audit WHERE entity = 'privacy'") == "{\"redacted\":1}");
  // Running again changes nothing.
  CHECK(privacy.redact_acknowledged(30).id == "0");
  CHECK(scalar(f.store->handle(), "PRAGMA integrity_check") == "ok");
}

TEST_CASE("the store file is created readable by its owner only", "[privacy]") {
  const auto path = fresh_path("privacy-mode.sqlite3");
  std::string error;
  auto s = Store::open(path, &error);
  REQUIRE(s);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("audit rows can only be redacted, never rewritten", "[privacy]") {
  Fixture f("privacy-audit.sqlite3");
  sqlite3* db = f.store->handle();
  CHECK(sqlite3_exec(db, "UPDATE audit SET summary = '{\"x\":1}'", nullptr, nullptr, nullptr) != SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE audit SET action = 'x', summary = '{\"redacted\":true}'", nullptr,
                     nullptr, nullptr) != SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE audit SET summary = '{\"redacted\":true}'", nullptr, nullptr,
                     nullptr) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, nullptr) != SQLITE_OK);
}
