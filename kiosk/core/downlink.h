// kiosk/core/downlink.h — applying headquarters' downlink package on the kiosk: the organization
// directory, the tour's events and kiosk settings. The package's signature, tour and device are
// checked by sync/ (sync/README.md "Downlink") before it reaches this; this is the store's side.
//
// Rules:
//  D1. All or nothing: one transaction; any row a table constraint refuses refuses the package,
//      with the reason, and nothing changes.
//  D2. Only newer: a package whose version is not above the last applied one is refused
//      ("older than the kiosk's") — also by a trigger.
//  D3. Organizations arrive as origin "headquarters" (updating a local one of the same id);
//      events as headquarters' (no change-log entry: they must not travel back as this kiosk's);
//      settings pass SettingsStore::check. One audit row records the import with its counts.
//  D4. The organization map is whole: every organization's merged_into is cleared, then set for
//      each listed local organization that this kiosk holds (an id it does not hold is skipped;
//      a target that is not an organization here refuses the package). Participants keep their
//      organization id (it is evidence); lists and counts show the organization it maps to.
//  D5. Staff accounts (already opened from the part sealed to this kiosk, sync/README.md) are
//      inserted or updated as origin "headquarters": valid id, name (rule A2 of staff.h, unique
//      among all the kiosk's accounts once folded), role, active flag and an argon2id PIN hash.
//      An id held by one of the kiosk's own accounts refuses the package, and so does a result
//      with no active supervisor. No change-log entry: they must not travel back.
//
// Payload: {"organizations": [{"id","name","name_latin","kind","country","city"}],
//           "organization_map": [{"id": local id, "merged_into": directory id}],
//           "events": [{"id","name","tour","venue","city","country","start_date","end_date",
//                       "activity_types": [...]}],
//           "settings": {"staff.lang": "km", "staff.lock_s": 300, "kiosk.visitor_reset_s": 90}}
// Staff accounts (D5), given apart: [{"id","name","role","active": 0|1,"pin_hash"}].
// Contract: not thread-safe (one Store per thread).
#pragma once

#include "store.h"

#include <cstdint>
#include <string>

namespace kiosk::core {

struct DownlinkApplied {
  int organizations = 0, events = 0, settings = 0, mapped = 0, staff = 0;
};

class DownlinkStore {
 public:
  explicit DownlinkStore(Store& store) : m_store(store) {}
  // 0 when none was ever applied.
  ReadResult<std::int64_t> version() const;
  // D1-D5. On success SaveResult::id is the version; *applied gets the counts. staff_json: the
  // opened staff part (a JSON array), or "" when the package has none for this kiosk.
  SaveResult apply(std::int64_t version, const std::string& tour, const std::string& payload_json,
                   const std::string& staff_json, DownlinkApplied* applied);

 private:
  std::string apply_staff(const std::string& staff_json, const std::string& now, int* count);
  Store& m_store;
};

}  // namespace kiosk::core
