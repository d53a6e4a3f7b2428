// sync/hq/report.h — the yearly evaluation report (`hq report`, and the web's "download report").
//
// Design note
//  E1. Every figure comes from one SQL statement run against the library, and the statement is
//      kept beside its table (ReportTable::sql) and written to queries.sql with the parameters it
//      ran with, after the shared steps (Report::shared_sql: temporary tables of canonical
//      persons, events, participations) the statements read: an auditor can rerun any table
//      with the sqlite3 shell.
//  E2. People are canonical persons (the roots of `person` via source_link + merged_into, see
//      library_people.cpp P1-P2), counted once per root; organizations once per organization
//      root. A person's gender, role, birth and organization are those of their most recently
//      updated non-voided kiosk record. Voided records count nowhere.
//  E3. The year and the country are the events': a participation is a canonical person at an
//      event whose start date is in the year (and, with a country, whose country it is). Ages
//      are whole years at the event's start (kiosk/core/people_queries.h age bands); the
//      yearly tables count each person once, at their first event of the year. "Returning" is a
//      person who attended an event in an earlier year (any country).
//  E4. A report is written into a temporary folder beside the output folder and renamed onto it
//      at the end: a failure (unwritable folder, full disk) leaves nothing half-written.
//  E5. CSV and XLSX cells that begin with = + - @ (or a tab or carriage return) get a leading '
//      so spreadsheets never run them; XLSX text is always written as text, never as a formula.
//
// Contract: build_report only reads (one read transaction); like Library it is not thread-safe,
// so `hq serve` calls it under its library mutex. Failures return nullopt/false with *why set.
#pragma once

#include "library.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::hq {

struct ReportOptions {
  int year = 0;                 // required, e.g. 2026
  std::string country;          // "" = every country; else two capital letters (ISO 3166-1)
  std::string lang = "en";      // en | zh: labels of the HTML and XLSX (CSV keeps codes)
  std::int64_t target_people = 10000;
  std::int64_t target_organizations = 300;
};

struct ReportCell {
  std::string text;     // as SQLite renders it ("" for NULL)
  bool number = false;  // an INTEGER or REAL value: right-aligned, a number cell in XLSX
};

struct ReportTable {
  std::string id;                    // file and sheet name, e.g. "participants_by_country"
  std::vector<std::string> columns;  // the SQL column names (CSV header; labels translate them)
  std::vector<std::vector<ReportCell>> rows;
  std::string sql;                   // the exact statement (E1)
};

struct Report {
  ReportOptions options;
  std::string library_id, library_path, made_at;  // made_at: UTC, ISO 8601
  std::int64_t events_in_year = 0;  // 0: the report says the year has no data
  std::vector<ReportTable> tables;  // in report order; find() by id
  std::vector<std::string> shared_sql;  // run first, in order: the temp tables tables read (E1)
  const ReportTable* find(const std::string& id) const;
};

// Checks the options (year 2000-2100, lang, targets > 0, country: two capital letters held by at
// least one event of the library) and runs every table's statement.
std::optional<Report> build_report(Library& lib, const ReportOptions& options, std::string* why);

// The writers (report_html.cpp, report_xlsx.cpp, report.cpp).
std::string report_html(const Report& report);  // self-contained: inline CSS and SVG, no fetches
std::string report_csv(const ReportTable& table);  // RFC 4180, CRLF, formula cells escaped (E5)
std::string report_queries(const Report& report);  // queries.sql: header, parameters, statements
bool write_report_xlsx(const Report& report, const std::string& path, std::string* why);
// A cell's text as written to CSV and XLSX: a leading = + - @ tab CR gets a ' (E5).
std::string spreadsheet_safe(const std::string& text);

// Builds the report and writes out_dir/{report.html, report.xlsx, queries.sql, <table>.csv}
// (E4). out_dir must not exist or be empty; its parent must exist and be writable.
bool write_report(Library& lib, const ReportOptions& options, const std::string& out_dir,
                  std::string* why);
// The HTML alone, for the web page ("" with *why on failure).
std::string report_html(Library& lib, const ReportOptions& options, std::string* why);

// `hq report` (help text and the command), called from hq_main.cpp.
extern const char* const kReportHelp;
int run_report_command(Library& lib, const std::map<std::string, std::string>& options);

}  // namespace kiosk::hq
