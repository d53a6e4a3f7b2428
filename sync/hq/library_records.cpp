// sync/hq/library_records.cpp — what headquarters shows of its libraries: the canonical lists,
// one person's or organization's record with the provenance of every field, a person's
// participations, and events with their participants per activity.
//
// Design note (the canonical records and merges themselves: library_people.cpp P1-P4)
//  V1. One field, one rule. Each field of a canonical record shows the NEWEST NON-EMPTY value
//      among all of its kiosk records (the sources of every canonical record merged into it).
//      Sources are ranked: live before voided, then by version time (v_at: the kiosk's time of
//      the change-log entry that wrote the version headquarters holds, L4) newest first, then
//      device id, then record id — a total order, so the result never depends on the order
//      bundles arrived in. A field no source filled is empty. Tour fields (the payload's "extra"
//      object, one string per field id) are fields "extra.<id>" under the same rule, whatever
//      their ids: no code knows them.
//  V2. Every value names where it came from: the kiosk record (entity and id), its kiosk's name
//      and its version time. The lists (library_persons/organizations) and the records
//      (person_record/organization_record) run the SAME statement, field_statement(), so what
//      `hq persons` lists is what `hq persons --id` says it came from. A merge or an undo changes
//      which sources count, and with them the values and their provenance; nothing is stored.
//  V3. Consent: the facts consent.text_version, consent.language (the language the text was
//      shown in), consent.text_sha256 and consent.signed_at all come from ONE consent record —
//      the one named (consent_id) by the highest-ranked source that names a consent headquarters
//      holds — so two consents are never mixed. Their provenance is that consent record. The
//      signature strokes never leave source_record: no statement here reads $.signature.
//  V4. Participations: a person's attendance records, from its live (not voided) sources only —
//      a voided record leaves summaries on the kiosk too (registry.cpp I5) — one row per (event,
//      activity) however many sources or kiosks recorded it, with the first time and the kiosks.
//  V5. Events: participants per activity count canonical persons (roots), so a person merged
//      from three kiosks counts once; the row "(all)" counts each person once per event. Events
//      known only from attendances (the event record has not arrived) are listed too.
//
//   kiosk records of a root ──rank (V1)──> per field: first non-empty ──> list cell
//                                                                     └─> record field + source (V2)
//
// [SECTIONS]  STATEMENTS · LISTS · RECORDS · EVENTS
#include "library.h"

#include "sql.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

