// sync/hq/report.cpp — the yearly report's figures (report.h E1-E5), the folder it is written
// to, CSV, queries.sql and the `hq report` command. HTML: report_html.cpp; XLSX: report_xlsx.cpp.
//
// [SECTIONS]
//   QUERIES    the shared WITH clause (E2, E3) and one statement per table
//   BUILD      options checked, statements run in one read transaction
//   TEXT       CSV and queries.sql
//   WRITE      the temporary folder renamed onto the output (E4)
//   COMMAND    `hq report`
#include "report.h"

#include "store.h"

#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::hq {
namespace fs = std::filesystem;

namespace {

// [QUERIES] Parameters: :year ('YYYY'), :country ('' = all), :target_people,
// :target_organizations. The shared steps run first, in order, each into a temporary table of
// its name (inside the report's read transaction, whose end drops them); every table's statement
// then reads them. Computing them once instead of as CTEs in every statement takes the report at
// 10,000 people from 60 s (CTEs re-extracting JSON per outer row) to well under the 2 s budget
// (BENCHMARKS.md).
struct Step {
  const char* name;
  const char* select;
  const char* index;  // the column later joins look it up by ("" = none)
};

const Step kSteps[] = {
    // E2: every canonical person and organization record with the root it is merged into.
    {"person_root", R"sql(WITH RECURSIVE r(id, root) AS (
    SELECT id, id FROM person WHERE merged_into IS NULL
    UNION ALL SELECT p.id, r.root FROM person p JOIN r ON p.merged_into = r.id)
  SELECT id, root FROM r)sql", "id"},
    {"org_root", R"sql(WITH RECURSIVE r(id, root) AS (
    SELECT id, id FROM organization WHERE merged_into IS NULL
    UNION ALL SELECT o.id, r.root FROM organization o JOIN r ON o.merged_into = r.id)
  SELECT id, root FROM r)sql", "id"},
    // Kiosk participant records that are not voided, with their canonical person.
    {"person_src", R"sql(SELECT ps.id, r.root AS person, ps.gender, ps.role, ps.birth_date, ps.birth_year,
         ps.organization_id, ps.updated_at,
         coalesce(json_extract(sr.payload, '$.created_at'), sr.first_seen_at) AS created_at
  FROM person_source ps
  JOIN source_record sr ON sr.entity = 'participant' AND sr.id = ps.id
  JOIN source_link l ON l.entity = 'participant' AND l.source_id = ps.id
  JOIN person_root r ON r.id = l.canonical_id
  WHERE ps.voided = 0)sql", "id"},
    // A person's fields: their most recently updated record; first_at: their first registration.
    {"person_attr", R"sql(SELECT person, gender, role, birth_date, birth_year, organization_id, first_at FROM (
    SELECT s.*, row_number() OVER w AS n,
           min(s.created_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_at
    FROM person_src s WINDOW w AS (PARTITION BY s.person ORDER BY s.updated_at DESC, s.id))
  WHERE n = 1)sql", "person"},
    {"org_src", R"sql(SELECT os.id, r.root AS org, os.name, os.name_latin, os.kind, os.country, os.updated_at,
         coalesce(json_extract(sr.payload, '$.created_at'), sr.first_seen_at) AS created_at
  FROM organization_source os
  JOIN source_record sr ON sr.entity = 'organization' AND sr.id = os.id
  JOIN source_link l ON l.entity = 'organization' AND l.source_id = os.id
  JOIN org_root r ON r.id = l.canonical_id)sql", "id"},
    {"org_attr", R"sql(SELECT org, name, name_latin, kind, country, first_at FROM (
    SELECT o.*, row_number() OVER w AS n,
           min(o.created_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_at
    FROM org_src o WINDOW w AS (PARTITION BY o.org ORDER BY o.updated_at DESC, o.id))
  WHERE n = 1)sql", "org"},
    {"events", R"sql(SELECT id, json_extract(payload, '$.name') AS name, json_extract(payload, '$.tour') AS tour,
         json_extract(payload, '$.city') AS city, json_extract(payload, '$.country') AS country,
         json_extract(payload, '$.start_date') AS start_date
  FROM source_record WHERE entity = 'event')sql", "id"},
    {"year_events", R"sql(SELECT * FROM events
  WHERE substr(start_date, 1, 4) = :year AND (:country = '' OR country = :country))sql", "id"},
    {"attendance", R"sql(SELECT json_extract(payload, '$.participant_id') AS participant_id,
         json_extract(payload, '$.event_id') AS event_id
  FROM source_record WHERE entity = 'attendance')sql", ""},
    // Every canonical person once per event they attended (any year), from attendance records.
    {"attended", R"sql(SELECT DISTINCT s.person, e.id AS event_id, e.start_date
  FROM attendance a
  JOIN person_src s ON s.id = a.participant_id
  JOIN events e ON e.id = a.event_id)sql", "person"},
    // E3: the year's participations, with the person's fields and age band at the event.
    {"visit", R"sql(SELECT v.person, e.id AS event_id, e.name AS event, e.tour, e.city, e.country, e.start_date,
         v.gender, v.role, v.organization_id,
         CASE WHEN age < 10 THEN 'under_10' WHEN age <= 12 THEN '10_12'
              WHEN age <= 15 THEN '13_15' WHEN age <= 17 THEN '16_17' ELSE '18_plus' END
           AS age_band
  FROM (SELECT a.person, a.event_id, p.gender, p.role, p.organization_id,
               CASE WHEN length(p.birth_date) = 10 THEN
                 CAST(substr(a.start_date, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER)
                 - (substr(a.start_date, 6, 5) < substr(p.birth_date, 6, 5))
               ELSE CAST(substr(a.start_date, 1, 4) AS INTEGER) - p.birth_year - 1 END AS age
        FROM attended a JOIN person_attr p ON p.person = a.person) v
  JOIN year_events e ON e.id = v.event_id)sql", "event_id"},
    // The year's people: each once, as at their first event of the year.
    {"year_person", R"sql(SELECT * FROM (
    SELECT v.*, row_number() OVER (PARTITION BY v.person ORDER BY v.start_date, v.event_id) AS n
    FROM visit v) WHERE n = 1)sql", "person"},
};

