// sync/hq/library.cpp — see library.h (L1-L5) and sync/README.md.
//
// [SECTIONS]
//   SCHEMA     the library's migration list
//   OPEN       init / open / keys
//   DEVICES    enroll / revoke / find
//   INGEST     verify (L1), then apply in one transaction (L2-L5)
//   STATS      the kiosks' signed anonymous visit statistics
//   RECEIPTS   signed marks
//   QUERIES    devices, gaps, persons, organizations
#include "library.h"

#include "sql.h"
#include "write_tx.h"
#include "store.h"
#include "text_normalize.h"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <sys/stat.h>
#include <sys/statvfs.h>

namespace kiosk::hq {
namespace fs = std::filesystem;
using core::sql::Statement;

namespace {

// [SCHEMA] One entry per version; append only, never edit one that has shipped.
const std::vector<const char*> kMigrations = {
    R"sql(
      CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
      CREATE TABLE device (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        tour TEXT NOT NULL CHECK (length(tour) BETWEEN 1 AND 100),
        state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'revoked')),
        enroll_secret BLOB CHECK (enroll_secret IS NULL OR length(enroll_secret) = 32),
        sign_pk BLOB CHECK (sign_pk IS NULL OR length(sign_pk) = 32),
        enrolled_at TEXT NOT NULL,
        bound_at TEXT,
        revoked_at TEXT,
        CHECK (state <> 'active' OR sign_pk IS NOT NULL)
      );
      CREATE TRIGGER device_key_once BEFORE UPDATE OF sign_pk ON device
        WHEN OLD.sign_pk IS NOT NULL AND NEW.sign_pk IS NOT OLD.sign_pk
        BEGIN SELECT RAISE(ABORT, 'device: a bound key never changes'); END;
      CREATE TRIGGER device_no_delete BEFORE DELETE ON device
        BEGIN SELECT RAISE(ABORT, 'device: revoke, never delete'); END;
      CREATE TABLE incarnation (
        device_id TEXT NOT NULL REFERENCES device(id),
        id TEXT NOT NULL CHECK (length(id) = 36),
        base_seq INTEGER NOT NULL CHECK (base_seq >= 1),
        high_water INTEGER NOT NULL,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (device_id, id),
        CHECK (high_water >= base_seq - 1)
      );
      CREATE TRIGGER incarnation_forward BEFORE UPDATE ON incarnation
        WHEN NEW.high_water < OLD.high_water OR NEW.base_seq IS NOT OLD.base_seq
        BEGIN SELECT RAISE(ABORT, 'incarnation: the mark only moves forward'); END;
      CREATE TABLE bundle (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES device(id),
        incarnation_id TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),
        received_at TEXT NOT NULL,
        transport TEXT NOT NULL CHECK (transport IN ('http', 'file')),
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        new_entries INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE entry (
        device_id TEXT NOT NULL,
        incarnation_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kiosk_store_id TEXT NOT NULL,
        entity TEXT NOT NULL CHECK (entity IN ('participant', 'attendance', 'consent', 'event',
                                               'organization', 'staff')),
        entity_id TEXT NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 64),
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'void')),
        format INTEGER NOT NULL CHECK (format = 1),
        at TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
        bundle_id INTEGER NOT NULL REFERENCES bundle(id),
        PRIMARY KEY (device_id, incarnation_id, seq),
        FOREIGN KEY (device_id, incarnation_id) REFERENCES incarnation(device_id, id)
      ) WITHOUT ROWID;
      CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
        BEGIN SELECT RAISE(ABORT, 'entry is append-only'); END;
      CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry
        BEGIN SELECT RAISE(ABORT, 'entry is append-only'); END;
      CREATE TABLE source_record (
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        device_id TEXT NOT NULL REFERENCES device(id),
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        search_key TEXT NOT NULL DEFAULT '',
        v_at TEXT NOT NULL,
        v_device TEXT NOT NULL,
        v_seq INTEGER NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (entity, id)
      );
      CREATE TRIGGER source_record_no_delete BEFORE DELETE ON source_record
        BEGIN SELECT RAISE(ABORT, 'source records are evidence: never deleted'); END;
      CREATE VIEW person_source AS
        SELECT id, device_id, json_extract(payload, '$.given_name') AS given_name,
               json_extract(payload, '$.family_name') AS family_name,
               json_extract(payload, '$.given_name_latin') AS given_name_latin,
               json_extract(payload, '$.family_name_latin') AS family_name_latin,
               json_extract(payload, '$.birth_date') AS birth_date,
               json_extract(payload, '$.birth_year') AS birth_year,
               json_extract(payload, '$.gender') AS gender, json_extract(payload, '$.role') AS role,
               json_extract(payload, '$.organization_id') AS organization_id,
               coalesce(json_extract(payload, '$.voided'), 0) AS voided, search_key, updated_at
        FROM source_record WHERE entity = 'participant';
      CREATE VIEW organization_source AS
        SELECT id, device_id, json_extract(payload, '$.name') AS name,
               json_extract(payload, '$.name_latin') AS name_latin,
               json_extract(payload, '$.kind') AS kind, json_extract(payload, '$.country') AS country,
               json_extract(payload, '$.city') AS city, json_extract(payload, '$.origin') AS origin,
               search_key, updated_at
        FROM source_record WHERE entity = 'organization';
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
      );
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    )sql",
    // 2: the talent library and the organization library (library_people.cpp): canonical
    //    records, the link of every kiosk source to the canonical record it was first given,
    //    merges (pointers between canonical records, undoable) and the review queue.
    R"sql(
      CREATE TABLE person (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        created_at TEXT NOT NULL,
        merged_into TEXT REFERENCES person(id) CHECK (merged_into IS NOT id)
      );
      CREATE TABLE organization (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        created_at TEXT NOT NULL,
        merged_into TEXT REFERENCES organization(id) CHECK (merged_into IS NOT id)
      );
      CREATE TABLE source_link (
        entity TEXT NOT NULL CHECK (entity IN ('participant', 'organization')),
        source_id TEXT NOT NULL,
        canonical_id TEXT NOT NULL,
        name_key TEXT NOT NULL,
        -- 64-bit SipHash of the keys (library_people.cpp P3/P4): compact indexes; 0 = never
        -- matched (voided or nameless). A hash collision can only propose a candidate or an
        -- exact merge that the stored keys then have to confirm.
        name_hash INTEGER NOT NULL,
        skeleton_hash INTEGER NOT NULL,
        match_hash INTEGER NOT NULL,
        match_key TEXT NOT NULL,
        birth_year INTEGER,
        linked_at TEXT NOT NULL,
        PRIMARY KEY (entity, source_id)
      );
      CREATE INDEX source_link_match ON source_link(match_hash) WHERE match_hash <> 0;
      CREATE INDEX source_link_name ON source_link(name_hash) WHERE match_hash <> 0;
      CREATE INDEX source_link_skeleton ON source_link(skeleton_hash, birth_year) WHERE match_hash <> 0;
      CREATE INDEX source_link_canonical ON source_link(canonical_id);
      CREATE INDEX person_merged ON person(merged_into);
      CREATE INDEX organization_merged ON organization(merged_into);
      CREATE TRIGGER source_link_fixed BEFORE UPDATE OF canonical_id, source_id ON source_link
        BEGIN SELECT RAISE(ABORT, 'a source keeps its canonical record; merges point records'); END;
      CREATE TRIGGER source_link_no_delete BEFORE DELETE ON source_link
        BEGIN SELECT RAISE(ABORT, 'source links are never deleted'); END;
      CREATE TABLE merge (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
        into_id TEXT NOT NULL,
        from_id TEXT NOT NULL CHECK (from_id <> into_id),
        how TEXT NOT NULL CHECK (how IN ('exact', 'review')),
        candidate_id INTEGER,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        undone_at TEXT,
        undone_by TEXT
      );
      CREATE TRIGGER merge_no_delete BEFORE DELETE ON merge
        BEGIN SELECT RAISE(ABORT, 'merges are history: undo, never delete'); END;
      CREATE TABLE merge_candidate (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
        a_id TEXT NOT NULL,
        b_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT,
        merge_id INTEGER REFERENCES merge(id),
        UNIQUE (kind, a_id, b_id),
        CHECK (a_id < b_id)
      );
    )sql",
    // 3: kiosk settings per tour, sent in the downlink package (sync/README.md "Downlink").
    R"sql(
      CREATE TABLE tour_setting (
        tour TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tour, key)
      );
    )sql",
    // 4: the entries of one bundle without scanning every entry of its device (linking sources
    //    and the source upsert look them up by bundle; found by bench/sync_bench).
    R"sql(
      CREATE INDEX entry_bundle ON entry(bundle_id);
    )sql",
    // 5: staff accounts headquarters manages per tour; sent to the tour's kiosks inside the
    //    downlink, sealed to each device's key (sync/README.md "Downlink", staff accounts).
    R"sql(
      CREATE TABLE staff_account (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        tour TEXT NOT NULL CHECK (length(tour) BETWEEN 1 AND 100),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role TEXT NOT NULL CHECK (role IN ('staff', 'supervisor')),
        pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX staff_account_tour ON staff_account(tour);
    )sql",
    // 6: headquarters staff who sign in to the web pages (web.h W1-W6): accounts with a
    //    libsodium pwhash and a role, and sessions kept only as the SHA-256 of their token.
    R"sql(
      CREATE TABLE web_user (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
        pwhash TEXT NOT NULL CHECK (pwhash LIKE '$argon2id$%'),
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'zh')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE web_session (
        token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
        user_id INTEGER NOT NULL REFERENCES web_user(id),
        csrf TEXT NOT NULL CHECK (length(csrf) >= 32),
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    )sql",
    // 7: when headquarters last handed a device its receipt (with an accepted bundle, or asked
    //    for by the kiosk or `hq receipt`/`hq import`), for the web page of kiosks.
    R"sql(
      ALTER TABLE device ADD COLUMN last_receipt_at TEXT;
    )sql",
    // 8: the kiosks' anonymous visit statistics (kiosk/core/visit_stats.h), per device, day,
    //    exhibit and language, for the report's exhibit engagement (library.h ingest_stats).
    R"sql(
      CREATE TABLE visit_stat (
        device_id TEXT NOT NULL REFERENCES device(id),
        day TEXT NOT NULL CHECK (date(day, '+0 days') IS day),
        exhibit TEXT NOT NULL CHECK (length(exhibit) BETWEEN 1 AND 100),
        lang TEXT NOT NULL CHECK (length(lang) BETWEEN 2 AND 35),
        opened INTEGER NOT NULL CHECK (typeof(opened) = 'integer' AND opened >= 0),
        dwell_s INTEGER NOT NULL CHECK (typeof(dwell_s) = 'integer' AND dwell_s >= 0),
        quiz_right INTEGER NOT NULL CHECK (typeof(quiz_right) = 'integer' AND quiz_right >= 0),
        quiz_wrong INTEGER NOT NULL CHECK (typeof(quiz_wrong) = 'integer' AND quiz_wrong >= 0),
        received_at TEXT NOT NULL,
        PRIMARY KEY (device_id, day, exhibit, lang)
      ) WITHOUT ROWID;
    )sql",
};

