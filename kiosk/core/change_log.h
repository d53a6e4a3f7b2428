// kiosk/core/change_log.h — reading the change log for sync, acknowledging it, and the audit trail.
//
// Every mutation made through Registry or StaffDirectory appends, in its own transaction, one
// change_log row (device_id, seq, entity, entity_id, op insert|update|void, payload JSON = the
// full record after the change, at) and one audit row. Sequence numbers are per device, start at
// 1 and have no gaps (a trigger refuses any other seq; a rolled-back transaction consumes none).
// Headquarters acknowledges a contiguous high-water mark: acknowledge(n) means 1..n arrived.
//
// The sync contract (sync/README.md builds bundles on it):
//  C1. Every entry carries `format`, the version of its payload's JSON shape (kPayloadFormat for
//      new entries); headquarters refuses formats it does not know instead of guessing.
//  C2. The log is cut into incarnations (store.h invariant 7): incarnation k owns the seqs from
//      its base_seq up to the next incarnation's base_seq - 1. A bundle never spans two.
//  C3. Reads return ReadResult: a failing disk is an error, never a short list or a 0.
//      range(a, b) reads inside one read transaction and is whole and contiguous (a..b, each
//      seq once) or an error naming the first missing seq.
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

// The payload format new change-log entries are written in (C1).
inline constexpr int kPayloadFormat = 1;

struct Incarnation {
  std::string id;
  std::int64_t base_seq = 1;
  std::string started_at, reason;  // reason: "created" | "copied"
};

// The JSON array a sync bundle carries (sync/README.md "Payload"): one object per entry with
// seq, device (this store's device id), entity, entity_id, op, format, at and payload (the
// record's JSON as logged, embedded verbatim).
std::string entries_json(const std::vector<ChangeEntry>& entries);

class ChangeLog {
 public:
  explicit ChangeLog(Store& store) : m_store(store) {}

  ReadResult<std::int64_t> last_seq() const;   // 0 when nothing was ever logged
  ReadResult<std::int64_t> acked_seq() const;  // sync_state.acked_seq for this device, 0 if none
  ReadResult<std::int64_t> pending_count() const;  // last_seq - acked_seq, in one read
  // Entries with first <= seq <= last, in seq order (what a sync bundle ships), each with its
  // incarnation; all of them or an error (C3).
  ReadResult<std::vector<ChangeEntry>> range(std::int64_t first, std::int64_t last) const;
  // Every incarnation, oldest (base 1) first (C2).
  ReadResult<std::vector<Incarnation>> incarnations() const;
  // Record HQ's receipt: every seq <= acked is safe at headquarters.
  SaveResult acknowledge(std::int64_t acked);
  // Delete acknowledged change-log rows (after the retention period; the caller decides when).
  SaveResult purge_acknowledged();

  // The audit trail of one record (participant, event, organization, staff...), oldest first.
  ReadResult<std::vector<AuditEntry>> history(const std::string& entity_id) const;

 private:
  Store& m_store;
};

}  // namespace kiosk::core
