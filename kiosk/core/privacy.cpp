#include "privacy.h"

#include "journal.h"
#include "sql.h"

#include <string>

namespace kiosk::core {
namespace {

// The seq up to which headquarters' receipts are older than the retention period.
constexpr const char* kSettledSeqSql =
    "SELECT coalesce((SELECT max(seq) FROM ack_history WHERE at_ms <= ?1), 0)";

// Participants (not yet redacted) whose every entry is at or below the settled seq (V1).
constexpr const char* kEligibleSql =
    "SELECT p.id FROM participant p WHERE p.redacted_at IS NULL AND NOT EXISTS ("
    "  SELECT 1 FROM change_log c WHERE c.seq > ?1 AND (c.entity_id = p.id"
    "   OR c.entity_id = p.consent_id"
    "   OR c.entity_id IN (SELECT a.id FROM attendance a WHERE a.participant_id = p.id)))"
    " AND EXISTS (SELECT 1 FROM ack_history)";

}  // namespace

ReadResult<std::int64_t> Privacy::eligible(int retention_days) const {
  sql::Statement settled(m_store.handle(), kSettledSeqSql);
  settled.bind(1, m_store.now_ms() - std::int64_t{retention_days} * 86'400'000);
  int rc = settled.step();
  if (rc != SQLITE_ROW)
    return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rc), settled.error());
  sql::Statement st(m_store.handle(), std::string("SELECT count(*) FROM (") + kEligibleSql + ")");
  st.bind(1, settled.int64(0));
  rc = st.step();
  if (rc != SQLITE_ROW) return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rc), st.error());
  return ReadResult<std::int64_t>::success(st.int64(0));
}

SaveResult Privacy::redact_acknowledged(int retention_days) {
  sqlite3* db = m_store.handle();
  sqlite3_exec(db, "PRAGMA secure_delete = ON", nullptr, nullptr, nullptr);
  std::int64_t redacted = 0;
  {
    Store::Transaction tx(m_store);
    if (!tx.begun())
      return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), "cannot begin");
    sql::Statement settled(db, kSettledSeqSql);
    settled.bind(1, m_store.now_ms() - std::int64_t{retention_days} * 86'400'000);
    int rc = settled.step();
    if (rc != SQLITE_ROW) return SaveResult::failure(store_error_from_sqlite(rc), settled.error());
    const std::int64_t seq = settled.int64(0);
    if (seq == 0) return SaveResult::success("0");
    const std::string now = m_store.now_iso();
    if ((rc = sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS redact_ids(id TEXT PRIMARY KEY);"
                               " DELETE FROM redact_ids;", nullptr, nullptr, nullptr)) != SQLITE_OK)
      return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(db));
    sql::Statement pick(db, std::string("INSERT INTO redact_ids ") + kEligibleSql);
    pick.bind(1, seq);
    if ((rc = pick.run()) != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), pick.error());
    redacted = sqlite3_changes(db);
    const char* steps[] = {
        // V2: the record itself (the FTS index follows through its trigger on search_key).
        "UPDATE participant SET given_name = '', family_name = '', given_name_latin = '[redacted]',"
        " family_name_latin = '', name_key = '', name_key_latin = '', search_key = '',"
        " guardian_name = '', guardian_phone = '', birth_date = NULL, extra = '{}',"
        " void_reason = CASE voided WHEN 1 THEN '[redacted]' ELSE '' END, redacted_at = ?1"
        " WHERE id IN (SELECT id FROM redact_ids)",
        "UPDATE consent SET guardian_name = '', signature = NULL"
        " WHERE id IN (SELECT consent_id FROM participant WHERE id IN (SELECT id FROM redact_ids))",
        "UPDATE audit SET summary = '{\"redacted\":true}' WHERE summary <> '{\"redacted\":true}' AND"
        " (entity_id IN (SELECT id FROM redact_ids) OR entity_id IN (SELECT consent_id FROM"
        " participant WHERE id IN (SELECT id FROM redact_ids)))",
        // Entries headquarters has held for longer than the retention period.
        "DELETE FROM change_log WHERE device_id = (SELECT id FROM device LIMIT 1) AND seq <= ?2",
    };
    for (const char* text : steps) {
      sql::Statement st(db, text);
      st.bind(1, now);
      if (std::string_view(text).find("?2") != std::string_view::npos) st.bind(2, seq);
      if ((rc = st.run()) != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), st.error());
    }
    if (redacted > 0) {
      // V3: recorded locally, never sent.
      // (The audit's action list is fixed since schema 2: an "update" of the kiosk's privacy.)
      rc = journal::append_audit(m_store, "", "update", "privacy", "redaction",
                                 "{\"redacted\":" + std::to_string(redacted) + "}");
      if (rc != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(db));
    }
    rc = tx.commit();
    if (rc != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(db));
  }
  if (redacted > 0) {
    // V4: old index segments still hold the deleted terms until merged; then the WAL's copies.
    sqlite3_exec(db, "INSERT INTO participant_search_fts(participant_search_fts) VALUES ('optimize')", nullptr,
                 nullptr, nullptr);
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  }
  sqlite3_exec(db, "PRAGMA secure_delete = OFF", nullptr, nullptr, nullptr);
  return SaveResult::success(std::to_string(redacted));
}

}  // namespace kiosk::core
