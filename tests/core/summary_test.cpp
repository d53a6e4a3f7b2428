// Issue 15: the event summary and the search table are kept by triggers (store migration 12,
// people_queries.h S1-S5). Checked against a full recount — the query the summary used to run
// over every person and the whole change log — after random registrations, check-ins, edits,
// voids, acknowledgements, purges and organization mappings; and search against a plain scan.
#include "change_log.h"
#include "people_queries.h"
#include "sql.h"
#include "text_normalize.h"
#include "test_support.h"

#include <random>
#include <sstream>
#include <tuple>

using namespace kiosk::core;
using namespace core_test;

namespace {

// The recount: what event_summary computed before migration 12 (every attendee, every unsent
// change-log entry), kept here as the reference.
EventSummary recount(Store& store, const std::string& event_id) {
  EventSummary s;
  const std::string on = scalar(store.handle(), "SELECT start_date FROM event WHERE id = '" + event_id + "'");
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(
              store.handle(),
              "WITH acked AS (SELECT coalesce((SELECT acked_seq FROM sync_state WHERE device_id = ?2), 0)"
              " AS seq),"
              " unsent AS (SELECT entity_id FROM change_log, acked"
              "            WHERE device_id = ?2 AND change_log.seq > acked.seq)"
              " SELECT p.gender, p.role, p.birth_date, p.birth_year, coalesce(o.name, ''),"
              "  (p.id IN (SELECT entity_id FROM unsent) OR EXISTS (SELECT 1 FROM attendance a"
              "   WHERE a.participant_id = p.id AND a.event_id = ?1"
              "   AND a.id IN (SELECT entity_id FROM unsent)))"
              " FROM participant p LEFT JOIN organization lo ON lo.id = p.organization_id"
              " LEFT JOIN organization o ON o.id = coalesce(lo.merged_into, lo.id)"
              " WHERE p.voided = 0 AND p.id IN (SELECT participant_id FROM attendance WHERE event_id = ?1)",
              -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, event_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, store.device_id().c_str(), -1, SQLITE_TRANSIENT);
  auto text = [&](int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    ++s.participants;
    ++s.by_gender[text(0)];
    ++s.by_role[text(1)];
    const std::optional<std::string> birth_date =
        sqlite3_column_type(st, 2) == SQLITE_NULL ? std::nullopt : std::optional<std::string>(text(2));
    ++s.by_age_band[age_band(age_on(birth_date, sqlite3_column_int(st, 3), on))];
    ++s.by_organization[text(4)];
    if (sqlite3_column_int(st, 5) != 0) ++s.not_yet_sent;
  }
  sqlite3_finalize(st);
  return s;
}

// EXPLAIN QUERY PLAN of sql: its detail lines joined with " | ".
std::string query_plan(sqlite3* db, const std::string& sql) {
  std::string plan;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW)
    plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + " | ";
  sqlite3_finalize(st);
  return plan;
}

void check_same(const EventSummary& kept, const EventSummary& counted) {
  CHECK(kept.participants == counted.participants);
  CHECK(kept.not_yet_sent == counted.not_yet_sent);
  CHECK(kept.by_gender == counted.by_gender);
  CHECK(kept.by_role == counted.by_role);
  CHECK(kept.by_age_band == counted.by_age_band);
  CHECK(kept.by_organization == counted.by_organization);
}

}  // namespace

