// kiosk/core/records.h — the plain records of the domain, as the store keeps them.
//
// Contract: plain values, no behaviour. Text is UTF-8 exactly as typed (after validation by
// form_schema.h); enumerated fields hold the lowercase words the schema CHECKs allow:
//   gender  female | male | other | unspecified       role    student | teacher | other
//   organization.kind  school | university | society | ngo | government | company | other
//   organization.origin  headquarters | local         staff.role  staff | supervisor
// Dates are "YYYY-MM-DD"; timestamps ISO-8601 UTC ("2026-11-29T22:50:00.123Z").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::core {

struct EventInfo {
  std::string id;  // empty when creating: the store assigns a UUID
  std::string name;
  std::string tour = "default";  // selects content/forms/<tour>.toml
  std::string venue, city;
  std::string country;  // ISO 3166-1 alpha-2 ("KH") or empty
  std::string start_date, end_date;
  std::vector<std::string> activity_types;  // e.g. exhibition_visit, science_camp
};

struct Organization {
  std::string id;  // HQ's id for imported ones; a UUID for local ones (store assigns)
  std::string name;        // native script
  std::string name_latin;  // may be empty
  std::string kind = "school";
  std::string country, city;
  std::string origin = "local";
};

// What staff type for a person (the form's fields, typed).
struct ParticipantFields {
  std::string given_name, family_name;              // native script
  std::string given_name_latin, family_name_latin;  // Latin letters
  std::optional<std::string> birth_date;            // "YYYY-MM-DD" when known
  int birth_year = 0;                               // always set (from the date when known)
  std::string gender = "unspecified";
  std::string role = "student";
  std::optional<std::string> organization_id;
  std::string grade;
  std::string guardian_name, guardian_phone;
  std::vector<std::string> interests;  // science fields, schema-defined words
  // The tour's own fields (form_schema.h F2, F5): field id → value as typed (trimmed, non-empty).
  // Stored in participant.extra (a JSON object) and synced as the payload's "extra" object.
  std::map<std::string, std::string> extra;
};

struct Participant : ParticipantFields {
  std::string id;
  std::optional<std::string> consent_id;
  std::string created_by, created_device, created_at;
  std::string updated_by, updated_device, updated_at;
  bool voided = false;
  std::string void_reason;
};

// What the guardian saw and signed (consent.h K2-K4). The store keeps the version, the language
// and the SHA-256 of shown_text, never the text itself.
struct ConsentInput {
  std::string text_version;  // the version kept beside the text in its catalog, e.g. "2026-1"
  std::string language;      // the language the text was SHOWN in (after catalog fallback)
  std::string guardian_name;
  std::vector<std::uint8_t> signature;  // encode_signature() of the finger strokes
  // Added with consent.h; initialized so that older aggregate initializations still compile
  // (and are then refused at runtime with a K4 detail, never stored without a hash).
  std::string requested_language = {};  // the language chosen for the guardian; must equal language
  std::string shown_text = {};          // the exact text shown (UTF-8 bytes as displayed)
};

// One registration = one person + attendance at one event activity + consent, saved atomically.
struct Registration {
  ParticipantFields person;
  std::string event_id;
  std::string activity;  // one of the event's activity_types
  std::optional<ConsentInput> consent;
};

struct Attendance {
  std::string id, participant_id, event_id, activity, staff_id, device_id, at;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at, staff_id, device_id, action, entity, entity_id;
  std::string summary;  // JSON: for updates {"field": [before, after], ...}
};

struct ChangeEntry {
  std::string device_id;
  std::int64_t seq = 0;
  std::string entity, entity_id, op, payload, at;
  int format = 1;             // the payload's format version (change_log.h C1)
  std::string incarnation;    // the incarnation that owns this seq (change_log.h C2)
};

}  // namespace kiosk::core
