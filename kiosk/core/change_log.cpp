#include "change_log.h"

#include "journal.h"
#include "staff.h"
#include "sql.h"

#include <algorithm>
#include <cstdio>

namespace kiosk::core {

// --- journal (private) ---------------------------------------------------------------------

namespace journal {

int append_change(Store& store, std::string_view entity, std::string_view entity_id,
                  std::string_view op, std::string_view payload_json, std::int64_t* seq) {
  // The next seq: one above the larger of the newest logged and the acknowledged mark (the
  // log may have been purged up to the mark). The change_log_next_seq trigger checks the same.
  sql::Statement next(store.handle(),
                      "SELECT max(coalesce((SELECT max(seq) FROM change_log WHERE device_id = ?1), 0),"
                      " coalesce((SELECT acked_seq FROM sync_state WHERE device_id = ?1), 0)) + 1");
  next.bind(1, store.device_id());
  int rc = next.step();
  if (rc != SQLITE_ROW) return rc;
  const std::int64_t n = next.int64(0);
  // The format column (schema 5) defaults to 1 = kPayloadFormat; older schemas (still opened by
  // the migration tests) have no such column, so it is left to the default.
  static_assert(kPayloadFormat == 1, "write change_log.format explicitly once format 2 exists");
  sql::Statement ins(store.handle(),
                     "INSERT INTO change_log(device_id, seq, entity, entity_id, op, payload, at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, store.device_id()).bind(2, n).bind(3, entity).bind(4, entity_id).bind(5, op);
  ins.bind(6, payload_json).bind(7, store.now_iso());
  rc = ins.run();
  if (rc == SQLITE_OK && seq) *seq = n;
  return rc;
}

int append_audit(Store& store, std::string_view staff_id, std::string_view action,
                 std::string_view entity, std::string_view entity_id, std::string_view summary) {
  sql::Statement ins(store.handle(),
                     "INSERT INTO audit(at, staff_id, device_id, action, entity, entity_id, summary)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, store.now_iso());
  // staff.h A1: the kiosk computer is no person: no staff id, and the summary says who.
  const bool computer = staff_id == kKioskComputer;
  if (staff_id.empty() || computer)
    ins.bind_null(2);
  else
    ins.bind(2, staff_id);
  ins.bind(3, store.device_id()).bind(4, action).bind(5, entity).bind(6, entity_id);
  std::string body(summary.empty() ? std::string_view("{}") : summary);
  if (computer)
    body = body == "{}" ? "{\"by\":\"kiosk_computer\"}" : "{\"by\":\"kiosk_computer\"," + body.substr(1);
  ins.bind(7, body);
  return ins.run();
}

int snapshot(Store& store, const char* select_json_sql, std::string_view id, std::string* json) {
  sql::Statement st(store.handle(), select_json_sql);
  st.bind(1, id);
  const int rc = st.step();
  if (rc == SQLITE_ROW) {
    *json = st.text(0);
    return SQLITE_OK;
  }
  return rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
}

int diff(Store& store, std::string_view before, std::string_view after, std::string* out) {
  // Names of the changed fields only, never their values (privacy: an audit row must not keep a
  // child's name after the record itself was redacted; issue 10, schema 6).
  sql::Statement st(store.handle(),
                    "SELECT json_object('changed', coalesce(json_group_array(a.key), json('[]')))"
                    " FROM json_each(?1) a JOIN json_each(?2) b ON a.key = b.key"
                    " WHERE a.value IS NOT b.value");
  st.bind(1, before).bind(2, after);
  const int rc = st.step();
  if (rc != SQLITE_ROW) return rc;
  *out = st.text(0);
  return SQLITE_OK;
}

std::string json_quote(std::string_view utf8) {
  std::string out = "\"";
  for (const char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string json_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += json_quote(items[i]);
  }
  return out + "]";
}

}  // namespace journal

std::string entries_json(const std::vector<ChangeEntry>& entries) {
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ChangeEntry& e = entries[i];
    if (i) out += ',';
    out += "{\"seq\":" + std::to_string(e.seq) + ",\"device\":" + journal::json_quote(e.device_id) +
           ",\"entity\":" + journal::json_quote(e.entity) +
           ",\"entity_id\":" + journal::json_quote(e.entity_id) +
           ",\"op\":" + journal::json_quote(e.op) + ",\"format\":" + std::to_string(e.format) +
           ",\"at\":" + journal::json_quote(e.at) + ",\"payload\":" + e.payload + "}";
  }
  return out + "]";
}

// --- ChangeLog -----------------------------------------------------------------------------

namespace {

constexpr const char* kLastSeqSql =
    "SELECT max(coalesce((SELECT max(seq) FROM change_log WHERE device_id = ?1), 0),"
    " coalesce((SELECT acked_seq FROM sync_state WHERE device_id = ?1), 0))";
constexpr const char* kAckedSeqSql =
    "SELECT coalesce((SELECT acked_seq FROM sync_state WHERE device_id = ?1), 0)";

ReadResult<std::int64_t> read_int(Store& store, const char* sql_text) {
  sql::Statement st(store.handle(), sql_text);
  st.bind(1, store.device_id());
  const int rc = st.step();
  if (rc != SQLITE_ROW)
    return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rc), st.error());
  return ReadResult<std::int64_t>::success(st.int64(0));
}

// A read transaction (C3): BEGIN ... COMMIT around several SELECTs so they see one snapshot.
// Inside a caller's write transaction it does nothing (that one is already a snapshot).
class ReadTransaction {
 public:
  explicit ReadTransaction(sqlite3* db) : m_db(db) {
    if (sqlite3_get_autocommit(db)) m_rc = sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    m_open = m_rc == SQLITE_OK && sqlite3_get_autocommit(db) == 0;
  }
  ~ReadTransaction() {
    if (m_open) sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  int rc() const { return m_rc; }

 private:
  sqlite3* m_db;
  int m_rc = SQLITE_OK;
  bool m_open = false;
};

}  // namespace

ReadResult<std::int64_t> ChangeLog::last_seq() const { return read_int(m_store, kLastSeqSql); }

ReadResult<std::int64_t> ChangeLog::acked_seq() const { return read_int(m_store, kAckedSeqSql); }

ReadResult<std::int64_t> ChangeLog::pending_count() const {
  ReadTransaction rt(m_store.handle());
  if (rt.rc() != SQLITE_OK)
    return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rt.rc()),
                                             sqlite3_errmsg(m_store.handle()));
  const auto last = last_seq();
  if (!last.ok()) return last;
  const auto acked = acked_seq();
  if (!acked.ok()) return acked;
  return ReadResult<std::int64_t>::success(last.value - acked.value);
}

