// kiosk/core/registry.cpp — the mutations of the domain, each one transaction.
//
// Design note — the store's rules (numbered so tests and reviews can cite them)
//  I1. One user action = one transaction (Store::Transaction, BEGIN IMMEDIATE). A function
//      returns ok() only after COMMIT returned SQLITE_OK; on any failure (constraint, SQLITE_FULL,
//      SQLITE_READONLY, I/O) it returns the error and the transaction is rolled back, so no part
//      of the change (person, consent, attendance, audit, change log) is in the file.
//  I2. Every mutation of participant, attendance, consent, event, local organization and staff
//      appends, in that same transaction, exactly one change_log row per record touched and one
//      audit row per record touched. Exceptions, on purpose: the headquarters organization import
//      (one audit row, no change log: the data came from headquarters) and visit_stats (anonymous
//      counters, shipped as aggregates, see visit_stats.h).
//  I3. change_log.seq is per device, starts at 1, strictly increasing, no gaps: the next seq is
//      computed inside the write transaction (BEGIN IMMEDIATE holds the write lock, so no other
//      writer interleaves) and the change_log_next_seq trigger refuses anything else. The log is
//      append-only (trigger); only rows at or below sync_state.acked_seq may be purged.
//  I4. Every record has a UUID primary key (organizations from headquarters keep HQ's id), and
//      every change records staff id, device id and the Store clock's time.
//  I5. Nothing is hard-deleted: a participant is voided with a non-empty reason (CHECK) and leaves
//      searches and summaries; its history stays in audit. audit is append-only (triggers).
//  I6. All values reach SQLite through bound parameters (sql.h); text is stored byte-exact.
//  I7. Derived columns (name_key, name_key_latin, search_key, birth_year from birth_date) are
//      computed here on every insert and update, never by callers; the FTS indexes follow
//      search_key through triggers inside the same transaction.
//  I8. Consent (consent.h K1-K4): register_participant refuses a minor (at the event's start
//      date) without consent, and both it and attach_consent refuse a consent whose text fell
//      back to another language or has no text or version (SaveResult::refused, rule set); the
//      consent row stores the SHA-256 of the text shown, computed here, never by callers.
//      K1 also holds after registration: add_attendance refuses a minor without consent at the
//      event's first day, and update_participant refuses an edit (of the birth date) that makes
//      a person without consent a minor at the earliest event they attend (consent.h K1); the
//      facts it reads (birth, consent, events attended) are read inside the writing transaction.
//  I9. A participant's tour fields (ParticipantFields::extra, form_schema.h F5) are stored in
//      participant.extra, a JSON object of strings (migration 10 CHECKs it is an object), in the
//      same INSERT/UPDATE as the record; check_extra() (F6) refuses bad ids or values first. The
//      change-log payload carries them as "extra": {id: value}, which is what headquarters gets;
//      the audit's before/after names "extra" when any of them changed (names only, never values).
//
// Lifecycle of a participant (the only transitions; each is one transaction):
//
//      (none) --register_participant--> ACTIVE --void_participant--> VOIDED (final)
//                                       |  ^
//                  update_participant,  +--+  add_attendance, attach_consent
//
// Lifecycle of a change-log row:  LOGGED (seq > acked) --ChangeLog::acknowledge--> ACKNOWLEDGED
//                                 --ChangeLog::purge_acknowledged--> gone
//
// [SECTIONS]  HELPERS · EVENTS · ORGANIZATIONS · PARTICIPANTS
#include "registry.h"

#include "event_rules.h"

#include "consent.h"
#include "csv_reader.h"
#include "form_schema.h"
#include "journal.h"
#include "sql.h"
#include "text_normalize.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace kiosk::core {
namespace {

// [HELPERS]
StoreError error_from(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_TRIGGER: return StoreError::invalid;
    case SQLITE_CONSTRAINT_FOREIGNKEY: return StoreError::not_found;
    default: return store_error_from_sqlite(rc);
  }
}

SaveResult fail(Store& s, int rc) {
  return SaveResult::failure(error_from(rc), sqlite3_errmsg(s.handle()));
}

SaveResult commit(Store::Transaction& tx, Store& s, std::string id) {
  const int rc = tx.commit();
  if (rc != SQLITE_OK) return fail(s, rc);
  return SaveResult::success(std::move(id));
}

SaveResult begin_failed(Store& s, const Store::Transaction& tx) {
  return SaveResult::failure(error_from(tx.begin_rc()),
                             std::string("cannot begin a transaction: ") +
                                 sqlite3_errmsg(s.handle()));
}

