// Registrations, edits, voids, attendance, duplicates, search, summary, imports, failures.
#include "change_log.h"
#include "people_queries.h"
#include "signature.h"
#include "test_support.h"
#include "unicode/unicode.h"

#include <fstream>

using namespace kiosk::core;
using namespace core_test;

namespace {
struct Counts {
  long participant, attendance, consent, audit, change_log;
  bool operator==(const Counts&) const = default;
};
Counts counts(sqlite3* db) {
  return {count(db, "participant"), count(db, "attendance"), count(db, "consent"),
          count(db, "audit"), count(db, "change_log")};
}
std::string write_file(const std::string& name, const std::string& text) {
  const auto path = fresh_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}
}  // namespace

TEST_CASE("a registration is one transaction with audit and change log", "[registry]") {
  Fixture f("register.sqlite3");
  Registry reg(*f.store);
  const Counts before = counts(f.store->handle());
  Registration r = f.registration("ដារ៉ា", "សុខ");
  r.person.given_name_latin = "Dara";
  r.person.family_name_latin = "Sok";
  r.person.birth_date = "2013-05-17";
  r.person.interests = {"astronomy", "robotics"};
  r.consent = ConsentInput{"2026-1", "km", "Sok Vanna",
                           encode_signature({{{10, 10}, {12, 14}, {20, 30}}, {{5, 5}}}), "km",
                           "ខ្ញុំយល់ព្រម"};
  auto saved = reg.register_participant(r, f.staff_id);
  REQUIRE(saved.ok());
  const Counts after = counts(f.store->handle());
  CHECK(after.participant == before.participant + 1);
  CHECK(after.attendance == before.attendance + 1);
  CHECK(after.consent == before.consent + 1);
  CHECK(after.audit == before.audit + 3);
  CHECK(after.change_log == before.change_log + 3);
  PeopleQueries q(*f.store);
  auto p = q.participant(saved.id);
  REQUIRE(p);
  CHECK(p->given_name == "ដារ៉ា");
  CHECK(p->birth_year == 2013);  // derived from the date
  CHECK(p->interests == std::vector<std::string>{"astronomy", "robotics"});
  CHECK(p->created_by == f.staff_id);
  CHECK(p->created_device == f.store->device_id());
  CHECK(p->created_at == "2026-11-29T10:00:00.000Z");
  REQUIRE(p->consent_id);
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(f.store->handle(), "SELECT signature FROM consent WHERE id = ?", -1, &st,
                       nullptr);
    sqlite3_bind_text(st, 1, p->consent_id->c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const auto* b = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
    std::vector<std::uint8_t> blob(b, b + sqlite3_column_bytes(st, 0));
    sqlite3_finalize(st);
    auto strokes = decode_signature(blob);
    REQUIRE(strokes);
    CHECK(strokes->size() == 2);
    CHECK((*strokes)[0][2] == StrokePoint{20, 30});
  }
  CHECK(q.attendance_of(saved.id).size() == 1);
}

TEST_CASE("a registration that fails half-way leaves nothing", "[registry]") {
  Fixture f("register-fails.sqlite3");
  Registry reg(*f.store);
  const Counts before = counts(f.store->handle());
  Registration r = f.registration("Dara", "Sok");
  r.consent = ConsentInput{"2026-1", "km", "Sok Vanna", {}, "km", "ខ្ញុំយល់ព្រម"};
  SECTION("unknown organization (after consent and person were inserted)") {
    r.person.organization_id = "no-such-school";
    auto res = reg.register_participant(r, f.staff_id);
    CHECK(res.error == StoreError::not_found);
  }
  SECTION("activity not offered at the event") {
    r.activity = "teacher_training";
    CHECK(reg.register_participant(r, f.staff_id).error == StoreError::invalid);
  }
  SECTION("unknown event") {
    r.event_id = new_uuid();
    CHECK(reg.register_participant(r, f.staff_id).error == StoreError::not_found);
  }
  SECTION("bad gender word") {
    r.person.gender = "F";
    CHECK(reg.register_participant(r, f.staff_id).error == StoreError::invalid);
  }
  CHECK(counts(f.store->handle()) == before);
  CHECK(change_log_contiguous(f.store->handle()));
}