namespace kiosk::hq {
using core::sql::Statement;

namespace {

// [STATEMENTS]
// The two libraries differ only in these parts of field_statement().
struct Kind {
  const char* canonical;  // person | organization
  const char* entity;     // the kiosk records' entity
  const char* fields;     // json_object() arguments over a source's payload `src.payload`
  std::vector<std::string> order;  // the record's fields, in the order they are shown
  std::vector<std::string> listed;  // the `full` list's field columns (guardians stay in records)
};

const Kind kPerson{
    "person", "participant",
    "'given_name', json_extract(src.payload, '$.given_name'),"
    " 'family_name', json_extract(src.payload, '$.family_name'),"
    " 'given_name_latin', json_extract(src.payload, '$.given_name_latin'),"
    " 'family_name_latin', json_extract(src.payload, '$.family_name_latin'),"
    " 'birth', coalesce(nullif(json_extract(src.payload, '$.birth_date'), ''),"
    "   json_extract(src.payload, '$.birth_year')),"
    " 'gender', json_extract(src.payload, '$.gender'), 'role', json_extract(src.payload, '$.role'),"
    " 'organization', (SELECT coalesce(nullif(json_extract(o.payload, '$.name'), ''),"
    "   json_extract(o.payload, '$.name_latin')) FROM source_record o WHERE"
    "   o.entity = 'organization' AND o.id = json_extract(src.payload, '$.organization_id')),"
    " 'grade', json_extract(src.payload, '$.grade'),"
    " 'interests', (SELECT group_concat(i.value, ', ') FROM json_each(src.payload, '$.interests') i),"
    " 'guardian_name', json_extract(src.payload, '$.guardian_name'),"
    " 'guardian_phone', json_extract(src.payload, '$.guardian_phone')",
    {"given_name", "family_name", "given_name_latin", "family_name_latin", "birth", "gender", "role",
     "organization", "grade", "interests", "guardian_name", "guardian_phone"},
    {"given_name", "family_name", "given_name_latin", "family_name_latin", "birth", "gender", "role",
     "organization", "grade", "interests"}};

const Kind kOrganization{
    "organization", "organization",
    "'name', json_extract(src.payload, '$.name'), 'name_latin', json_extract(src.payload, '$.name_latin'),"
    " 'kind', json_extract(src.payload, '$.kind'), 'country', json_extract(src.payload, '$.country'),"
    " 'city', json_extract(src.payload, '$.city'), 'origin', json_extract(src.payload, '$.origin')",
    {"name", "name_latin", "kind", "country", "city", "origin"},
    {"name", "name_latin", "kind", "country", "city", "origin"}};

const std::vector<std::string> kConsentFields = {"consent.text_version", "consent.language",
                                                 "consent.text_sha256", "consent.signed_at"};

// V1-V3 as one statement. `one` = true: the canonical record ?1 and those merged into it
// (columns field, value, entity, source, device, at); false: every root whose sources match the
// search ?1 ('' = all) (columns root, field, value, plus the pseudo-fields `sources` and
// `updated`, the newest version time).
std::string field_statement(const Kind& k, bool one, bool searching = false) {
  const std::string canonical = k.canonical, entity = k.entity;
  // The roots to compute: one (?1), every root, or (searching) only the roots of the kiosk
  // records whose search key holds ?1 — found first, so a search costs what it finds, not the
  // library's size (a search page: 0.39 s -> 0.042 s at 10,000 people, BENCHMARKS.md).
  std::string roots;
  if (one) {
    roots = "SELECT ?1, ?1";
  } else if (!searching) {
    roots = "SELECT id, id FROM " + canonical + " WHERE merged_into IS NULL";
  } else {
    roots = "SELECT c.id, c.id FROM " + canonical + " c JOIN up ON c.id = up.id WHERE c.merged_into IS NULL";
  }
  std::string sql =
      "WITH RECURSIVE " +
      (searching ? "up(id) AS (SELECT l.canonical_id FROM source_record s CROSS JOIN source_link l"
                   "  ON l.entity = '" + entity + "' AND l.source_id = s.id WHERE s.entity = '" + entity +
                   "' AND instr(s.search_key, hq_fold(?1)) > 0"
                   "  UNION SELECT c.merged_into FROM " + canonical + " c JOIN up ON c.id = up.id"
                   "  WHERE c.merged_into IS NOT NULL), "
                 : std::string()) +
      "tree(id, root) AS (" + roots +
      "  UNION ALL SELECT c.id, tree.root FROM " + canonical + " c JOIN tree ON c.merged_into = tree.id),"
      " src AS (SELECT tree.root, s.id, s.payload, s.v_at, s.v_device, s.search_key, d.name AS device,"
      "  coalesce(json_extract(s.payload, '$.voided'), 0) AS voided"
      "  FROM tree CROSS JOIN source_link l ON l.entity = '" + entity + "' AND l.canonical_id = tree.id"
      "  CROSS JOIN source_record s ON s.entity = '" + entity + "' AND s.id = l.source_id"
      "  JOIN device d ON d.id = s.device_id),"
      // Every candidate value with its provenance (entity..at) and its source's rank (r_*).
      " cand(root, field, value, entity, source, device, at, voided, r_at, r_device, r_id) AS ("
      "  SELECT src.root, f.key, f.value, '" + entity + "', src.id, src.device, src.v_at, src.voided,"
      "   src.v_at, src.v_device, src.id FROM src, json_each(json_object(" + k.fields + ")) f";
  if (entity == "participant")
    sql +=
        "  UNION ALL SELECT src.root, 'extra.' || e.key, e.value, 'participant', src.id, src.device,"
        "   src.v_at, src.voided, src.v_at, src.v_device, src.id FROM src,"
        "   json_each(src.payload, '$.extra') e WHERE e.key IS NOT NULL AND e.type IN ('text', 'integer', 'real')"
        // V3: all four facts from the consent a source names, ranked by that source.
        "  UNION ALL SELECT src.root, 'consent.' || f.key, coalesce(f.value, ''), 'consent', c.id,"
        "   cd.name, c.v_at, src.voided, src.v_at, src.v_device, src.id FROM src"
        "   JOIN source_record c ON c.entity = 'consent' AND c.id = json_extract(src.payload, '$.consent_id')"
        "   JOIN device cd ON cd.id = c.device_id, json_each(json_object("
        "    'text_version', json_extract(c.payload, '$.text_version'),"
        "    'language', json_extract(c.payload, '$.language'),"
        "    'text_sha256', json_extract(c.payload, '$.text_sha256'),"
        "    'signed_at', json_extract(c.payload, '$.signed_at'))) f";
  sql +=
      "),"
      " ranked AS (SELECT cand.*, row_number() OVER (PARTITION BY root, field"
      "  ORDER BY voided, r_at DESC, r_device DESC, r_id DESC) AS n"
      "  FROM cand WHERE entity = 'consent' OR (value IS NOT NULL AND value <> ''))";
  if (one) return sql + " SELECT field, value, entity, source, device, at FROM ranked WHERE n = 1";
  return sql +
         ", hit AS (SELECT root, count(*) AS sources, max(v_at) AS updated FROM src GROUP BY root"
         "  HAVING ?1 = '' OR sum(instr(search_key, hq_fold(?1)) > 0) > 0)"
         " SELECT r.root, r.field, r.value FROM ranked r JOIN hit ON hit.root = r.root WHERE r.n = 1"
         " UNION ALL SELECT root, 'sources', sources FROM hit"
         " UNION ALL SELECT root, 'updated', updated FROM hit";
}

bool read_failed(int rc, const Statement& st, std::string* why) {
  if (rc == SQLITE_DONE) return false;
  *why = "the library cannot be read: " + st.error();
  return true;
}

// A statement's whole result as a Table; false with *why when it cannot be read.
bool run_table(sqlite3* db, const std::string& sql, const std::string& arg, Table* out,
               std::string* why) {
  Statement st(db, sql);
  if (!st.ok()) {
    *why = "the library cannot be read: " + st.error();
    return false;
  }
  st.bind(1, arg);
  Table t;
  for (int c = 0; c < st.column_count(); ++c) t.columns.push_back(st.column_name(c));
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < st.column_count(); ++c) row.push_back(st.text(c));
    t.rows.push_back(std::move(row));
  }
  if (read_failed(rc, st, why)) return false;
  *out = std::move(t);
  return true;
}