struct TableSql {
  const char* id;
  const char* select;  // reads the shared steps' tables
};

const TableSql kTables[] = {
    {"library_growth", R"sql(WITH RECURSIVE months(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM months WHERE m < 12),
  calendar AS (SELECT :year || '-' || printf('%02d', m) AS month FROM months),
  people AS (SELECT substr(first_at, 1, 7) AS month, count(*) AS n FROM person_attr GROUP BY 1),
  orgs AS (SELECT substr(first_at, 1, 7) AS month, count(*) AS n FROM org_attr GROUP BY 1)
SELECT c.month,
  coalesce((SELECT n FROM people p WHERE p.month = c.month), 0) AS new_people,
  (SELECT coalesce(sum(n), 0) FROM people p WHERE p.month <= c.month) AS people,
  :target_people AS target_people,
  coalesce((SELECT n FROM orgs o WHERE o.month = c.month), 0) AS new_organizations,
  (SELECT coalesce(sum(n), 0) FROM orgs o WHERE o.month <= c.month) AS organizations,
  :target_organizations AS target_organizations
FROM calendar c ORDER BY c.month)sql"},
    {"participants_by_country", R"sql(
SELECT country, count(DISTINCT event_id) AS events, count(DISTINCT person) AS participants,
  count(*) AS participations
FROM visit GROUP BY country ORDER BY country)sql"},
    {"participants_by_tour_stop", R"sql(
SELECT tour, country, city, count(DISTINCT event_id) AS events,
  count(DISTINCT person) AS participants
FROM visit GROUP BY tour, country, city ORDER BY tour, country, city)sql"},
    {"participants_by_event", R"sql(
SELECT e.start_date, e.name AS event, e.tour, e.country, e.city,
  count(v.person) AS participants,
  count(CASE WHEN v.role = 'student' THEN 1 END) AS students,
  count(CASE WHEN v.role = 'teacher' THEN 1 END) AS teachers,
  count(CASE WHEN v.gender = 'female' THEN 1 END) AS female
FROM year_events e LEFT JOIN visit v ON v.event_id = e.id
GROUP BY e.id ORDER BY e.start_date, e.name, participants DESC, e.id)sql"},
    {"participants_by_role", R"sql(
SELECT role, count(*) AS participants,
  round(100.0 * count(*) / (SELECT count(*) FROM year_person), 1) AS percent
FROM year_person GROUP BY role
ORDER BY CASE role WHEN 'student' THEN 1 WHEN 'teacher' THEN 2 ELSE 3 END, role)sql"},
    {"participants_by_gender", R"sql(
SELECT gender, count(*) AS participants,
  round(100.0 * count(*) / (SELECT count(*) FROM year_person), 1) AS percent
FROM year_person GROUP BY gender
ORDER BY CASE gender WHEN 'female' THEN 1 WHEN 'male' THEN 2 WHEN 'other' THEN 3 ELSE 4 END)sql"},
    {"participants_by_age_band", R"sql(
SELECT age_band, count(*) AS participants,
  round(100.0 * count(*) / (SELECT count(*) FROM year_person), 1) AS percent
FROM year_person GROUP BY age_band
ORDER BY CASE age_band WHEN 'under_10' THEN 1 WHEN '10_12' THEN 2 WHEN '13_15' THEN 3
  WHEN '16_17' THEN 4 ELSE 5 END)sql"},
    {"girls_and_women", R"sql(
SELECT country, count(DISTINCT person) AS participants,
  count(DISTINCT CASE WHEN gender = 'female' THEN person END) AS female,
  round(100.0 * count(DISTINCT CASE WHEN gender = 'female' THEN person END)
        / count(DISTINCT person), 1) AS percent_female
FROM visit GROUP BY country
UNION ALL
SELECT 'all', count(*), count(CASE WHEN gender = 'female' THEN 1 END),
  round(100.0 * count(CASE WHEN gender = 'female' THEN 1 END) / count(*), 1)
FROM year_person HAVING count(*) > 0)sql"},
    {"new_and_returning", R"sql(
SELECT CASE WHEN EXISTS (SELECT 1 FROM attended a WHERE a.person = y.person
                           AND substr(a.start_date, 1, 4) < :year)
            THEN 'returning' ELSE 'new' END AS kind,
  count(*) AS participants,
  round(100.0 * count(*) / (SELECT count(*) FROM year_person), 1) AS percent
FROM year_person y GROUP BY kind ORDER BY kind)sql"},
    {"organizations_by_kind_and_country", R"sql(
SELECT kind, country, count(*) AS organizations
FROM org_attr GROUP BY kind, country ORDER BY kind, country)sql"},
    {"exhibit_engagement", R"sql(
-- The kiosks' anonymous visit statistics (kiosk/core/visit_stats.h, sent signed by each kiosk:
-- sync/README.md "Visit statistics"): days of the year; with a country, the kiosks that held
-- events in it. Quiz success: right answers out of all answers.
SELECT v.lang AS language, sum(v.opened) AS opens, sum(v.dwell_s) AS dwell_seconds,
  CASE WHEN sum(v.quiz_right + v.quiz_wrong) > 0
       THEN round(100.0 * sum(v.quiz_right) / sum(v.quiz_right + v.quiz_wrong), 1) END
    AS quiz_success_percent
FROM visit_stat v
WHERE substr(v.day, 1, 4) = :year
  AND (:country = '' OR v.device_id IN (SELECT device_id FROM source_record
        WHERE entity = 'event' AND json_extract(payload, '$.country') = :country))
GROUP BY v.lang ORDER BY opens DESC, v.lang)sql"},
    {"data_quality", R"sql(
SELECT 'pending_person_merges' AS check_name,
  (SELECT count(*) FROM merge_candidate WHERE kind = 'person' AND state = 'open') AS value
UNION ALL SELECT 'pending_organization_merges',
  (SELECT count(*) FROM merge_candidate WHERE kind = 'organization' AND state = 'open')
UNION ALL SELECT 'people_without_birth_date', (SELECT count(*) FROM person_attr WHERE birth_date IS NULL)
UNION ALL SELECT 'people_gender_unspecified', (SELECT count(*) FROM person_attr WHERE gender = 'unspecified')
UNION ALL SELECT 'people_without_organization',
  (SELECT count(*) FROM person_attr WHERE coalesce(organization_id, '') = '')
UNION ALL SELECT 'organizations_without_country', (SELECT count(*) FROM org_attr WHERE coalesce(country, '') = '')
UNION ALL SELECT 'devices_with_gaps',
  (SELECT count(DISTINCT i.device_id) FROM incarnation i WHERE EXISTS (SELECT 1 FROM entry e
     WHERE e.device_id = i.device_id AND e.incarnation_id = i.id AND e.seq > i.high_water + 1))
UNION ALL SELECT 'devices_never_sent', (SELECT count(*) FROM device WHERE state = 'pending'))sql"},
    {"event_summary", R"sql(WITH per_event AS (
  SELECT event_id, 'participants' AS dimension, 'all' AS value, count(*) AS participants FROM visit GROUP BY event_id
  UNION ALL SELECT event_id, 'gender', gender, count(*) FROM visit GROUP BY event_id, gender
  UNION ALL SELECT event_id, 'role', role, count(*) FROM visit GROUP BY event_id, role
  UNION ALL SELECT event_id, 'age_band', age_band, count(*) FROM visit GROUP BY event_id, age_band
  UNION ALL SELECT event_id, 'organization', name, participants FROM (
    SELECT v.event_id, coalesce(oa.name, '') AS name, count(*) AS participants,
      row_number() OVER (PARTITION BY v.event_id ORDER BY count(*) DESC, coalesce(oa.name, '')) AS rank
    FROM visit v LEFT JOIN org_src os ON os.id = v.organization_id
    LEFT JOIN org_attr oa ON oa.org = os.org
    GROUP BY v.event_id, oa.org) WHERE rank <= 5)
