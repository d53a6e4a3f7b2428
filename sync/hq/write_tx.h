// sync/hq/write_tx.h — one write transaction on the library (BEGIN IMMEDIATE), rolled back
// unless committed. Private to sync/hq.
#pragma once

#include <sqlite3.h>

namespace kiosk::hq {

// A write transaction that rolls back unless committed (L2).
class WriteTx {
 public:
  explicit WriteTx(sqlite3* db) : m_db(db) {
    m_rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  }
  ~WriteTx() {
    if (m_rc == SQLITE_OK && !m_done) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  int begin_rc() const { return m_rc; }
  int commit() {
    const int rc = sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK || sqlite3_get_autocommit(m_db)) m_done = true;
    return rc;
  }

 private:
  sqlite3* m_db;
  int m_rc;
  bool m_done = false;
};


}  // namespace kiosk::hq
