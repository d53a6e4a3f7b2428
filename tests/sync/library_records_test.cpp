// What headquarters shows of a person (sync/hq/library_records.cpp V1-V5): participations per
// event and activity across kiosks and merges, the provenance of every field, consent facts
// without the signature, tour fields ("extra") as columns, and exports that no spreadsheet runs.
#include "report.h"
#include "sync_fixture.h"

#include <algorithm>

using namespace sync_test;
using kiosk::hq::Library;
using kiosk::hq::Table;

namespace {

std::string register_child(Kiosk& k, const std::string& given, const std::string& family,
                           const std::map<std::string, std::string>& extra = {},
                           const std::string& grade = "") {
  auto r = k.registration(given, family, 2013);
  r.person.extra = extra;
  r.person.grade = grade;
  const auto saved = kiosk::core::Registry(*k.store).register_participant(r, k.staff_id);
  INFO(saved.detail);
  REQUIRE(saved.ok());
  return saved.id;
}

std::size_t column(const Table& t, const std::string& name) {
  const auto it = std::find(t.columns.begin(), t.columns.end(), name);
  REQUIRE(it != t.columns.end());
  return static_cast<std::size_t>(it - t.columns.begin());
}

// The row of `t` whose every (column, value) in `match` agrees; fails the test if none.
const std::vector<std::string>& row_where(const Table& t,
                                          const std::vector<std::pair<std::string, std::string>>& match) {
  for (const auto& row : t.rows) {
    bool all = true;
    for (const auto& [c, v] : match) all = all && row[column(t, c)] == v;
    if (all) return row;
  }
  FAIL("no row matches");
  static const std::vector<std::string> none;
  return none;
}

const Library::FieldSource* field(const Library::Record& r, const std::string& name) {
  for (const auto& f : r.fields)
    if (f.field == name) return &f;
  return nullptr;
}

std::string only_root(Hq& hq) {
  const Table persons = hq.lib->library_persons("");
  REQUIRE(persons.rows.size() == 1);
  return persons.rows[0][column(persons, "person")];
}

}  // namespace

TEST_CASE("participations: one row per event and activity across kiosks and merges",
          "[library_records]") {
  Hq hq("records-participations");
  Kiosk km("records-participations-km", hq, "kh-1"), za("records-participations-za", hq, "za-1");
  register_child(km, "Dara", "Sok");
  // The same child again at the same kiosk and event, spelled differently (a near match), who
  // also joined the science camp.
  const std::string darra = register_child(km, "Darra", "Sok");
  REQUIRE(kiosk::core::Registry(*km.store).add_attendance(darra, km.event_id, "science_camp", km.staff_id).ok());
  register_child(za, "Dara", "Sok");  // an exact match from another kiosk and event
  send(hq, km);
  send(hq, za);
  const Table queue = hq.lib->merge_queue("open");
  REQUIRE(queue.rows.size() == 1);
  std::string why;
  const auto merge_id = hq.lib->merge_accept(std::stoll(queue.rows[0][column(queue, "id")]), "Nary", &why);
  REQUIRE(merge_id > 0);

  Library::Record r;
  REQUIRE(hq.lib->person_record(only_root(hq), &r, &why));
  REQUIRE(r.participations.rows.size() == 3);
  // Two kiosk records at one event and activity are one participation.
  const auto& visit = row_where(r.participations, {{"event_id", km.event_id}, {"activity", "exhibition_visit"}});
  CHECK(visit[column(r.participations, "records")] == "2");
  CHECK(visit[column(r.participations, "kiosks")] == "kh-1");
  CHECK(visit[column(r.participations, "event")] == "Science on Wheels — Phnom Penh");
  CHECK(visit[column(r.participations, "start_date")] == "2026-11-28");
  row_where(r.participations, {{"event_id", km.event_id}, {"activity", "science_camp"}});
  row_where(r.participations, {{"event_id", za.event_id}, {"activity", "exhibition_visit"}});

  // Per event: each canonical person once per activity and once in (all).
  Table events;
  REQUIRE(hq.lib->events_by_activity(&events, &why));
  auto participants = [&](const std::string& event, const std::string& activity) {
    return row_where(events, {{"event_id", event}, {"activity", activity}})[column(events, "participants")];
  };
  CHECK(participants(km.event_id, "exhibition_visit") == "1");
  CHECK(participants(km.event_id, "science_camp") == "1");
  CHECK(participants(km.event_id, "(all)") == "1");
  CHECK(participants(za.event_id, "science_camp") == "0");  // offered, nobody came
  CHECK(participants(za.event_id, "(all)") == "1");

  // Undo the reviewed merge: two people at the kiosk's event again.
  REQUIRE(hq.lib->merge_undo(merge_id, "Nary", &why));
  REQUIRE(hq.lib->events_by_activity(&events, &why));
  CHECK(participants(km.event_id, "exhibition_visit") == "2");
  CHECK(participants(km.event_id, "(all)") == "2");
  REQUIRE(hq.lib->person_record(darra, &r, &why));  // asked by its kiosk record id
  CHECK(r.asked == darra);
  CHECK(r.participations.rows.size() == 2);
  CHECK(r.sources.rows.size() == 1);

  // A voided kiosk record's attendances are not participations (V4).
  REQUIRE(kiosk::core::Registry(*km.store).void_participant(darra, "registered twice", km.staff_id).ok());
  send(hq, km);
  REQUIRE(hq.lib->events_by_activity(&events, &why));
  CHECK(participants(km.event_id, "(all)") == "1");
  REQUIRE(hq.lib->person_record(darra, &r, &why));
  CHECK(r.participations.rows.empty());
  CHECK(r.sources.rows[0][column(r.sources, "status")] == "voided: registered twice");
}

