// kiosk/core/store.cpp — opening the store and the one migration list.
//
// [SECTIONS]
//   MIGRATIONS   the schema, one entry per version (append only)
//   HELPERS      exec, user_version, errors, time
//   OPEN         Store::open / open_at_version, atomic creation, the check at open (invariant 8)
//   INCARNATION  which copy of the store this is (store.h invariant 7)
//   TRANSACTION  Store::Transaction
#include "store.h"

#include <sodium.h>
#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::core {
namespace {

// [MIGRATIONS] The schema, one migration per entry; never edit an entry that has shipped,
// append a new one. The rules the tables enforce are listed in registry.cpp's design note.
// Dates are checked with date(x, '+0 days') IS x: SQLite's plain date() accepts "2013-02-30".
const std::vector<const char*> kMigrations = {
    // 1: the device this store belongs to.
    R"sql(
      CREATE TABLE device (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
    )sql",
    // 2: the domain — staff, lockout, events, organizations, consent, participants, attendance,
    //    audit, change log, sync high-water mark, settings.
    R"sql(
      CREATE TABLE staff (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
        role TEXT NOT NULL CHECK (role IN ('staff', 'supervisor')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE pin_lockout (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        lockouts INTEGER NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
        locked_until_ms INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO pin_lockout(id) VALUES (1);
      CREATE TABLE event (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        tour TEXT NOT NULL DEFAULT 'default' CHECK (length(tour) BETWEEN 1 AND 100),
        venue TEXT NOT NULL DEFAULT '' CHECK (length(venue) <= 200),
        city TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 200),
        country TEXT NOT NULL DEFAULT '' CHECK (country = '' OR country GLOB '[A-Z][A-Z]'),
        start_date TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
        end_date TEXT NOT NULL CHECK (date(end_date, '+0 days') IS end_date AND end_date >= start_date),
        activity_types TEXT NOT NULL DEFAULT '[]'
          CHECK (json_valid(activity_types) AND json_type(activity_types) = 'array'),
        created_by TEXT REFERENCES staff(id),
        device_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE organization (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
        name_latin TEXT NOT NULL DEFAULT '' CHECK (length(name_latin) <= 300),
        kind TEXT NOT NULL CHECK (kind IN ('school', 'university', 'society', 'ngo',
                                           'government', 'company', 'other')),
        country TEXT NOT NULL DEFAULT '' CHECK (country = '' OR country GLOB '[A-Z][A-Z]'),
        city TEXT NOT NULL DEFAULT '' CHECK (length(city) <= 200),
        origin TEXT NOT NULL CHECK (origin IN ('headquarters', 'local')),
        search_key TEXT NOT NULL DEFAULT '',
        created_by TEXT REFERENCES staff(id),
        device_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE consent (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        text_version TEXT NOT NULL CHECK (length(text_version) BETWEEN 1 AND 100),
        language TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
        guardian_name TEXT NOT NULL DEFAULT '' CHECK (length(guardian_name) <= 200),
        signature BLOB CHECK (signature IS NULL OR length(signature) <= 262144),
        signed_at TEXT NOT NULL,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        device_id TEXT NOT NULL
      );
      CREATE TABLE participant (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        given_name TEXT NOT NULL DEFAULT '' CHECK (length(given_name) <= 200),
        family_name TEXT NOT NULL DEFAULT '' CHECK (length(family_name) <= 200),
        given_name_latin TEXT NOT NULL DEFAULT '' CHECK (length(given_name_latin) <= 200),
        family_name_latin TEXT NOT NULL DEFAULT '' CHECK (length(family_name_latin) <= 200),
        name_key TEXT NOT NULL DEFAULT '',
        name_key_latin TEXT NOT NULL DEFAULT '',
        search_key TEXT NOT NULL DEFAULT '',
        birth_date TEXT CHECK (birth_date IS NULL OR date(birth_date, '+0 days') IS birth_date),
        birth_year INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 2200),
        gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other', 'unspecified')),
        role TEXT NOT NULL CHECK (role IN ('student', 'teacher', 'other')),
        organization_id TEXT REFERENCES organization(id),
        grade TEXT NOT NULL DEFAULT '' CHECK (length(grade) <= 50),
        guardian_name TEXT NOT NULL DEFAULT '' CHECK (length(guardian_name) <= 200),
        guardian_phone TEXT NOT NULL DEFAULT '' CHECK (length(guardian_phone) <= 40),
        interests TEXT NOT NULL DEFAULT '[]'
          CHECK (json_valid(interests) AND json_type(interests) = 'array'),
        consent_id TEXT REFERENCES consent(id),
        created_by TEXT NOT NULL REFERENCES staff(id),
        created_device TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_by TEXT NOT NULL REFERENCES staff(id),
        updated_device TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
        void_reason TEXT NOT NULL DEFAULT '' CHECK (length(void_reason) <= 500),
        CHECK (birth_date IS NULL OR CAST(substr(birth_date, 1, 4) AS INTEGER) = birth_year),
        CHECK (voided = 0 OR length(trim(void_reason)) > 0),
        CHECK (length(given_name) + length(family_name) + length(given_name_latin) +
               length(family_name_latin) > 0)
      );
      CREATE INDEX participant_dup_native ON participant(name_key, birth_year);
      CREATE INDEX participant_dup_latin ON participant(name_key_latin, birth_year);
      CREATE INDEX participant_org ON participant(organization_id);
      CREATE TABLE attendance (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        participant_id TEXT NOT NULL REFERENCES participant(id),
        event_id TEXT NOT NULL REFERENCES event(id),
        activity TEXT NOT NULL CHECK (length(activity) BETWEEN 1 AND 100),
        staff_id TEXT NOT NULL REFERENCES staff(id),
        device_id TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (participant_id, event_id, activity)
      );
      CREATE INDEX attendance_event ON attendance(event_id);
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        staff_id TEXT,
        device_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'void', 'import', 'login',
                                               'login_failed', 'lockout')),
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary))
      );
      CREATE INDEX audit_entity ON audit(entity_id);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TABLE sync_state (
        device_id TEXT PRIMARY KEY NOT NULL,
        acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
        acked_at TEXT
      );
      CREATE TABLE change_log (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq > 0),
        entity TEXT NOT NULL CHECK (entity IN ('participant', 'attendance', 'consent', 'event',
                                               'organization', 'staff')),
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'void')),
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        at TEXT NOT NULL,
        UNIQUE (device_id, seq)
      );
      CREATE INDEX change_log_entity ON change_log(entity_id);
      CREATE TRIGGER change_log_next_seq BEFORE INSERT ON change_log
        WHEN NEW.seq IS NOT (SELECT max(coalesce((SELECT max(seq) FROM change_log
                                                   WHERE device_id = NEW.device_id), 0),
                                         coalesce((SELECT acked_seq FROM sync_state
                                                   WHERE device_id = NEW.device_id), 0)) + 1)
        BEGIN SELECT RAISE(ABORT, 'change_log: seq must be the next one for its device'); END;
      CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
        BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END;
      CREATE TRIGGER change_log_keep_unacked BEFORE DELETE ON change_log
        WHEN OLD.seq > coalesce((SELECT acked_seq FROM sync_state
                                 WHERE device_id = OLD.device_id), 0)
        BEGIN SELECT RAISE(ABORT, 'change_log: only acknowledged entries may be purged'); END;
      CREATE TABLE setting (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );
    )sql",
    // 3: anonymous visit analytics, aggregated per day, exhibit and language (no personal data).
    R"sql(
      CREATE TABLE visit_stats (
        day TEXT NOT NULL CHECK (date(day, '+0 days') IS day),
        exhibit_id TEXT NOT NULL CHECK (length(exhibit_id) BETWEEN 1 AND 100),
        lang TEXT NOT NULL CHECK (length(lang) BETWEEN 2 AND 35),
        opened INTEGER NOT NULL DEFAULT 0 CHECK (opened >= 0),
        dwell_s INTEGER NOT NULL DEFAULT 0 CHECK (dwell_s >= 0),
        quiz_right INTEGER NOT NULL DEFAULT 0 CHECK (quiz_right >= 0),
        quiz_wrong INTEGER NOT NULL DEFAULT 0 CHECK (quiz_wrong >= 0),
        PRIMARY KEY (day, exhibit_id, lang)
      ) WITHOUT ROWID;
    )sql",
    // 4: search-as-you-type: FTS5 trigram indexes over the normalized search keys, kept in step
    //    with their tables by triggers (so they change in the same transaction as the row).
    R"sql(
      CREATE VIRTUAL TABLE participant_fts USING fts5(key, tokenize = 'trigram');
      CREATE VIRTUAL TABLE organization_fts USING fts5(key, tokenize = 'trigram');
      INSERT INTO participant_fts(rowid, key) SELECT rowid, search_key FROM participant;
      INSERT INTO organization_fts(rowid, key) SELECT rowid, search_key FROM organization;
      CREATE TRIGGER participant_fts_ins AFTER INSERT ON participant BEGIN
        INSERT INTO participant_fts(rowid, key) VALUES (NEW.rowid, NEW.search_key);
      END;
      CREATE TRIGGER participant_fts_upd AFTER UPDATE OF search_key ON participant BEGIN
        DELETE FROM participant_fts WHERE rowid = OLD.rowid;
        INSERT INTO participant_fts(rowid, key) VALUES (NEW.rowid, NEW.search_key);
      END;
      CREATE TRIGGER participant_fts_del AFTER DELETE ON participant BEGIN
        DELETE FROM participant_fts WHERE rowid = OLD.rowid;
      END;
      CREATE TRIGGER organization_fts_ins AFTER INSERT ON organization BEGIN
        INSERT INTO organization_fts(rowid, key) VALUES (NEW.rowid, NEW.search_key);
      END;
      CREATE TRIGGER organization_fts_upd AFTER UPDATE OF search_key ON organization BEGIN
        DELETE FROM organization_fts WHERE rowid = OLD.rowid;
        INSERT INTO organization_fts(rowid, key) VALUES (NEW.rowid, NEW.search_key);
      END;
      CREATE TRIGGER organization_fts_del AFTER DELETE ON organization BEGIN
        DELETE FROM organization_fts WHERE rowid = OLD.rowid;
      END;
    )sql",
    // 5: the change log as a sync contract (sync/README.md). Each entry carries the format
    //    version of its payload; the log is cut into incarnations (a store copied or restored
    //    starts a new one, see store.h invariant 7), each owning the seqs from its base_seq up
    //    to the next one's; the kiosk's enrollment with headquarters (one row, keys included).
    //    The first incarnation (base 1) is inserted by open_impl with a fresh UUID.
    R"sql(
      ALTER TABLE change_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format >= 1);
      CREATE TABLE incarnation (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        base_seq INTEGER NOT NULL UNIQUE CHECK (base_seq >= 1),
        machine_id TEXT NOT NULL DEFAULT '',
        file_dev INTEGER NOT NULL DEFAULT 0,
        file_ino INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('created', 'copied'))
      );
      CREATE TRIGGER incarnation_no_delete_used BEFORE DELETE ON incarnation
        WHEN EXISTS (SELECT 1 FROM change_log WHERE seq >= OLD.base_seq)
          OR OLD.base_seq <= coalesce((SELECT max(acked_seq) FROM sync_state), 0)
        BEGIN SELECT RAISE(ABORT, 'incarnation: one that owns entries is never removed'); END;
      CREATE TRIGGER incarnation_no_rebase BEFORE UPDATE OF id, base_seq ON incarnation
        BEGIN SELECT RAISE(ABORT, 'incarnation: id and base_seq never change'); END;
      CREATE TABLE sync_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hq_device_id TEXT NOT NULL CHECK (length(hq_device_id) = 36),
        device_name TEXT NOT NULL DEFAULT '',
        tour TEXT NOT NULL DEFAULT '',
        hq_url TEXT NOT NULL DEFAULT '',
        hq_sign_pk BLOB NOT NULL CHECK (length(hq_sign_pk) = 32),
        hq_box_pk BLOB NOT NULL CHECK (length(hq_box_pk) = 32),
        device_sign_pk BLOB NOT NULL CHECK (length(device_sign_pk) = 32),
        device_sign_sk BLOB NOT NULL CHECK (length(device_sign_sk) = 64),
        enroll_secret BLOB NOT NULL CHECK (length(enroll_secret) = 32),
        enrolled_at TEXT NOT NULL,
        last_receipt_at TEXT,
        last_sent_at TEXT
      );
      CREATE TRIGGER sync_identity_no_reenroll BEFORE UPDATE OF hq_device_id ON sync_identity
        BEGIN SELECT RAISE(ABORT, 'sync_identity: a store is enrolled once'); END;
    )sql",
    // 6: privacy (privacy.h). When each acknowledged mark was reached (so a record's retention
    //    counts from the receipt that covered it); participants remember when they were redacted;
    //    audit rows may be changed in one way only: their summary replaced by the redaction mark.
    R"sql(
      CREATE TABLE ack_history (
        seq INTEGER PRIMARY KEY CHECK (seq > 0),
        at_ms INTEGER NOT NULL
      );
      INSERT INTO ack_history(seq, at_ms)
        SELECT acked_seq, CAST((julianday(coalesce(acked_at, 'now')) - 2440587.5) * 86400000 AS INTEGER)
        FROM sync_state WHERE acked_seq > 0;
      ALTER TABLE participant ADD COLUMN redacted_at TEXT;
      DROP TRIGGER audit_no_update;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        WHEN NEW.summary IS NOT '{"redacted":true}' OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
          OR NEW.staff_id IS NOT OLD.staff_id OR NEW.device_id IS NOT OLD.device_id
          OR NEW.action IS NOT OLD.action OR NEW.entity IS NOT OLD.entity
          OR NEW.entity_id IS NOT OLD.entity_id
        BEGIN SELECT RAISE(ABORT, 'audit is append-only (only a redaction may blank a summary)'); END;
    )sql",
    // 7: the newest downlink package from headquarters applied here (downlink.h D2).
    R"sql(
      CREATE TABLE downlink_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL CHECK (version > 0),
        tour TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        organizations INTEGER NOT NULL,
        events INTEGER NOT NULL
      );
      CREATE TRIGGER downlink_forward BEFORE UPDATE ON downlink_state
        WHEN NEW.version <= OLD.version
        BEGIN SELECT RAISE(ABORT, 'downlink: only a newer package applies'); END;
    )sql",
    // 8: a consent records what the guardian saw (consent.h K2): the SHA-256 of the exact text
    //    shown, beside its version and the language it was shown in. Consents recorded before
    //    keep NULL (nobody kept the text's bytes); every new one must carry it, and what was
    //    shown never changes afterwards (privacy.h may still blank the guardian and signature).
    R"sql(
      ALTER TABLE consent ADD COLUMN text_sha256 TEXT
        CHECK (text_sha256 IS NULL OR (length(text_sha256) = 64
                                       AND text_sha256 NOT GLOB '*[^0-9a-f]*'));
      CREATE TRIGGER consent_records_text BEFORE INSERT ON consent
        WHEN NEW.text_sha256 IS NULL
        BEGIN SELECT RAISE(ABORT, 'consent: the SHA-256 of the text shown is required'); END;
      CREATE TRIGGER consent_text_fixed BEFORE UPDATE OF text_version, language, text_sha256 ON consent
        WHEN NEW.text_version IS NOT OLD.text_version OR NEW.language IS NOT OLD.language
          OR NEW.text_sha256 IS NOT OLD.text_sha256
        BEGIN SELECT RAISE(ABORT, 'consent: what the guardian was shown never changes'); END;
    )sql",
    // 9: headquarters' mapping of kiosk-made organizations onto its directory (downlink.h D4):
    //    a local organization that headquarters merged into a directory one points at it; and
    //    staff accounts remember whether headquarters' downlink manages them (D5).
    R"sql(
      ALTER TABLE organization ADD COLUMN merged_into TEXT REFERENCES organization(id)
        CHECK (merged_into IS NOT id);
      ALTER TABLE staff ADD COLUMN origin TEXT NOT NULL DEFAULT 'local'
        CHECK (origin IN ('local', 'headquarters'));
    )sql",
    // 10: a tour's own registration fields (form_schema.h F2-F6): field id → text, one JSON
    //     object per participant; people registered before have none.
    R"sql(
      ALTER TABLE participant ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'
        CHECK (json_valid(extra) AND json_type(extra) = 'object');
    )sql",
    // 11: the PIN lockout counts a duration, not a wall-clock deadline (staff.h L1-L4): what
    //     remained when it was last written, and when that was on this boot's monotonic clock
    //     (boot id + CLOCK_BOOTTIME) and on the wall clock. A lockout left by an older build is
    //     carried over as what remained of it, at most the longest lockout (1 h).
    R"sql(
      ALTER TABLE pin_lockout ADD COLUMN lock_remaining_ms INTEGER NOT NULL DEFAULT 0
        CHECK (lock_remaining_ms >= 0);
      ALTER TABLE pin_lockout ADD COLUMN lock_wall_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE pin_lockout ADD COLUMN lock_boot_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE pin_lockout ADD COLUMN lock_boot_ms INTEGER NOT NULL DEFAULT 0;
      UPDATE pin_lockout SET
        lock_wall_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
        lock_remaining_ms = max(0, min(3600000, locked_until_ms -
                                       CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)));
      -- Also: a participant is never saved with an empty search key (a name of only U+200B or
      -- punctuation could never be found again). A redaction (privacy.h V2) blanks the names
      -- and the key together, so an update that leaves no name, or only its marker, may.
      CREATE TRIGGER participant_findable_ins BEFORE INSERT ON participant
        WHEN NEW.search_key = ''
        BEGIN SELECT RAISE(ABORT, 'participant: no name holds a letter or digit'); END;
      CREATE TRIGGER participant_findable_upd BEFORE UPDATE OF search_key ON participant
        WHEN NEW.search_key = '' AND (NEW.given_name <> '' OR NEW.family_name <> ''
          OR NEW.family_name_latin <> '' OR NEW.given_name_latin NOT IN ('', '[redacted]'))
        BEGIN SELECT RAISE(ABORT, 'participant: no name holds a letter or digit'); END;
    )sql",
    // 12: what the staff screens read, kept up to date by triggers in the transaction of every
    //     write (issue 15: nothing that grows with the data on the UI thread; people_queries.h S1-S5).
    //     summary_person: one row per person attending an event (their attendance rows there, and
    //     the newest change-log seq of their record or those rows); summary_count: per event, the
    //     counts the summary screen shows (non-voided people only; by birth date or year, not age
    //     band, so an event's dates can change without a recount; by organization id, so a rename
    //     or headquarters' mapping needs none). summary_delta is a view whose INSTEAD OF trigger
    //     adds one person's contribution (sign +1/-1): the one place the dimensions are listed.
    //     participant_search: the non-voided people's search key and name order in a narrow
    //     table, so search reads small rows instead of whole participant records.
    R"sql(
      CREATE TABLE summary_person (
        event_id TEXT NOT NULL,
        participant_id TEXT NOT NULL,
        attendances INTEGER NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (event_id, participant_id)
      ) WITHOUT ROWID;
      CREATE INDEX summary_person_participant ON summary_person(participant_id);
      CREATE INDEX summary_person_seq ON summary_person(last_seq);
      CREATE TABLE summary_count (
        event_id TEXT NOT NULL,
        dimension TEXT NOT NULL CHECK (dimension IN ('participants', 'unsent', 'gender', 'role',
                                                     'birth', 'organization')),
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (event_id, dimension, value)
      ) WITHOUT ROWID;
      CREATE VIEW summary_delta(event_id, gender, role, birth, organization_id, unsent, sign) AS
        SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
      CREATE TRIGGER summary_delta_apply INSTEAD OF INSERT ON summary_delta BEGIN
        INSERT INTO summary_count(event_id, dimension, value, n)
          SELECT NEW.event_id, 'participants', '', NEW.sign
          UNION ALL SELECT NEW.event_id, 'gender', NEW.gender, NEW.sign
          UNION ALL SELECT NEW.event_id, 'role', NEW.role, NEW.sign
          UNION ALL SELECT NEW.event_id, 'birth', NEW.birth, NEW.sign
          UNION ALL SELECT NEW.event_id, 'organization', NEW.organization_id, NEW.sign
          UNION ALL SELECT NEW.event_id, 'unsent', '', NEW.sign WHERE NEW.unsent
          ON CONFLICT (event_id, dimension, value) DO UPDATE SET n = n + excluded.n;
      END;

      -- A person's first attendance row at an event adds them; their last one removes them.
      CREATE TRIGGER summary_attendance_ins AFTER INSERT ON attendance BEGIN
        INSERT INTO summary_person(event_id, participant_id, attendances, last_seq)
          SELECT NEW.event_id, NEW.participant_id, 0,
                 coalesce((SELECT max(seq) FROM change_log WHERE entity_id = NEW.participant_id
                           AND device_id = (SELECT id FROM device LIMIT 1)), 0)
          WHERE NOT EXISTS (SELECT 1 FROM summary_person WHERE event_id = NEW.event_id
                            AND participant_id = NEW.participant_id);
        UPDATE summary_person SET attendances = attendances + 1
          WHERE event_id = NEW.event_id AND participant_id = NEW.participant_id;
        INSERT INTO summary_delta
          SELECT s.event_id, p.gender, p.role, coalesce(p.birth_date, CAST(p.birth_year AS TEXT)),
                 coalesce(p.organization_id, ''), s.last_seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0), 1
          FROM summary_person s JOIN participant p ON p.id = s.participant_id
          WHERE s.event_id = NEW.event_id AND s.participant_id = NEW.participant_id
            AND s.attendances = 1 AND p.voided = 0;
      END;
      CREATE TRIGGER summary_attendance_del AFTER DELETE ON attendance BEGIN
        INSERT INTO summary_delta
          SELECT s.event_id, p.gender, p.role, coalesce(p.birth_date, CAST(p.birth_year AS TEXT)),
                 coalesce(p.organization_id, ''), s.last_seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0), -1
          FROM summary_person s JOIN participant p ON p.id = s.participant_id
          WHERE s.event_id = OLD.event_id AND s.participant_id = OLD.participant_id
            AND s.attendances = 1 AND p.voided = 0;
        UPDATE summary_person SET attendances = attendances - 1
          WHERE event_id = OLD.event_id AND participant_id = OLD.participant_id;
        DELETE FROM summary_person
          WHERE event_id = OLD.event_id AND participant_id = OLD.participant_id AND attendances <= 0;
      END;
      CREATE TRIGGER summary_attendance_upd BEFORE UPDATE OF participant_id, event_id ON attendance
        WHEN NEW.participant_id IS NOT OLD.participant_id OR NEW.event_id IS NOT OLD.event_id
        BEGIN SELECT RAISE(ABORT, 'attendance: its person and event never change'); END;
      -- An edit or a void moves the person between counts at every event they attend.
      CREATE TRIGGER summary_participant_upd
        AFTER UPDATE OF gender, role, birth_date, birth_year, organization_id, voided ON participant
        WHEN OLD.gender IS NOT NEW.gender OR OLD.role IS NOT NEW.role
          OR OLD.birth_date IS NOT NEW.birth_date OR OLD.birth_year IS NOT NEW.birth_year
          OR OLD.organization_id IS NOT NEW.organization_id OR OLD.voided IS NOT NEW.voided
      BEGIN
        INSERT INTO summary_delta
          SELECT s.event_id, OLD.gender, OLD.role, coalesce(OLD.birth_date, CAST(OLD.birth_year AS TEXT)),
                 coalesce(OLD.organization_id, ''), s.last_seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0), -1
          FROM summary_person s WHERE s.participant_id = OLD.id AND OLD.voided = 0;
        INSERT INTO summary_delta
          SELECT s.event_id, NEW.gender, NEW.role, coalesce(NEW.birth_date, CAST(NEW.birth_year AS TEXT)),
                 coalesce(NEW.organization_id, ''), s.last_seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0), 1
          FROM summary_person s WHERE s.participant_id = NEW.id AND NEW.voided = 0;
      END;
      -- A change-log entry of a person's record (or of their attendance at an event) makes them
      -- "not yet sent" there, if they were sent before.
      CREATE TRIGGER summary_change_participant AFTER INSERT ON change_log
        WHEN NEW.entity = 'participant' AND NEW.device_id = (SELECT id FROM device LIMIT 1)
      BEGIN
        INSERT INTO summary_count(event_id, dimension, value, n)
          SELECT s.event_id, 'unsent', '', 1
          FROM summary_person s JOIN participant p ON p.id = s.participant_id
          WHERE s.participant_id = NEW.entity_id AND p.voided = 0
            AND s.last_seq <= coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0) AND NEW.seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0)
          ON CONFLICT (event_id, dimension, value) DO UPDATE SET n = n + excluded.n;
        UPDATE summary_person SET last_seq = max(last_seq, NEW.seq)
          WHERE participant_id = NEW.entity_id;
      END;
      CREATE TRIGGER summary_change_attendance AFTER INSERT ON change_log
        WHEN NEW.entity = 'attendance' AND NEW.device_id = (SELECT id FROM device LIMIT 1)
      BEGIN
        INSERT INTO summary_count(event_id, dimension, value, n)
          SELECT s.event_id, 'unsent', '', 1
          FROM attendance a
          JOIN summary_person s ON s.event_id = a.event_id AND s.participant_id = a.participant_id
          JOIN participant p ON p.id = s.participant_id
          WHERE a.id = NEW.entity_id AND p.voided = 0
            AND s.last_seq <= coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0) AND NEW.seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0)
          ON CONFLICT (event_id, dimension, value) DO UPDATE SET n = n + excluded.n;
        UPDATE summary_person SET last_seq = max(last_seq, NEW.seq)
          WHERE (event_id, participant_id) =
                (SELECT event_id, participant_id FROM attendance WHERE id = NEW.entity_id);
      END;
      -- Headquarters' acknowledgement: everyone whose newest entry it covers is sent.
      CREATE TRIGGER summary_ack_ins AFTER INSERT ON sync_state
        WHEN NEW.device_id = (SELECT id FROM device LIMIT 1) AND NEW.acked_seq > 0
      BEGIN
        INSERT INTO summary_count(event_id, dimension, value, n)
          SELECT s.event_id, 'unsent', '', -count(*)
          FROM summary_person s JOIN participant p ON p.id = s.participant_id
          WHERE s.last_seq > 0 AND s.last_seq <= NEW.acked_seq AND p.voided = 0
          GROUP BY s.event_id
          ON CONFLICT (event_id, dimension, value) DO UPDATE SET n = n + excluded.n;
      END;
      CREATE TRIGGER summary_ack_upd AFTER UPDATE OF acked_seq ON sync_state
        WHEN NEW.device_id = (SELECT id FROM device LIMIT 1) AND NEW.acked_seq IS NOT OLD.acked_seq
      BEGIN
        INSERT INTO summary_count(event_id, dimension, value, n)
          SELECT s.event_id, 'unsent', '', -count(*)
          FROM summary_person s JOIN participant p ON p.id = s.participant_id
          WHERE s.last_seq > OLD.acked_seq AND s.last_seq <= NEW.acked_seq AND p.voided = 0
          GROUP BY s.event_id
          ON CONFLICT (event_id, dimension, value) DO UPDATE SET n = n + excluded.n;
        INSERT INTO summary_count(event_id, dimension, value, n)  -- never: the mark only rises
          SELECT s.event_id, 'unsent', '', count(*)
          FROM summary_person s JOIN participant p ON p.id = s.participant_id
          WHERE s.last_seq > NEW.acked_seq AND s.last_seq <= OLD.acked_seq AND p.voided = 0
          GROUP BY s.event_id
          ON CONFLICT (event_id, dimension, value) DO UPDATE SET n = n + excluded.n;
      END;

      -- The counts of what is already on file. The index lets the newest seq of a record be read
      -- from the index alone (the backfill and every first check-in at an event ask for it);
      -- through change_log_entity it cost one read of a ~1 KiB log row per entry: minutes at
      -- 100,000 people.
      CREATE INDEX change_log_entity_seq ON change_log(entity_id, device_id, seq);
      INSERT INTO summary_person(event_id, participant_id, attendances, last_seq)
        SELECT a.event_id, a.participant_id, count(*),
               max(coalesce((SELECT max(seq) FROM change_log c WHERE c.entity_id = a.participant_id
                             AND c.device_id = (SELECT id FROM device LIMIT 1)), 0),
                   coalesce(max((SELECT max(seq) FROM change_log c WHERE c.entity_id = a.id
                                 AND c.device_id = (SELECT id FROM device LIMIT 1))), 0))
        FROM attendance a GROUP BY a.event_id, a.participant_id;
      INSERT INTO summary_delta
        SELECT s.event_id, p.gender, p.role, coalesce(p.birth_date, CAST(p.birth_year AS TEXT)),
               coalesce(p.organization_id, ''), s.last_seq > coalesce((SELECT acked_seq FROM sync_state WHERE device_id = (SELECT id FROM device LIMIT 1)), 0), 1
        FROM summary_person s JOIN participant p ON p.id = s.participant_id WHERE p.voided = 0;

      CREATE TABLE participant_search (
        id INTEGER PRIMARY KEY,  -- participant.rowid (= participant_fts.rowid)
        key TEXT NOT NULL,       -- participant.search_key
        sort TEXT NOT NULL       -- family_name_latin, given_name_latin, family_name, given_name
      );
      INSERT INTO participant_search(id, key, sort)
        SELECT rowid, search_key, family_name_latin || char(1) || given_name_latin || char(1) ||
               family_name || char(1) || given_name
        FROM participant WHERE voided = 0;
      CREATE TRIGGER participant_search_ins AFTER INSERT ON participant WHEN NEW.voided = 0 BEGIN
        INSERT INTO participant_search(id, key, sort) VALUES (NEW.rowid, NEW.search_key,
          NEW.family_name_latin || char(1) || NEW.given_name_latin || char(1) || NEW.family_name ||
          char(1) || NEW.given_name);
      END;
      CREATE TRIGGER participant_search_upd
        AFTER UPDATE OF search_key, voided, family_name_latin, given_name_latin, family_name,
                        given_name ON participant
      BEGIN
        DELETE FROM participant_search WHERE id = OLD.rowid;
        INSERT INTO participant_search(id, key, sort)
          SELECT NEW.rowid, NEW.search_key, NEW.family_name_latin || char(1) ||
                 NEW.given_name_latin || char(1) || NEW.family_name || char(1) || NEW.given_name
          WHERE NEW.voided = 0;
      END;
      CREATE TRIGGER participant_search_del AFTER DELETE ON participant BEGIN
        DELETE FROM participant_search WHERE id = OLD.rowid;
      END;
    )sql",
    // 13: search in name order (people_queries.h S4, S6; issue 15: search p99 under 10 ms at
    //     100,000 people). participant_search is keyed by `ord`, a number that sorts like the
    //     name order: the first five characters of `sort` (7 bits each; from the first one of
    //     U+007F or above on, 0) times 2^28, plus the participant's rowid (unique; a rowid of 2^28
    //     or more, which no kiosk reaches, gets -rowid: still found, ordered first). So two rows
    //     whose ord's top bits differ sort the same way by name, and the trigram index over it
    //     (participant_search_fts, external content: the key is stored once) hands its matches
    //     over in name order, which lets a search stop after the first screenful instead of
    //     sorting every match. The key has a leading space, so the phrase " da" finds the word
    //     starts "da". It replaces migration 4's participant_fts and 12's participant_search.
    //     participant_order is the one place the row is computed from a participant.
    R"sql(
      DROP TRIGGER IF EXISTS participant_fts_ins;
      DROP TRIGGER IF EXISTS participant_fts_upd;
      DROP TRIGGER IF EXISTS participant_fts_del;
      DROP TABLE IF EXISTS participant_fts;
      DROP TRIGGER IF EXISTS participant_search_ins;
      DROP TRIGGER IF EXISTS participant_search_upd;
      DROP TRIGGER IF EXISTS participant_search_del;
      DROP TABLE IF EXISTS participant_search;
      CREATE VIEW participant_order(pid, ord, key, sort) AS
        SELECT pid, CASE WHEN pid < 268435456 THEN
            ((((min(u1, 127) * 128 + CASE WHEN u1 < 127 THEN min(u2, 127) ELSE 0 END) * 128
              + CASE WHEN max(u1, u2) < 127 THEN min(u3, 127) ELSE 0 END) * 128
              + CASE WHEN max(u1, u2, u3) < 127 THEN min(u4, 127) ELSE 0 END) * 128
              + CASE WHEN max(u1, u2, u3, u4) < 127 THEN min(u5, 127) ELSE 0 END) * 268435456 + pid
          ELSE -pid END, key, sort
        FROM (SELECT pid, key, sort, coalesce(unicode(substr(sort, 1, 1)), 0) AS u1,
                     coalesce(unicode(substr(sort, 2, 1)), 0) AS u2,
                     coalesce(unicode(substr(sort, 3, 1)), 0) AS u3,
                     coalesce(unicode(substr(sort, 4, 1)), 0) AS u4,
                     coalesce(unicode(substr(sort, 5, 1)), 0) AS u5
              FROM (SELECT rowid AS pid, ' ' || search_key AS key,
                           family_name_latin || char(1) || given_name_latin || char(1) ||
                           family_name || char(1) || given_name AS sort
                    FROM participant WHERE voided = 0));
      CREATE TABLE participant_search (
        ord INTEGER PRIMARY KEY,  -- participant_order.ord: name order, then participant.rowid
        key TEXT NOT NULL,        -- ' ' || participant.search_key
        sort TEXT NOT NULL        -- family_name_latin, given_name_latin, family_name, given_name
      );
      INSERT INTO participant_search(ord, key, sort) SELECT ord, key, sort FROM participant_order;
      CREATE VIRTUAL TABLE participant_search_fts USING fts5(key, content = 'participant_search',
                                                             content_rowid = 'ord', tokenize = 'trigram');
      INSERT INTO participant_search_fts(participant_search_fts) VALUES ('rebuild');
      -- 'rebuild' leaves one large segment among the small ones each save adds; FTS5's merges
      -- then took it along, and a save paid 20-30 ms of merging now and then at 100,000 people.
      -- Optimized, it sits apart (BENCHMARKS.md, issue 15).
      INSERT INTO participant_search_fts(participant_search_fts) VALUES ('optimize');
      CREATE TRIGGER participant_search_fts_ins AFTER INSERT ON participant_search BEGIN
        INSERT INTO participant_search_fts(rowid, key) VALUES (NEW.ord, NEW.key);
      END;
      CREATE TRIGGER participant_search_fts_del AFTER DELETE ON participant_search BEGIN
        INSERT INTO participant_search_fts(participant_search_fts, rowid, key)
          VALUES ('delete', OLD.ord, OLD.key);
      END;
      CREATE TRIGGER participant_search_ins AFTER INSERT ON participant WHEN NEW.voided = 0 BEGIN
        INSERT INTO participant_search(ord, key, sort)
          SELECT ord, key, sort FROM participant_order WHERE pid = NEW.rowid;
      END;
      -- An edit: the old row out while the participant still has its old values, the new in after.
      CREATE TRIGGER participant_search_unset
        BEFORE UPDATE OF search_key, voided, family_name_latin, given_name_latin, family_name,
                         given_name ON participant
      BEGIN
        DELETE FROM participant_search WHERE ord = (SELECT ord FROM participant_order WHERE pid = OLD.rowid);
      END;
      CREATE TRIGGER participant_search_set
        AFTER UPDATE OF search_key, voided, family_name_latin, given_name_latin, family_name,
                        given_name ON participant
      BEGIN
        INSERT INTO participant_search(ord, key, sort)
          SELECT ord, key, sort FROM participant_order WHERE pid = NEW.rowid;
      END;
      CREATE TRIGGER participant_search_del BEFORE DELETE ON participant BEGIN
        DELETE FROM participant_search WHERE ord = (SELECT ord FROM participant_order WHERE pid = OLD.rowid);
      END;
    )sql",
};