std::string now_iso() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  return core::iso_time(ms);
}

bool exec(sqlite3* db, const char* sql, std::string* why) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    *why = msg ? msg : sqlite3_errmsg(db);
    sqlite3_free(msg);
    return false;
  }
  return true;
}

// hq_fold(text): the search key of unicode::search_fold (unicode/unicode.h), so the library folds
// names exactly as kiosks do.
void sql_fold(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto* t = sqlite3_value_text(argv[0]);
  const std::string folded =
      t ? unicode::search_fold(std::string_view(reinterpret_cast<const char*>(t),
                                             static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))))
        : std::string();
  sqlite3_result_text(ctx, folded.c_str(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

// hq_search_key(text): hq_fold(text), and for text not in plain ASCII also the text in Latin
// letters (latin_fold), so staff typing "dara" find "دارا" and "ដារា" (kept only in the key).
void sql_search_key(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto* t = sqlite3_value_text(argv[0]);
  const std::string_view text =
      t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_value_bytes(argv[0])))
        : std::string_view();
  std::string key = unicode::search_fold(text);
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    const std::string latin = unicode::latin_fold(text);
    if (latin != key) key += " " + latin;
  }
  sqlite3_result_text(ctx, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

// True when `dir` is on a file system mounted read-only (so the reason can say so).
bool read_only_place(const std::string& dir) {
  struct statvfs v {};
  return ::statvfs(dir.c_str(), &v) == 0 && (v.f_flag & ST_RDONLY) != 0;
}

template <std::size_t N>
bool load_key(const fs::path& p, std::array<std::uint8_t, N>* out, std::string* why) {
  const auto b = sync::read_file(p.string(), N, why);
  if (!b) return false;
  if (b->size() != N) {
    *why = p.string() + ": not a " + std::to_string(N) + "-byte key";
    return false;
  }
  std::copy(b->begin(), b->end(), out->begin());
  return true;
}

}  // namespace