TEST_CASE("provenance: every field names the kiosk record it came from, and follows an undo",
          "[library_records]") {
  Hq hq("records-provenance");
  Kiosk km("records-provenance-km", hq, "kh-1"), za("records-provenance-za", hq, "za-1");
  const std::string first = register_child(km, "Dara", "Sok", {}, "5");
  // An hour later another kiosk registers the same child (exact match) with no grade and
  // another gender: its gender is newer, the older record's grade is the only one (V1).
  za.clock.advance_ms(3'600'000);
  auto reg = za.registration("Dara", "Sok", 2013);
  reg.person.gender = "male";
  const auto saved = kiosk::core::Registry(*za.store).register_participant(reg, za.staff_id);
  REQUIRE(saved.ok());
  const std::string second = saved.id;
  send(hq, za);  // arrival order does not matter: the newer version still wins
  send(hq, km);
  const std::string root = only_root(hq);
  Library::Record r;
  std::string why;
  REQUIRE(hq.lib->person_record(root, &r, &why));
  CHECK(r.sources.rows.size() == 2);
  const auto* gender = field(r, "gender");
  REQUIRE(gender);
  CHECK(gender->value == "male");
  CHECK(gender->source_id == second);
  CHECK(gender->device == "za-1");
  CHECK(gender->entity == "participant");
  CHECK(gender->version_at.rfind("2026-11-29T11:00:00", 0) == 0);
  const auto* grade = field(r, "grade");
  REQUIRE(grade);
  CHECK(grade->value == "5");
  CHECK(grade->source_id == first);
  CHECK(grade->device == "kh-1");
  // The list shows what the record says it came from.
  const Table full = hq.lib->library_persons("", Library::Columns::full);
  REQUIRE(full.rows.size() == 1);
  CHECK(full.rows[0][column(full, "gender")] == "male");
  CHECK(full.rows[0][column(full, "grade")] == "5");
  CHECK(full.rows[0][column(full, "sources")] == "2");
  CHECK(hq.lib->library_persons("").rows[0][column(hq.lib->library_persons(""), "gender")] == "male");

  // Undo the ingest's exact merge: each person has only its own record's values again.
  const Table history = hq.lib->merges();
  REQUIRE(history.rows.size() == 1);
  REQUIRE(hq.lib->merge_undo(std::stoll(history.rows[0][column(history, "id")]), "Nary", &why));
  REQUIRE(hq.lib->person_record(first, &r, &why));
  REQUIRE(field(r, "gender"));
  CHECK(field(r, "gender")->value == "female");
  CHECK(field(r, "gender")->source_id == first);
  CHECK(field(r, "gender")->device == "kh-1");
  REQUIRE(hq.lib->person_record(second, &r, &why));
  CHECK(field(r, "grade") == nullptr);  // nobody filled it for this one
  CHECK(field(r, "gender")->source_id == second);
  CHECK(hq.lib->library_persons("", Library::Columns::full).rows.size() == 2);

  // Unknown ids are an answer, not an empty record.
  CHECK_FALSE(hq.lib->person_record("no-such-id", &r, &why));
  CHECK(why.find("no person") != std::string::npos);
}