// Logs one record's change: snapshot → change_log, plus the audit row.
int log_change(Store& s, const char* snapshot_sql, const char* entity, const std::string& id,
               const char* op, const std::string& staff_id, const std::string& audit_summary) {
  std::string payload;
  int rc = journal::snapshot(s, snapshot_sql, id, &payload);
  if (rc != SQLITE_OK) return rc;
  rc = journal::append_change(s, entity, id, op, payload, nullptr);
  if (rc != SQLITE_OK) return rc;
  return journal::append_audit(s, staff_id, op, entity, id, audit_summary);
}

bool exists(Store& s, const char* sql_text, const std::string& id) {
  sql::Statement st(s.handle(), sql_text);
  st.bind(1, id);
  return st.step() == SQLITE_ROW;
}

constexpr const char* kEventJson =
    "SELECT json_object('id', id, 'name', name, 'tour', tour, 'venue', venue, 'city', city,"
    " 'country', country, 'start_date', start_date, 'end_date', end_date,"
    " 'activity_types', json(activity_types), 'created_by', created_by, 'device_id', device_id,"
    " 'created_at', created_at, 'updated_at', updated_at) FROM event WHERE id = ?";
constexpr const char* kOrganizationJson =
    "SELECT json_object('id', id, 'name', name, 'name_latin', name_latin, 'kind', kind,"
    " 'country', country, 'city', city, 'origin', origin, 'created_by', created_by,"
    " 'device_id', device_id, 'created_at', created_at, 'updated_at', updated_at)"
    " FROM organization WHERE id = ?";
constexpr const char* kConsentJson =
    "SELECT json_object('id', id, 'text_version', text_version, 'language', language,"
    " 'text_sha256', text_sha256, 'guardian_name', guardian_name, 'signature', hex(signature),"
    " 'signed_at', signed_at, 'staff_id', staff_id, 'device_id', device_id)"
    " FROM consent WHERE id = ?";
constexpr const char* kAttendanceJson =
    "SELECT json_object('id', id, 'participant_id', participant_id, 'event_id', event_id,"
    " 'activity', activity, 'staff_id', staff_id, 'device_id', device_id, 'at', at)"
    " FROM attendance WHERE id = ?";
constexpr const char* kParticipantJson =
    "SELECT json_object('id', id, 'given_name', given_name, 'family_name', family_name,"
    " 'given_name_latin', given_name_latin, 'family_name_latin', family_name_latin,"
    " 'birth_date', birth_date, 'birth_year', birth_year, 'gender', gender, 'role', role,"
    " 'organization_id', organization_id, 'grade', grade, 'guardian_name', guardian_name,"
    " 'guardian_phone', guardian_phone, 'interests', json(interests), 'extra', json(extra),"
    " 'consent_id', consent_id,"
    " 'created_by', created_by, 'created_device', created_device, 'created_at', created_at,"
    " 'updated_by', updated_by, 'updated_device', updated_device, 'updated_at', updated_at,"
    " 'voided', voided, 'void_reason', void_reason) FROM participant WHERE id = ?";

// The editable fields only, for the before/after summary of an edit.
constexpr const char* kParticipantFieldsJson =
    "SELECT json_object('given_name', given_name, 'family_name', family_name,"
    " 'given_name_latin', given_name_latin, 'family_name_latin', family_name_latin,"
    " 'birth_date', birth_date, 'birth_year', birth_year, 'gender', gender, 'role', role,"
    " 'organization_id', organization_id, 'grade', grade, 'guardian_name', guardian_name,"
    " 'guardian_phone', guardian_phone, 'interests', interests, 'extra', extra)"
    " FROM participant WHERE id = ?";

// participant.extra: the tour's own fields as one JSON object of strings (form_schema.h F5).
std::string extra_json(const std::map<std::string, std::string>& extra) {
  std::string out = "{";
  for (const auto& [id, value] : extra)
    out += (out.size() > 1 ? "," : "") + journal::json_quote(id) + ":" + journal::json_quote(value);
  return out + "}";
}

// I8: what the store holds about a participant's consent rule (K1) before a change.
struct ConsentFacts {
  ParticipantFields person;  // birth fields only
  bool has_consent = false;
  std::string first_event_day;  // the earliest start date of the events they attend, or ""
};

int read_consent_facts(Store& s, const std::string& participant_id, ConsentFacts* out) {
  sql::Statement st(s.handle(),
                    "SELECT p.birth_date, p.birth_year, p.consent_id IS NOT NULL,"
                    " (SELECT min(e.start_date) FROM attendance a JOIN event e ON e.id = a.event_id"
                    "  WHERE a.participant_id = p.id) FROM participant p WHERE p.id = ?");
  st.bind(1, participant_id);
  const int rc = st.step();
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
  out->person.birth_date = st.optional_text(0);
  out->person.birth_year = st.integer(1);
  out->has_consent = st.integer(2) != 0;
  out->first_event_day = st.optional_text(3).value_or("");
  return SQLITE_OK;
}

