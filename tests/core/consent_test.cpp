// Consent (consent.h K1-K4): who needs one, what the row proves, what is refused, what the
// store's triggers keep from changing.
#include "change_log.h"
#include "consent.h"
#include "people_queries.h"
#include "test_support.h"

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

std::string consent_of(sqlite3* db, const std::string& participant_id, const std::string& what) {
  return scalar(db, "SELECT " + what + " FROM consent c JOIN participant p ON p.consent_id = c.id"
                    " WHERE p.id = '" + participant_id + "'");
}

const std::string kKhmerText =
    "ខ្ញុំយល់ព្រមឱ្យអ្នករៀបចំពិព័រណ៍កត់ត្រាឈ្មោះ ឆ្នាំកំណើត សាលារៀន និងការចូលរួមរបស់កូនខ្ញុំ";

}  // namespace

TEST_CASE("sha256_hex is libsodium's SHA-256 in lowercase hex", "[consent]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(kKhmerText).size() == 64);
  CHECK(sha256_hex(kKhmerText) != sha256_hex(kKhmerText + " "));  // every byte counts
}

TEST_CASE("a minor is under 18 on the event's first day (K1)", "[consent]") {
  ParticipantFields p;
  p.birth_date = "2008-11-29";
  p.birth_year = 2008;
  CHECK(needs_guardian_consent(p, "2026-11-28"));        // 17 on the first day
  CHECK_FALSE(needs_guardian_consent(p, "2026-11-29"));  // 18 that day
  p.birth_date.reset();
  CHECK(needs_guardian_consent(p, "2026-12-31"));  // a year only: the youngest possible, 17
  p.birth_year = 2007;
  CHECK_FALSE(needs_guardian_consent(p, "2026-01-01"));
  CHECK(kConsentAge == 18);
}

TEST_CASE("a registration stores the version, the language shown and the hash of the text",
          "[consent]") {
  Fixture f("consent-row.sqlite3");
  Registry reg(*f.store);
  Registration r = f.registration("សុខា", "ស្រេង");
  r.consent = ConsentInput{"2026-1", "km", "ដារា", {'S', 'G', 1, 0}, "km", kKhmerText};
  const auto saved = reg.register_participant(r, f.staff_id);
  INFO(saved.detail);
  REQUIRE(saved.ok());
  sqlite3* db = f.store->handle();
  CHECK(consent_of(db, saved.id, "text_version || '|' || language") == "2026-1|km");
  CHECK(consent_of(db, saved.id, "text_sha256") == sha256_hex(kKhmerText));
  // The change log carries it to headquarters; the text itself is stored nowhere.
  const auto consent_id = consent_of(db, saved.id, "c.id");
  CHECK(scalar(db, "SELECT json_extract(payload, '$.text_sha256') FROM change_log"
                   " WHERE entity = 'consent' AND entity_id = '" + consent_id + "'") ==
        sha256_hex(kKhmerText));
  f.store->checkpoint();
  CHECK(scalar(db, "SELECT count(*) FROM change_log WHERE instr(payload, 'ខ្ញុំយល់ព្រម') > 0") == "0");
}

TEST_CASE("a minor without consent is refused, with nothing saved (K1)", "[consent]") {
  Fixture f("consent-minor.sqlite3");
  Registry reg(*f.store);
  sqlite3* db = f.store->handle();
  const Counts before = counts(db);
  Registration r = f.registration("Dara", "Sok");
  r.consent.reset();
  SECTION("a birth year only") {}
  SECTION("17 on the event's first day, 18 today: the first day counts") {
    r.person.birth_date = "2008-11-29";  // the fixture's event starts 2026-11-28; today is 11-29
    r.person.birth_year = 2008;
  }
  const auto res = reg.register_participant(r, f.staff_id);
  CHECK(res.error == StoreError::invalid);
  CHECK(res.rule == "consent.refused.minor");
  CHECK(res.detail.find("under 18 on 2026-11-28") != std::string::npos);
  CHECK(counts(db) == before);
  CHECK(change_log_contiguous(db));
}

TEST_CASE("an adult on the event's first day needs no consent", "[consent]") {
  Fixture f("consent-adult.sqlite3");
  Registry reg(*f.store);
  Registration r = f.registration("Sokha", "Chan", 2008);
  r.person.birth_date = "2008-11-28";  // 18 on the first day
  r.consent.reset();
  const auto res = reg.register_participant(r, f.staff_id);
  INFO(res.detail);
  CHECK(res.ok());
  CHECK(count(f.store->handle(), "consent") == 0);
}

