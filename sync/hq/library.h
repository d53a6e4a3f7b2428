// sync/hq/library.h — headquarters' library: enrolled devices, every kiosk record received (as
// append-only entries and as one source row per record), received ranges, receipts.
//
// Design note (the bundle format and its invariants R1-R9 are in sync/README.md):
//  L1. A bundle is verified completely (header, device, key binding, signature, decryption,
//      entry list) BEFORE the write transaction begins; a refused bundle leaves the library file
//      byte-for-byte unchanged.
//  L2. An accepted bundle is applied in ONE transaction: device binding (first bundle), the
//      incarnation row, the bundle row, its new entries, the source rows, the high-water mark,
//      an audit row. A crash (SIGKILL, power cut) leaves all of it or none of it.
//  L3. Entries are keyed (device, incarnation, seq) and never change (triggers). Re-sent,
//      overlapping and reordered bundles add only what is missing; an entry already held with
//      different content refuses the bundle (it cannot come from an honest kiosk).
//  L4. A source row keeps the newest version of a kiosk record: by seq for versions from the same
//      device, else by time, then device id — so the result does not depend on arrival order.
//  L5. The high-water mark of (device, incarnation) is the largest seq such that base..seq are
//      all held; it only moves forward (trigger). Receipts carry these marks, signed.
//
//   bundle bytes ──verify (L1)──> refused: reason, nothing written
//                     │ ok
//                     v
//          BEGIN IMMEDIATE ── apply (L2-L5) ── COMMIT ──> receipt (signed marks)
//                     └── any failure: ROLLBACK ──> refused: reason (library unchanged)
//
// Contract: a Library owns one SQLite connection and is not thread-safe; `hq serve` serializes
// requests with a mutex. open() never throws; failures return nullptr with the reason.
#pragma once

#include "format.h"
#include "pack_file.h"
#include "sql.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace kiosk::hq {

using sync::Bytes;

struct IngestResult {
  enum class Status { accepted, refused, unavailable };  // unavailable: the library can't write
  Status status = Status::refused;
  std::string reason;      // why refused / unavailable; empty when accepted
  std::string device_id, device_name;
  std::int64_t first_seq = 0, last_seq = 0;
  std::int64_t new_entries = 0;  // 0 for a replay
  Bytes receipt;           // signed, when accepted
  bool accepted() const { return status == Status::accepted; }
};

// A table for the CLI: column names and rows of text.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// Exports of a Table (library_export.cpp). CSV: RFC 4180, a header row, every cell through
// spreadsheet_safe() (report.h: a leading = + - @ gets a ') so no spreadsheet runs a formula.
// JSON: an array of objects, one per row, every value a string (record_json, below the class,
// writes a Library::Record).
std::string table_csv(const Table& t);
std::string table_json(const Table& t, const std::string& indent = "");

class Library {
 public:
  // `hq init DIR`: creates DIR (if needed), the library and the keys (secret files 0600).
  static bool init(const std::string& dir, std::string* why);
  static std::unique_ptr<Library> open(const std::string& dir, std::string* why);
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  // `hq enroll`: a new pending device and its provisioning file's contents.
  std::optional<sync::Enrollment> enroll(const std::string& name, const std::string& tour,
                                         const std::string& url, std::string* why);
  bool revoke(const std::string& name_or_id, std::string* why);
  IngestResult ingest(const Bytes& bundle, const char* transport /* "http" | "file" */);
  // A kiosk's signed visit statistics (sync/README.md "Visit statistics"): verified, then upserted
  // in one transaction, counters only growing; *rows: rows written. False with *why, nothing
  // changed, for a bad file, an unknown/unbound/revoked device, a bad signature or a bad row.
  bool ingest_stats(const Bytes& stats, std::int64_t* rows, std::string* why);
  // A kiosk's backup (format.h [BACKUP]): verified with the device's key as headquarters bound
  // it, decrypted with headquarters' key; the SQLite store inside. A device that never sent a
  // bundle has no bound key: its backup is checked against the key in the file, and *note says
  // so. nullopt with *why for another headquarters', an unknown device, a changed or truncated
  // file, or a newer format. Reads only.
  std::optional<std::string> open_backup(const Bytes& file, std::string* note, std::string* why);
  // The current signed receipt of a device (name or id); nullopt if there is no such device.
  std::optional<Bytes> receipt(const std::string& name_or_id, std::string* why);