// [OPEN]
bool Library::init(const std::string& dir, std::string* why) {
  if (!sync::init_crypto()) {
    *why = "libsodium cannot initialise";
    return false;
  }
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "keys", ec);
  if (ec) {
    *why = dir + ": cannot create: " + ec.message();
    return false;
  }
  fs::permissions(fs::path(dir) / "keys", fs::perms::owner_all, ec);
  if (fs::exists(fs::path(dir) / "library.sqlite3", ec) ||
      fs::exists(fs::path(dir) / "keys" / "sign.secret", ec)) {
    *why = dir + ": already holds a library; refusing to overwrite it";
    return false;
  }
  const auto sign = sync::SigningKeys::generate();
  const auto box = sync::SealingKeys::generate();
  const fs::path k = fs::path(dir) / "keys";
  if (!sync::write_file_durably((k / "sign.secret").string(), sign.secret_key.data(), 64, 0600, why) ||
      !sync::write_file_durably((k / "sign.public").string(), sign.public_key.data(), 32, 0644, why) ||
      !sync::write_file_durably((k / "box.secret").string(), box.secret_key.data(), 32, 0600, why) ||
      !sync::write_file_durably((k / "box.public").string(), box.public_key.data(), 32, 0644, why))
    return false;
  auto lib = open(dir, why);
  return lib != nullptr;
}