TEST_CASE("SQL metacharacters and every script are stored verbatim", "[registry]") {
  Fixture f("verbatim.sqlite3");
  Registry reg(*f.store);
  Registration r = f.registration("Robert'); DROP TABLE participant;--", "O'Brien \"Bobby\" %_\\");
  r.person.given_name_latin = r.person.given_name;
  r.person.family_name_latin = r.person.family_name;
  r.person.grade = "7'; --";
  auto saved = reg.register_participant(r, f.staff_id);
  REQUIRE(saved.ok());
  PeopleQueries q(*f.store);
  auto p = q.participant(saved.id);
  REQUIRE(p);
  CHECK(p->given_name == "Robert'); DROP TABLE participant;--");
  CHECK(p->family_name == "O'Brien \"Bobby\" %_\\");
  CHECK(p->grade == "7'; --");
  CHECK(q.search_people("O'Brien").size() == 1);
  CHECK(q.search_people("%").empty());  // no LIKE wildcards leak into search
  for (const std::string name : {"مريم", "မောင်မောင်", "សុខា", "张伟", "Thandiwe"}) {
    auto s = reg.register_participant(f.registration(name, name), f.staff_id);
    REQUIRE(s.ok());
    CHECK(q.participant(s.id)->given_name == name);
  }
}