  // [The two libraries] canonical persons and organizations over the kiosk source records
  // (library_people.cpp, design note there). Merges are never destructive: sources stay linked
  // to the canonical record they were first given, and a merge only points one canonical record
  // at another (merged_into), so undo loses nothing.
  Table merge_queue(const std::string& state);  // candidates: open|accepted|rejected|all
  Table merge_show(std::int64_t candidate_id, std::string* why);  // evidence side by side
  // Accept merges b into a (one transaction, audited); returns the merge id, 0 on failure.
  std::int64_t merge_accept(std::int64_t candidate_id, const std::string& actor, std::string* why);
  bool merge_reject(std::int64_t candidate_id, const std::string& actor, std::string* why);
  bool merge_undo(std::int64_t merge_id, const std::string& actor, std::string* why);
  Table merges();  // every merge, with how it was made and whether it was undone
  // Canonical roots, each field chosen by rule V1 (library_records.cpp). `basic`: the columns the
  // web pages show; `full` (hq persons / organizations, and their CSV and JSON exports) adds, for
  // persons, organization, grade, interests, consent.* and one extra.<id> column per tour field
  // id found among the rows. list_canonical (kind "person" | "organization") returns false
  // with *why when the library cannot be read; the two wrappers then return an empty Table.
  enum class Columns { basic, full };
  bool list_canonical(const std::string& kind, const std::string& search, Columns columns,
                      Table* out, std::string* why);
  Table library_persons(const std::string& search, Columns columns = Columns::basic);
  Table library_organizations(const std::string& search, Columns columns = Columns::basic);
  Table person_sources(const std::string& person_id);  // the sources of a canonical person

  // [Records] One canonical person or organization as headquarters shows it (library_records.cpp,
  // rules V1-V5): every field with the kiosk record it came from, and what hangs off it.
  struct FieldSource {
    std::string field, value;
    std::string entity, source_id, device, version_at;  // the kiosk record, its kiosk, its time
  };
  struct Record {
    std::string id;      // the canonical root
    std::string asked;   // the id asked for, when it was a merged record or a kiosk record id
    std::vector<FieldSource> fields;  // V1, in a fixed order: core fields, consent.*, extra.*
    Table sources;                    // the kiosk records (newest version first)
    Table consents;                   // persons: every consent of its sources (V3)
    Table participations;             // persons: one row per event and activity (V4)
  };
  // ID: a canonical id (merged ones lead to their root) or a kiosk record id. False with *why
  // when there is no such record or the library cannot be read.
  bool person_record(const std::string& id, Record* out, std::string* why);
  bool organization_record(const std::string& id, Record* out, std::string* why);
  // Every event (received or only attended) with its participants per activity, each canonical
  // person counted once per row, and a row "(all)" per event (V5).
  bool events_by_activity(Table* out, std::string* why);

  // `hq pack build`: the content pack file of `d` (files read from tree_root) signed with
  // headquarters' key (sync/pack_file.h), written durably to out_path.
  bool write_content_pack(const sync::PackDescription& d, const std::string& tree_root,
                          const std::string& out_path, std::string* why) const;
  // Headquarters' downlink package (sync/README.md "Downlink") for a tour, or one device of it.
  std::optional<Bytes> downlink(const std::string& tour, const std::string& device, std::string* why);
  std::optional<Bytes> downlink_for_device(const std::string& device_id, std::string* why);
  // A kiosk setting for every kiosk of a tour (value: JSON, e.g. "\"km\"" or "300").
  bool set_tour_setting(const std::string& tour, const std::string& key,
                        const std::string& json_value, std::string* why);

  // [Staff accounts] of a tour, sent sealed to its kiosks in the downlink (library_staff.cpp
  // S1-S3). staff_add returns the new id ("" with *why on failure); staff_change sets field
  // "active" ("0"/"1"), "role" or "pin" of the account named (or with the id) in the tour.
  std::string staff_add(const std::string& tour, const std::string& name, const std::string& role,
                        const std::string& pin, std::string* why);
  bool staff_change(const std::string& tour, const std::string& id_or_name,
                    const std::string& field, const std::string& value, std::string* why);
  Table staff_list(const std::string& tour);  // "" = every tour