ReadResult<std::vector<ChangeEntry>> ChangeLog::range(std::int64_t first,
                                                      std::int64_t last) const {
  using R = ReadResult<std::vector<ChangeEntry>>;
  if (first < 1 || last < first)
    return R::failure(StoreError::invalid, "range " + std::to_string(first) + ".." +
                                               std::to_string(last) + " is empty or below 1");
  ReadTransaction rt(m_store.handle());
  if (rt.rc() != SQLITE_OK)
    return R::failure(store_error_from_sqlite(rt.rc()), sqlite3_errmsg(m_store.handle()));
  std::vector<ChangeEntry> out;
  out.reserve(static_cast<std::size_t>(std::min<std::int64_t>(last - first + 1, 100000)));
  sql::Statement st(m_store.handle(),
                    "SELECT c.device_id, c.seq, c.entity, c.entity_id, c.op, c.payload, c.at,"
                    " c.format, (SELECT i.id FROM incarnation i WHERE i.base_seq <= c.seq"
                    "            ORDER BY i.base_seq DESC LIMIT 1)"
                    " FROM change_log c WHERE c.device_id = ? AND c.seq BETWEEN ? AND ?"
                    " ORDER BY c.seq");
  st.bind(1, m_store.device_id()).bind(2, first).bind(3, last);
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    const std::int64_t seq = st.int64(1);
    const std::int64_t want = first + static_cast<std::int64_t>(out.size());
    if (seq != want)
      return R::failure(StoreError::not_found,
                        "change log: seq " + std::to_string(want) + " is missing (purged?)");
    out.push_back({st.text(0), seq, st.text(2), st.text(3), st.text(4), st.text(5), st.text(6),
                   static_cast<int>(st.int64(7)), st.text(8)});
  }
  if (rc != SQLITE_DONE) return R::failure(store_error_from_sqlite(rc), st.error());
  if (out.size() != static_cast<std::size_t>(last - first + 1))
    return R::failure(StoreError::not_found,
                      "change log: seq " + std::to_string(first + static_cast<std::int64_t>(out.size())) +
                          " is missing (beyond last_seq, or purged)");
  return R::success(std::move(out));
}