// I7: the derived columns of a participant.
struct DerivedKeys {
  std::string name_key, name_key_latin, search_key;
  int birth_year;
};

DerivedKeys derive(const ParticipantFields& f) {
  DerivedKeys k;
  k.name_key = name_key(f.given_name, f.family_name);
  k.name_key_latin = name_key(f.given_name_latin, f.family_name_latin);
  k.search_key = unicode::search_fold(f.given_name + " " + f.family_name + " " + f.given_name_latin +
                             " " + f.family_name_latin);
  k.birth_year = f.birth_year;
  if (f.birth_date && f.birth_date->size() >= 4) k.birth_year = std::atoi(f.birth_date->c_str());
  return k;
}

// The caller has checked the consent (consent.h check_consent): K2 is what is stored here.
int insert_consent(Store& s, const std::string& id, const ConsentInput& c,
                   const std::string& staff_id) {
  sql::Statement ins(s.handle(),
                     "INSERT INTO consent(id, text_version, language, text_sha256, guardian_name,"
                     " signature, signed_at, staff_id, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, id).bind(2, c.text_version).bind(3, c.language).bind(4, sha256_hex(c.shown_text));
  ins.bind(5, c.guardian_name).bind_blob(6, c.signature).bind(7, s.now_iso()).bind(8, staff_id);
  ins.bind(9, s.device_id());
  int rc = ins.run();
  if (rc != SQLITE_OK) return rc;
  return log_change(s, kConsentJson, "consent", id, "insert", staff_id, "{}");
}

// Inserts an attendance row and logs it; *created=false (and nothing logged) if it existed.
int insert_attendance(Store& s, const std::string& participant_id, const std::string& event_id,
                      const std::string& activity, const std::string& staff_id, std::string* id,
                      bool* created) {
  sql::Statement find(s.handle(),
                      "SELECT id FROM attendance WHERE participant_id = ? AND event_id = ?"
                      " AND activity = ?");
  find.bind(1, participant_id).bind(2, event_id).bind(3, activity);
  int rc = find.step();
  if (rc == SQLITE_ROW) {
    *id = find.text(0);
    *created = false;
    return SQLITE_OK;
  }
  if (rc != SQLITE_DONE) return rc;
  *id = new_uuid();
  sql::Statement ins(s.handle(),
                     "INSERT INTO attendance(id, participant_id, event_id, activity, staff_id,"
                     " device_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, *id).bind(2, participant_id).bind(3, event_id).bind(4, activity);
  ins.bind(5, staff_id).bind(6, s.device_id()).bind(7, s.now_iso());
  rc = ins.run();
  if (rc != SQLITE_OK) return rc;
  *created = true;
  return log_change(s, kAttendanceJson, "attendance", *id, "insert", staff_id,
                    "{\"event_id\":" + journal::json_quote(event_id) +
                        ",\"activity\":" + journal::json_quote(activity) + "}");
}

// The event must exist and, when it lists activity types, the activity must be one of them.
// *start_date (when given) receives the event's first day, for the consent rule (consent.h K1).
SaveResult check_activity(Store& s, const std::string& event_id, const std::string& activity,
                          std::string* start_date = nullptr) {
  sql::Statement st(s.handle(),
                    "SELECT json_array_length(activity_types),"
                    " EXISTS (SELECT 1 FROM json_each(activity_types) WHERE value = ?2),"
                    " start_date FROM event WHERE id = ?1");
  st.bind(1, event_id).bind(2, activity);
  const int rc = st.step();
  if (rc == SQLITE_DONE) return SaveResult::failure(StoreError::not_found, "no such event");
  if (rc != SQLITE_ROW) return fail(s, rc);
  if (start_date) *start_date = st.text(2);
  if (activity.empty()) return SaveResult::failure(StoreError::invalid, "activity is empty");
  if (st.integer(0) > 0 && st.integer(1) == 0)
    return SaveResult::failure(StoreError::invalid,
                               "activity '" + activity + "' is not one of the event's");
  return SaveResult::success(event_id);
}

}  // namespace

// [EVENTS]
SaveResult Registry::create_event(const EventInfo& e, const std::string& staff_id) {
  if (const auto problems = check_event(e); !problems.empty())  // E5
    return SaveResult::refused(problems.front().key, std::string("event ") + event_field_name(problems.front().field) +
                                                         ": " + problems.front().reason);
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  const std::string id = e.id.empty() ? new_uuid() : e.id;
  const std::string now = m_store.now_iso();
  sql::Statement ins(m_store.handle(),
                     "INSERT INTO event(id, name, tour, venue, city, country, start_date, end_date,"
                     " activity_types, created_by, device_id, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, id).bind(2, e.name).bind(3, e.tour.empty() ? "default" : e.tour).bind(4, e.venue);
  ins.bind(5, e.city).bind(6, e.country).bind(7, e.start_date).bind(8, e.end_date);
  ins.bind(9, journal::json_string_array(e.activity_types)).bind(10, staff_id);
  ins.bind(11, m_store.device_id()).bind(12, now).bind(13, now);
  int rc = ins.run();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  rc = log_change(m_store, kEventJson, "event", id, "insert", staff_id, "{}");
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, id);
}

namespace {
EventInfo read_event(const sql::Statement& st) {
  EventInfo e;
  e.id = st.text(0);
  e.name = st.text(1);
  e.tour = st.text(2);
  e.venue = st.text(3);
  e.city = st.text(4);
  e.country = st.text(5);
  e.start_date = st.text(6);
  e.end_date = st.text(7);
  return e;
}

std::vector<std::string> json_strings(Store& s, const std::string& json_array) {
  std::vector<std::string> out;
  sql::Statement st(s.handle(), "SELECT value FROM json_each(?)");
  st.bind(1, json_array);
  while (st.step() == SQLITE_ROW) out.push_back(st.text(0));
  return out;
}
}  // namespace

std::optional<EventInfo> Registry::event(const std::string& id) const {
  sql::Statement st(m_store.handle(),
                    "SELECT id, name, tour, venue, city, country, start_date, end_date,"
                    " activity_types FROM event WHERE id = ?");
  st.bind(1, id);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  EventInfo e = read_event(st);
  e.activity_types = json_strings(m_store, st.text(8));
  return e;
}

std::vector<EventInfo> Registry::events() const {
  std::vector<EventInfo> out;
  sql::Statement st(m_store.handle(),
                    "SELECT id, name, tour, venue, city, country, start_date, end_date,"
                    " activity_types FROM event ORDER BY start_date DESC, name");
  while (st.step() == SQLITE_ROW) {
    out.push_back(read_event(st));
    out.back().activity_types = json_strings(m_store, st.text(8));
  }
  return out;
}

SaveResult Registry::set_current_event(const std::string& event_id) {
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  if (!exists(m_store, "SELECT 1 FROM event WHERE id = ?", event_id))
    return SaveResult::failure(StoreError::not_found, "no such event");
  sql::Statement up(m_store.handle(),
                    "INSERT INTO setting(key, value) VALUES ('current_event_id', ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  up.bind(1, event_id);
  const int rc = up.run();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, event_id);
}

std::optional<std::string> Registry::current_event_id() const {
  sql::Statement st(m_store.handle(),
                    "SELECT value FROM setting WHERE key = 'current_event_id'");
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return st.text(0);
}

// [ORGANIZATIONS]
SaveResult Registry::add_local_organization(const Organization& o, const std::string& staff_id) {
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  const std::string id = new_uuid();
  const std::string now = m_store.now_iso();
  sql::Statement ins(m_store.handle(),
                     "INSERT INTO organization(id, name, name_latin, kind, country, city, origin,"
                     " search_key, created_by, device_id, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, 'local', ?, ?, ?, ?, ?)");
  ins.bind(1, id).bind(2, o.name).bind(3, o.name_latin).bind(4, o.kind).bind(5, o.country);
  ins.bind(6, o.city).bind(7, unicode::search_fold(o.name + " " + o.name_latin)).bind(8, staff_id);
  ins.bind(9, m_store.device_id()).bind(10, now).bind(11, now);
  int rc = ins.run();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  rc = log_change(m_store, kOrganizationJson, "organization", id, "insert", staff_id, "{}");
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, id);
}