SELECT e.start_date, e.name AS event, e.country, e.city, p.dimension, p.value AS category,
  p.participants
FROM year_events e JOIN per_event p ON p.event_id = e.id
ORDER BY e.start_date, e.name, e.id,
  CASE p.dimension WHEN 'participants' THEN 1 WHEN 'gender' THEN 2 WHEN 'role' THEN 3
    WHEN 'age_band' THEN 4 ELSE 5 END,
  CASE WHEN p.dimension = 'age_band' THEN CASE p.value WHEN 'under_10' THEN 1 WHEN '10_12' THEN 2
    WHEN '13_15' THEN 3 WHEN '16_17' THEN 4 ELSE 5 END ELSE 0 END, p.participants DESC, p.value)sql"},
};

std::string now_utc() {
  return core::iso_time(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count());
}

void bind_named(sqlite3_stmt* st, const char* name, const std::string& v) {
  const int i = sqlite3_bind_parameter_index(st, name);
  if (i > 0) sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

void bind_named(sqlite3_stmt* st, const char* name, std::int64_t v) {
  const int i = sqlite3_bind_parameter_index(st, name);
  if (i > 0) sqlite3_bind_int64(st, i, v);
}

// Runs one statement with the report's parameters into `out`.
bool run_table(sqlite3* db, const ReportOptions& o, ReportTable* out, std::string* why) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, out->sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    *why = out->id + ": " + sqlite3_errmsg(db);  // impossible unless the schema moved under us
    sqlite3_finalize(st);
    return false;
  }
  bind_named(st, ":year", std::to_string(o.year));
  bind_named(st, ":country", o.country);
  bind_named(st, ":target_people", o.target_people);
  bind_named(st, ":target_organizations", o.target_organizations);
  const int n = sqlite3_column_count(st);
  for (int c = 0; c < n; ++c) out->columns.push_back(sqlite3_column_name(st, c));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<ReportCell> row;
    for (int c = 0; c < n; ++c) {
      const int type = sqlite3_column_type(st, c);
      const auto* t = sqlite3_column_text(st, c);
      ReportCell cell;
      if (t) cell.text.assign(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
      cell.number = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
      row.push_back(std::move(cell));
    }
    out->rows.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    *why = out->id + ": " + sqlite3_errmsg(db);  // a read that fails is not an empty table
    return false;
  }
  return true;
}