// [HELPERS]
bool exec(sqlite3* db, const char* sql, std::string* error) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    *error = msg ? msg : sqlite3_errmsg(db);
    sqlite3_free(msg);
    return false;
  }
  return true;
}

// The schema version that introduced incarnations (migration 5).
constexpr int kIncarnationVersion = 5;

int user_version(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int v = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

}  // namespace

std::int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

BootTime system_boot_time() {
  BootTime t;
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::getline(in, t.boot_id);
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  t.ms = static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
  return t;
}

std::string iso_time(std::int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  int ms = static_cast<int>(unix_ms % 1000);
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // room for any int values, so -Wformat-truncation has nothing to say
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string iso_day(std::int64_t unix_ms) { return iso_time(unix_ms).substr(0, 10); }

const char* store_error_key(StoreError e) {
  switch (e) {
    case StoreError::none: return "store.error.none";
    case StoreError::invalid: return "store.error.invalid";
    case StoreError::not_found: return "store.error.not_found";
    case StoreError::conflict: return "store.error.conflict";
    case StoreError::disk_full: return "store.error.disk_full";
    case StoreError::read_only: return "store.error.read_only";
    case StoreError::io: return "store.error.io";
    case StoreError::busy: return "store.error.busy";
    case StoreError::other: return "store.error.other";
    case StoreError::checking: return "store.error.checking";
  }
  return "store.error.other";  // impossible: every enumerator is listed above
}

StoreError store_error_from_sqlite(int rc) {
  if (rc == kStoreChecking) return StoreError::checking;  // invariant 9 (kStoreDamaged: io below)
  switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return StoreError::none;
    case SQLITE_FULL: return StoreError::disk_full;
    case SQLITE_READONLY: return StoreError::read_only;
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN: return StoreError::io;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StoreError::busy;
    case SQLITE_CONSTRAINT: return StoreError::conflict;
    default: return StoreError::other;
  }
}