std::optional<Organization> Registry::organization(const std::string& id) const {
  sql::Statement st(m_store.handle(),
                    "SELECT id, name, name_latin, kind, country, city, origin FROM organization"
                    " WHERE id = ?");
  st.bind(1, id);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return Organization{st.text(0), st.text(1), st.text(2), st.text(3),
                      st.text(4), st.text(5), st.text(6)};
}

Registry::OrganizationCounts Registry::organization_counts() const {
  OrganizationCounts c;
  sql::Statement st(m_store.handle(), "SELECT origin, count(*) FROM organization GROUP BY origin");
  while (st.step() == SQLITE_ROW) {
    if (st.text(0) == "headquarters") c.headquarters = st.integer(1);
    else c.local += st.integer(1);
  }
  return c;
}

namespace {

// The organization directory CSV's limits: headquarters' directory is hundreds of rows; a file
// far larger is a mistake (or an attack) and would hold the UI thread and the write lock.
constexpr std::uintmax_t kMaxImportBytes = 16u << 20;
constexpr std::size_t kMaxImportRows = 100'000;

// Why a text field of a directory row cannot be stored ("" when it can): check_display_name's
// rules (text_normalize.h N2: UTF-8, no control or bidi control characters, a letter or digit,
// Unicode Burmese, length in code points), and no leading = + - @ (a spreadsheet opening an
// export would run the cell as a formula, e.g. =HYPERLINK(...)).
std::string directory_text_problem(const std::string& label, const std::string& v,
                                   std::size_t max_code_points) {
  unicode::TextCheck found;
  switch (check_display_name(v, max_code_points, &found)) {
    case NameProblem::empty:
      return v.empty() ? label + " is empty"
                       : label + " has no letter or digit (only invisible characters or punctuation)";
    case NameProblem::invalid_text:
      if (found.problem == unicode::TextProblem::invalid_utf8) return label + " is not valid UTF-8";
      return label + " holds a control character: " + unicode::code_point_name(found.code_point) +
             (found.problem == unicode::TextProblem::bidi_control ? " (a bidi control)" : "") +
             " at byte " + std::to_string(found.offset + 1);
    case NameProblem::too_long: return label + " is longer than " + std::to_string(max_code_points) + " characters";
    case NameProblem::zawgyi: return label + " is Burmese in the Zawgyi encoding: convert it to Unicode";
    case NameProblem::none: break;
  }
  if (v.find_first_of("=+-@") == 0)
    return label + " starts with '" + v.substr(0, 1) + "' (a spreadsheet would run it as a formula)";
  return {};
}

// Directory ids are headquarters' codes: 1..64 ASCII letters, digits and . _ : / -, so no id can
// differ from another by an invisible character or a look-alike letter.
bool directory_id_ok(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
         });
}

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

