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
//
// Payload: {"organizations": [{"id","name","name_latin","kind","country","city"}],
//           "events": [{"id","name","tour","venue","city","country","start_date","end_date",
//                       "activity_types": [...]}],
//           "settings": {"staff.lang": "km", "staff.lock_s": 300, "kiosk.visitor_reset_s": 90}}
// Contract: not thread-safe (one Store per thread).
#pragma once

#include "store.h"

#include <cstdint>
#include <string>

namespace kiosk::core {

struct DownlinkApplied {
  int organizations = 0, events = 0, settings = 0;
};

class DownlinkStore {
 public:
  explicit DownlinkStore(Store& store) : m_store(store) {}
  // 0 when none was ever applied.
  ReadResult<std::int64_t> version() const;
  // D1-D3. On success SaveResult::id is the version; *applied gets the counts.
  SaveResult apply(std::int64_t version, const std::string& tour, const std::string& payload_json,
                   DownlinkApplied* applied);

 private:
  Store& m_store;
};

}  // namespace kiosk::core