TEST_CASE("a consent whose text fell back to another language is refused (K3)", "[consent]") {
  Fixture f("consent-fallback.sqlite3");
  Registry reg(*f.store);
  sqlite3* db = f.store->handle();
  const Counts before = counts(db);
  // isiZulu was chosen for the guardian, the catalog had no isiZulu consent text: English showed.
  Registration r = f.registration("Thandiwe", "Nkosi");
  r.consent = ConsentInput{"2026-1", "en", "Nomsa Nkosi", {'S', 'G', 1, 0}, "zu", "I agree"};
  SECTION("for a minor") {}
  SECTION("for an adult too: a consent is never recorded for a text nobody chose") {
    r.person.birth_year = 1990;
  }
  const auto res = reg.register_participant(r, f.staff_id);
  CHECK(res.error == StoreError::invalid);
  CHECK(res.rule == "consent.refused.fell_back");
  CHECK(res.detail.find("shown in 'en' but 'zu' was chosen") != std::string::npos);
  CHECK(counts(db) == before);
}

TEST_CASE("a consent without its text or version is refused (K4)", "[consent]") {
  Fixture f("consent-no-text.sqlite3");
  Registry reg(*f.store);
  const Counts before = counts(f.store->handle());
  Registration r = f.registration("Aung", "Myint");
  SECTION("no text") { r.consent->shown_text.clear(); }
  SECTION("no version") { r.consent->text_version.clear(); }
  SECTION("a version longer than the store holds") { r.consent->text_version.assign(101, '1'); }
  SECTION("no language") { r.consent->language = r.consent->requested_language = ""; }
  const auto res = reg.register_participant(r, f.staff_id);
  CHECK(res.error == StoreError::invalid);
  CHECK(res.rule == "consent.refused.no_text");
  CHECK(counts(f.store->handle()) == before);
}

TEST_CASE("attach_consent checks and records the consent like a registration", "[consent]") {
  Fixture f("consent-attach.sqlite3");
  Registry reg(*f.store);
  Registration r = f.registration("Mr", "Teacher", 1980);
  const auto saved = reg.register_participant(r, f.staff_id);
  REQUIRE(saved.ok());
  sqlite3* db = f.store->handle();
  const Counts before = counts(db);
  ConsentInput c{"2026-1", "km", "Guardian", {'S', 'G', 1, 0}, "my", kKhmerText};
  const auto refused = reg.attach_consent(saved.id, c, f.staff_id);
  CHECK(refused.rule == "consent.refused.fell_back");
  CHECK(counts(db) == before);
  c.requested_language = "km";
  REQUIRE(reg.attach_consent(saved.id, c, f.staff_id).ok());
  CHECK(consent_of(db, saved.id, "text_sha256") == sha256_hex(kKhmerText));
}

TEST_CASE("the store refuses a consent without a hash and never changes what was shown",
          "[consent][store]") {
  Fixture f("consent-triggers.sqlite3");
  Registry reg(*f.store);
  const auto saved = reg.register_participant(f.registration("Bopha", "Chan"), f.staff_id);
  REQUIRE(saved.ok());
  sqlite3* db = f.store->handle();
  const std::string id = consent_of(db, saved.id, "c.id");
  auto refused = [&](const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK;
  };
  CHECK(refused("INSERT INTO consent(id, text_version, language, guardian_name, signed_at,"
                " staff_id, device_id) VALUES ('" + new_uuid() + "', '2026-1', 'km', 'G', 'now', '" +
                f.staff_id + "', 'd')"));  // no hash
  CHECK(refused("INSERT INTO consent(id, text_version, language, text_sha256, guardian_name,"
                " signed_at, staff_id, device_id) VALUES ('" + new_uuid() + "', '2026-1', 'km',"
                " 'not-a-hash', 'G', 'now', '" + f.staff_id + "', 'd')"));
  CHECK(refused("UPDATE consent SET text_sha256 = '" + sha256_hex("other") + "' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE consent SET language = 'en' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE consent SET text_version = '2027-1' WHERE id = '" + id + "'"));
  // A redaction (privacy.h) blanks the guardian and the signature: still allowed.
  CHECK_FALSE(refused("UPDATE consent SET guardian_name = '', signature = NULL WHERE id = '" + id + "'"));
  CHECK(consent_of(db, saved.id, "text_sha256") == sha256_hex(Fixture::consent("").shown_text));
}