std::vector<std::string> directory_organization_problems(const std::vector<std::string>& f) {
  std::vector<std::string> out;
  if (f.size() != 6) return {"expected 6 fields, found " + std::to_string(f.size())};
  if (!directory_id_ok(f[0])) out.push_back("id must be 1 to 64 ASCII letters, digits or . _ : / -");
  if (const std::string why = directory_text_problem("name", f[1], 300); !why.empty()) out.push_back(why);
  if (!f[2].empty())
    if (const std::string why = directory_text_problem("name_latin", f[2], 300); !why.empty()) out.push_back(why);
  static const std::set<std::string> kKinds = {"school", "university", "society", "ngo",
                                               "government", "company", "other"};
  if (!kKinds.count(f[3]))
    out.push_back("kind '" + f[3] + "' is not one of school, university, society, ngo, government, company, other");
  const bool country_ok = f[4].empty() || (f[4].size() == 2 && f[4][0] >= 'A' && f[4][0] <= 'Z' &&
                                           f[4][1] >= 'A' && f[4][1] <= 'Z');
  if (!country_ok) out.push_back("country must be an ISO 3166 code such as KH, or empty");
  if (!f[5].empty())
    if (const std::string why = directory_text_problem("city", f[5], 200); !why.empty()) out.push_back(why);
  return out;
}