TEST_CASE("the kept event summary equals a full recount after random changes", "[summary]") {
  Fixture f("summary-random.sqlite3");
  Registry reg(*f.store);
  ChangeLog log(*f.store);
  PeopleQueries q(*f.store);
  EventInfo second;
  second.name = "Second stop";
  second.start_date = "2026-12-10";
  second.end_date = "2026-12-11";
  const auto ev2 = reg.create_event(second, f.staff_id);
  REQUIRE(ev2.ok());
  std::vector<std::string> orgs;
  for (const char* name : {"Angkor High School", "Mandalay Science Society", "Cairo Club"}) {
    Organization o;
    o.name = name;
    const auto r = reg.add_local_organization(o, f.staff_id);
    REQUIRE(r.ok());
    orgs.push_back(r.id);
  }
  std::mt19937 rng(1515);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const char* genders[] = {"female", "male", "other", "unspecified"};
  const char* roles[] = {"student", "teacher", "other"};
  std::vector<std::string> people;
  int voids = 0, acks = 0, edits = 0, checkins = 0;
  for (int step = 0; step < 400; ++step) {
    const int what = people.empty() ? 0 : pick(10);
    if (what <= 3) {  // register (adults and children with consent, some at a school)
      Registration r = f.registration("Name" + std::to_string(step), "Family" + std::to_string(pick(7)),
                                      1975 + pick(45));
      r.person.gender = genders[pick(4)];
      r.person.role = roles[pick(3)];
      if (pick(2)) r.person.birth_date = std::to_string(r.person.birth_year) + "-0" + std::to_string(1 + pick(9)) + "-1" + std::to_string(pick(10));
      if (pick(3)) r.person.organization_id = orgs[static_cast<std::size_t>(pick(3))];
      if (needs_guardian_consent(r.person, Fixture::kEventStart)) r.consent = Fixture::consent("G");
      const auto saved = reg.register_participant(r, f.staff_id);
      INFO(saved.detail);
      REQUIRE(saved.ok());
      people.push_back(saved.id);
    } else if (what == 4) {  // a check-in: another activity, or the second event
      const std::string& who = people[static_cast<std::size_t>(pick(static_cast<int>(people.size())))];
      checkins += reg.add_attendance(who, pick(2) ? ev2.id : f.event_id, pick(2) ? "science_camp" : "exhibition_visit",
                                     f.staff_id).ok();
    } else if (what <= 6) {  // an edit of what the summary counts
      const std::string& who = people[static_cast<std::size_t>(pick(static_cast<int>(people.size())))];
      auto p = q.participant(who);
      REQUIRE(p);
      if (p->voided) continue;
      ParticipantFields fields = *p;
      fields.gender = genders[pick(4)];
      fields.role = roles[pick(3)];
      fields.organization_id = pick(4) == 0 ? std::nullopt : std::optional<std::string>(orgs[static_cast<std::size_t>(pick(3))]);
      if (pick(2)) fields.birth_date.reset();
      edits += reg.update_participant(who, fields, f.staff_id).ok();
    } else if (what == 7) {
      voids += reg.void_participant(people[static_cast<std::size_t>(pick(static_cast<int>(people.size())))], "test", f.staff_id).ok();
    } else if (what == 8) {  // headquarters acknowledges part of the log, sometimes purged
      const auto last = log.last_seq().value, acked = log.acked_seq().value;
      if (last > acked) {
        REQUIRE(log.acknowledge(acked + 1 + pick(static_cast<int>(last - acked))).ok());
        ++acks;
        if (pick(2)) REQUIRE(log.purge_acknowledged().ok());
      }
    } else {  // headquarters maps a local organization onto another (downlink.h D4)
      const std::string sql = "UPDATE organization SET merged_into = " +
                              (pick(2) ? "'" + orgs[0] + "'" : std::string("NULL")) + " WHERE id = '" + orgs[2] + "'";
      REQUIRE(sqlite3_exec(f.store->handle(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    if (step % 25 == 24 || step == 399) {
      INFO("after step " << step);
      check_same(q.event_summary(f.event_id), recount(*f.store, f.event_id));
      check_same(q.event_summary(ev2.id), recount(*f.store, ev2.id));
    }
  }
  // The walk reached every kind of change.
  CHECK(voids > 0);
  CHECK(acks > 0);
  CHECK(edits > 0);
  CHECK(checkins > 0);
  CHECK(q.event_summary(f.event_id).participants > 50);
  CHECK(q.event_summary(f.event_id).not_yet_sent > 0);

  // The kept rows survive a reopen, and are rebuilt identically by migration 12's backfill.
  const std::string kept = scalar(f.store->handle(),
                                  "SELECT group_concat(event_id || dimension || value || n, ',') FROM"
                                  " (SELECT * FROM summary_count WHERE n <> 0 ORDER BY 1, 2, 3)");
  sqlite3_exec(f.store->handle(),
               "DELETE FROM summary_count; DELETE FROM summary_person; DELETE FROM participant_search",
               nullptr, nullptr, nullptr);
  sqlite3_exec(f.store->handle(), "PRAGMA user_version = 11", nullptr, nullptr, nullptr);
  // Drop what migrations 12 and 13 made, then let Store::open run them again over the same data.
  sqlite3_exec(f.store->handle(),
               "DROP TABLE summary_count; DROP TABLE summary_person; DROP VIEW summary_delta;"
               " DROP TABLE participant_search; DROP TRIGGER summary_attendance_ins;"
               " DROP TRIGGER summary_attendance_del; DROP TRIGGER summary_attendance_upd;"
               " DROP TRIGGER summary_participant_upd; DROP TRIGGER summary_change_participant;"
               " DROP TRIGGER summary_change_attendance; DROP TRIGGER summary_ack_ins;"
               " DROP TRIGGER summary_ack_upd; DROP TRIGGER participant_search_ins;"
               " DROP TRIGGER participant_search_unset; DROP TRIGGER participant_search_set;"
               " DROP TRIGGER participant_search_del; DROP TABLE participant_search_fts;"
               " DROP VIEW participant_order; DROP INDEX change_log_entity_seq;",
               nullptr, nullptr, nullptr);
  f.store.reset();
  std::string error;
  f.store = Store::open(f.path, &error);
  REQUIRE(f.store);
  CHECK(scalar(f.store->handle(),
               "SELECT group_concat(event_id || dimension || value || n, ',') FROM"
               " (SELECT * FROM summary_count WHERE n <> 0 ORDER BY 1, 2, 3)") == kept);
  check_same(PeopleQueries(*f.store).event_summary(f.event_id), recount(*f.store, f.event_id));
}

TEST_CASE("a failed registration changes no count", "[summary]") {
  Fixture f("summary-atomic.sqlite3");
  Registry reg(*f.store);
  PeopleQueries q(*f.store);
  REQUIRE(reg.register_participant(f.registration("Dara", "Sok"), f.staff_id).ok());
  const std::string before = scalar(f.store->handle(), "SELECT group_concat(dimension || value || n) FROM summary_count");
  // The attendance's insert fails after the person, the consent and the counts were written
  // inside the transaction: an activity the event does not list is refused, all rolled back.
  Registration bad = f.registration("Vanna", "Keo");
  bad.activity = "no_such_activity";
  CHECK_FALSE(reg.register_participant(bad, f.staff_id).ok());
  sqlite3_exec(f.store->handle(), "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
  CHECK_FALSE(reg.register_participant(f.registration("Chan", "Lim"), f.staff_id).ok());
  sqlite3_exec(f.store->handle(), "PRAGMA query_only = 0", nullptr, nullptr, nullptr);
  CHECK(scalar(f.store->handle(), "SELECT group_concat(dimension || value || n) FROM summary_count") == before);
  CHECK(q.event_summary(f.event_id).participants == 1);
}

TEST_CASE("search reads the narrow search table with the trigram index (query plan)", "[summary][search]") {
  Fixture f("search-plan.sqlite3");
  Registry reg(*f.store);
  for (int i = 0; i < 30; ++i)
    REQUIRE(reg.register_participant(f.registration(i % 2 ? "Dara" : "Sokha", "Family" + std::to_string(i)), f.staff_id).ok());
  PeopleQueries q(*f.store);
  // The same people a scan of every non-voided participant finds.
  CHECK(q.search_people("dara", 100).size() == 15);
  CHECK(q.search_people("da", 100).size() == 15);
  CHECK(q.search_people("family2", 100).size() == 11);  // family2, family20..29
  const auto hits = q.search_people("dara", 100);
  REQUIRE(reg.void_participant(hits[0].id, "duplicate", f.staff_id).ok());
  CHECK(q.search_people("dara", 100).size() == 14);
  CHECK(scalar(f.store->handle(), "SELECT count(*) FROM participant_search") ==
        scalar(f.store->handle(), "SELECT count(*) FROM participant WHERE voided = 0"));
  // EXPLAIN QUERY PLAN of the keystroke query (S6): the trigram index hands over its matches in
  // name order (no sort), the narrow table by its key; never a scan of participant.
  const std::string plan = query_plan(
      f.store->handle(),
      "SELECT s.ord, s.key, s.sort FROM participant_search_fts f JOIN participant_search s"
      " ON s.ord = f.rowid WHERE participant_search_fts MATCH '\" dar\"' ORDER BY f.rowid");
  INFO(plan);
  CHECK(plan.find("VIRTUAL TABLE INDEX") != std::string::npos);
  CHECK(plan.find("SEARCH s USING INTEGER PRIMARY KEY") != std::string::npos);
  CHECK(plan.find("SCAN s") == std::string::npos);
  CHECK(plan.find("TEMP B-TREE") == std::string::npos);

  // The triggers' lookup of a record's newest seq (every first check-in at an event, and the
  // backfill) reads one index entry; through UNIQUE(device_id, seq) it scanned the whole log.
  const std::string lookup = query_plan(
      f.store->handle(),
      "SELECT max(seq) FROM change_log WHERE entity_id = 'x' AND device_id = (SELECT id FROM device LIMIT 1)");
  INFO(lookup);
  CHECK(lookup.find("COVERING INDEX change_log_entity_seq") != std::string::npos);
}

TEST_CASE("a summary that cannot be read says so instead of showing zero people (S7)", "[summary]") {
  Fixture f("summary-error.sqlite3");
  PeopleQueries q(*f.store);
  const EventSummary fine = q.event_summary(f.event_id);
  CHECK(fine.ok());
  const EventSummary none = q.event_summary("no-such-event");
  CHECK(none.ok());  // no event: an empty summary, not an error
  CHECK(none.participants == 0);
  // The kept counts gone (as a damaged page would lose them): the read fails, and says so.
  REQUIRE(sqlite3_exec(f.store->handle(), "DROP TABLE summary_count", nullptr, nullptr, nullptr) == SQLITE_OK);
  const EventSummary broken = q.event_summary(f.event_id);
  CHECK_FALSE(broken.ok());
  CHECK(broken.error != StoreError::none);
  CHECK(broken.detail.find("summary_count") != std::string::npos);
}

// S6: the search that stops once the screen is full and its name group is complete shows the same
// people in the same order as a sort of every match: names that share their first five
// characters (one ord group), that differ only after a character above U+007F (where ord stops
// looking), empty Latin names, Khmer, edits and voids.
TEST_CASE("search in name order equals a sort of every match", "[summary][search]") {
  Fixture f("search-order.sqlite3");
  Registry reg(*f.store);
  std::mt19937 rng(test_seed("SEARCH_ORDER_SEED", "search in name order"));
  const std::vector<std::string> given = {"Dara", "Daravy", "Dan", "Sok", "Amina", "Ami", "Anh",
                                          "Ánh", "Mariam", "Zaw", "Sokhom", "Ana"};
  const std::vector<std::string> family = {"Sok", "Sokha", "Sokhan", "Sokhann", "Chan", "Chantha",
                                           "Ánh", "Ánhe", "Ánha", "Âna", "Nguyễn", "van Wyk", "O'Brien",
                                           "Lê", "Ng", "Dlamini", "Dlamin"};
  const std::vector<std::string> khmer = {"ដារ៉ា", "សុខា", "វណ្ណា", "សុខ"};
  auto pick = [&](const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    Registration r = f.registration(pick(given), pick(family));
    if (i % 5 == 0) {  // a Khmer name, its Latin spelling sometimes left empty
      r.person.given_name = pick(khmer);
      r.person.family_name = pick(khmer);
      if (i % 10 == 0) r.person.given_name_latin = r.person.family_name_latin = "";
    }
    const auto saved = reg.register_participant(r, f.staff_id);
    REQUIRE(saved.ok());
    ids.push_back(saved.id);
  }
  PeopleQueries q(*f.store);
  for (int i = 0; i < 40; ++i) {  // edits move people between groups; voids remove them
    const std::string& id = ids[static_cast<std::size_t>(i * 7)];
    if (i % 4 == 0) {
      REQUIRE(reg.void_participant(id, "duplicate", f.staff_id).ok());
      continue;
    }
    ParticipantFields p = *q.participant(id);
    p.family_name_latin = pick(family);
    REQUIRE(reg.update_participant(id, p, f.staff_id).ok());
  }
  CHECK(scalar(f.store->handle(), "SELECT count(*) FROM participant_search") ==
        scalar(f.store->handle(), "SELECT count(*) FROM participant WHERE voided = 0"));
  CHECK(sqlite3_exec(f.store->handle(),
                     "INSERT INTO participant_search_fts(participant_search_fts, rank)"
                     " VALUES ('integrity-check', 1)", nullptr, nullptr, nullptr) == SQLITE_OK);

  // The reference: every non-voided person, the rules in people_queries.h, one full sort.
  struct Person {
    std::string key;
    std::tuple<std::string, std::string, std::string, std::string> name;
  };
  std::vector<Person> everyone;
  {
    sql::Statement st(f.store->handle(),
                      "SELECT search_key, family_name_latin, given_name_latin, family_name, given_name"
                      " FROM participant WHERE voided = 0");
    while (st.step() == SQLITE_ROW)
      everyone.push_back({st.text(0), {st.text(1), st.text(2), st.text(3), st.text(4)}});
  }
  auto reference = [&](const std::string& query, std::size_t limit) {
    std::vector<std::string> words;
    std::istringstream in(kiosk::unicode::search_fold(query));
    for (std::string w; in >> w;) words.push_back(w);
    std::vector<std::pair<bool, decltype(Person::name)>> hits;
    if (words.empty()) return hits;
    bool long_word = false;
    for (const auto& w : words) long_word = long_word || kiosk::unicode::count_code_points(w) >= 3;
    for (const auto& p : everyone) {
      bool every = true;
      for (const auto& w : words) every = every && p.key.find(w) != std::string::npos;
      const bool start = p.key.rfind(words[0], 0) == 0 || p.key.find(" " + words[0]) != std::string::npos;
      if (every && (start || long_word)) hits.emplace_back(!start, p.name);
    }
    std::sort(hits.begin(), hits.end());
    if (hits.size() > limit) hits.resize(limit);
    return hits;
  };
  std::vector<std::string> queries = {"a", "x", "zz", "sok ch", "ch sok", "ánh", "anh", "ng", "o'b",
                                      "sokha", "sokh", "dlamin", "an", "ana", "សុ", "ខា", "វណ្ណា",
                                      "dara sok", "sok dara", "am", "ami", "am sok",
                                      // what FTS5 would read as syntax, and text no name has
                                      "\"dar\"", "dar\"", "\" da", "dar*", "sok AND chan",
                                      "NEAR(sok chan)", "so-k", "%", "\xE2\x80\x8B", "d\xE2\x80\x8B" "ar",
                                      std::string("da\0ra", 5), std::string(2000, 'a'),
                                      std::string(300, 'z') + " sok"};
  for (int i = 0; i < 60; ++i) {  // a person's name typed a keystroke at a time
    const std::string full = pick(given) + " " + pick(family);
    for (std::size_t n = 1; n <= full.size(); ++n)
      if (n == full.size() || (static_cast<unsigned char>(full[n]) & 0xC0) != 0x80)
        queries.push_back(full.substr(0, n));
  }
  int compared = 0, full_screens = 0;
  for (const auto& query : queries)
    for (const int limit : {1, 3, 20}) {
      const auto want = reference(query, static_cast<std::size_t>(limit));
      const auto got = q.search_people(query, limit);
      INFO("query '" << query << "' limit " << limit);
      REQUIRE(got.size() == want.size());
      for (std::size_t k = 0; k < got.size(); ++k) {
        INFO("row " << k);
        CHECK(std::tie(got[k].family_name_latin, got[k].given_name_latin, got[k].family_name,
                       got[k].given_name) == want[k].second);
      }
      ++compared;
      if (got.size() == static_cast<std::size_t>(limit)) ++full_screens;
    }
  CHECK(compared > 300);
  CHECK(full_screens > 100);  // most queries filled the screen: the early stop was exercised
}