// One value from a one-column statement with the report's parameters ("" when none).
std::optional<std::string> scalar(sqlite3* db, const std::string& sql, const ReportOptions& o,
                                  std::string* why) {
  ReportTable t;
  t.id = "scalar";
  t.sql = sql;
  if (!run_table(db, o, &t, why)) return std::nullopt;
  return t.rows.empty() ? std::string() : t.rows[0][0].text;
}

bool valid_country(const std::string& c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

}  // namespace

const ReportTable* Report::find(const std::string& id) const {
  for (const auto& t : tables)
    if (t.id == id) return &t;
  return nullptr;
}

// [BUILD]
std::optional<Report> build_report(Library& lib, const ReportOptions& options, std::string* why) {
  if (options.year < 2000 || options.year > 2100) {
    *why = "--year must be a year from 2000 to 2100, e.g. --year 2026";
    return std::nullopt;
  }
  if (options.lang != "en" && options.lang != "zh") {
    *why = "--lang must be en or zh, not '" + options.lang + "'";
    return std::nullopt;
  }
  if (options.target_people <= 0 || options.target_organizations <= 0) {
    *why = "targets must be positive whole numbers";
    return std::nullopt;
  }
  if (!options.country.empty() && !valid_country(options.country)) {
    *why = "--country must be two capital letters (ISO 3166-1), e.g. KH, not '" + options.country + "'";
    return std::nullopt;
  }
  sqlite3* db = lib.handle();
  // One read transaction: every table sees the same library even while `hq serve` ingests.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    *why = std::string("cannot read the library: ") + sqlite3_errmsg(db);
    return std::nullopt;
  }
  struct EndRead {
    sqlite3* db;
    ~EndRead() { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }
  } end_read{db};

  Report r;
  r.options = options;
  r.made_at = now_utc();
  const char* path = sqlite3_db_filename(db, "main");
  r.library_path = path ? path : "";
  auto id = scalar(db, "SELECT value FROM meta WHERE key = 'library_id'", options, why);
  if (!id) return std::nullopt;
  r.library_id = *id;
  if (!options.country.empty()) {
    auto known = scalar(db, "SELECT count(*) FROM source_record WHERE entity = 'event'"
                            " AND json_extract(payload, '$.country') = :country", options, why);
    if (!known) return std::nullopt;
    if (*known == "0") {
      auto all = scalar(db, "SELECT coalesce(group_concat(c, ', '), 'none') FROM (SELECT DISTINCT"
                            " json_extract(payload, '$.country') AS c FROM source_record"
                            " WHERE entity = 'event' AND c <> '' ORDER BY c)", options, why);
      if (!all) return std::nullopt;
      *why = "no event in this library is in country '" + options.country +
             "' (the library's countries: " + *all + ")";
      return std::nullopt;
    }
  }
  auto events = scalar(db, "SELECT count(*) FROM source_record WHERE entity = 'event'"
                           " AND substr(json_extract(payload, '$.start_date'), 1, 4) = :year"
                           " AND (:country = '' OR json_extract(payload, '$.country') = :country)",
                       options, why);
  if (!events) return std::nullopt;
  r.events_in_year = std::atoll(events->c_str());
  // The shared steps, each into a temporary table (rolled back with the read transaction).
  for (const auto& step : kSteps) {
    std::vector<std::string> statements = {
        std::string("DROP TABLE IF EXISTS temp.") + step.name,
        std::string("CREATE TEMP TABLE ") + step.name + " AS\n  " + step.select};
    if (*step.index)
      statements.push_back(std::string("CREATE INDEX temp.") + step.name + "_" + step.index + " ON " +
                           step.name + "(" + step.index + ")");
    for (const auto& sql : statements) {
      ReportTable scratch;
      scratch.id = step.name;
      scratch.sql = sql;
      if (!run_table(db, options, &scratch, why)) return std::nullopt;
      if (sql.rfind("DROP", 0) != 0) r.shared_sql.push_back(sql + ";");
    }
  }
  for (const auto& t : kTables) {
    ReportTable table;
    table.id = t.id;
    std::string_view select = t.select;
    while (!select.empty() && select.front() == '\n') select.remove_prefix(1);
    table.sql = std::string(select) + ";";
    if (!run_table(db, options, &table, why)) return std::nullopt;
    r.tables.push_back(std::move(table));
  }
  return r;
}

