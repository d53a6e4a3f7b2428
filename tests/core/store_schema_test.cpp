// Schema, migrations, constraints and the change log's shape.
#include "change_log.h"
#include "consent.h"
#include "people_queries.h"
#include "test_support.h"

using namespace kiosk::core;
using namespace core_test;

TEST_CASE("every older schema version migrates to the latest and keeps its data", "[store]") {
  for (int v = 1; v < Store::latest_schema_version(); ++v) {
    DYNAMIC_SECTION("from version " << v) {
      const auto path = fresh_path("migrate-from-" + std::to_string(v) + ".sqlite3");
      std::string error, device, staff_id, event_id, old_consent;
      {
        auto old = Store::open_at_version(path, v, &error);
        REQUIRE(old);
        CHECK(old->schema_version() == v);
        device = old->device_id();
        if (v >= 2) {  // put real data in before the later migrations run
          StaffDirectory staff(*old);
          auto s = staff.add_staff("Dara", "1357", "supervisor", "");
          REQUIRE(s.ok());
          staff_id = s.id;
          Registry reg(*old);
          EventInfo e;
          e.name = "Old event";
          e.start_date = e.end_date = "2026-01-10";
          auto ev = reg.create_event(e, s.id);
          REQUIRE(ev.ok());
          event_id = ev.id;
          // A person as every build since schema 2 wrote one (today's Registry writes columns
          // that later migrations add, so it cannot write an old store): an adult, no consent.
          const std::string person =
              "INSERT INTO participant(id, given_name_latin, family_name_latin, name_key_latin,"
              " search_key, birth_year, gender, role, created_by, created_device, created_at,"
              " updated_by, updated_device, updated_at) VALUES ('" + new_uuid() + "', 'Chanthou',"
              " 'Keo', 'chanthou keo', 'chanthou keo', 1990, 'male', 'student', '" + s.id + "', '" +
              device + "', '2026-01-10T09:00:00.000Z', '" + s.id + "', '" + device +
              "', '2026-01-10T09:00:00.000Z')";
          REQUIRE(sqlite3_exec(old->handle(), person.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
          // A consent as builds before migration 8 wrote it: no hash of the text shown (from
          // version 8 on a trigger refuses such a row, so a store of that version holds none).
          if (v < 8) old_consent = new_uuid();
          const std::string sql =
              "INSERT INTO consent(id, text_version, language, guardian_name, signature,"
              " signed_at, staff_id, device_id) VALUES ('" + old_consent + "', '2025-2', 'km',"
              " 'Keo Guardian', x'5347', '2026-01-10T09:00:00.000Z', '" + s.id + "', '" +
              device + "')";
          if (v < 8)
            REQUIRE(sqlite3_exec(old->handle(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        }
      }
      auto s = Store::open(path, &error);
      REQUIRE(s);
      CHECK(s->schema_version() == Store::latest_schema_version());
      CHECK(s->device_id() == device);
      CHECK(scalar(s->handle(), "PRAGMA integrity_check") == "ok");
      CHECK(scalar(s->handle(), "PRAGMA foreign_key_check") == "");
      if (v >= 2) {  // the search index (migration 4) was filled from the existing rows
        PeopleQueries q(*s);
        CHECK(q.search_people("chanth").size() == 1);
        CHECK(change_log_contiguous(s->handle()));
        // Migration 5: old entries are payload format 1 and belong to the first incarnation.
        ChangeLog log(*s);
        const auto incs = log.incarnations();
        REQUIRE(incs.ok());
        REQUIRE(incs.value.size() == 1);
        CHECK(incs.value[0].base_seq == 1);
        CHECK(incs.value[0].id == s->incarnation());
        const auto all = log.range(1, log.last_seq().value);
        REQUIRE(all.ok());
        for (const auto& e : all.value) {
          CHECK(e.format == 1);
          CHECK(e.incarnation == s->incarnation());
        }
        // Migration 8: an old consent keeps its row, without a hash nobody could compute; a new
        // one (a minor on the old event) stores the SHA-256 of the text shown.
        if (v < 8)
          CHECK(scalar(s->handle(), "SELECT coalesce(text_sha256, 'null') || '|' || text_version"
                                    " FROM consent WHERE id = '" + old_consent + "'") == "null|2025-2");
        // Migration 9: organizations map to none yet; existing staff are the kiosk's own.
        CHECK(scalar(s->handle(), "SELECT count(*) FROM organization WHERE merged_into IS NOT NULL") == "0");
        CHECK(scalar(s->handle(), "SELECT group_concat(DISTINCT origin) FROM staff") == "local");
        // Migration 10: people registered before have no tour fields (form_schema.h F5).
        CHECK(scalar(s->handle(), "SELECT group_concat(DISTINCT extra) FROM participant") == "{}");
        Registration minor;
        minor.person.given_name_latin = "Sreymom";
        minor.person.birth_year = 2014;
        minor.event_id = event_id;
        minor.activity = "visit";
        minor.consent = Fixture::consent("Keo Guardian");
        minor.person.extra = {{"camp_group", "mekong"}};
        const auto saved = Registry(*s).register_participant(minor, staff_id);
        INFO(saved.detail);
        REQUIRE(saved.ok());
        CHECK(PeopleQueries(*s).participant(saved.id)->extra == minor.person.extra);
        CHECK(scalar(s->handle(), "SELECT c.text_sha256 FROM consent c JOIN participant p"
                                  " ON p.consent_id = c.id WHERE p.id = '" + saved.id + "'") ==
              sha256_hex(minor.consent->shown_text));
      }
    }
  }
}

TEST_CASE("a failed migration leaves the previous version intact", "[store]") {
  const auto path = fresh_path("migrate-fails.sqlite3");
  std::string error;
  {
    auto s = Store::open_at_version(path, 2, &error);
    REQUIRE(s);
    // A table that migration 3 wants to create already exists: migration 3 must fail whole.
    REQUIRE(sqlite3_exec(s->handle(), "CREATE TABLE visit_stats(x)", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
  }
  CHECK_FALSE(Store::open(path, &error));
  CHECK(error.find("migration 3 failed") != std::string::npos);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(scalar(db, "PRAGMA user_version") == "2");
  sqlite3_close(db);
}

TEST_CASE("constraints refuse what the store must never hold", "[store]") {
  Fixture f("constraints.sqlite3");
  sqlite3* db = f.store->handle();
  auto refused = [&](const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK;
  };
  Registry reg(*f.store);
  auto ok = reg.register_participant(f.registration("Dara", "Sok"), f.staff_id);
  REQUIRE(ok.ok());
  const std::string id = ok.id;
  CHECK(refused("UPDATE participant SET voided = 1 WHERE id = '" + id + "'"));  // no reason
  CHECK(refused("UPDATE participant SET gender = 'x' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET role = 'parent' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET birth_date = '2013-02-30' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET birth_date = '2014-01-01' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET organization_id = 'nope' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET interests = 'not json' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET extra = 'not json' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET extra = '[\"camp\"]' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET extra = NULL WHERE id = '" + id + "'"));
  CHECK_FALSE(refused("UPDATE participant SET extra = '{\"camp_group\":\"mekong\"}' WHERE id = '" + id + "'"));
  CHECK(refused("UPDATE participant SET given_name = '', family_name = '', given_name_latin = '',"
                " family_name_latin = '' WHERE id = '" + id + "'"));
  CHECK(refused("DELETE FROM audit"));
  CHECK(refused("UPDATE audit SET action = 'insert'"));
  CHECK(refused("UPDATE change_log SET op = 'void'"));
  CHECK(refused("DELETE FROM change_log"));  // nothing acknowledged yet
  CHECK(refused("INSERT INTO change_log(device_id, seq, entity, entity_id, op, payload, at)"
                " VALUES ('" + f.store->device_id() +
                "', 99, 'participant', 'x', 'insert', '{}', 'now')"));  // a gap
  CHECK_FALSE(refused("INSERT INTO change_log(device_id, seq, entity, entity_id, op, payload, at)"
                      " SELECT device_id, max(seq) + 1, 'participant', 'x', 'insert', '{}', 'now'"
                      " FROM change_log"));  // the next one is accepted (the trigger is exact)
  CHECK(refused("INSERT INTO attendance SELECT '" + new_uuid() +
                "', participant_id, event_id, activity, staff_id, device_id, at FROM attendance"));
  CHECK(refused("INSERT INTO event(id, name, start_date, end_date, device_id, created_at,"
                " updated_at) VALUES ('" + new_uuid() + "', 'x', '2026-12-02', '2026-12-01', 'd',"
                " 'n', 'n')"));  // ends before it starts
  CHECK(refused("INSERT INTO staff VALUES ('" + new_uuid() + "', 'x', 'plain-pin', 'staff', 1,"
                " 'n', 'n')"));  // a PIN that is not an argon2id hash
  CHECK(scalar(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("the change log is in order, contiguous and matches every mutation", "[store]") {
  Fixture f("changelog.sqlite3");
  Registry reg(*f.store);
  ChangeLog log(*f.store);
  // Fixture: staff insert (1), event insert (2).
  CHECK(log.last_seq().value == 2);
  // An adult needs no consent: person 3, attendance 4.
  auto a = reg.register_participant(f.registration("Dara", "Sok", 1990), f.staff_id);
  REQUIRE(a.ok());
  Registration with_consent = f.registration("Bopha", "Chan");
  with_consent.consent = Fixture::consent("Chan Vanna");
  auto b = reg.register_participant(with_consent, f.staff_id);  // consent 5, person 6, attend 7
  REQUIRE(b.ok());
  ParticipantFields edited = f.registration("Dara", "Sok", 1990).person;
  edited.grade = "7";
  REQUIRE(reg.update_participant(a.id, edited, f.staff_id).ok());  // 8
  REQUIRE(reg.void_participant(b.id, "registered twice by mistake", f.staff_id).ok());  // 9
  const auto all = log.range(1, 9).value;
  REQUIRE(all.size() == 9);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(all[i].device_id == f.store->device_id());
  }
  CHECK(all[2].entity == "participant");
  CHECK(all[3].entity == "attendance");
  CHECK(all[4].entity == "consent");
  CHECK(all[7].op == "update");
  CHECK(all[7].entity_id == a.id);
  CHECK(all[7].payload.find("\"grade\":\"7\"") != std::string::npos);
  CHECK(all[8].op == "void");
  // A failed mutation consumes no sequence number.
  CHECK_FALSE(reg.void_participant(b.id, "again", f.staff_id).ok());
  CHECK_FALSE(reg.register_participant(f.registration("", ""), f.staff_id).ok());
  CHECK(log.last_seq().value == 9);
  CHECK(change_log_contiguous(f.store->handle()));
  // Acknowledge and purge: numbering continues after the mark.
  CHECK_FALSE(log.acknowledge(10).ok());  // beyond what exists
  REQUIRE(log.acknowledge(6).ok());
  CHECK_FALSE(log.acknowledge(5).ok());  // never backwards
  CHECK(log.pending_count().value == 3);
  REQUIRE(log.purge_acknowledged().ok());
  CHECK_FALSE(log.range(1, 9).ok());  // 1..6 were purged: an error, not a short list
  CHECK(log.range(7, 9).value.size() == 3);
  REQUIRE(reg.register_participant(f.registration("Vanna", "Lim"), f.staff_id).ok());  // 10-12
  CHECK(log.range(10, 10).value.size() == 1);
  CHECK(log.last_seq().value == 12);
}