ImportReport Registry::import_organizations_csv(const std::string& path,
                                                const std::string& staff_id) {
  ImportReport report;
  const std::string name = std::filesystem::path(path).filename().string();
  std::error_code size_error;
  const std::uintmax_t bytes = std::filesystem::file_size(path, size_error);
  if (!size_error && bytes > kMaxImportBytes) {
    report.errors.push_back(name + ":0: the file is " + std::to_string(bytes >> 20) +
                            " MiB; the organization directory may be at most " +
                            std::to_string(kMaxImportBytes >> 20) +
                            " MiB (ask headquarters for the kiosk's directory, not an export of everything)");
    return report;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    report.errors.push_back(path + ":0: cannot read the file");
    return report;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.size() > kMaxImportBytes) {  // a pipe or a file that grew while read
    report.errors.push_back(name + ":0: the file is larger than " + std::to_string(kMaxImportBytes >> 20) +
                            " MiB, the most the organization directory may be");
    return report;
  }
  CsvDocument doc = parse_csv(text, name);
  report.errors = doc.errors;
  auto err = [&](int line, const std::string& what) {
    report.errors.push_back(name + ":" + std::to_string(line) + ": " + what);
  };
  if (doc.rows.empty()) {
    if (report.errors.empty()) err(1, "empty file: expected the header id,name,name_latin,kind,country,city");
    return report;
  }
  if (doc.rows.size() - 1 > kMaxImportRows) {
    err(doc.rows[kMaxImportRows + 1].line,
        "more than " + std::to_string(kMaxImportRows) + " organizations; the directory may hold at most that many");
    return report;
  }
  static const std::vector<std::string> kHeader = {"id", "name", "name_latin", "kind", "country",
                                                   "city"};
  if (doc.rows.front().fields != kHeader)
    err(doc.rows.front().line, "the header must be exactly id,name,name_latin,kind,country,city");
  std::map<std::string, std::string> seen;  // id in lower case → the id as first written
  for (std::size_t r = 1; r < doc.rows.size(); ++r) {
    const CsvRow& row = doc.rows[r];
    if (row.fields.size() != kHeader.size()) {
      err(row.line, "expected 6 fields, found " + std::to_string(row.fields.size()));
      continue;
    }
    const auto& f = row.fields;
    for (const std::string& why : directory_organization_problems(f)) err(row.line, why);
    if (!directory_id_ok(f[0])) continue;
    if (const auto [it, fresh] = seen.emplace(ascii_lower(f[0]), f[0]); !fresh) {
      err(row.line, it->second == f[0] ? "id '" + f[0] + "' appears twice"
                                       : "id '" + f[0] + "' differs from '" + it->second + "' only by case");
    } else {
      sql::Statement known(m_store.handle(),
                           "SELECT id FROM organization WHERE lower(id) = ?1 AND id <> ?2 LIMIT 1");
      known.bind(1, ascii_lower(f[0])).bind(2, f[0]);
      if (known.step() == SQLITE_ROW)
        err(row.line, "id '" + f[0] + "' differs from the known organization '" + known.text(0) + "' only by case");
    }
  }
  if (!report.errors.empty()) return report;

  Store::Transaction tx(m_store);
  if (!tx.begun()) {
    report.errors.push_back(name + ":0: " + begin_failed(m_store, tx).detail);
    return report;
  }
  const std::string now = m_store.now_iso();
  for (std::size_t r = 1; r < doc.rows.size(); ++r) {
    bool existed = false;
    const int rc = upsert_directory_organization(m_store, doc.rows[r].fields, now, &existed);
    if (rc != SQLITE_OK) {
      err(doc.rows[r].line, std::string("not saved: ") + sqlite3_errmsg(m_store.handle()));
      report.inserted = report.updated = 0;
      return report;
    }
    (existed ? report.updated : report.inserted)++;
  }
  int rc = journal::append_audit(m_store, staff_id, "import", "organization", name,
                                 "{\"inserted\":" + std::to_string(report.inserted) +
                                     ",\"updated\":" + std::to_string(report.updated) + "}");
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) {
    report.errors.push_back(name + ":0: not saved: " + sqlite3_errmsg(m_store.handle()));
    report.inserted = report.updated = 0;
  }
  return report;
}

int upsert_directory_organization(Store& store, const std::vector<std::string>& f,
                                  const std::string& now, bool* existed) {
  if (f.size() != 6) return SQLITE_MISUSE;  // did you pass id,name,name_latin,kind,country,city?
  sql::Statement known(store.handle(), "SELECT 1 FROM organization WHERE id = ?");
  known.bind(1, f[0]);
  if (existed) *existed = known.step() == SQLITE_ROW;
  sql::Statement up(store.handle(),
                    "INSERT INTO organization(id, name, name_latin, kind, country, city, origin,"
                    " search_key, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'headquarters', ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    " name_latin = excluded.name_latin, kind = excluded.kind,"
                    " country = excluded.country, city = excluded.city,"
                    " origin = 'headquarters', search_key = excluded.search_key,"
                    " updated_at = excluded.updated_at");
  up.bind(1, f[0]).bind(2, f[1]).bind(3, f[2]).bind(4, f[3]).bind(5, f[4]).bind(6, f[5]);
  up.bind(7, unicode::search_fold(f[1] + " " + f[2])).bind(8, now).bind(9, now);
  return up.run();
}