std::unique_ptr<Library> Library::open(const std::string& dir, std::string* why) {
  if (!sync::init_crypto()) {
    *why = "libsodium cannot initialise";
    return nullptr;
  }
  std::unique_ptr<Library> lib(new Library());
  lib->m_dir = dir;
  const fs::path k = fs::path(dir) / "keys";
  if (!load_key(k / "sign.secret", &lib->m_sign.secret_key, why) ||
      !load_key(k / "sign.public", &lib->m_sign.public_key, why) ||
      !load_key(k / "box.secret", &lib->m_box.secret_key, why) ||
      !load_key(k / "box.public", &lib->m_box.public_key, why)) {
    *why += " (is " + dir + " a library made by `hq init`?)";
    return nullptr;
  }
  const std::string path = (fs::path(dir) / "library.sqlite3").string();
  // The library must exist except right after init (which created the keys a moment ago).
  std::error_code ec;
  const bool fresh = !fs::exists(path, ec);
  if (sqlite3_open_v2(path.c_str(), &lib->m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    *why = path + ": cannot open: " + sqlite3_errmsg(lib->m_db) +
           (read_only_place(dir) ? " (the library is on a read-only file system)" : "");
    return nullptr;
  }
  if (fresh) ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(lib->m_db, 5000);
  sqlite3_extended_result_codes(lib->m_db, 1);
  sqlite3_create_function(lib->m_db, "hq_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                          sql_fold, nullptr, nullptr);
  sqlite3_create_function(lib->m_db, "hq_search_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                          sql_search_key, nullptr, nullptr);
  std::string err;
  if (!exec(lib->m_db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            &err)) {
    *why = path + ": " + err +
           (read_only_place(dir) ? " (the library is on a read-only file system: headquarters"
                                   " cannot store bundles there)"
                                 : " (not a library, or unreadable)");
    return nullptr;
  }
  Statement v(lib->m_db, "PRAGMA user_version");
  if (v.step() != SQLITE_ROW) {
    *why = path + ": not a SQLite database: " + v.error();
    return nullptr;
  }
  const int have = v.integer(0);
  if (have > static_cast<int>(kMigrations.size())) {
    *why = path + ": library schema " + std::to_string(have) + " is newer than this hq knows";
    return nullptr;
  }
  for (int m = have; m < static_cast<int>(kMigrations.size()); ++m) {
    std::string sql = std::string("BEGIN IMMEDIATE;") + kMigrations[static_cast<std::size_t>(m)] +
                      "PRAGMA user_version=" + std::to_string(m + 1) + ";";
    if (m == 0) sql += "INSERT INTO meta VALUES ('library_id', '" + core::new_uuid() + "');";
    sql += "COMMIT;";
    if (!exec(lib->m_db, sql.c_str(), &err)) {
      exec(lib->m_db, "ROLLBACK;", &err);
      *why = path + ": migration " + std::to_string(m + 1) + " failed: " + err;
      return nullptr;
    }
  }
  // Sources received before the two libraries existed (schema 1) get their canonical records.
  if (have < 2) {
    WriteTx tx(lib->m_db);
    if (tx.begin_rc() != SQLITE_OK || lib->link_sources(-1, now_iso()) != SQLITE_OK ||
        tx.commit() != SQLITE_OK) {
      *why = path + ": cannot link existing sources: " + sqlite3_errmsg(lib->m_db);
      return nullptr;
    }
  }
  return lib;
}

Library::~Library() {
  sodium_memzero(m_sign.secret_key.data(), m_sign.secret_key.size());
  sodium_memzero(m_box.secret_key.data(), m_box.secret_key.size());
  m_statements.clear();  // finalized before the connection closes
  sqlite3_close(m_db);
}

// [DEVICES]
std::optional<std::pair<std::string, std::string>> Library::find_device(const std::string& key) {
  Statement st(m_db, "SELECT id, name FROM device WHERE id = ?1 OR name = ?1");
  st.bind(1, key);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return std::make_pair(st.text(0), st.text(1));
}

std::optional<sync::Enrollment> Library::enroll(const std::string& name, const std::string& tour,
                                                const std::string& url, std::string* why) {
  if (name.empty() || name.size() > 100 || tour.empty() || tour.size() > 100) {
    *why = "--device and --tour must be 1-100 characters";
    return std::nullopt;
  }
  if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    *why = "--url must start with http:// or https://";
    return std::nullopt;
  }
  sync::Enrollment e;
  const std::string id = core::new_uuid();
  e.device = *sync::parse_uuid(id);
  e.device_name = name;
  e.tour = tour;
  e.hq_url = url;
  e.hq_sign_public = m_sign.public_key;
  e.hq_box_public = m_box.public_key;
  randombytes_buf(e.secret.data(), e.secret.size());
  WriteTx tx(m_db);
  if (tx.begin_rc() != SQLITE_OK) {
    *why = std::string("library: cannot write: ") + sqlite3_errmsg(m_db);
    return std::nullopt;
  }
  Statement ins(m_db,
                "INSERT INTO device(id, name, tour, state, enroll_secret, enrolled_at)"
                " VALUES (?, ?, ?, 'pending', ?, ?)");
  ins.bind(1, id).bind(2, name).bind(3, tour);
  ins.bind_blob(4, std::vector<std::uint8_t>(e.secret.begin(), e.secret.end())).bind(5, now_iso());
  if (ins.run() != SQLITE_OK) {
    *why = find_device(name) ? "a device named '" + name + "' is already enrolled"
                             : "library: " + ins.error();
    return std::nullopt;
  }
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, 'hq-cli', 'device.enroll', ?, json_object('name', ?, 'tour', ?))");
  audit.bind(1, now_iso()).bind(2, id).bind(3, name).bind(4, tour);
  if (audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("library: cannot write: ") + sqlite3_errmsg(m_db);
    return std::nullopt;
  }
  return e;
}

bool Library::revoke(const std::string& key, std::string* why) {
  const auto dev = find_device(key);
  if (!dev) {
    *why = "no device '" + key + "'";
    return false;
  }
  WriteTx tx(m_db);
  Statement up(m_db, "UPDATE device SET state = 'revoked', revoked_at = ?, enroll_secret = NULL"
                     " WHERE id = ?");
  up.bind(1, now_iso()).bind(2, dev->first);
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target) VALUES"
                        " (?, 'hq-cli', 'device.revoke', ?)");
  audit.bind(1, now_iso()).bind(2, dev->first);
  if (up.run() != SQLITE_OK || audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("library: cannot write: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

// [INGEST]
std::optional<std::string> Library::open_backup(const Bytes& file, std::string* note, std::string* why) {
  const auto h = sync::parse_backup_header(file, why);
  if (!h) return std::nullopt;
  const std::string device = sync::uuid_text(h->device);
  Statement st(m_db, "SELECT name, sign_pk FROM device WHERE id = ?");
  st.bind(1, device);
  const int rc = st.step();
  if (rc == SQLITE_DONE) {
    *why = "unknown device " + device + " (not enrolled at this headquarters)";
    return std::nullopt;
  }
  if (rc != SQLITE_ROW) {
    *why = "library cannot be read: " + st.error();
    return std::nullopt;
  }
  const std::string name = st.text(0);
  const auto bound = st.blob(1);
  sync::Key32 key = h->device_public_key;
  if (bound.size() == key.size()) {
    std::copy(bound.begin(), bound.end(), key.begin());
  } else {
    *note = "device '" + name + "' never sent a bundle, so headquarters holds no key of its own to check the "
            "signature with: it was checked against the key written in the file";
  }
  auto plain = sync::open_backup(file, key, m_box, why);
  if (!plain) *why = "device '" + name + "': " + *why;
  return plain;
}

IngestResult Library::ingest(const Bytes& bundle, const char* transport) {
  IngestResult r;
  auto refuse = [&](std::string why) {
    r.status = IngestResult::Status::refused;
    r.reason = std::move(why);
    r.receipt.clear();
    return r;
  };
  // L1: everything is checked before anything is written.
  if (bundle.size() > sync::kBundleMaxBytes) return refuse("bundle larger than 64 MiB");
  std::string why;
  const auto h = sync::parse_bundle_header(bundle, &why);
  if (!h) return refuse(why);
  r.device_id = sync::uuid_text(h->device);
  r.first_seq = h->first_seq;
  r.last_seq = h->last_seq;
  const std::string inc = sync::uuid_text(h->incarnation);
  std::string state;
  std::vector<std::uint8_t> secret, bound_pk;
  {
    Statement st(m_db, "SELECT name, state, enroll_secret, sign_pk FROM device WHERE id = ?");
    st.bind(1, r.device_id);
    const int rc = st.step();
    if (rc == SQLITE_DONE) return refuse("unknown device " + r.device_id + " (not enrolled here)");
    if (rc != SQLITE_ROW) {
      r.status = IngestResult::Status::unavailable;
      r.reason = "library cannot be read: " + st.error();
      return r;
    }
    r.device_name = st.text(0);
    state = st.text(1);
    secret = st.blob(2);
    bound_pk = st.blob(3);
  }
  if (state == "revoked") return refuse("device '" + r.device_name + "' was revoked");
  if (state == "pending") {
    sync::Key32 s{};
    if (secret.size() != 32) return refuse("device '" + r.device_name + "' has no enrollment secret");
    std::copy(secret.begin(), secret.end(), s.begin());
    if (!sync::enrollment_proof_ok(*h, s))
      return refuse("the enrollment proof does not match device '" + r.device_name +
                    "' (another device's bundle, or tampered)");
  } else if (bound_pk.size() != 32 ||
             !std::equal(bound_pk.begin(), bound_pk.end(), h->device_public_key.begin())) {
    return refuse("the bundle is signed with a key that is not device '" + r.device_name + "''s");
  }
  if (!sync::bundle_signature_ok(bundle, h->device_public_key))
    return refuse("the device signature does not verify (tampered or corrupted)");
  const auto plain = sync::open_bundle(bundle, m_box, &why);
  if (!plain) return refuse(why);
  const std::int64_t count = h->last_seq - h->first_seq + 1;
  {
    // The entry list: a JSON array of exactly first..last, one kiosk store, known formats.
    Statement st(m_db,
                 "SELECT json_valid(?1) AND json_type(?1) = 'array',"
                 " (SELECT count(*) FROM json_each(?1)),"
                 " (SELECT count(*) FROM json_each(?1) j WHERE"
                 "   json_type(j.value) = 'object' AND"
                 "   json_type(j.value, '$.seq') = 'integer' AND"
                 "   json_extract(j.value, '$.seq') = ?2 + j.key AND"
                 "   json_type(j.value, '$.payload') = 'object' AND"
                 "   json_type(j.value, '$.format') = 'integer' AND"
                 "   json_type(j.value, '$.device') = 'text' AND"
                 "   json_type(j.value, '$.entity_id') = 'text' AND"
                 "   json_type(j.value, '$.at') = 'text'),"
                 " (SELECT count(DISTINCT json_extract(j.value, '$.device')) FROM json_each(?1) j),"
                 " (SELECT max(json_extract(j.value, '$.format')) FROM json_each(?1) j)");
    st.bind(1, *plain).bind(2, h->first_seq);
    if (st.step() != SQLITE_ROW || st.int64(0) != 1) return refuse("the entry list is not a JSON array");
    if (st.int64(1) != count)
      return refuse("the entry list holds " + std::to_string(st.int64(1)) + " entries, the header " +
                    std::to_string(count));
    if (st.int64(4) > 1) return refuse("entry payload format " + std::to_string(st.int64(4)) +
                                       " is newer than this hq knows (1)");
    if (st.int64(2) != count) return refuse("an entry is malformed or out of sequence");
    if (st.int64(3) != 1) return refuse("entries from more than one kiosk store");
  }
  const std::string now = now_iso();
  WriteTx tx(m_db);
  auto unavailable = [&](const std::string& what) {
    r.status = IngestResult::Status::unavailable;
    r.reason = "library cannot be written (" + what + "): " + sqlite3_errmsg(m_db);
    r.receipt.clear();
    return r;
  };
  if (tx.begin_rc() != SQLITE_OK) return unavailable("begin");
  {
    // Another process (hq import beside hq serve) may have bound or revoked the device between
    // the checks above and BEGIN: look again under the write lock.
    Statement st(m_db, "SELECT state, sign_pk FROM device WHERE id = ?");
    st.bind(1, r.device_id);
    if (st.step() != SQLITE_ROW) return unavailable("device");
    const auto pk = st.blob(1);
    const bool same_key = pk.empty() || std::equal(pk.begin(), pk.end(), h->device_public_key.begin());
    if (st.text(0) == "revoked") return refuse("device '" + r.device_name + "' was revoked");
    if (!same_key)
      return refuse("the bundle is signed with a key that is not device '" + r.device_name + "''s");
    state = st.text(0);
  }
  if (state == "pending") {
    Statement bind(m_db, "UPDATE device SET state = 'active', sign_pk = ?, enroll_secret = NULL,"
                         " bound_at = ? WHERE id = ? AND state = 'pending'");
    bind.bind_blob(1, std::vector<std::uint8_t>(h->device_public_key.begin(), h->device_public_key.end()));
    bind.bind(2, now).bind(3, r.device_id);
    if (bind.run() != SQLITE_OK) return unavailable("device binding");
  }
  {
    Statement st(m_db, "SELECT base_seq FROM incarnation WHERE device_id = ? AND id = ?");
    st.bind(1, r.device_id).bind(2, inc);
    const int rc = st.step();
    if (rc == SQLITE_ROW && st.int64(0) != h->incarnation_base)
      return refuse("incarnation " + inc + " already starts at seq " + std::to_string(st.int64(0)) +
                    ", the bundle says " + std::to_string(h->incarnation_base));
    if (rc == SQLITE_DONE) {
      Statement ins(m_db, "INSERT INTO incarnation(device_id, id, base_seq, high_water,"
                          " first_seen_at) VALUES (?, ?, ?, ?, ?)");
      ins.bind(1, r.device_id).bind(2, inc).bind(3, h->incarnation_base);
      ins.bind(4, h->incarnation_base - 1).bind(5, now);
      if (ins.run() != SQLITE_OK) return unavailable("incarnation");
    } else if (rc != SQLITE_ROW) {
      return unavailable("incarnation");
    }
  }
  // L3: an entry already held must be identical.
  {
    Statement st(m_db,
                 "SELECT e.seq FROM json_each(?1) j CROSS JOIN entry e ON e.device_id = ?2 AND"
                 " e.incarnation_id = ?3 AND e.seq = json_extract(j.value, '$.seq')"
                 " WHERE e.payload IS NOT json_extract(j.value, '$.payload')"
                 "    OR e.entity IS NOT json_extract(j.value, '$.entity')"
                 "    OR e.entity_id IS NOT json_extract(j.value, '$.entity_id')"
                 "    OR e.op IS NOT json_extract(j.value, '$.op') LIMIT 1");
    st.bind(1, *plain).bind(2, r.device_id).bind(3, inc);
    const int rc = st.step();
    if (rc == SQLITE_ROW)
      return refuse("seq " + std::to_string(st.int64(0)) +
                    " is already held with different content; bundle refused");
    if (rc != SQLITE_DONE) return unavailable("entry check");
  }
  const auto hash = sync::sha256(bundle.data(), bundle.size());
  std::int64_t bundle_id = 0;
  {
    Statement ins(m_db, "INSERT INTO bundle(device_id, incarnation_id, first_seq, last_seq,"
                        " received_at, transport, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, r.device_id).bind(2, inc).bind(3, h->first_seq).bind(4, h->last_seq);
    ins.bind(5, now).bind(6, transport).bind(7, static_cast<std::int64_t>(bundle.size()));
    ins.bind(8, sync::to_hex(hash.data(), hash.size()));
    if (ins.run() != SQLITE_OK) return unavailable("bundle");
    bundle_id = sqlite3_last_insert_rowid(m_db);
  }
  {
    Statement ins(m_db,
                  "INSERT INTO entry(device_id, incarnation_id, seq, kiosk_store_id, entity,"
                  " entity_id, op, format, at, payload, bundle_id)"
                  " SELECT ?2, ?3, json_extract(value, '$.seq'), json_extract(value, '$.device'),"
                  " json_extract(value, '$.entity'), json_extract(value, '$.entity_id'),"
                  " json_extract(value, '$.op'), json_extract(value, '$.format'),"
                  " json_extract(value, '$.at'), json_extract(value, '$.payload'), ?4"
                  " FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING");
    ins.bind(1, *plain).bind(2, r.device_id).bind(3, inc).bind(4, bundle_id);
    const int rc = ins.run();
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
      return refuse("an entry breaks the library's rules: " + std::string(sqlite3_errmsg(m_db)));
    if (rc != SQLITE_OK) return unavailable("entries");
    r.new_entries = sqlite3_changes(m_db);
  }
  // L4: source rows, newest version wins whatever the arrival order.
  {
    Statement up(m_db,
                 "INSERT INTO source_record(entity, id, device_id, payload, search_key, v_at,"
                 " v_device, v_seq, first_seen_at, updated_at)"
                 " SELECT entity, entity_id, ?1, payload,"
                 "  CASE entity WHEN 'participant' THEN hq_search_key("
                 "      coalesce(json_extract(payload, '$.given_name'), '') || ' ' ||"
                 "      coalesce(json_extract(payload, '$.family_name'), '') || ' ' ||"
                 "      coalesce(json_extract(payload, '$.given_name_latin'), '') || ' ' ||"
                 "      coalesce(json_extract(payload, '$.family_name_latin'), ''))"
                 "   WHEN 'organization' THEN hq_search_key("
                 "      coalesce(json_extract(payload, '$.name'), '') || ' ' ||"
                 "      coalesce(json_extract(payload, '$.name_latin'), '') || ' ' ||"
                 "      coalesce(json_extract(payload, '$.city'), ''))"
                 "   ELSE '' END,"
                 "  at, ?1, seq, ?4, ?4"
                 " FROM entry INDEXED BY entry_bundle WHERE bundle_id = ?3 AND device_id = ?1 AND incarnation_id = ?2"
                 " ORDER BY seq"
                 " ON CONFLICT(entity, id) DO UPDATE SET payload = excluded.payload,"
                 "  search_key = excluded.search_key, v_at = excluded.v_at,"
                 "  v_device = excluded.v_device, v_seq = excluded.v_seq,"
                 "  updated_at = excluded.updated_at"
                 " WHERE (excluded.v_device = source_record.v_device"
                 "        AND excluded.v_seq > source_record.v_seq)"
                 "    OR (excluded.v_device <> source_record.v_device"
                 "        AND (excluded.v_at > source_record.v_at OR (excluded.v_at = source_record.v_at"
                 "             AND excluded.v_device > source_record.v_device)))");
    up.bind(1, r.device_id).bind(2, inc).bind(3, bundle_id).bind(4, now);
    if (up.run() != SQLITE_OK) return unavailable("source records");
  }
  if (m_matching && link_sources(bundle_id, now) != SQLITE_OK) return unavailable("library links");
  // L5: advance the contiguous mark.
  {
    Statement hw(m_db, "SELECT high_water FROM incarnation WHERE device_id = ? AND id = ?");
    hw.bind(1, r.device_id).bind(2, inc);
    if (hw.step() != SQLITE_ROW) return unavailable("mark");
    std::int64_t mark = hw.int64(0);
    Statement next(m_db, "SELECT seq FROM entry WHERE device_id = ? AND incarnation_id = ?"
                         " AND seq > ? ORDER BY seq");
    next.bind(1, r.device_id).bind(2, inc).bind(3, mark);
    int rc;
    while ((rc = next.step()) == SQLITE_ROW && next.int64(0) == mark + 1) ++mark;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return unavailable("mark");
    Statement up(m_db, "UPDATE incarnation SET high_water = ? WHERE device_id = ? AND id = ?");
    up.bind(1, mark).bind(2, r.device_id).bind(3, inc);
    if (up.run() != SQLITE_OK) return unavailable("mark");
  }
  {
    Statement up(m_db, "UPDATE bundle SET new_entries = ? WHERE id = ?");
    up.bind(1, r.new_entries).bind(2, bundle_id);
    Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                          " (?, ?, 'bundle.ingest', ?, json_object('incarnation', ?, 'first', ?,"
                          " 'last', ?, 'new', ?, 'transport', ?))");
    audit.bind(1, now).bind(2, "device:" + r.device_id).bind(3, r.device_id).bind(4, inc);
    audit.bind(5, h->first_seq).bind(6, h->last_seq).bind(7, r.new_entries).bind(8, transport);
    Statement receipt(m_db, "UPDATE device SET last_receipt_at = ? WHERE id = ?");
    receipt.bind(1, now).bind(2, r.device_id);
    if (up.run() != SQLITE_OK || audit.run() != SQLITE_OK || receipt.run() != SQLITE_OK)
      return unavailable("audit");
  }
  if (tx.commit() != SQLITE_OK) return unavailable("commit");
  r.status = IngestResult::Status::accepted;
  r.receipt = make_receipt(r.device_id);
  return r;
}

// [STATS] The kiosk's whole visit_stats table, signed by the device (sync/README.md "Visit
// statistics"). Checked like a bundle's device (known, active, its bound key) before the write
// transaction; the rows are upserted in one transaction, each counter only ever growing (a kiosk's
// totals for a day only grow, so an older file arriving after a newer one changes nothing).
bool Library::ingest_stats(const Bytes& bytes, std::int64_t* rows, std::string* why) {
  const auto st = sync::parse_stats(bytes, why);
  if (!st) return false;
  const std::string device_id = sync::uuid_text(st->device);
  Statement dev(m_db, "SELECT state, sign_pk FROM device WHERE id = ?");
  dev.bind(1, device_id);
  if (dev.step() != SQLITE_ROW) {
    *why = "statistics from an unknown device " + device_id;
    return false;
  }
  const auto pk = dev.blob(1);
  if (dev.text(0) != "active" || pk.size() != 32) {
    *why = "statistics from device " + device_id + ", which is " +
           (dev.text(0) == "revoked" ? std::string("revoked") : std::string("not bound yet (it has sent no bundle)"));
    return false;
  }
  sync::Key32 key{};
  std::copy(pk.begin(), pk.end(), key.begin());
  if (!sync::stats_signature_ok(bytes, key)) {
    *why = "the statistics are not signed by device " + device_id + " (forged or tampered)";
    return false;
  }
  WriteTx tx(m_db);
  if (tx.begin_rc() != SQLITE_OK) {
    *why = std::string("the library cannot be written: ") + sqlite3_errmsg(m_db);
    return false;
  }
  Statement shape(m_db, "SELECT json_valid(?1) AND json_type(?1) = 'array'"
                        " AND NOT EXISTS (SELECT 1 FROM json_each(?1) WHERE type <> 'object')");
  shape.bind(1, st->payload);
  if (shape.step() != SQLITE_ROW || shape.int64(0) != 1) {
    *why = "the statistics are not a JSON array of rows";
    return false;
  }
  Statement up(m_db,
               "INSERT INTO visit_stat(device_id, day, exhibit, lang, opened, dwell_s, quiz_right,"
               " quiz_wrong, received_at) SELECT ?2, json_extract(value, '$.day'),"
               " json_extract(value, '$.exhibit'), json_extract(value, '$.lang'),"
               " json_extract(value, '$.opened'), json_extract(value, '$.dwell_s'),"
               " json_extract(value, '$.quiz_right'), json_extract(value, '$.quiz_wrong'), ?3"
               " FROM json_each(?1) WHERE true ON CONFLICT(device_id, day, exhibit, lang) DO UPDATE SET"
               " opened = max(opened, excluded.opened), dwell_s = max(dwell_s, excluded.dwell_s),"
               " quiz_right = max(quiz_right, excluded.quiz_right),"
               " quiz_wrong = max(quiz_wrong, excluded.quiz_wrong), received_at = excluded.received_at");
  up.bind(1, st->payload).bind(2, device_id).bind(3, now_iso());
  const int rc = up.run();
  if (rc != SQLITE_OK) {
    *why = (rc & 0xFF) == SQLITE_CONSTRAINT
               ? std::string("a statistics row breaks the library's rules: ") + sqlite3_errmsg(m_db)
               : std::string("the library cannot be written: ") + sqlite3_errmsg(m_db);
    return false;
  }
  *rows = sqlite3_changes(m_db);
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, ?, 'stats.ingest', ?, json_object('rows', ?))");
  audit.bind(1, now_iso()).bind(2, "device:" + device_id).bind(3, device_id).bind(4, *rows);
  if (audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("the library cannot be written: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

// [RECEIPTS]
Bytes Library::make_receipt(const std::string& device_id) {
  sync::Receipt rc;
  rc.device = *sync::parse_uuid(device_id);
  rc.issued_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
  Statement st(m_db, "SELECT id, base_seq, high_water FROM incarnation WHERE device_id = ?"
                     " ORDER BY base_seq, id");
  st.bind(1, device_id);
  while (st.step() == SQLITE_ROW) {
    sync::ReceiptMark m;
    m.incarnation = *sync::parse_uuid(st.text(0));
    m.base_seq = st.int64(1);
    m.high_water = st.int64(2);
    rc.marks.push_back(m);
  }
  return sync::sign_receipt(rc, m_sign.secret_key);
}

std::optional<Bytes> Library::receipt(const std::string& key, std::string* why) {
  const auto dev = find_device(key);
  if (!dev) {
    *why = "no device '" + key + "'";
    return std::nullopt;
  }
  // When it was handed out is worth keeping, but not worth refusing the receipt for: a library
  // on a read-only disk still gives receipts.
  Statement when(m_db, "UPDATE device SET last_receipt_at = ? WHERE id = ?");
  when.bind(1, now_iso()).bind(2, dev->first);
  when.run();
  return make_receipt(dev->first);
}

// [DOWNLINK] The package for a tour (and optionally one device): the organization library (each
// canonical organization under the id of the kiosk record it started from) and the map of the
// merged ones onto it (library_staff.cpp S4), the events kiosks of the tour created, the tour's
// settings, and its staff accounts sealed to each device (S3). Signed; versioned by build time.
std::optional<Bytes> Library::downlink(const std::string& tour, const std::string& device,
                                       std::string* why) {
  sync::Downlink d;
  d.tour = tour;
  if (!device.empty()) {
    const auto dev = find_device(device);
    if (!dev) {
      *why = "no device '" + device + "'";
      return std::nullopt;
    }
    d.device = sync::parse_uuid(dev->first);
  }
  Statement known(m_db, "SELECT 1 FROM device WHERE tour = ? LIMIT 1");
  known.bind(1, tour);
  if (known.step() != SQLITE_ROW) {
    *why = "no device is enrolled on tour '" + tour + "'";
    return std::nullopt;
  }
  const auto staff = sealed_staff(tour, d.device ? sync::uuid_text(*d.device) : "", why);
  if (!staff) return std::nullopt;
  Statement st(m_db,
               "SELECT json_object("
               " 'organizations', (SELECT coalesce(json_group_array(json_object('id', os.id,"
               "   'name', os.name, 'name_latin', coalesce(os.name_latin, ''), 'kind', os.kind,"
               "   'country', coalesce(os.country, ''), 'city', coalesce(os.city, ''))), json('[]'))"
               "   FROM organization o JOIN source_link l ON l.entity = 'organization'"
               "   AND l.canonical_id = o.id JOIN organization_source os ON os.id = l.source_id"
               "   WHERE o.merged_into IS NULL),"
               " 'organization_map', (WITH RECURSIVE up(src, node) AS ("
               "   SELECT l.source_id, o.merged_into FROM source_link l JOIN organization o"
               "   ON o.id = l.canonical_id WHERE l.entity = 'organization' AND o.merged_into IS NOT NULL"
               "   UNION SELECT up.src, o.merged_into FROM up JOIN organization o ON o.id = up.node"
               "   WHERE o.merged_into IS NOT NULL)"
               "   SELECT coalesce(json_group_array(json_object('id', up.src, 'merged_into',"
               "   rl.source_id)), json('[]')) FROM up JOIN organization r ON r.id = up.node"
               "   AND r.merged_into IS NULL JOIN source_link rl ON rl.entity = 'organization'"
               "   AND rl.canonical_id = r.id),"
               " 'events', (SELECT coalesce(json_group_array(json(s.payload)), json('[]'))"
               "   FROM source_record s JOIN device dv ON dv.id = s.device_id"
               "   WHERE s.entity = 'event' AND dv.tour = ?1),"
               " 'settings', (SELECT coalesce(json_group_object(key, json(value)), json('{}'))"
               "   FROM tour_setting WHERE tour = ?1),"
               " 'staff', json(?2))");
  st.bind(1, tour).bind(2, *staff);
  if (st.step() != SQLITE_ROW) {
    *why = "library cannot be read: " + st.error();
    return std::nullopt;
  }
  d.payload = st.text(0);
  d.version = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
  return sync::sign_downlink(d, m_sign.secret_key);
}

bool Library::write_content_pack(const sync::PackDescription& d, const std::string& tree_root,
                                 const std::string& out_path, std::string* why) const {
  return sync::write_pack_file(d, tree_root, m_sign.secret_key, out_path, why);
}

bool Library::set_tour_setting(const std::string& tour, const std::string& key,
                               const std::string& json_value, std::string* why) {
  WriteTx tx(m_db);
  Statement up(m_db, "INSERT INTO tour_setting(tour, key, value, updated_at) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT(tour, key) DO UPDATE SET value = excluded.value,"
                     " updated_at = excluded.updated_at");
  up.bind(1, tour).bind(2, key).bind(3, json_value).bind(4, now_iso());
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, 'hq-cli', 'tour.setting', ?, json_object('key', ?, 'value', json(?)))");
  audit.bind(1, now_iso()).bind(2, tour).bind(3, key).bind(4, json_value);
  if (up.run() != SQLITE_OK || audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("cannot save the setting: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

std::optional<Bytes> Library::downlink_for_device(const std::string& device_id, std::string* why) {
  Statement st(m_db, "SELECT tour FROM device WHERE id = ? AND state = 'active'");
  st.bind(1, device_id);
  if (st.step() != SQLITE_ROW) {
    *why = "no active device " + device_id;
    return std::nullopt;
  }
  return downlink(st.text(0), "", why);
}

// [QUERIES]
Table Library::query(const char* sql_text, const std::string& arg) {
  Table t;
  Statement st(m_db, sql_text);
  st.bind(1, arg);
  for (int c = 0; c < st.column_count(); ++c) t.columns.push_back(st.column_name(c));
  while (st.step() == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < st.column_count(); ++c) row.push_back(st.text(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table Library::devices() {
  return query("SELECT d.name AS device, d.id, d.tour, d.state,"
               " coalesce((SELECT max(received_at) FROM bundle b WHERE b.device_id = d.id), '')"
               "   AS last_bundle, coalesce(d.last_receipt_at, '') AS last_receipt,"
               " coalesce((SELECT sum(high_water - base_seq + 1) FROM incarnation i"
               "   WHERE i.device_id = d.id), 0) AS entries_held,"
               // Known missing: seqs below the highest one held that are not held (the gaps).
               " coalesce((SELECT sum((SELECT coalesce(max(e.seq), i.high_water) FROM entry e"
               "   WHERE e.device_id = i.device_id AND e.incarnation_id = i.id) - i.high_water -"
               "   (SELECT count(*) FROM entry e WHERE e.device_id = i.device_id AND"
               "    e.incarnation_id = i.id AND e.seq > i.high_water))"
               "   FROM incarnation i WHERE i.device_id = d.id), 0) AS missing,"
               " (SELECT count(*) FROM incarnation i WHERE i.device_id = d.id) AS incarnations"
               " FROM device d WHERE ?1 = ?1 ORDER BY d.name", "");
}

Table Library::gaps() {
  // For each incarnation: every run of missing seqs between its mark and the largest seq held.
  return query("WITH held AS (SELECT e.device_id, e.incarnation_id, e.seq,"
               "   lead(e.seq) OVER (PARTITION BY e.device_id, e.incarnation_id ORDER BY e.seq)"
               "   AS next FROM entry e JOIN incarnation i ON i.device_id = e.device_id AND"
               "   i.id = e.incarnation_id WHERE e.seq >= i.high_water),"
               " runs AS (SELECT device_id, incarnation_id, seq + 1 AS first_missing,"
               "   next - 1 AS last_missing FROM held WHERE next > seq + 1"
               "  UNION ALL SELECT i.device_id, i.id, i.high_water + 1,"
               "   (SELECT min(seq) - 1 FROM entry e WHERE e.device_id = i.device_id AND"
               "    e.incarnation_id = i.id AND e.seq > i.high_water)"
               "  FROM incarnation i WHERE NOT EXISTS (SELECT 1 FROM entry e WHERE"
               "   e.device_id = i.device_id AND e.incarnation_id = i.id AND e.seq = i.high_water)"
               "   AND EXISTS (SELECT 1 FROM entry e WHERE e.device_id = i.device_id AND"
               "    e.incarnation_id = i.id AND e.seq > i.high_water))"
               " SELECT d.name AS device, r.incarnation_id AS incarnation, r.first_missing,"
               "  r.last_missing FROM runs r JOIN device d ON d.id = r.device_id"
               " WHERE ?1 = ?1 ORDER BY d.name, r.incarnation_id, r.first_missing", "");
}

Table Library::persons(const std::string& search) {
  return query("SELECT p.id, p.given_name, p.family_name, p.given_name_latin,"
               " p.family_name_latin, coalesce(p.birth_date, p.birth_year, '') AS birth,"
               " p.gender, p.role, coalesce(o.name, '') AS organization, d.name AS device,"
               " CASE p.voided WHEN 1 THEN 'voided' ELSE '' END AS voided"
               " FROM person_source p JOIN device d ON d.id = p.device_id"
               " LEFT JOIN organization_source o ON o.id = p.organization_id"
               " WHERE ?1 = '' OR instr(p.search_key, hq_fold(?1)) > 0"
               " ORDER BY p.family_name_latin, p.given_name_latin, p.id", search);
}

Table Library::organizations(const std::string& search) {
  return query("SELECT o.id, o.name, o.name_latin, o.kind, o.country, o.city, o.origin,"
               " d.name AS device FROM organization_source o JOIN device d ON d.id = o.device_id"
               " WHERE ?1 = '' OR instr(o.search_key, hq_fold(?1)) > 0"
               " ORDER BY o.name_latin, o.name, o.id", search);
}

std::int64_t Library::count(const char* table) {
  Statement st(m_db, std::string("SELECT count(*) FROM ") + table);
  return st.step() == SQLITE_ROW ? st.int64(0) : -1;
}

}  // namespace kiosk::hq