// [TEXT]
std::string spreadsheet_safe(const std::string& text) {
  // = + - @ start a formula; a leading tab or carriage return can hide one from a check and
  // still be read as a formula by some spreadsheets (OWASP's CSV injection advice names all six).
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos)
    return "'" + text;
  return text;
}

std::string report_csv(const ReportTable& table) {
  auto field = [](const std::string& raw) {
    const std::string v = spreadsheet_safe(raw);
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (const char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    out += (c ? "," : "") + field(table.columns[c]);
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + field(row[c].text);
    out += "\r\n";
  }
  return out;
}

std::string report_queries(const Report& r) {
  const auto& o = r.options;
  std::string out =
      "-- Roadshow Kiosk yearly report: the statement behind every table (sync/hq/report.h E1).\n"
      "-- library_id: " + r.library_id + "\n-- library:    " + r.library_path +
      "\n-- made at:    " + r.made_at + " (UTC)\n"
      "-- Run with the sqlite3 shell against a copy of the library, binding the parameters:\n"
      "--   .param set :year \"'" + std::to_string(o.year) + "'\"\n"
      "--   .param set :country \"'" + o.country + "'\"\n"
      "--   .param set :target_people " + std::to_string(o.target_people) + "\n"
      "--   .param set :target_organizations " + std::to_string(o.target_organizations) + "\n"
      "\n"
      "-- about (library_id)\nSELECT value FROM meta WHERE key = 'library_id';\n\n";
  out += "-- Shared steps: run these first, in order; the tables' statements read them.\n\n";
  for (const auto& sql : r.shared_sql) out += sql + "\n\n";
  out += "-- The tables, each under its CSV file's name.\n\n";
  for (const auto& t : r.tables) out += "-- " + t.id + "\n" + t.sql + "\n\n";
  return out;
}

// [WRITE]
namespace {

bool write_text(const fs::path& p, const std::string& text, std::string* why) {
  std::ofstream f(p, std::ios::binary);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) {
    *why = p.string() + ": cannot write";
    return false;
  }
  return true;
}

std::string about_csv(const Report& r) {
  ReportTable t;
  t.columns = {"key", "value"};
  auto row = [&](const std::string& k, const std::string& v) { t.rows.push_back({{k, false}, {v, false}}); };
  row("library_id", r.library_id);
  row("library_path", r.library_path);
  row("made_at", r.made_at);
  row("year", std::to_string(r.options.year));
  row("country", r.options.country.empty() ? "all" : r.options.country);
  row("lang", r.options.lang);
  row("target_people", std::to_string(r.options.target_people));
  row("target_organizations", std::to_string(r.options.target_organizations));
  row("events_in_year", std::to_string(r.events_in_year));
  return report_csv(t);
}

}  // namespace