// [PARTICIPANTS]
SaveResult Registry::register_participant(const Registration& reg, const std::string& staff_id) {
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  std::string event_start;
  SaveResult checked = check_activity(m_store, reg.event_id, reg.activity, &event_start);
  if (!checked.ok()) return checked;
  const ConsentRefusal refusal = check_registration_consent(reg.person, reg.consent, event_start);
  if (refusal.refused()) return SaveResult::refused(refusal.rule, refusal.detail);
  if (const std::string why = check_extra(reg.person.extra); !why.empty())  // I9
    return SaveResult::failure(StoreError::invalid, why);

  std::optional<std::string> consent_id;
  if (reg.consent) {
    consent_id = new_uuid();
    const int rc = insert_consent(m_store, *consent_id, *reg.consent, staff_id);
    if (rc != SQLITE_OK) return fail(m_store, rc);
  }
  const ParticipantFields& f = reg.person;
  const DerivedKeys k = derive(f);
  const std::string id = new_uuid();
  const std::string now = m_store.now_iso();
  sql::Statement ins(
      m_store.handle(),
      "INSERT INTO participant(id, given_name, family_name, given_name_latin, family_name_latin,"
      " name_key, name_key_latin, search_key, birth_date, birth_year, gender, role,"
      " organization_id, grade, guardian_name, guardian_phone, interests, consent_id,"
      " created_by, created_device, created_at, updated_by, updated_device, updated_at, extra)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
      " ?19, ?20, ?21, ?19, ?20, ?21, ?22)");
  ins.bind(1, id).bind(2, f.given_name).bind(3, f.family_name).bind(4, f.given_name_latin);
  ins.bind(5, f.family_name_latin).bind(6, k.name_key).bind(7, k.name_key_latin);
  ins.bind(8, k.search_key).bind_or_null(9, f.birth_date).bind(10, k.birth_year);
  ins.bind(11, f.gender).bind(12, f.role).bind_or_null(13, f.organization_id).bind(14, f.grade);
  ins.bind(15, f.guardian_name).bind(16, f.guardian_phone);
  ins.bind(17, journal::json_string_array(f.interests)).bind_or_null(18, consent_id);
  ins.bind(19, staff_id).bind(20, m_store.device_id()).bind(21, now);
  ins.bind(22, extra_json(f.extra));
  int rc = ins.run();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  rc = log_change(m_store, kParticipantJson, "participant", id, "insert", staff_id, "{}");
  if (rc != SQLITE_OK) return fail(m_store, rc);
  std::string attendance_id;
  bool created = false;
  rc = insert_attendance(m_store, id, reg.event_id, reg.activity, staff_id, &attendance_id,
                         &created);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, id);
}

SaveResult Registry::add_attendance(const std::string& participant_id,
                                    const std::string& event_id, const std::string& activity,
                                    const std::string& staff_id) {
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  if (!exists(m_store, "SELECT 1 FROM participant WHERE id = ? AND voided = 0", participant_id))
    return SaveResult::failure(StoreError::not_found, "no such participant (or voided)");
  std::string event_start;
  SaveResult checked = check_activity(m_store, event_id, activity, &event_start);
  if (!checked.ok()) return checked;
  ConsentFacts facts;
  int rc = read_consent_facts(m_store, participant_id, &facts);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  // I8/K1: every attendance is a registration at that event: a minor needs a consent there too.
  const ConsentRefusal refusal = check_minor_consent(facts.person, facts.has_consent, event_start);
  if (refusal.refused()) return SaveResult::refused(refusal.rule, refusal.detail);
  std::string id;
  bool created = false;
  rc = insert_attendance(m_store, participant_id, event_id, activity, staff_id, &id, &created);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, id);
}

