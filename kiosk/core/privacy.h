// kiosk/core/privacy.h — the kiosk forgets the personal data headquarters already holds.
//
// Rules (issue 10: the data is about minors; keep it on a kiosk no longer than needed):
//  V1. A participant is redacted only when every change-log entry about them (their record, their
//      attendance, their consent) is at or below the acknowledged mark, and the receipt that
//      covered the newest of those entries is older than the retention period (ack_history).
//  V2. Redaction blanks given and family names (native and Latin; the Latin given name becomes
//      "[redacted]" to satisfy the "some name" rule), the name and search keys, guardian name and
//      phone, the exact birth date (the year stays), the void reason, every tour field (extra,
//      form_schema.h F5: a tour's own field may be personal); the consent's guardian name
//      and signature; the audit summaries of those records ({"redacted":true}); and deletes the
//      acknowledged change-log entries whose receipt is past retention (headquarters holds them).
//      Ids, birth year, gender, role, organization and attendance stay, so event summaries and
//      counts do not change.
//  V3. Redaction is not a change for headquarters: no change-log entry (headquarters must keep
//      the names); one audit row (entity "privacy", action "update", with the count) records that it happened.
//  V4. It runs in one transaction with PRAGMA secure_delete on, then rebuilds the full-text index
//      segments and checkpoints the WAL with TRUNCATE, so the names are gone from the file's
//      bytes, not only from its rows.
//
// Contract: not thread-safe (one Store per thread); runs on the sync worker's connection.
#pragma once

#include "store.h"

#include <cstdint>

namespace kiosk::core {

inline constexpr int kDefaultRetentionDays = 30;

class Privacy {
 public:
  explicit Privacy(Store& store) : m_store(store) {}
  // Participants eligible under V1 right now.
  ReadResult<std::int64_t> eligible(int retention_days) const;
  // Redacts them (V2-V4). SaveResult::id holds the number redacted.
  SaveResult redact_acknowledged(int retention_days);

 private:
  Store& m_store;
};

}  // namespace kiosk::core