std::string new_uuid() {
  if (sodium_init() < 0) std::abort();  // impossible on Linux: sodium_init only fails without entropy
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

// [OPEN]
int Store::latest_schema_version() { return static_cast<int>(kMigrations.size()); }

std::unique_ptr<Store> Store::open(const std::string& path, std::string* error,
                                   OnDamage on_damage, OpenCheck check,
                                   std::function<void()> before_check) {
  return open_impl(path, latest_schema_version(), error, on_damage, check, std::move(before_check));
}

std::unique_ptr<Store> Store::open_at_version(const std::string& path, int version,
                                              std::string* error) {
  if (version < 1 || version > latest_schema_version()) {
    *error = path + ": no schema version " + std::to_string(version);
    return nullptr;
  }
  return open_impl(path, version, error, OnDamage::refuse, OpenCheck::at_open, {});
}

namespace {

// A store path that names a file on disk (not ":memory:", not a "file:" URI such as the
// read-only "?mode=ro" one): only those are created atomically and set aside when damaged.
bool is_plain_file(const std::string& path) {
  return !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
}

bool file_exists(const std::string& path, struct stat* st) { return ::stat(path.c_str(), st) == 0; }

// Applies migrations have+1 .. target, each in its own transaction (invariant 2).
bool migrate(sqlite3* db, int have, int target, std::string* why) {
  for (int v = have; v < target; ++v) {
    std::string sql = std::string("BEGIN IMMEDIATE;") + kMigrations[static_cast<size_t>(v)] +
                      "PRAGMA user_version=" + std::to_string(v + 1) + ";";
    if (v == 0) sql += "INSERT INTO device(id) VALUES('" + new_uuid() + "');";
    if (v == 4)
      sql += "INSERT INTO incarnation(id, base_seq, started_at, reason) VALUES('" + new_uuid() +
             "', 1, strftime('%Y-%m-%dT%H:%M:%fZ','now'), 'created');";
    sql += "COMMIT;";
    if (!exec(db, sql.c_str(), why)) {
      std::string ignored;
      exec(db, "ROLLBACK;", &ignored);
      *why = "migration " + std::to_string(v + 1) + " failed: " + *why;
      return false;
    }
  }
  return true;
}

// Invariant 8: a new store is built as PATH.new in rollback-journal mode (so everything is in
// that one file once COMMIT returns), synced, and renamed into place. A store file that exists
// is therefore never legitimately empty.
bool create_store_file(const std::string& path, int target_version, std::string* why) {
  const std::string tmp = path + ".new";
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    std::remove((tmp + suffix).c_str());  // a half-built PATH.new from a crash holds no records
  sqlite3* db = nullptr;
  const mode_t old_umask = ::umask(0077);  // owner-only (0600): it holds minors' personal data
  int rc = sqlite3_open_v2(tmp.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  ::umask(old_umask);
  bool ok = rc == SQLITE_OK &&
            exec(db, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", why) &&
            migrate(db, 0, target_version, why);
  if (rc != SQLITE_OK) *why = std::string("cannot create the store: ") + (db ? sqlite3_errmsg(db) : "out of memory");
  if (sqlite3_close(db) != SQLITE_OK && ok) {
    *why = "cannot close the new store";
    ok = false;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    *why = std::string("cannot move the new store into place: ") + std::strerror(errno);
    ok = false;
  }
  if (ok) {  // the rename itself survives a power cut only once the folder is synced
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  return ok;
}

std::string utc_stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// The damaged stores set aside next to `path` (PATH.damaged-STAMP), oldest first.
std::vector<std::string> damaged_siblings(const std::string& path) {
  std::vector<std::string> out;
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".damaged-";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.find('-', prefix.size()) == std::string::npos)
      out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Invariant 8: renames the damaged store and its WAL and shared-memory files together (a WAL
// beside a different main file would be replayed into it) to PATH.damaged-STAMP[-wal|-shm], and
// returns the message staff see. Nothing is deleted.
std::string set_damaged_store_aside(const std::string& path, const std::string& problem) {
  std::string aside = path + ".damaged-" + utc_stamp();
  struct stat st {};
  for (int n = 2; file_exists(aside, &st); ++n) aside = path + ".damaged-" + utc_stamp() + "." + std::to_string(n);
  bool moved = std::rename(path.c_str(), aside.c_str()) == 0;
  for (const char* suffix : {"-wal", "-shm", "-journal"})
    if (file_exists(path + suffix, &st) && std::rename((path + suffix).c_str(), (aside + suffix).c_str()) != 0)
      moved = false;
  std::string msg = path + " is damaged (" + problem + "). Nothing was written to it. ";
  if (moved) {
    msg += "It was set aside as " + aside +
           " (with any -wal file beside it): it may still hold registrations not yet sent, so copy "
           "it onto a USB stick for headquarters. Then move it out of this folder and start the "
           "kiosk again to begin a new, empty store, or put a backup of the store in its place.";
  } else {
    msg += std::string("It could not be set aside (") + std::strerror(errno) +
           "): copy it and any -wal file onto a USB stick for headquarters, then move them out of "
           "this folder, or put a backup of the store in its place, and start the kiosk again.";
  }
  return msg;
}

}  // namespace

// Invariant 9: the state of the open check, shared with the check thread.
struct Store::OpenCheckState {
  std::mutex mutex;
  std::condition_variable done;
  CheckState state = CheckState::passed;
  std::string problem;
  double ms = 0;
  sqlite3* db = nullptr;  // the check's own connection while it runs (the destructor interrupts it)
  bool cancel = false;
};

Store::Store(sqlite3* db) : m_db(db), m_check(std::make_shared<OpenCheckState>()) {}

std::unique_ptr<Store> Store::open_impl(const std::string& path, int target_version,
                                        std::string* error, OnDamage on_damage, OpenCheck check,
                                        std::function<void()> before_check) {
  // Invariant 10: a failed after-open check makes this open check inside open().
  const std::string marker = path + ".check-failed";
  struct stat marker_st {};
  const bool check_failed_before = is_plain_file(path) && file_exists(marker, &marker_st);
  // The message for a damaged store; sets it aside first when the caller asked for that.
  auto damaged = [&](const std::string& problem) {
    if (on_damage == OnDamage::set_aside && is_plain_file(path)) {
      std::string msg = set_damaged_store_aside(path, problem);
      std::remove(marker.c_str());  // the marker's work is done: the store it named is aside
      return msg;
    }
    return path + " is damaged (" + problem + "). Nothing was written to it. Stop the kiosk: on "
           "its next start it sets the file aside for headquarters.";
  };
  std::string why;
  bool created = false;
  if (is_plain_file(path)) {
    struct stat st {};
    if (!file_exists(path, &st)) {
      created = true;
      // Invariant 8: a store that was set aside is never silently replaced by a new one.
      if (const auto aside = damaged_siblings(path); !aside.empty()) {
        *error = path + ": there is no store, and a damaged one was set aside as " + aside.back() +
                 ". The kiosk does not start a new, empty store by itself: copy the damaged files "
                 "onto a USB stick for headquarters, move them out of this folder and start the "
                 "kiosk again, or put a backup of the store in place as " + path + ".";
        return nullptr;
      }
      if (!create_store_file(path, target_version, &why)) {
        *error = path + ": " + why;
        return nullptr;
      }
    } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
      *error = damaged("the file is empty: 0 bytes");
      return nullptr;
    }
  }
  sqlite3* db = nullptr;
  // A store file is created owner-only (0600) — above, or by SQLite for a URI path: it holds
  // minors' personal data. SQLite gives its -wal and -shm files the main file's permissions.
  const mode_t old_umask = ::umask(0077);
  const int open_rc = sqlite3_open_v2(path.c_str(), &db,
                                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                                      nullptr);
  ::umask(old_umask);
  if (open_rc != SQLITE_OK) {
    *error = path + ": cannot open the store: " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  // Invariant 8: check the file before the first write (even journal_mode may write). A damaged
  // store is closed without the checkpoint SQLite does on close (it would copy a WAL into the
  // damaged file) and set aside; an unreadable one (I/O error, locked) is only refused.
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  // Invariant 9: the check may wait until after open() only when open() writes nothing.
  bool deferred = check == OpenCheck::after_open && is_plain_file(path) && !created && !check_failed_before &&
                  user_version(db) == target_version;
  if (deferred) {
    sqlite3_stmt* jm = nullptr;
    deferred = sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &jm, nullptr) == SQLITE_OK &&
               sqlite3_step(jm) == SQLITE_ROW &&
               std::string(reinterpret_cast<const char*>(sqlite3_column_text(jm, 0))) == "wal";
    sqlite3_finalize(jm);
  }
  if (deferred && target_version >= kIncarnationVersion) deferred = store->incarnation_matches();
  if (!deferred) {
    std::vector<std::string> problems;
    const auto check_start = std::chrono::steady_clock::now();
    const int rc = store->quick_check(&problems);
    store->m_check->ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - check_start).count();
    const int primary = rc & 0xFF;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || !problems.empty()) {
      const std::string problem = problems.empty() ? std::string(sqlite3_errstr(rc))
                                                   : "quick_check: " + problems.front();
      store.reset();
      *error = damaged(problem);
      return nullptr;
    }
    if (rc != SQLITE_OK) {
      *error = path + ": cannot check the store: " + sqlite3_errmsg(db);
      return nullptr;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
    if (check_failed_before) std::remove(marker.c_str());  // invariant 10: it passes now
  }
  if (!exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            &why)) {
    *error = path + ": " + why;
    return nullptr;
  }
  const int have = user_version(db);
  if (have < 0) {
    *error = path + ": not a SQLite database, or unreadable: " + sqlite3_errmsg(db);
    return nullptr;
  }
  if (have > latest_schema_version()) {
    *error = path + ": the store has schema version " + std::to_string(have) +
             ", newer than this kiosk build knows (" + std::to_string(latest_schema_version()) +
             "); refusing to open it";
    return nullptr;
  }
  if (!migrate(db, have, target_version, &why)) {
    *error = path + ": " + why;
    return nullptr;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT id FROM device LIMIT 1", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    store->m_device_id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (store->m_device_id.empty()) {
    *error = path + ": the store has no device row";
    return nullptr;
  }
  // Deferred, the incarnation already matched (nothing to write): only read it.
  if (target_version >= kIncarnationVersion &&
      !(deferred ? store->load_incarnation(&why) : store->check_incarnation(&why))) {
    *error = path + ": " + why;
    return nullptr;
  }
  if (deferred) {
    exec(db, "PRAGMA query_only=1", &why);  // invariant 9: no write slips past the gate
    store->m_query_only = true;
    store->start_open_check(path, std::move(before_check));
  }
  return store;
}

namespace {
int run_check(sqlite3* db, const char* pragma, std::vector<std::string>* problems) {
  problems->clear();
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, pragma, -1, &st, nullptr);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) break;
    const unsigned char* v = sqlite3_column_text(st, 0);
    const std::string line = v ? reinterpret_cast<const char*>(v) : "";
    if (line != "ok") problems->push_back(line);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
}  // namespace

int Store::quick_check(std::vector<std::string>* problems) const {
  return run_check(m_db, "PRAGMA quick_check(20)", problems);
}

int Store::integrity_check(std::vector<std::string>* problems) const {
  return run_check(m_db, "PRAGMA integrity_check(20)", problems);
}

// [OPEN CHECK AFTER OPEN] Invariants 9 and 10 of store.h.


void Store::start_open_check(const std::string& path, std::function<void()> before_check) {
  m_check->state = CheckState::checking;
  m_check_thread = std::thread([shared = m_check, path, before_check = std::move(before_check)] {
#ifdef __linux__
    // Background work: below the UI thread, so the first frames (and a visitor's taps) come first.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
#endif
    if (before_check) before_check();
    const auto t0 = std::chrono::steady_clock::now();
    sqlite3* db = nullptr;
    std::string problem;
    bool cancelled = false;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK) {
      {
        std::lock_guard<std::mutex> lock(shared->mutex);
        cancelled = shared->cancel;
        if (!cancelled) shared->db = db;
      }
      if (!cancelled) {
        sqlite3_busy_timeout(db, 5000);
        std::vector<std::string> problems;
        const int rc = run_check(db, "PRAGMA quick_check(20)", &problems);
        if ((rc & 0xFF) == SQLITE_INTERRUPT) cancelled = true;  // the Store is closing
        else if (!problems.empty()) problem = "quick_check: " + problems.front();
        else if (rc != SQLITE_OK) problem = std::string("the check could not run: ") + sqlite3_errstr(rc);
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->db = nullptr;
      }
    } else {
      problem = std::string("the check could not open the store: ") + (db ? sqlite3_errmsg(db) : "out of memory");
    }
    sqlite3_close(db);
    if (!cancelled && !problem.empty()) {
      // Invariant 10: the next open checks in open() and sets the store aside.
      std::ofstream out(path + ".check-failed", std::ios::trunc);
      out << problem << "\n";
      out.flush();
    }
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!cancelled) {
      shared->state = problem.empty() ? CheckState::passed : CheckState::damaged;
      shared->problem = problem;
    }
    shared->done.notify_all();
  });
}