SaveResult Registry::update_participant(const std::string& participant_id,
                                        const ParticipantFields& f, const std::string& staff_id) {
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  sql::Statement state(m_store.handle(), "SELECT voided FROM participant WHERE id = ?");
  state.bind(1, participant_id);
  if (state.step() != SQLITE_ROW)
    return SaveResult::failure(StoreError::not_found, "no such participant");
  if (state.integer(0) != 0)
    return SaveResult::failure(StoreError::invalid, "a voided participant cannot be edited");
  if (const std::string why = check_extra(f.extra); !why.empty())  // I9
    return SaveResult::failure(StoreError::invalid, why);
  ConsentFacts facts;
  int rc = read_consent_facts(m_store, participant_id, &facts);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  // I8/K1: an edit may not make a person without consent a minor at an event they attend.
  const std::string day =
      facts.first_event_day.empty() ? iso_day(m_store.now_ms()) : facts.first_event_day;
  const ConsentRefusal refusal = check_minor_consent(f, facts.has_consent, day);
  if (refusal.refused() && !check_minor_consent(facts.person, facts.has_consent, day).refused())
    return SaveResult::refused(refusal.rule, refusal.detail + " (an edit of the birth date)");
  std::string before, after, summary;
  rc = journal::snapshot(m_store, kParticipantFieldsJson, participant_id, &before);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  const DerivedKeys k = derive(f);
  sql::Statement up(
      m_store.handle(),
      "UPDATE participant SET given_name = ?2, family_name = ?3, given_name_latin = ?4,"
      " family_name_latin = ?5, name_key = ?6, name_key_latin = ?7, search_key = ?8,"
      " birth_date = ?9, birth_year = ?10, gender = ?11, role = ?12, organization_id = ?13,"
      " grade = ?14, guardian_name = ?15, guardian_phone = ?16, interests = ?17,"
      " updated_by = ?18, updated_device = ?19, updated_at = ?20, extra = ?21 WHERE id = ?1");
  up.bind(1, participant_id).bind(2, f.given_name).bind(3, f.family_name);
  up.bind(4, f.given_name_latin).bind(5, f.family_name_latin).bind(6, k.name_key);
  up.bind(7, k.name_key_latin).bind(8, k.search_key).bind_or_null(9, f.birth_date);
  up.bind(10, k.birth_year).bind(11, f.gender).bind(12, f.role);
  up.bind_or_null(13, f.organization_id).bind(14, f.grade).bind(15, f.guardian_name);
  up.bind(16, f.guardian_phone).bind(17, journal::json_string_array(f.interests));
  up.bind(18, staff_id).bind(19, m_store.device_id()).bind(20, m_store.now_iso());
  up.bind(21, extra_json(f.extra));
  rc = up.run();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  rc = journal::snapshot(m_store, kParticipantFieldsJson, participant_id, &after);
  if (rc == SQLITE_OK) rc = journal::diff(m_store, before, after, &summary);
  if (rc == SQLITE_OK)
    rc = log_change(m_store, kParticipantJson, "participant", participant_id, "update", staff_id,
                    summary);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, participant_id);
}

SaveResult Registry::void_participant(const std::string& participant_id,
                                      const std::string& reason, const std::string& staff_id) {
  if (unicode::search_fold(reason).empty())
    return SaveResult::failure(StoreError::invalid, "a void needs a reason");
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  sql::Statement state(m_store.handle(), "SELECT voided FROM participant WHERE id = ?");
  state.bind(1, participant_id);
  if (state.step() != SQLITE_ROW)
    return SaveResult::failure(StoreError::not_found, "no such participant");
  if (state.integer(0) != 0)
    return SaveResult::failure(StoreError::invalid, "the participant is already voided");
  sql::Statement up(m_store.handle(),
                    "UPDATE participant SET voided = 1, void_reason = ?2, updated_by = ?3,"
                    " updated_device = ?4, updated_at = ?5 WHERE id = ?1");
  up.bind(1, participant_id).bind(2, reason).bind(3, staff_id).bind(4, m_store.device_id());
  up.bind(5, m_store.now_iso());
  int rc = up.run();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  rc = log_change(m_store, kParticipantJson, "participant", participant_id, "void", staff_id,
                  "{\"reason\":" + journal::json_quote(reason) + "}");
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, participant_id);
}

SaveResult Registry::attach_consent(const std::string& participant_id, const ConsentInput& c,
                                    const std::string& staff_id) {
  const ConsentRefusal refusal = check_consent(c);
  if (refusal.refused()) return SaveResult::refused(refusal.rule, refusal.detail);
  Store::Transaction tx(m_store);
  if (!tx.begun()) return begin_failed(m_store, tx);
  if (!exists(m_store, "SELECT 1 FROM participant WHERE id = ? AND voided = 0", participant_id))
    return SaveResult::failure(StoreError::not_found, "no such participant (or voided)");
  std::string before, after, summary;
  int rc = journal::snapshot(m_store,
                             "SELECT json_object('consent_id', consent_id) FROM participant"
                             " WHERE id = ?",
                             participant_id, &before);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  const std::string consent_id = new_uuid();
  rc = insert_consent(m_store, consent_id, c, staff_id);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  sql::Statement up(m_store.handle(),
                    "UPDATE participant SET consent_id = ?2, updated_by = ?3, updated_device = ?4,"
                    " updated_at = ?5 WHERE id = ?1");
  up.bind(1, participant_id).bind(2, consent_id).bind(3, staff_id).bind(4, m_store.device_id());
  up.bind(5, m_store.now_iso());
  rc = up.run();
  if (rc == SQLITE_OK)
    rc = journal::snapshot(m_store,
                           "SELECT json_object('consent_id', consent_id) FROM participant"
                           " WHERE id = ?",
                           participant_id, &after);
  if (rc == SQLITE_OK) rc = journal::diff(m_store, before, after, &summary);
  if (rc == SQLITE_OK)
    rc = log_change(m_store, kParticipantJson, "participant", participant_id, "update", staff_id,
                    summary);
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return commit(tx, m_store, participant_id);
}

}  // namespace kiosk::core