TEST_CASE("consent facts are shown and exported, the signature never", "[library_records]") {
  Hq hq("records-consent");
  Kiosk km("records-consent-km", hq, "kh-1");
  const std::string id = register_child(km, "Dara", "Sok");  // a minor: the fixture's consent
  send(hq, km);
  Library::Record r;
  std::string why;
  const bool ok = hq.lib->person_record(id, &r, &why);
  INFO(why);
  REQUIRE(ok);
  const auto* version = field(r, "consent.text_version");
  REQUIRE(version);
  CHECK(version->value == "2026-1");
  CHECK(version->entity == "consent");
  CHECK(version->device == "kh-1");
  REQUIRE(field(r, "consent.language"));
  CHECK(field(r, "consent.language")->value == "km");
  REQUIRE(field(r, "consent.text_sha256"));
  CHECK(field(r, "consent.text_sha256")->value.size() == 64);
  REQUIRE(field(r, "consent.signed_at"));
  CHECK_FALSE(field(r, "consent.signed_at")->value.empty());
  REQUIRE(r.consents.rows.size() == 1);
  CHECK(r.consents.rows[0][column(r.consents, "source")] == id);
  CHECK(std::find(r.consents.columns.begin(), r.consents.columns.end(), "signature") == r.consents.columns.end());

  const Table full = hq.lib->library_persons("", Library::Columns::full);
  CHECK(full.rows[0][column(full, "consent.text_version")] == "2026-1");
  CHECK(full.rows[0][column(full, "consent.language")] == "km");
  CHECK(full.rows[0][column(full, "consent.text_sha256")] == field(r, "consent.text_sha256")->value);
  // The fixture's signature bytes are S G 1 0: their hex is in the library, in no export.
  REQUIRE(core_test::scalar(hq.lib->handle(), "SELECT count(*) FROM source_record WHERE entity = 'consent'"
                                              " AND payload LIKE '%53470100%'") == "1");
  for (const std::string& out : {kiosk::hq::table_csv(full), kiosk::hq::table_json(full),
                                 kiosk::hq::record_json(r)}) {
    CHECK(out.find("53470100") == std::string::npos);
    CHECK(out.find("2026-1") != std::string::npos);
  }
}