ReadResult<std::vector<Incarnation>> ChangeLog::incarnations() const {
  using R = ReadResult<std::vector<Incarnation>>;
  std::vector<Incarnation> out;
  sql::Statement st(m_store.handle(),
                    "SELECT id, base_seq, started_at, reason FROM incarnation ORDER BY base_seq");
  int rc;
  while ((rc = st.step()) == SQLITE_ROW)
    out.push_back({st.text(0), st.int64(1), st.text(2), st.text(3)});
  if (rc != SQLITE_DONE) return R::failure(store_error_from_sqlite(rc), st.error());
  if (out.empty() || out.front().base_seq != 1)
    return R::failure(StoreError::io, "the store's incarnation list is empty or does not start at 1");
  return R::success(std::move(out));
}

SaveResult ChangeLog::acknowledge(std::int64_t acked) {
  Store::Transaction tx(m_store);
  if (!tx.begun())
    return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), "cannot begin");
  const auto current = acked_seq();
  const auto last = last_seq();
  if (!current.ok()) return SaveResult::failure(current.error, current.detail);
  if (!last.ok()) return SaveResult::failure(last.error, last.detail);
  if (acked < current.value || acked > last.value)
    return SaveResult::failure(StoreError::invalid,
                               "acknowledged seq must lie between the current mark and last_seq");
  sql::Statement up(m_store.handle(),
                    "INSERT INTO sync_state(device_id, acked_seq, acked_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(device_id) DO UPDATE SET acked_seq = excluded.acked_seq,"
                    " acked_at = excluded.acked_at");
  up.bind(1, m_store.device_id()).bind(2, acked).bind(3, m_store.now_iso());
  int rc = up.run();
  if (rc != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), up.error());
  // When this mark was reached: a record's retention period counts from here (privacy.h).
  sql::Statement hist(m_store.handle(),
                      "INSERT OR IGNORE INTO ack_history(seq, at_ms) VALUES (?, ?)");
  hist.bind(1, acked).bind(2, m_store.now_ms());
  if (acked > current.value && (rc = hist.run()) != SQLITE_OK)
    return SaveResult::failure(store_error_from_sqlite(rc), hist.error());
  rc = tx.commit();
  if (rc != SQLITE_OK)
    return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(m_store.handle()));
  return SaveResult::success(std::to_string(acked));
}

SaveResult ChangeLog::purge_acknowledged() {
  Store::Transaction tx(m_store);
  if (!tx.begun())
    return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), "cannot begin");
  const auto acked = acked_seq();
  if (!acked.ok()) return SaveResult::failure(acked.error, acked.detail);
  sql::Statement del(m_store.handle(), "DELETE FROM change_log WHERE device_id = ? AND seq <= ?");
  del.bind(1, m_store.device_id()).bind(2, acked.value);
  int rc = del.run();
  if (rc != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), del.error());
  rc = tx.commit();
  if (rc != SQLITE_OK)
    return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(m_store.handle()));
  return SaveResult::success({});
}

ReadResult<std::vector<AuditEntry>> ChangeLog::history(const std::string& entity_id) const {
  using R = ReadResult<std::vector<AuditEntry>>;
  std::vector<AuditEntry> out;
  sql::Statement st(m_store.handle(),
                    "SELECT id, at, coalesce(staff_id, ''), device_id, action, entity, entity_id,"
                    " summary FROM audit WHERE entity_id = ? ORDER BY id");
  st.bind(1, entity_id);
  int rc;
  while ((rc = st.step()) == SQLITE_ROW)
    out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                   st.text(6), st.text(7)});
  if (rc != SQLITE_DONE) return R::failure(store_error_from_sqlite(rc), st.error());
  return R::success(std::move(out));
}

}  // namespace kiosk::core