Store::CheckState Store::open_check_state() const {
  std::lock_guard<std::mutex> lock(m_check->mutex);
  return m_check->state;
}

std::string Store::open_check_problem() const {
  std::lock_guard<std::mutex> lock(m_check->mutex);
  return m_check->problem;
}

double Store::open_check_ms() const {
  std::lock_guard<std::mutex> lock(m_check->mutex);
  return m_check->ms;
}

Store::CheckState Store::wait_open_check(double timeout_ms) const {
  std::unique_lock<std::mutex> lock(m_check->mutex);
  m_check->done.wait_for(lock, std::chrono::microseconds(static_cast<long long>(std::max(0.0, timeout_ms) * 1000)),
                         [&] { return m_check->state != CheckState::checking; });
  return m_check->state;
}

int Store::write_gate() {
  const CheckState state = open_check_state();
  if (state == CheckState::checking) return kStoreChecking;
  if (state == CheckState::damaged) return kStoreDamaged;
  if (m_query_only) {  // passed: this connection may write again, and checkpoint on close
    std::string why;
    exec(m_db, "PRAGMA query_only=0", &why);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
    m_query_only = false;
  }
  return SQLITE_OK;
}

Store::~Store() {
  if (m_check_thread.joinable()) {
    {
      std::lock_guard<std::mutex> lock(m_check->mutex);
      m_check->cancel = true;
      if (m_check->db) sqlite3_interrupt(m_check->db);
    }
    m_check_thread.join();
  }
  sqlite3_close(m_db);  // NO_CKPT_ON_CLOSE is still set unless the check passed (invariant 9)
}