TEST_CASE("tour fields are shown with their source and exported as extra.<id> columns",
          "[library_records]") {
  Hq hq("records-extra");
  Kiosk km("records-extra-km", hq, "kh-1");
  register_child(km, "Dara", "Sok", {{"camp_group", "Blue"}, {"subject_taught", "Physics"}});
  const std::string sreymom = register_child(km, "Sreymom", "Chan", {{"camp_group", "=1+2"}});
  register_child(km, "Vuthy", "Keo");
  send(hq, km);
  const Table full = hq.lib->library_persons("", Library::Columns::full);
  REQUIRE(full.rows.size() == 3);
  const auto& dara = row_where(full, {{"given_name", "Dara"}});
  CHECK(dara[column(full, "extra.camp_group")] == "Blue");
  CHECK(dara[column(full, "extra.subject_taught")] == "Physics");
  CHECK(row_where(full, {{"given_name", "Vuthy"}})[column(full, "extra.camp_group")].empty());
  // The basic list (the web pages) keeps its columns.
  const Table basic = hq.lib->library_persons("");
  CHECK(std::find(basic.columns.begin(), basic.columns.end(), "extra.camp_group") == basic.columns.end());

  Library::Record r;
  std::string why;
  REQUIRE(hq.lib->person_record(sreymom, &r, &why));
  REQUIRE(field(r, "extra.camp_group"));
  CHECK(field(r, "extra.camp_group")->value == "=1+2");
  CHECK(field(r, "extra.camp_group")->source_id == sreymom);
  CHECK(r.fields.back().field == "extra.camp_group");  // tour fields after the core fields

  // CSV: one column per id, and a value a spreadsheet would run is escaped.
  const std::string csv = kiosk::hq::table_csv(full);
  CHECK(csv.find(",extra.camp_group,extra.subject_taught\n") != std::string::npos);
  CHECK(csv.find(",'=1+2") != std::string::npos);
  CHECK(csv.find(",=1+2") == std::string::npos);
  const std::string json = kiosk::hq::table_json(full);
  CHECK(json.find("\"extra.subject_taught\": \"Physics\"") != std::string::npos);
  CHECK(json.find("\"extra.camp_group\": \"=1+2\"") != std::string::npos);  // JSON is data, kept as is
}

TEST_CASE("CSV export: formula cells escaped, RFC 4180 quoting", "[library_records]") {
  Table t;
  t.columns = {"a", "b", "c", "d", "e", "f"};
  t.rows = {{"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "Dara, Sok", "plain"}};
  CHECK(kiosk::hq::table_csv(t) ==
        "a,b,c,d,e,f\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),\"Dara, Sok\",plain\n");
  CHECK(kiosk::hq::table_json(t) ==
        "[\n  {\"a\": \"=HYPERLINK(\\\"http://x\\\")\", \"b\": \"+1\", \"c\": \"-2\", \"d\": \"@SUM(A1)\","
        " \"e\": \"Dara, Sok\", \"f\": \"plain\"}\n]");
  // A tab or carriage return in front can hide a formula from a check: escaped too.
  CHECK(kiosk::hq::spreadsheet_safe("\t=1+1") == "'\t=1+1");
  CHECK(kiosk::hq::spreadsheet_safe("\r@SUM(A1)") == "'\r@SUM(A1)");
  CHECK(kiosk::hq::spreadsheet_safe("Dara") == "Dara");
}

TEST_CASE("an organization's fields name their kiosk records", "[library_records]") {
  Hq hq("records-organization");
  Kiosk km("records-organization-km", hq, "kh-1");
  kiosk::core::Organization o;
  o.name = "សាលាបឋមសិក្សា";
  o.name_latin = "Sala Primary";
  o.country = "KH";
  o.city = "Phnom Penh";
  const auto saved = kiosk::core::Registry(*km.store).add_local_organization(o, km.staff_id);
  REQUIRE(saved.ok());
  send(hq, km);
  Library::Record r;
  std::string why;
  REQUIRE(hq.lib->organization_record(saved.id, &r, &why));
  REQUIRE(field(r, "name_latin"));
  CHECK(field(r, "name_latin")->value == "Sala Primary");
  CHECK(field(r, "name_latin")->source_id == saved.id);
  CHECK(field(r, "city")->device == "kh-1");
  CHECK(r.sources.rows.size() == 1);
  const Table list = hq.lib->library_organizations("sala", Library::Columns::full);
  REQUIRE(list.rows.size() == 1);
  CHECK(list.rows[0][column(list, "organization")] == r.id);
  CHECK(hq.lib->library_organizations("nothing like it").rows.empty());
}