  // [Web accounts and sessions] (library_web.cpp; the rules W1-W6 are in web.h).
  struct WebUser {
    std::int64_t id = 0;
    std::string name, role, lang;  // role: viewer | editor | admin
  };
  struct WebAccount {
    WebUser user;
    std::string pwhash;
    bool active = false;
  };
  struct WebSession {
    WebUser user;
    std::string token, csrf;  // the token only right after web_session_start
    std::int64_t expires_ms = 0;
  };
  static constexpr std::int64_t kWebSessionMs = 12LL * 3600 * 1000;
  bool web_user_add(const std::string& name, const std::string& password, const std::string& role,
                    const std::string& actor, std::string* why);
  // field: role | active ("0"/"1") | lang (en|zh) | password. Ends the account's sessions
  // (except for lang); refuses to leave no active admin.
  bool web_user_change(const std::string& name, const std::string& field, const std::string& value,
                       const std::string& actor, std::string* why);
  Table web_users();
  std::optional<WebAccount> web_account(const std::string& name);
  // Slow (~0.2 s, 64 MiB): call it without holding the server's library mutex.
  static bool web_password_matches(const std::string& pwhash, const std::string& password);
  std::optional<WebSession> web_session_start(const WebUser& user, std::string* why);
  std::optional<WebSession> web_session_find(const std::string& token);
  void web_session_end(const std::string& token, const std::string& user_name);
  std::map<std::string, std::int64_t> web_counts();
  bool audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& detail_json);

  Table devices();
  Table gaps();  // missing seq ranges per device and incarnation
  Table persons(const std::string& search);
  Table organizations(const std::string& search);
  std::int64_t count(const char* table);  // for tests and the benchmark

  sqlite3* handle() const { return m_db; }
  // Benchmark baseline only: ingest without canonical records or matching (issue 10's "plain
  // ingest"). A library ingested this way is incomplete; never use it outside bench/.
  void set_matching_for_benchmark(bool on) { m_matching = on; }

 private:
  Library() = default;
  std::optional<std::pair<std::string, std::string>> find_device(const std::string& name_or_id);
  Bytes make_receipt(const std::string& device_id);
  Table query(const char* sql, const std::string& arg);
  std::string staff_find(const std::string& tour, const std::string& id_or_name);
  std::optional<std::string> sealed_staff(const std::string& tour, const std::string& device_id,
                                          std::string* why);
  // Within ingest's transaction: give every new participant/organization source of the bundle a
  // canonical record, merge exact matches and queue near ones. SQLite result code.
  int link_sources(std::int64_t bundle_id, const std::string& now);
  int link_organization(const std::string& source_id, const std::string& now);
  int link_person(const std::string& source_id, const std::string& now);
  std::string root_of(const char* kind, const std::string& id);
  std::int64_t merge(const char* kind, const std::string& into, const std::string& from,
                     const char* how, const std::string& actor, const std::string& now);
  // Prepared statements of the ingest's hot path (library_people.cpp), kept for the Library's
  // life; a Use resets its statement when it goes out of scope, so no read stays open.
  class Use {
   public:
    explicit Use(core::sql::Statement& st) : m_st(st) {}
    ~Use() { m_st.reset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    core::sql::Statement* operator->() { return &m_st; }
   private:
    core::sql::Statement& m_st;
  };
  core::sql::Statement& cached(const std::string& sql);
  std::map<std::string, std::unique_ptr<core::sql::Statement>> m_statements;
  sqlite3* m_db = nullptr;
  sync::SigningKeys m_sign;
  sync::SealingKeys m_box;
  std::string m_dir;
  bool m_matching = true;
};

// One record as a JSON object: {"id", "asked", "fields": [{field, value, entity, source_id,
// device, version_at}], "sources", "consents", "participations"} (tables as table_json).
std::string record_json(const Library::Record& r);

}  // namespace kiosk::hq