int Store::schema_version() const { return user_version(m_db); }

std::string Store::now_iso() const { return iso_time(now_ms()); }

int Store::checkpoint() {
  if (write_gate() != SQLITE_OK) return SQLITE_BUSY;  // invariant 9: not into an unchecked file
  return sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

// [INCARNATION] Invariant 7 of store.h: the file's identity (machine id, device and inode) is
// written beside the current incarnation. A copied, restored or moved-to-another-machine file
// no longer matches, and then the store starts a new incarnation at last_seq + 1. A false alarm
// (a file system that renumbers inodes) only costs a new incarnation; a missed copy would cost
// records, which is why the check errs on the side of "copied".
namespace {

std::string machine_id() {
  for (const char* p : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
    std::ifstream in(p);
    std::string id;
    if (in && std::getline(in, id) && !id.empty()) return id;
  }
  return "unknown";
}

}  // namespace

bool Store::check_incarnation(std::string* why) {
  const char* file = sqlite3_db_filename(m_db, "main");
  if (!file || !*file || sqlite3_db_readonly(m_db, "main") == 1) {
    // In-memory or read-only: nothing can be written, so no entry can need a new incarnation.
    return load_incarnation(why);
  }
  struct stat st {};
  if (::stat(file, &st) != 0) {
    *why = std::string("cannot stat the store file: ") + std::strerror(errno);
    return false;
  }
  const std::string machine = machine_id();
  Transaction tx(*this);
  if (!tx.begun()) {
    *why = std::string("cannot check the incarnation: ") + sqlite3_errmsg(m_db);
    return false;
  }
  std::string id, have_machine;
  std::int64_t dev = 0, ino = 0;
  {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(m_db,
                       "SELECT id, machine_id, file_dev, file_ino FROM incarnation"
                       " ORDER BY base_seq DESC LIMIT 1", -1, &q, nullptr);
    if (q && sqlite3_step(q) == SQLITE_ROW) {
      id = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      have_machine = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
      dev = sqlite3_column_int64(q, 2);
      ino = sqlite3_column_int64(q, 3);
    }
    sqlite3_finalize(q);
  }
  if (id.empty()) {
    *why = "the store has no incarnation row (migration 5 incomplete?)";
    return false;
  }
  const auto cur_dev = static_cast<std::int64_t>(st.st_dev);
  const auto cur_ino = static_cast<std::int64_t>(st.st_ino);
  std::string sql;
  if (have_machine.empty()) {
    // First open since the incarnation was made (migration 5): record where it lives.
    sql = "UPDATE incarnation SET machine_id = ?1, file_dev = ?2, file_ino = ?3 WHERE id = ?4";
  } else if (have_machine != machine || dev != cur_dev || ino != cur_ino) {
    // A new incarnation owns every seq from last_seq + 1. If the current one owns none yet it
    // is dropped (the copy may be sharing it with the original), never reused.
    sql = "DELETE FROM incarnation WHERE id = ?4 AND base_seq > ?6;"
          "INSERT INTO incarnation(id, base_seq, machine_id, file_dev, file_ino, started_at,"
          " reason) VALUES (?5, ?6 + 1, ?1, ?2, ?3, ?7, 'copied')";
  }
  if (!sql.empty()) {
    std::int64_t last = 0;
    {
      sqlite3_stmt* q = nullptr;
      sqlite3_prepare_v2(m_db,
                         "SELECT max(coalesce((SELECT max(seq) FROM change_log), 0),"
                         " coalesce((SELECT max(acked_seq) FROM sync_state), 0))", -1, &q, nullptr);
      if (q && sqlite3_step(q) == SQLITE_ROW) last = sqlite3_column_int64(q, 0);
      sqlite3_finalize(q);
    }
    const std::string fresh = new_uuid(), now = now_iso();
    int rc = SQLITE_DONE;
    const char* tail = sql.c_str();
    while (rc == SQLITE_DONE && tail && *tail) {
      sqlite3_stmt* w = nullptr;
      rc = sqlite3_prepare_v2(m_db, tail, -1, &w, &tail);
      if (rc != SQLITE_OK || !w) break;
      sqlite3_bind_text(w, 1, machine.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(w, 2, cur_dev);
      sqlite3_bind_int64(w, 3, cur_ino);
      sqlite3_bind_text(w, 4, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(w, 5, fresh.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(w, 6, last);
      sqlite3_bind_text(w, 7, now.c_str(), -1, SQLITE_TRANSIENT);
      rc = sqlite3_step(w);
      sqlite3_finalize(w);
    }
    if (rc == SQLITE_DONE || rc == SQLITE_OK) rc = tx.commit();
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
      *why = std::string("cannot record the store's incarnation: ") + sqlite3_errmsg(m_db);
      return false;
    }
  } else {
    tx.commit();
  }
  return load_incarnation(why);
}

bool Store::incarnation_matches() {
  const char* file = sqlite3_db_filename(m_db, "main");
  struct stat st {};
  if (!file || !*file || ::stat(file, &st) != 0) return false;
  sqlite3_stmt* q = nullptr;
  bool same = false;
  if (sqlite3_prepare_v2(m_db, "SELECT machine_id, file_dev, file_ino FROM incarnation ORDER BY base_seq DESC LIMIT 1",
                         -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)) {
    const std::string have = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    same = !have.empty() && have == machine_id() &&
           sqlite3_column_int64(q, 1) == static_cast<std::int64_t>(st.st_dev) &&
           sqlite3_column_int64(q, 2) == static_cast<std::int64_t>(st.st_ino);
  }
  sqlite3_finalize(q);
  return same;
}

bool Store::load_incarnation(std::string* why) {
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(m_db, "SELECT id FROM incarnation ORDER BY base_seq DESC LIMIT 1", -1, &q,
                     nullptr);
  const int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
  if (rc == SQLITE_ROW) m_incarnation = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  if (m_incarnation.empty()) *why = std::string("cannot read the incarnation: ") + sqlite3_errmsg(m_db);
  return !m_incarnation.empty();
}

// [TRANSACTION]
Store::Transaction::Transaction(Store& store) : m_store(store) {
  m_rc = store.write_gate();  // invariant 9
  if (m_rc != SQLITE_OK) {
    m_done = true;
    return;
  }
  m_rc = sqlite3_exec(store.m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (m_rc != SQLITE_OK) m_done = true;  // nothing to roll back
}

Store::Transaction::~Transaction() {
  if (!m_done) sqlite3_exec(m_store.m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

int Store::Transaction::commit() {
  if (m_done) return m_rc == SQLITE_OK ? SQLITE_MISUSE : m_rc;  // did you commit twice?
  const int rc = sqlite3_exec(m_store.m_db, "COMMIT", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    m_done = true;
  } else if (sqlite3_get_autocommit(m_store.m_db)) {
    m_done = true;  // SQLite already rolled the transaction back
  }
  // Otherwise the destructor issues ROLLBACK: a failed COMMIT leaves nothing behind.
  return rc;
}

}  // namespace kiosk::core