TEST_CASE("an edit that makes a person without consent a minor is refused (K1)", "[consent]") {
  Fixture f("consent-edit-minor.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  sqlite3* db = f.store->handle();
  const auto saved = reg.register_participant(f.registration("Sokha", "Chan", 1990), f.staff_id);
  REQUIRE(saved.ok());
  REQUIRE_FALSE(q.participant(saved.id)->consent_id);
  const Counts before = counts(db);
  ParticipantFields edited = q.participant(saved.id).value();
  SECTION("a birth date") {
    edited.birth_date = "2009-01-15";  // 17 on the event's first day (2026-11-28)
    edited.birth_year = 2009;
  }
  SECTION("a birth year only: the youngest possible age counts") {
    edited.birth_year = 2008;  // 17 or 18 on the first day: the safe side
  }
  const auto res = reg.update_participant(saved.id, edited, f.staff_id);
  CHECK(res.error == StoreError::invalid);
  CHECK(res.rule == "consent.refused.minor");
  CHECK(res.detail.find("under 18 on 2026-11-28") != std::string::npos);
  CHECK(counts(db) == before);
  CHECK(q.participant(saved.id)->birth_year == 1990);  // nothing of the edit saved
  // With the guardian's consent recorded, the same edit is saved.
  REQUIRE(reg.attach_consent(saved.id, Fixture::consent("Chan Guardian"), f.staff_id).ok());
  const auto again = reg.update_participant(saved.id, edited, f.staff_id);
  INFO(again.detail);
  CHECK(again.ok());
  CHECK(q.participant(saved.id)->birth_year == edited.birth_year);
}

TEST_CASE("an edit of a record already a minor without consent is not refused (K1)",
          "[consent]") {
  // A record from before the rule (schema < 8): the edit does not make it worse.
  Fixture f("consent-edit-legacy.sqlite3");
  Registry reg(*f.store);
  sqlite3* db = f.store->handle();
  const auto saved = reg.register_participant(f.registration("Sokha", "Chan", 1990), f.staff_id);
  REQUIRE(saved.ok());
  REQUIRE(sqlite3_exec(db, ("UPDATE participant SET birth_year = 2014 WHERE id = '" + saved.id + "'").c_str(),
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  ParticipantFields edited = PeopleQueries(*f.store).participant(saved.id).value();
  edited.grade = "7";
  CHECK(reg.update_participant(saved.id, edited, f.staff_id).ok());
}

TEST_CASE("a check-in of a minor without consent is refused (K1)", "[consent]") {
  Fixture f("consent-checkin-minor.sqlite3");
  Registry reg(*f.store);
  sqlite3* db = f.store->handle();
  // 22 at the fixture's event, 15 at an older one (a record entered late, a school's past trip).
  Registration r = f.registration("Sokha", "Chan", 2004);
  r.person.birth_date = "2004-06-01";
  const auto saved = reg.register_participant(r, f.staff_id);
  REQUIRE(saved.ok());
  EventInfo old_event;
  old_event.name = "Science on Wheels — Siem Reap 2019";
  old_event.start_date = "2019-12-02";
  old_event.end_date = "2019-12-04";
  const auto ev = reg.create_event(old_event, f.staff_id);
  REQUIRE(ev.ok());
  const Counts before = counts(db);
  const auto res = reg.add_attendance(saved.id, ev.id, "visit", f.staff_id);
  CHECK(res.error == StoreError::invalid);
  CHECK(res.rule == "consent.refused.minor");
  CHECK(res.detail.find("under 18 on 2019-12-02") != std::string::npos);
  CHECK(counts(db) == before);
  // An adult's check-in at the current event is unaffected; with consent the old one is saved.
  CHECK(reg.add_attendance(saved.id, f.event_id, "science_camp", f.staff_id).ok());
  REQUIRE(reg.attach_consent(saved.id, Fixture::consent("Chan Guardian"), f.staff_id).ok());
  CHECK(reg.add_attendance(saved.id, ev.id, "visit", f.staff_id).ok());
}