TEST_CASE("edits and voids keep their history", "[registry]") {
  Fixture f("edit-void.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  ChangeLog log(*f.store);
  auto saved = reg.register_participant(f.registration("Dara", "Sok"), f.staff_id);
  REQUIRE(saved.ok());
  f.clock.advance_ms(60'000);
  ParticipantFields changed = q.participant(saved.id).value();
  changed.family_name_latin = "Sokh";
  changed.grade = "8";
  REQUIRE(reg.update_participant(saved.id, changed, f.staff_id).ok());
  auto p = q.participant(saved.id).value();
  CHECK(p.family_name_latin == "Sokh");
  CHECK(p.updated_at == "2026-11-29T10:01:00.000Z");
  CHECK(p.created_at == "2026-11-29T10:00:00.000Z");
  CHECK(q.search_people("sokh").size() == 1);

  CHECK(reg.void_participant(saved.id, "   ", f.staff_id).error == StoreError::invalid);
  REQUIRE(reg.void_participant(saved.id, "duplicate of another record", f.staff_id).ok());
  CHECK(q.participant(saved.id)->voided);  // still there: nothing is hard-deleted
  CHECK(q.participant(saved.id)->void_reason == "duplicate of another record");
  CHECK(q.search_people("sokh").empty());
  CHECK(reg.update_participant(saved.id, changed, f.staff_id).error == StoreError::invalid);
  CHECK(reg.add_attendance(saved.id, f.event_id, "science_camp", f.staff_id).error ==
        StoreError::not_found);

  const auto history = log.history(saved.id).value;
  REQUIRE(history.size() == 3);
  CHECK(history[0].action == "insert");
  CHECK(history[1].action == "update");
  CHECK(history[1].summary == R"({"changed":["family_name_latin","grade"]})");  // never values
  CHECK(history[2].action == "void");
  CHECK(history[2].summary.find("duplicate of another record") != std::string::npos);
  for (const auto& h : history) {
    CHECK(h.staff_id == f.staff_id);
    CHECK(h.device_id == f.store->device_id());
  }
}

TEST_CASE("duplicates are found by name key, birth year and organization", "[registry]") {
  Fixture f("duplicates.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  Organization school;
  school.name = "វិទ្យាល័យ ព្រះស៊ីសុវត្ថិ";
  school.name_latin = "Preah Sisowath High School";
  auto org = reg.add_local_organization(school, f.staff_id);
  REQUIRE(org.ok());
  Registration r = f.registration("Émile", "Dupont", 2012);
  r.person.organization_id = org.id;
  auto first = reg.register_participant(r, f.staff_id);
  REQUIRE(first.ok());

  ParticipantFields typed;
  typed.given_name_latin = "DUPONT";  // swapped order, other case, no accent
  typed.family_name_latin = "emile";
  typed.birth_year = 2012;
  CHECK(q.find_duplicates(typed).size() == 1);
  typed.organization_id = org.id;
  CHECK(q.find_duplicates(typed).size() == 1);
  typed.birth_date = "2012-03-04";  // a full date uses its year
  CHECK(q.find_duplicates(typed).size() == 1);
  typed.birth_date.reset();
  typed.birth_year = 2011;
  CHECK(q.find_duplicates(typed).empty());
  typed.birth_year = 2012;
  Organization other;
  other.name = "Other school";
  auto org2 = reg.add_local_organization(other, f.staff_id);
  typed.organization_id = org2.id;
  CHECK(q.find_duplicates(typed).empty());

  // "Same person": attendance at another activity, idempotent.
  auto a1 = reg.add_attendance(first.id, f.event_id, "science_camp", f.staff_id);
  REQUIRE(a1.ok());
  const long logged = count(f.store->handle(), "change_log");
  auto a2 = reg.add_attendance(first.id, f.event_id, "science_camp", f.staff_id);
  CHECK(a2.id == a1.id);
  CHECK(count(f.store->handle(), "change_log") == logged);
  CHECK(q.attendance_of(first.id).size() == 2);
}

TEST_CASE("search-as-you-type folds case and Latin diacritics, keeps native script", "[registry]") {
  Fixture f("search.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  REQUIRE(reg.register_participant(f.registration("Nguyễn", "Thị Ánh"), f.staff_id).ok());
  REQUIRE(reg.register_participant(f.registration("សុខា", "ចាន់"), f.staff_id).ok());
  REQUIRE(reg.register_participant(f.registration("أحمد", "مُحَمَّد"), f.staff_id).ok());
  REQUIRE(reg.register_participant(f.registration("Anh", "Tran"), f.staff_id).ok());
  REQUIRE(reg.register_participant(f.registration("ស្រីមុំ", "ហេង"), f.staff_id).ok());
  // 1-2 characters: names that start with them (a preview); 3+: anywhere in a name.
  CHECK(q.search_people("n").size() == 1);
  CHECK(q.search_people("a").size() == 2);
  CHECK(q.search_people("a")[0].family_name == "Thị Ánh");  // sorted by name
  CHECK(q.search_people("ng").size() == 1);
  CHECK(q.search_people("ra").empty());
  CHECK(q.search_people("ran").size() == 1);
  CHECK(q.search_people("NGUYEN").size() == 1);
  CHECK(q.search_people("anh").size() == 2);
  CHECK(q.search_people("guy").size() == 1);  // inside a word
  CHECK(q.search_people("anh nguy").size() == 1);
  CHECK(q.search_people("សុ").size() == 1);
  CHECK(q.search_people("មុំ").size() == 1);  // inside a word: Khmer has no spaces
  CHECK(q.search_people("محمد").size() == 1);  // harakat ignored
  CHECK(q.search_people("   ").empty());
  CHECK(q.search_people("zzz").empty());
}

TEST_CASE("the headquarters organization CSV imports all-or-nothing with line numbers",
          "[registry]") {
  Fixture f("csv-import.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  const auto good = write_file("orgs.csv",
                               "\xEF\xBB\xBFid,name,name_latin,kind,country,city\r\n"
                               "hq-1,\"សាលា, ថ្មី\",\"New \"\"Star\"\" School\",school,KH,Phnom Penh\r\n"
                               "hq-2,Cairo Science Club,,society,EG,Cairo\r\n"
                               "hq-3,\"Science, Tech & Maths\",,ngo,ZA,Durban\r\n");
  auto report = reg.import_organizations_csv(good, f.staff_id);
  INFO(report.errors.size());
  REQUIRE(report.ok());
  CHECK(report.inserted == 3);
  CHECK(reg.organization("hq-1")->name == "សាលា, ថ្មី");
  CHECK(reg.organization("hq-1")->name_latin == "New \"Star\" School");
  CHECK(reg.organization("hq-1")->origin == "headquarters");
  CHECK(q.search_organizations("star").size() == 1);
  CHECK(q.search_organizations("cairo sci").size() == 1);
  auto again = reg.import_organizations_csv(good, f.staff_id);
  CHECK(again.updated == 3);
  CHECK(again.inserted == 0);

  const auto bad = write_file("orgs-bad.csv",
                              "id,name,name_latin,kind,country,city\n"
                              "hq-9,Fine School,,school,KH,Siem Reap\n"
                              "hq-10,Bad kind,,castle,KH,\n"
                              "hq-11,Bad country,,school,Cambodia,\n"
                              "hq-12,\"Multi\nline\",,school,KH\n"
                              "hq-13,Stray \"quote,,school,KH,\n"
                              "hq-9,Twice,,school,KH,\n");
  auto r2 = reg.import_organizations_csv(bad, f.staff_id);
  CHECK_FALSE(r2.ok());
  REQUIRE(r2.errors.size() == 5);
  CHECK(r2.errors[0] == "orgs-bad.csv:7: a quote inside an unquoted field (quote the whole field)");
  CHECK(r2.errors[1].rfind("orgs-bad.csv:3: kind 'castle'", 0) == 0);
  CHECK(r2.errors[2].rfind("orgs-bad.csv:4: country", 0) == 0);
  CHECK(r2.errors[3] == "orgs-bad.csv:5: expected 6 fields, found 5");
  CHECK(r2.errors[4] == "orgs-bad.csv:8: id 'hq-9' appears twice");
  CHECK_FALSE(reg.organization("hq-9"));  // nothing imported

  auto r3 = reg.import_organizations_csv(write_file("orgs-open.csv",
                                                    "id,name,name_latin,kind,country,city\n"
                                                    "hq-20,\"never closed,,school,KH,\n"),
                                         f.staff_id);
  REQUIRE(r3.errors.size() == 1);
  CHECK(r3.errors[0] == "orgs-open.csv:2: a quoted field is never closed");
}

TEST_CASE("the per-event summary counts people and what is not yet sent", "[registry]") {
  Fixture f("summary.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  ChangeLog log(*f.store);
  Organization school;
  school.name = "Cairo Science Club";
  school.kind = "society";
  auto org = reg.add_local_organization(school, f.staff_id);
  Registration a = f.registration("Amina", "Hassan", 2016);  // 9 or 10 on 2026-11-28: youngest 9
  a.person.organization_id = org.id;
  auto ra = reg.register_participant(a, f.staff_id);
  REQUIRE(ra.ok());
  REQUIRE(log.acknowledge(log.last_seq().value).ok());  // Amina reached headquarters
  Registration b = f.registration("Omar", "Said", 2010);
  b.person.gender = "male";
  b.person.birth_date = "2010-12-01";  // 15 on the event's first day
  REQUIRE(reg.register_participant(b, f.staff_id).ok());
  Registration c = f.registration("Mr", "Teacher", 1980);
  c.person.role = "teacher";
  c.person.gender = "male";
  auto rc = reg.register_participant(c, f.staff_id);
  REQUIRE(rc.ok());
  REQUIRE(reg.add_attendance(rc.id, f.event_id, "science_camp", f.staff_id).ok());
  Registration d = f.registration("Voided", "Person");
  auto rd = reg.register_participant(d, f.staff_id);
  REQUIRE(reg.void_participant(rd.id, "test entry", f.staff_id).ok());
  REQUIRE(reg.add_attendance(ra.id, f.event_id, "science_camp", f.staff_id).ok());  // unsent

  const EventSummary s = q.event_summary(f.event_id);
  CHECK(s.participants == 3);
  CHECK(s.by_gender.at("female") == 1);
  CHECK(s.by_gender.at("male") == 2);
  CHECK(s.by_role.at("student") == 2);
  CHECK(s.by_role.at("teacher") == 1);
  CHECK(s.by_age_band.at("under_10") == 1);
  CHECK(s.by_age_band.at("13_15") == 1);
  CHECK(s.by_age_band.at("18_plus") == 1);
  CHECK(s.by_organization.at("Cairo Science Club") == 1);
  CHECK(s.by_organization.at("") == 2);
  CHECK(s.not_yet_sent == 3);  // Amina's new attendance is unsent too
  CHECK(q.participants_at(f.event_id).size() == 3);
}

TEST_CASE("a full disk leaves nothing half-saved", "[registry][fault]") {
  Fixture f("disk-full.sqlite3");
  Registry reg(*f.store);
  sqlite3* db = f.store->handle();
  // Fill the database up to a tiny page limit.
  const std::string pages = scalar(db, "PRAGMA page_count");
  sqlite3_exec(db, ("PRAGMA max_page_count = " + std::to_string(std::stoi(pages) + 3)).c_str(),
               nullptr, nullptr, nullptr);
  SaveResult last;
  int saved = 0;
  for (int i = 0; i < 500; ++i) {
    const Counts before = counts(db);
    Registration r = f.registration("Name" + std::to_string(i), std::string(150, 'x'));
    r.consent = ConsentInput{"2026-1", "en", "G", std::vector<std::uint8_t>(2000, 7), "en", "I agree"};
    last = reg.register_participant(r, f.staff_id);
    if (!last.ok()) {
      CHECK(counts(db) == before);
      break;
    }
    ++saved;
  }
  REQUIRE_FALSE(last.ok());
  CHECK(last.error == StoreError::disk_full);
  CHECK(std::string(store_error_key(last.error)) == "store.error.disk_full");
  CHECK(count(db, "participant") == saved);
  CHECK(change_log_contiguous(db));
  CHECK(scalar(db, "PRAGMA integrity_check") == "ok");
  // Room again: saving works and numbering continues without a gap.
  sqlite3_exec(db, "PRAGMA max_page_count = 1000000", nullptr, nullptr, nullptr);
  REQUIRE(reg.register_participant(f.registration("After", "Cleanup"), f.staff_id).ok());
  CHECK(change_log_contiguous(db));
}

TEST_CASE("a read-only database refuses writes cleanly", "[registry][fault]") {
  std::string path;
  std::string staff_id, event_id;
  long people = 0;
  {
    Fixture f("read-only.sqlite3");
    path = f.path;
    staff_id = f.staff_id;
    event_id = f.event_id;
    Registry reg(*f.store);
    REQUIRE(reg.register_participant(f.registration("Dara", "Sok"), f.staff_id).ok());
    people = count(f.store->handle(), "participant");
  }
  std::string error;
  auto ro = Store::open("file:" + path + "?mode=ro", &error);
  REQUIRE(ro);
  Registry reg(*ro);
  Registration r;
  r.person.given_name_latin = "Bopha";
  r.person.birth_year = 2012;
  r.event_id = event_id;
  r.activity = "exhibition_visit";
  r.consent = Fixture::consent("Guardian");  // a valid registration: only the disk refuses it
  auto res = reg.register_participant(r, staff_id);
  CHECK(res.error == StoreError::read_only);
  CHECK(std::string(store_error_key(res.error)) == "store.error.read_only");
  CHECK(count(ro->handle(), "participant") == people);
  CHECK(ChangeLog(*ro).last_seq().value == 5);  // staff, event, Dara's consent, record, attendance
}

TEST_CASE("a tour's own fields are stored, logged for sync and edited with the record",
          "[registry]") {
  Fixture f("register-extra.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  ChangeLog log(*f.store);
  sqlite3* db = f.store->handle();
  Registration r = f.registration("Dara", "Sok");
  r.person.extra = {{"camp_group", "dolphin"}, {"subject_taught", "គីមីវិទ្យា \"lab\""}};
  const auto saved = reg.register_participant(r, f.staff_id);
  REQUIRE(saved.ok());
  CHECK(q.participant(saved.id)->extra == r.person.extra);
  // The change-log payload headquarters receives carries them as an "extra" object of strings.
  const std::string payload = scalar(db, "SELECT payload FROM change_log WHERE entity = 'participant'"
                                         " AND entity_id = '" + saved.id + "'");
  INFO(payload);
  CHECK(scalar(db, "SELECT json_type('" + payload + "', '$.extra')") == "object");
  CHECK(scalar(db, "SELECT json_extract('" + payload + "', '$.extra.camp_group')") == "dolphin");
  CHECK(scalar(db, "SELECT json_extract(payload, '$.extra.subject_taught') FROM change_log"
                   " WHERE entity = 'participant'") == "គីមីវិទ្យា \"lab\"");
  // An edit replaces them (an empty value is simply absent); the audit names the change only.
  ParticipantFields edited = q.participant(saved.id).value();
  edited.extra = {{"camp_group", "eagle"}};
  REQUIRE(reg.update_participant(saved.id, edited, f.staff_id).ok());
  CHECK(q.participant(saved.id)->extra == edited.extra);
  const auto history = log.history(saved.id).value;
  REQUIRE(history.size() == 2);
  CHECK(history[1].summary == R"({"changed":["extra"]})");
  CHECK(scalar(db, "SELECT json_extract(payload, '$.extra') FROM change_log WHERE op = 'update'") ==
        R"({"camp_group":"eagle"})");
  // A record without tour fields syncs an empty object, never a missing key.
  const auto plain = reg.register_participant(f.registration("Vibol", "Kanha"), f.staff_id);
  REQUIRE(plain.ok());
  CHECK(scalar(db, "SELECT json_extract(payload, '$.extra') FROM change_log WHERE entity_id = '" +
                       plain.id + "'") == "{}");
}

TEST_CASE("tour fields the store must not hold are refused with nothing saved", "[registry]") {
  Fixture f("register-extra-bad.sqlite3");
  Registry reg(*f.store);
  sqlite3* db = f.store->handle();
  const auto ok = reg.register_participant(f.registration("Dara", "Sok"), f.staff_id);
  REQUIRE(ok.ok());
  const Counts before = counts(db);
  const std::map<std::string, std::string> bad[] = {
      {{"given_name", "Dara"}},  // a core id: would shadow the record's own column
      {{"Camp Group", "x"}},     // not an id a form may declare
      {{"camp_group", "a\x01"}}, {{"camp_group", "\xC3"}}, {{"camp_group", ""}}};
  for (const auto& extra : bad) {
    Registration r = f.registration("Sokha", "Chan");
    r.person.extra = extra;
    const auto res = reg.register_participant(r, f.staff_id);
    CHECK(res.error == StoreError::invalid);
    ParticipantFields edited = PeopleQueries(*f.store).participant(ok.id).value();
    edited.extra = extra;
    CHECK(reg.update_participant(ok.id, edited, f.staff_id).error == StoreError::invalid);
  }
  CHECK(counts(db) == before);
  CHECK(PeopleQueries(*f.store).participant(ok.id)->extra.empty());
}

TEST_CASE("a participant whose names hold no letter or digit is never saved", "[registry][names]") {
  Fixture f("names-invisible.sqlite3");
  Registry reg(*f.store);
  const Counts before = counts(f.store->handle());
  // Only U+200B (zero-width space) and U+2060 (word joiner) in every name: search_fold gives ""
  // and the person could never be found again.
  for (const std::string name : {"\u200B", "\u200B\u2060", "- ."}) {
    Registration r = f.registration(name, name);
    const SaveResult s = reg.register_participant(r, f.staff_id);
    CHECK_FALSE(s.ok());
    CHECK(s.error == StoreError::invalid);  // the store's trigger (migration 11)
    CHECK(counts(f.store->handle()) == before);
  }
  // A real name with a stray U+200B inside is kept, and found without it.
  Registration ok = f.registration("So\u200Bphea", "Chan");
  const SaveResult saved = reg.register_participant(ok, f.staff_id);
  REQUIRE(saved.ok());
  CHECK(scalar(f.store->handle(), "SELECT search_key FROM participant WHERE id = '" + saved.id + "'")
            .find("sophea") != std::string::npos);
  // Nor can an edit empty a record's key.
  ParticipantFields blank = ok.person;
  for (std::string* n : {&blank.given_name, &blank.family_name, &blank.given_name_latin,
                         &blank.family_name_latin})
    *n = "\u200B";
  CHECK_FALSE(reg.update_participant(saved.id, blank, f.staff_id).ok());
  CHECK(scalar(f.store->handle(), "SELECT given_name FROM participant WHERE id = '" + saved.id + "'") ==
        "So\u200Bphea");
}

TEST_CASE("the organization CSV refuses what no name may hold, each line with its reason",
          "[registry][csv]") {
  Fixture f("csv-hostile.sqlite3");
  Registry reg(*f.store);
  REQUIRE(reg.import_organizations_csv(write_file("known.csv", "id,name,name_latin,kind,country,city\n"
                                                               "KH-001,Known School,,school,KH,\n"),
                                       f.staff_id).ok());
  const long before = count(f.store->handle(), "organization");
  const std::string zawgyi = kiosk::unicode::unicode_to_zawgyi("မြန်မာကျောင်း");
  std::string csv = "id,name,name_latin,kind,country,city\n";
  csv += "hq-1,Fine School,,school,KH,Siem Reap\n";                        // 2: fine
  csv += std::string("hq-2,Nul") + '\0' + "School,,school,KH,\n";          // 3
  csv += "hq-3,Bell\x07School,,school,KH,\n";                              // 4
  csv += "hq-4,\"Two\nlines\",,school,KH,\n";                              // 5 (and 6)
  csv += "hq-5,\xE2\x80\xAEloohcS,,school,KH,\n";                          // 7: U+202E
  csv += "hq-6,\xE2\x80\x8B\xE2\x80\x8B,,school,KH,\n";                    // 8: only U+200B
  csv += "hq-7," + zawgyi + ",,school,MM,\n";                              // 9
  csv += "hq-8,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",,school,KH,\n";  // 10
  csv += "hq-9,School,,school,KH,@cmd\n";                                  // 11
  csv += "HQ-1,Upper Case,,school,KH,\n";                                  // 12
  csv += "kh-001,Known again,,school,KH,\n";                               // 13
  csv += "hq\xE2\x80\x8B-1,Invisible id,,school,KH,\n";                    // 14
  csv += "hq-10,Fine,Bad\x1B[31m,school,KH,\n";                            // 15
  const auto r = reg.import_organizations_csv(write_file("hostile.csv", csv), f.staff_id);
  CHECK_FALSE(r.ok());
  for (const auto& e : r.errors) UNSCOPED_INFO(e);
  const std::vector<std::string> expected = {
      "hostile.csv:3: name holds a control character",
      "hostile.csv:4: name holds a control character",
      "hostile.csv:5: name holds a control character",
      "hostile.csv:7: name holds a control character",
      "hostile.csv:8: name has no letter or digit",
      "hostile.csv:9: name is Burmese in the Zawgyi encoding",
      "hostile.csv:10: name starts with '='",
      "hostile.csv:11: city starts with '@'",
      "hostile.csv:12: id 'HQ-1' differs from 'hq-1' only by case",
      "hostile.csv:13: id 'kh-001' differs from the known organization 'KH-001' only by case",
      "hostile.csv:14: id must be 1 to 64 ASCII letters",
      "hostile.csv:15: name_latin holds a control character",
  };
  REQUIRE(r.errors.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(r.errors[i].rfind(expected[i], 0) == 0);
  CHECK(count(f.store->handle(), "organization") == before);  // a file with errors changes nothing
  CHECK_FALSE(reg.organization("hq-1"));
}

TEST_CASE("the organization CSV has a size and a row limit", "[registry][csv]") {
  Fixture f("csv-limits.sqlite3");
  Registry reg(*f.store);
  std::string rows = "id,name,name_latin,kind,country,city\n";
  for (int i = 0; i <= 100'000; ++i) rows += "hq-" + std::to_string(i) + ",S,,school,KH,\n";
  auto r = reg.import_organizations_csv(write_file("many.csv", rows), f.staff_id);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "many.csv:100002: more than 100000 organizations; the directory may hold at most that many");
  std::string big = "id,name,name_latin,kind,country,city\n";
  big += "hq-1,\"" + std::string(17u << 20, 'x') + "\",,school,KH,\n";
  r = reg.import_organizations_csv(write_file("big.csv", big), f.staff_id);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("big.csv:0: the file is 17 MiB; the organization directory may be at most 16 MiB", 0) == 0);
  CHECK(count(f.store->handle(), "organization") == 0);
}
