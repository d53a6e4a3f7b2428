// kiosk/core/change_log.h — reading the change log for sync, acknowledging it, and the audit trail.
//
// Every mutation made through Registry or StaffDirectory appends, in its own transaction, one
// change_log row (device_id, seq, entity, entity_id, op insert|update|void, payload JSON = the
// full record after the change, at) and one audit row. Sequence numbers are per device, start at
// 1 and have no gaps (a trigger refuses any other seq; a rolled-back transaction consumes none).
// Headquarters acknowledges a contiguous high-water mark: acknowledge(n) means 1..n arrived.
//
// Contract: not thread-safe (one Store per thread). Reads see committed data only.
// acknowledge() only moves forward and never past last_seq(); purge_acknowledged() deletes only
// rows at or below the mark (a trigger refuses anything else).
#pragma once

#include "records.h"
#include "store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::core {

class ChangeLog {
 public:
  explicit ChangeLog(Store& store) : m_store(store) {}

  std::int64_t last_seq() const;   // 0 when nothing was ever logged
  std::int64_t acked_seq() const;  // sync_state.acked_seq for this device, 0 if none
  std::int64_t pending_count() const { return last_seq() - acked_seq(); }
  // Entries with first <= seq <= last, in seq order (what a sync bundle ships).
  std::vector<ChangeEntry> range(std::int64_t first, std::int64_t last) const;
  // Record HQ's receipt: every seq <= acked is safe at headquarters.
  SaveResult acknowledge(std::int64_t acked);
  // Delete acknowledged change-log rows (after the retention period; the caller decides when).
  SaveResult purge_acknowledged();

  // The audit trail of one record (participant, event, organization, staff...), oldest first.
  std::vector<AuditEntry> history(const std::string& entity_id) const;

 private:
  Store& m_store;
};

}  // namespace kiosk::core