bool write_report(Library& lib, const ReportOptions& options, const std::string& out_dir,
                  std::string* why) {
  const fs::path out = fs::path(out_dir).lexically_normal();
  const fs::path target = out.has_filename() ? out : out.parent_path();
  std::error_code ec;
  if (fs::exists(target, ec) && !(fs::is_directory(target, ec) && fs::is_empty(target, ec))) {
    *why = target.string() + ": already exists and is not an empty folder; refusing to overwrite it";
    return false;
  }
  const auto report = build_report(lib, options, why);
  if (!report) return false;
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (parent / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data())) {
    *why = parent.string() + ": cannot write the report here (" + std::strerror(errno) + ")";
    return false;
  }
  const fs::path tmp = tmpl;
  auto fail = [&](const std::string& reason) {
    *why = reason;
    fs::remove_all(tmp, ec);
    return false;
  };
  std::string w;
  if (!write_text(tmp / "report.html", report_html(*report), &w)) return fail(w);
  if (!write_text(tmp / "queries.sql", report_queries(*report), &w)) return fail(w);
  if (!write_text(tmp / "about.csv", about_csv(*report), &w)) return fail(w);
  for (const auto& t : report->tables)
    if (!write_text(tmp / (t.id + ".csv"), report_csv(t), &w)) return fail(w);
  if (!write_report_xlsx(*report, (tmp / "report.xlsx").string(), &w)) return fail(w);
  ::chmod(tmp.c_str(), 0755);  // mkdtemp makes it 0700
  if (std::rename(tmp.c_str(), target.c_str()) != 0)
    return fail(target.string() + ": cannot move the finished report into place (" +
                std::strerror(errno) + ")");
  return true;
}

