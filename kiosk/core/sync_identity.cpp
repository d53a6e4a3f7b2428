#include "sync_identity.h"

#include "sql.h"

#include <sys/stat.h>

namespace kiosk::core {
namespace {

SaveResult set_time(Store& store, const char* column_sql) {
  Store::Transaction tx(store);
  if (!tx.begun()) return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), "cannot begin");
  sql::Statement up(store.handle(), column_sql);
  up.bind(1, store.now_iso());
  int rc = up.run();
  if (rc != SQLITE_OK) return SaveResult::failure(store_error_from_sqlite(rc), up.error());
  rc = tx.commit();
  if (rc != SQLITE_OK)
    return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(store.handle()));
  return SaveResult::success({});
}

}  // namespace

ReadResult<std::optional<SyncIdentity>> SyncIdentityStore::load() const {
  using R = ReadResult<std::optional<SyncIdentity>>;
  sql::Statement st(m_store.handle(),
                    "SELECT hq_device_id, device_name, tour, hq_url, hq_sign_pk, hq_box_pk,"
                    " device_sign_pk, device_sign_sk, enroll_secret, enrolled_at,"
                    " coalesce(last_receipt_at, ''), coalesce(last_sent_at, '')"
                    " FROM sync_identity WHERE id = 1");
  const int rc = st.step();
  if (rc == SQLITE_DONE) return R::success(std::nullopt);
  if (rc != SQLITE_ROW) return R::failure(store_error_from_sqlite(rc), st.error());
  SyncIdentity s;
  s.hq_device_id = st.text(0);
  s.device_name = st.text(1);
  s.tour = st.text(2);
  s.hq_url = st.text(3);
  s.hq_sign_pk = st.blob(4);
  s.hq_box_pk = st.blob(5);
  s.device_sign_pk = st.blob(6);
  s.device_sign_sk = st.blob(7);
  s.enroll_secret = st.blob(8);
  s.enrolled_at = st.text(9);
  s.last_receipt_at = st.text(10);
  s.last_sent_at = st.text(11);
  return R::success(std::move(s));
}

SaveResult SyncIdentityStore::enroll(const SyncIdentity& s) {
  Store::Transaction tx(m_store);
  if (!tx.begun())
    return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), "cannot begin");
  sql::Statement ins(m_store.handle(),
                     "INSERT INTO sync_identity(id, hq_device_id, device_name, tour, hq_url,"
                     " hq_sign_pk, hq_box_pk, device_sign_pk, device_sign_sk, enroll_secret,"
                     " enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, s.hq_device_id).bind(2, s.device_name).bind(3, s.tour).bind(4, s.hq_url);
  ins.bind_blob(5, s.hq_sign_pk).bind_blob(6, s.hq_box_pk).bind_blob(7, s.device_sign_pk);
  ins.bind_blob(8, s.device_sign_sk).bind_blob(9, s.enroll_secret).bind(10, m_store.now_iso());
  int rc = ins.run();
  if (rc != SQLITE_OK)
    return SaveResult::failure((rc & 0xFF) == SQLITE_CONSTRAINT ? StoreError::conflict
                                                                : store_error_from_sqlite(rc),
                               ins.error());
  rc = tx.commit();
  if (rc != SQLITE_OK)
    return SaveResult::failure(store_error_from_sqlite(rc), sqlite3_errmsg(m_store.handle()));
  // The store now holds a secret key: owner-only, like an ssh key.
  if (const char* file = sqlite3_db_filename(m_store.handle(), "main"); file && *file)
    ::chmod(file, 0600);
  return SaveResult::success(s.hq_device_id);
}

SaveResult SyncIdentityStore::mark_receipt() {
  return set_time(m_store, "UPDATE sync_identity SET last_receipt_at = ? WHERE id = 1");
}

SaveResult SyncIdentityStore::mark_sent() {
  return set_time(m_store, "UPDATE sync_identity SET last_sent_at = ? WHERE id = 1");
}

ReadResult<std::int64_t> SyncIdentityStore::people_pending() const {
  sql::Statement st(m_store.handle(),
                    "SELECT count(DISTINCT entity_id) FROM change_log WHERE device_id = ?1"
                    " AND entity = 'participant' AND seq > coalesce((SELECT acked_seq FROM"
                    " sync_state WHERE device_id = ?1), 0)");
  st.bind(1, m_store.device_id());
  const int rc = st.step();
  if (rc != SQLITE_ROW)
    return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rc), st.error());
  return ReadResult<std::int64_t>::success(st.int64(0));
}

ReadResult<bool> SyncIdentityStore::any_people_pending() const {
  sql::Statement st(m_store.handle(),
                    "SELECT EXISTS (SELECT 1 FROM change_log WHERE device_id = ?1"
                    " AND entity = 'participant' AND seq > coalesce((SELECT acked_seq FROM"
                    " sync_state WHERE device_id = ?1), 0))");
  st.bind(1, m_store.device_id());
  const int rc = st.step();
  if (rc != SQLITE_ROW) return ReadResult<bool>::failure(store_error_from_sqlite(rc), st.error());
  return ReadResult<bool>::success(st.int64(0) != 0);
}

}  // namespace kiosk::core
