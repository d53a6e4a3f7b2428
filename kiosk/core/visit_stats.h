// kiosk/core/visit_stats.h — anonymous visit analytics (issue 4 item 6).
//
// What visitors do, counted per (day, exhibit, language) and nothing else: no person, no session
// id, no time of day finer than the day, so the counters cannot identify a child. Each event is
// one upsert transaction into visit_stats:
//   VisitEvent::opened       opened += 1            (value ignored)
//   VisitEvent::dwell        dwell_s += value        (seconds spent on the exhibit, >= 0)
//   VisitEvent::quiz_right   quiz_right += 1
//   VisitEvent::quiz_wrong   quiz_wrong += 1
// Not change-logged (design note I2 in registry.cpp): sync ships the aggregate rows themselves;
// a row is final once its day is over, and re-sending it is idempotent at headquarters.
//
// Contract: not thread-safe; borrows the Store. record_visit() returns after commit; the UI may
// drop a failed record (analytics must never block a visitor). day is "YYYY-MM-DD" (use
// iso_day(store.now_ms())), lang a BCP 47 tag such as "km".
#pragma once

#include "store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::core {

enum class VisitEvent { opened, dwell, quiz_right, quiz_wrong };

struct VisitAggregate {
  std::string day, exhibit_id, lang;
  std::int64_t opened = 0, dwell_s = 0, quiz_right = 0, quiz_wrong = 0;
};

class VisitStats {
 public:
  explicit VisitStats(Store& store) : m_store(store) {}

  SaveResult record_visit(const std::string& day, const std::string& exhibit_id,
                          const std::string& lang, VisitEvent event, std::int64_t value = 0);
  // Rows with first_day <= day <= last_day (inclusive, "YYYY-MM-DD"), ordered by day, exhibit,
  // language. Empty strings mean unbounded.
  std::vector<VisitAggregate> aggregates(const std::string& first_day = {},
                                         const std::string& last_day = {}) const;

 private:
  Store& m_store;
};

}  // namespace kiosk::core
