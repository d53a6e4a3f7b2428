#include "visit_stats.h"

#include "sql.h"

namespace kiosk::core {

SaveResult VisitStats::record_visit(const std::string& day, const std::string& exhibit_id,
                                    const std::string& lang, VisitEvent event,
                                    std::int64_t value) {
  std::int64_t opened = 0, dwell = 0, right = 0, wrong = 0;
  switch (event) {
    case VisitEvent::opened: opened = 1; break;
    case VisitEvent::dwell:
      if (value < 0) return SaveResult::failure(StoreError::invalid, "dwell seconds < 0");
      dwell = value;
      break;
    case VisitEvent::quiz_right: right = 1; break;
    case VisitEvent::quiz_wrong: wrong = 1; break;
  }
  sql::Statement up(m_store.handle(),
                    "INSERT INTO visit_stats(day, exhibit_id, lang, opened, dwell_s, quiz_right,"
                    " quiz_wrong) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                    " ON CONFLICT(day, exhibit_id, lang) DO UPDATE SET"
                    " opened = opened + excluded.opened, dwell_s = dwell_s + excluded.dwell_s,"
                    " quiz_right = quiz_right + excluded.quiz_right,"
                    " quiz_wrong = quiz_wrong + excluded.quiz_wrong");
  up.bind(1, day).bind(2, exhibit_id).bind(3, lang).bind(4, opened).bind(5, dwell);
  up.bind(6, right).bind(7, wrong);
  // A single statement in autocommit mode is its own transaction; it returns after COMMIT.
  const int rc = up.run();
  if (rc != SQLITE_OK) {
    const StoreError e = (rc & 0xFF) == SQLITE_CONSTRAINT ? StoreError::invalid
                                                          : store_error_from_sqlite(rc);
    return SaveResult::failure(e, sqlite3_errmsg(m_store.handle()));
  }
  return SaveResult::success(day + "/" + exhibit_id + "/" + lang);
}

std::vector<VisitAggregate> VisitStats::aggregates(const std::string& first_day,
                                                   const std::string& last_day) const {
  std::vector<VisitAggregate> out;
  sql::Statement st(m_store.handle(),
                    "SELECT day, exhibit_id, lang, opened, dwell_s, quiz_right, quiz_wrong"
                    " FROM visit_stats WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= ?2)"
                    " ORDER BY day, exhibit_id, lang");
  st.bind(1, first_day).bind(2, last_day);
  while (st.step() == SQLITE_ROW)
    out.push_back({st.text(0), st.text(1), st.text(2), st.int64(3), st.int64(4), st.int64(5),
                   st.int64(6)});
  return out;
}

}  // namespace kiosk::core
