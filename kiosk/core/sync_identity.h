// kiosk/core/sync_identity.h — the kiosk's enrollment with headquarters, as stored (migration 5):
// headquarters' id for this kiosk, its public keys, the kiosk's own signing key pair and the
// one-time enrollment secret; plus the times of the last send and the last receipt.
// The protocol that uses them lives in sync/ (sync/README.md); this is only the store's side.
//
// Rules: a store is enrolled once (a trigger refuses a second hq_device_id); the row holds a
// secret key, so enroll() also makes the store file readable by its owner only (0600).
// Contract: not thread-safe (one Store per thread); reads return ReadResult.
#pragma once

#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::core {

struct SyncIdentity {
  std::string hq_device_id, device_name, tour, hq_url;
  std::vector<std::uint8_t> hq_sign_pk, hq_box_pk;        // 32 bytes each
  std::vector<std::uint8_t> device_sign_pk, device_sign_sk;  // 32 and 64 bytes
  std::vector<std::uint8_t> enroll_secret;                 // 32 bytes
  std::string enrolled_at, last_receipt_at, last_sent_at;
};

class SyncIdentityStore {
 public:
  explicit SyncIdentityStore(Store& store) : m_store(store) {}
  // nullopt value (with ok()) when the kiosk is not enrolled.
  ReadResult<std::optional<SyncIdentity>> load() const;
  SaveResult enroll(const SyncIdentity& identity);
  SaveResult mark_receipt();  // last_receipt_at = now
  SaveResult mark_sent();     // last_sent_at = now
  // Participants with a change-log entry above the acknowledged mark.
  ReadResult<std::int64_t> people_pending() const;
  // Whether people_pending() would be above 0: one indexed probe, not a count (health.h H4).
  ReadResult<bool> any_people_pending() const;

 private:
  Store& m_store;
};

}  // namespace kiosk::core