// [LISTS]
// The canonical list of `k` (V1): one row per root, columns fixed, then consent.* and extra.*.
bool canonical_list(sqlite3* db, const Kind& k, const std::string& search, Library::Columns columns,
                    Table* out, std::string* why) {
  Statement st(db, field_statement(k, false, !search.empty()));
  st.bind(1, search);
  std::map<std::string, std::map<std::string, std::string>> roots;
  std::set<std::string> extras;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    const std::string field = st.text(1);
    if (field.rfind("extra.", 0) == 0) extras.insert(field);
    roots[st.text(0)][field] = st.text(2);
  }
  if (read_failed(rc, st, why)) return false;
  const bool full = columns == Library::Columns::full;
  std::vector<std::string> fields;
  if (full) {
    fields = k.listed;
  } else if (&k == &kPerson) {
    fields = {"given_name", "family_name", "given_name_latin", "family_name_latin", "birth", "gender", "role"};
  } else {
    fields = {"name", "name_latin", "kind", "country", "city"};
  }
  fields.insert(fields.end(), {"sources", "updated"});
  if (full && &k == &kPerson) {
    fields.insert(fields.end(), kConsentFields.begin(), kConsentFields.end());
    fields.insert(fields.end(), extras.begin(), extras.end());
  }
  Table t;
  t.columns.push_back(k.canonical);
  t.columns.insert(t.columns.end(), fields.begin(), fields.end());
  for (auto& [root, values] : roots) {
    std::vector<std::string> row{root};
    for (const auto& f : fields) row.push_back(values[f]);
    t.rows.push_back(std::move(row));
  }
  // Persons by Latin family then given name, organizations by Latin then native name; then id.
  const std::size_t a = &k == &kPerson ? 4 : 2, b = &k == &kPerson ? 3 : 1;
  std::stable_sort(t.rows.begin(), t.rows.end(), [a, b](const auto& x, const auto& y) {
    return std::tie(x[a], x[b], x[0]) < std::tie(y[a], y[b], y[0]);
  });
  *out = std::move(t);
  return true;
}

}  // namespace

