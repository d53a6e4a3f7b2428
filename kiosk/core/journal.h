// kiosk/core/journal.h — PRIVATE to kiosk_core: appending to change_log and audit from inside a
// mutation's transaction. Public reading and acknowledging is in change_log.h.
//
// Contract: call only between Store::Transaction's constructor and commit(); every function
// returns an SQLite result code (SQLITE_OK on success) and leaves the rollback to the caller.
#pragma once

#include "store.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core::journal {

// Appends (device, next seq, entity, id, op, payload, now) and returns the seq in *seq.
int append_change(Store& store, std::string_view entity, std::string_view entity_id,
                  std::string_view op, std::string_view payload_json, std::int64_t* seq);
// Appends one audit row; an empty staff_id is stored as NULL (system actions such as imports),
// and so is kKioskComputer (staff.h A1), whose summary gains "by":"kiosk_computer".
int append_audit(Store& store, std::string_view staff_id, std::string_view action,
                 std::string_view entity, std::string_view entity_id, std::string_view summary);
// Runs `select_json_sql` (one "?" for the id, one JSON text column) and stores its result.
int snapshot(Store& store, const char* select_json_sql, std::string_view id, std::string* json);
// {"changed": ["field", ...]}: the keys whose values differ between two JSON objects (names
// only, never values: audit rows outlive a redaction, see privacy.h).
int diff(Store& store, std::string_view before, std::string_view after, std::string* out);

std::string json_quote(std::string_view utf8);
std::string json_string_array(const std::vector<std::string>& items);

}  // namespace kiosk::core::journal