std::string report_html(Library& lib, const ReportOptions& options, std::string* why) {
  const auto report = build_report(lib, options, why);
  return report ? report_html(*report) : std::string();
}

// [COMMAND]
const char* const kReportHelp =
    "usage: hq --library DIR report --year YYYY --out FOLDER [--country CC] [--lang en|zh]\n"
    "                [--target-people N] [--target-organizations N]\n"
    "  The yearly evaluation report into FOLDER (which must not exist, or be empty):\n"
    "  report.html (self-contained; print it on A4), report.xlsx (one sheet per table),\n"
    "  one CSV per table, about.csv (library id, path, time, options) and queries.sql (the\n"
    "  SQL behind every table). Year and country are the events'; --country CC (e.g. KH)\n"
    "  keeps one country. Targets default to 10000 people and 300 organizations.\n"
    "  Nothing is left half-written: the folder appears only when the report is complete.\n";

int run_report_command(Library& lib, const std::map<std::string, std::string>& args) {
  auto opt = [&](const char* k) { return args.count(k) ? args.at(k) : std::string(); };
  auto whole = [](const std::string& s, std::int64_t* v) {
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    *v = std::atoll(s.c_str());
    return true;
  };
  ReportOptions o;
  std::int64_t year = 0;
  if (!whole(opt("--year"), &year) || opt("--out").empty()) {
    std::fprintf(stderr, "hq report: needs --year YYYY and --out FOLDER\n%s", kReportHelp);
    return 2;
  }
  o.year = static_cast<int>(year);
  o.country = opt("--country");
  if (!opt("--lang").empty()) o.lang = opt("--lang");
  if ((!opt("--target-people").empty() && !whole(opt("--target-people"), &o.target_people)) ||
      (!opt("--target-organizations").empty() &&
       !whole(opt("--target-organizations"), &o.target_organizations))) {
    std::fprintf(stderr, "hq report: targets are whole numbers\n%s", kReportHelp);
    return 2;
  }
  std::string why;
  if (!write_report(lib, o, opt("--out"), &why)) {
    std::fprintf(stderr, "hq: %s\n", why.c_str());
    return 1;
  }
  std::printf("wrote the %d report into %s\n", o.year, opt("--out").c_str());
  return 0;
}

}  // namespace kiosk::hq