bool Library::list_canonical(const std::string& kind, const std::string& search, Columns columns,
                             Table* out, std::string* why) {
  return canonical_list(m_db, kind == "person" ? kPerson : kOrganization, search, columns, out, why);
}

Table Library::library_persons(const std::string& search, Columns columns) {
  Table t;
  std::string why;
  list_canonical("person", search, columns, &t, &why);
  return t;
}

Table Library::library_organizations(const std::string& search, Columns columns) {
  Table t;
  std::string why;
  list_canonical("organization", search, columns, &t, &why);
  return t;
}

// [RECORDS]
namespace {

// The root of canonical `kind` record `id`, or of the canonical record kiosk record `id` was
// given (P1). *asked = id when it was not a root. False with *why when neither exists.
bool find_root(sqlite3* db, const Kind& k, const std::string& id, std::string* root,
               std::string* asked, std::string* why) {
  const std::string canonical = k.canonical;
  Statement own(db, "SELECT id FROM " + canonical + " WHERE id = ?1 UNION ALL"
                    " SELECT canonical_id FROM source_link WHERE entity = ?2 AND source_id = ?1");
  own.bind(1, id).bind(2, k.entity);
  int rc = own.step();
  if (rc != SQLITE_ROW) {
    if (!read_failed(rc, own, why))
      *why = "no " + canonical + " or kiosk record " + id + " (see hq " + canonical + "s)";
    return false;
  }
  std::string cur = own.text(0);
  Statement up(db, "SELECT merged_into FROM " + canonical + " WHERE id = ?");
  for (int depth = 0; depth < 10000; ++depth) {  // P2: chains end; the bound is defensive
    up.reset();
    up.bind(1, cur);
    rc = up.step();
    if (rc != SQLITE_ROW) {
      if (read_failed(rc, up, why)) return false;
      break;
    }
    const auto next = up.optional_text(0);
    if (!next) break;
    cur = *next;
  }
  *root = cur;
  *asked = cur == id ? "" : id;
  return true;
}

bool fill_record(sqlite3* db, const Kind& k, const std::string& id, Library::Record* out,
                 std::string* why) {
  Library::Record r;
  if (!find_root(db, k, id, &r.id, &r.asked, why)) return false;
  Statement st(db, field_statement(k, true));
  st.bind(1, r.id);
  std::map<std::string, Library::FieldSource> found;
  int rc;
  while ((rc = st.step()) == SQLITE_ROW)
    found[st.text(0)] = {st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
  if (read_failed(rc, st, why)) return false;
  std::vector<std::string> order = k.order;
  if (&k == &kPerson) order.insert(order.end(), kConsentFields.begin(), kConsentFields.end());
  for (const auto& [field, f] : found)
    if (field.rfind("extra.", 0) == 0) order.push_back(field);  // std::map: sorted by id
  for (const auto& field : order) {
    const auto it = found.find(field);
    if (it != found.end() && !it->second.value.empty()) r.fields.push_back(it->second);
  }
  *out = std::move(r);
  return true;
}

}  // namespace

bool Library::person_record(const std::string& id, Record* out, std::string* why) {
  Record r;
  if (!fill_record(m_db, kPerson, id, &r, why)) return false;
  const std::string tree =
      "WITH RECURSIVE tree(id) AS (SELECT ?1 UNION SELECT p.id FROM person p JOIN tree"
      " ON p.merged_into = tree.id),"
      " src AS (SELECT s.id, s.payload, s.v_at, s.updated_at, d.name AS device FROM tree"
      "  CROSS JOIN source_link l ON l.entity = 'participant' AND l.canonical_id = tree.id"
      "  CROSS JOIN source_record s ON s.entity = 'participant' AND s.id = l.source_id"
      "  JOIN device d ON d.id = s.device_id)";
  if (!run_table(m_db, tree +
                 " SELECT id AS source, device, json_extract(payload, '$.given_name') AS given_name,"
                 "  json_extract(payload, '$.family_name') AS family_name,"
                 "  json_extract(payload, '$.given_name_latin') AS given_name_latin,"
                 "  json_extract(payload, '$.family_name_latin') AS family_name_latin,"
                 "  coalesce(nullif(json_extract(payload, '$.birth_date'), ''),"
                 "   json_extract(payload, '$.birth_year'), '') AS birth,"
                 "  CASE WHEN coalesce(json_extract(payload, '$.voided'), 0) THEN 'voided: ' ||"
                 "   coalesce(json_extract(payload, '$.void_reason'), '') ELSE 'live' END AS status,"
                 "  v_at AS version_at, updated_at AS received_at"
                 " FROM src ORDER BY v_at DESC, id DESC", r.id, &r.sources, why))
    return false;
  // V3: what was consented to, never the signature.
  if (!run_table(m_db, tree +
                 " SELECT c.id AS consent, src.id AS source, cd.name AS device,"
                 "  json_extract(c.payload, '$.text_version') AS text_version,"
                 "  json_extract(c.payload, '$.language') AS language,"
                 "  json_extract(c.payload, '$.text_sha256') AS text_sha256,"
                 "  json_extract(c.payload, '$.signed_at') AS signed_at"
                 " FROM src JOIN source_record c ON c.entity = 'consent'"
                 "  AND c.id = json_extract(src.payload, '$.consent_id')"
                 " JOIN device cd ON cd.id = c.device_id ORDER BY signed_at DESC, c.id", r.id,
                 &r.consents, why))
    return false;
  // V4: one row per (event, activity), from the live sources' attendance records.
  if (!run_table(m_db, tree +
                 ", att AS (SELECT json_extract(a.payload, '$.event_id') AS event_id,"
                 "  json_extract(a.payload, '$.activity') AS activity,"
                 "  json_extract(a.payload, '$.at') AS at, d.name AS device"
                 "  FROM source_record a JOIN device d ON d.id = a.device_id"
                 "  WHERE a.entity = 'attendance' AND json_extract(a.payload, '$.participant_id') IN"
                 "  (SELECT id FROM src WHERE coalesce(json_extract(payload, '$.voided'), 0) = 0))"
                 " SELECT coalesce(json_extract(e.payload, '$.name'), '(event not received yet)') AS event,"
                 "  att.activity, coalesce(json_extract(e.payload, '$.start_date'), '') AS start_date,"
                 "  coalesce(json_extract(e.payload, '$.end_date'), '') AS end_date,"
                 "  coalesce(json_extract(e.payload, '$.city'), '') AS city,"
                 "  coalesce(json_extract(e.payload, '$.country'), '') AS country,"
                 "  coalesce(json_extract(e.payload, '$.tour'), '') AS tour,"
                 "  min(att.at) AS first_at, group_concat(DISTINCT att.device) AS kiosks,"
                 "  count(*) AS records, att.event_id"
                 " FROM att LEFT JOIN source_record e ON e.entity = 'event' AND e.id = att.event_id"
                 " GROUP BY att.event_id, att.activity ORDER BY start_date, event, att.event_id,"
                 "  att.activity", r.id, &r.participations, why))
    return false;
  *out = std::move(r);
  return true;
}

bool Library::organization_record(const std::string& id, Record* out, std::string* why) {
  Record r;
  if (!fill_record(m_db, kOrganization, id, &r, why)) return false;
  if (!run_table(m_db,
                 "WITH RECURSIVE tree(id) AS (SELECT ?1 UNION SELECT o.id FROM organization o"
                 " JOIN tree ON o.merged_into = tree.id)"
                 " SELECT s.id AS source, d.name AS device, json_extract(s.payload, '$.name') AS name,"
                 "  json_extract(s.payload, '$.name_latin') AS name_latin,"
                 "  json_extract(s.payload, '$.country') AS country,"
                 "  json_extract(s.payload, '$.city') AS city,"
                 "  json_extract(s.payload, '$.origin') AS origin,"
                 "  s.v_at AS version_at, s.updated_at AS received_at"
                 " FROM tree CROSS JOIN source_link l ON l.entity = 'organization'"
                 " AND l.canonical_id = tree.id CROSS JOIN source_record s ON s.entity = 'organization' AND s.id = l.source_id"
                 " JOIN device d ON d.id = s.device_id ORDER BY s.v_at DESC, s.id DESC",
                 r.id, &r.sources, why))
    return false;
  *out = std::move(r);
  return true;
}

// [EVENTS]
bool Library::events_by_activity(Table* out, std::string* why) {
  return run_table(
      m_db,
      "WITH RECURSIVE root(id, top) AS (SELECT id, id FROM person WHERE merged_into IS NULL"
      "  UNION ALL SELECT p.id, root.top FROM person p JOIN root ON p.merged_into = root.id),"
      // V4/V5: attendances of live kiosk records, as (event, activity, canonical person).
      " att AS (SELECT json_extract(a.payload, '$.event_id') AS event_id,"
      "  json_extract(a.payload, '$.activity') AS activity, root.top AS person"
      // CROSS JOIN keeps attendances the outer loop: the other order scanned every attendance
      // once per kiosk record (2 minutes at 10,000 people instead of 0.2 s).
      "  FROM source_record a CROSS JOIN source_link l ON l.entity = 'participant'"
      "  AND l.source_id = json_extract(a.payload, '$.participant_id')"
      "  JOIN source_record ps ON ps.entity = 'participant' AND ps.id = l.source_id"
      "  JOIN root ON root.id = l.canonical_id"
      "  WHERE a.entity = 'attendance' AND coalesce(json_extract(ps.payload, '$.voided'), 0) = 0),"
      " ev AS (SELECT id FROM source_record WHERE entity = 'event' UNION SELECT event_id FROM att),"
      " per_activity AS (SELECT event_id, activity, count(DISTINCT person) AS n FROM att"
      "  GROUP BY event_id, activity),"
      " per_event AS (SELECT event_id, count(DISTINCT person) AS n FROM att GROUP BY event_id),"
      // The activities an event offers and any it was attended for; then the whole event.
      " rows(event_id, activity, last) AS (SELECT e.id, j.value, 0 FROM source_record e,"
      "  json_each(e.payload, '$.activity_types') j WHERE e.entity = 'event'"
      "  UNION SELECT event_id, activity, 0 FROM att UNION SELECT id, '(all)', 1 FROM ev)"
      " SELECT coalesce(json_extract(e.payload, '$.name'), '(event not received yet)') AS event,"
      "  coalesce(json_extract(e.payload, '$.tour'), '') AS tour,"
      "  coalesce(json_extract(e.payload, '$.city'), '') AS city,"
      "  coalesce(json_extract(e.payload, '$.country'), '') AS country,"
      "  coalesce(json_extract(e.payload, '$.start_date'), '') AS start_date,"
      "  coalesce(json_extract(e.payload, '$.end_date'), '') AS end_date,"
      "  rows.activity, coalesce(CASE rows.last WHEN 1 THEN pe.n ELSE pa.n END, 0) AS participants,"
      "  coalesce(d.name, '') AS device, rows.event_id"
      " FROM rows LEFT JOIN source_record e ON e.entity = 'event' AND e.id = rows.event_id"
      " LEFT JOIN per_activity pa ON pa.event_id = rows.event_id AND pa.activity = rows.activity"
      " LEFT JOIN per_event pe ON pe.event_id = rows.event_id"
      " LEFT JOIN device d ON d.id = e.device_id WHERE ?1 = ?1"
      " ORDER BY start_date, event, rows.event_id, rows.last, rows.activity",
      "", out, why);
}

}  // namespace kiosk::hq
