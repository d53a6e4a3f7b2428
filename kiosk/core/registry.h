// kiosk/core/registry.h — registering people: events, organizations, participants, attendance,
// consent. Every function that changes data is ONE transaction that also appends the audit row
// and the change-log row(s); it returns only after COMMIT (ok()) or after a full rollback (an
// error, with nothing of the change in the file). See the design note in registry.cpp.
//
// Contract
//  - Validate user input first with FormSchema::validate() (form_schema.h); the Registry re-checks
//    only what the database must never hold (CHECK constraints, foreign keys, void reasons) and
//    reports StoreError::invalid / conflict / not_found for those.
//  - staff_id must be an existing staff row (StaffDirectory); it is recorded on every change,
//    together with Store::device_id() and the Store's clock.
//  - SaveResult::id is the id of the record created or changed.
//  - Consent follows consent.h (K1-K4): a refusal is StoreError::invalid with SaveResult::rule set
//    to the catalog key staff see; ask check_registration_consent() first to show it early.
//  - Not thread-safe; a Registry borrows the Store and must not outlive it. Functions do not
//    nest (each opens its own transaction): do not call them from inside another transaction.
#pragma once

#include "records.h"
#include "store.h"

#include <optional>
#include <string>
#include <vector>

namespace kiosk::core {

struct ImportReport {
  int inserted = 0, updated = 0;
  std::vector<std::string> errors;  // "file:line: message"; non-empty → nothing was imported
  bool ok() const { return errors.empty(); }
};

// One organization of headquarters' directory, fields id,name,name_latin,kind,country,city: every
// rule it breaks (id format, readable names without formulas, kind, country), the same for the
// CSV import and the downlink package. Empty when it may be stored.
std::vector<std::string> directory_organization_problems(const std::vector<std::string>& fields);

// One organization of headquarters' directory inserted or updated as origin "headquarters"
// (an existing local one of the same id becomes headquarters'). `fields` are id, name,
// name_latin, kind, country, city, already checked by the caller; call inside the caller's
// transaction. The CSV import and the downlink (downlink.h) both write through this. Returns
// SQLite's result code; *existed says whether the id was known.
int upsert_directory_organization(Store& store, const std::vector<std::string>& fields,
                                  const std::string& now, bool* existed);

class Registry {
 public:
  explicit Registry(Store& store) : m_store(store) {}

  // --- Events (item 2). Every registration belongs to an event. ---------------------------
  SaveResult create_event(const EventInfo& event, const std::string& staff_id);
  std::optional<EventInfo> event(const std::string& id) const;
  std::vector<EventInfo> events() const;  // newest start date first
  // The "current event" the registration screen uses; persisted in the setting table.
  SaveResult set_current_event(const std::string& event_id);
  std::optional<std::string> current_event_id() const;

  // --- Organizations (item 3). ------------------------------------------------------------
  // A school added offline by staff: origin "local", a new UUID, logged for sync.
  SaveResult add_local_organization(const Organization& org, const std::string& staff_id);
  std::optional<Organization> organization(const std::string& id) const;
  // The headquarters directory as CSV (RFC 4180, UTF-8, header required):
  //   id,name,name_latin,kind,country,city
  // All-or-nothing: any bad line → no change and every error reported as "file:line: ...".
  // Rows are upserted by id with origin "headquarters"; one audit row, no change-log rows (the
  // directory comes from headquarters, nothing to send back).
  ImportReport import_organizations_csv(const std::string& path, const std::string& staff_id);
  // How many organizations the kiosk knows, by origin. Read-only.
  struct OrganizationCounts { int headquarters = 0, local = 0; };
  OrganizationCounts organization_counts() const;

  // --- Participants (items 3, 5, 6). -------------------------------------------------------
  // Saves person (with its tour fields, form_schema.h F5) + consent (if any) + attendance at
  // (event, activity): one transaction. Tour fields that check_extra() refuses → invalid.
  // Refused (rule consent.refused.*) for a minor on the event's first day without consent, and
  // for a consent whose text fell back to another language or lacks its text or version.
  SaveResult register_participant(const Registration& reg, const std::string& staff_id);
  // "Same person" / returning participant check-in: attendance only. Idempotent: if the
  // attendance exists its id is returned and nothing is logged. Refused (consent.refused.minor)
  // for a person under 18 on the event's first day with no consent recorded (consent.h K1).
  SaveResult add_attendance(const std::string& participant_id, const std::string& event_id,
                            const std::string& activity, const std::string& staff_id);
  // Replaces the editable fields, tour fields (extra) included: an empty extra clears them;
  // audit records {"changed": [field names]}. Voided → invalid. Refused (consent.refused.minor)
  // when the edit makes a person without consent a minor at an event they attend (K1).
  SaveResult update_participant(const std::string& participant_id, const ParticipantFields& f,
                                const std::string& staff_id);
  // Nothing is hard-deleted: voided = 1 with a non-empty reason; the record leaves searches.
  SaveResult void_participant(const std::string& participant_id, const std::string& reason,
                              const std::string& staff_id);
  // Consent recorded later for an existing participant (e.g. the guardian arrives); the consent
  // is checked as in register_participant (consent.h K2-K4).
  SaveResult attach_consent(const std::string& participant_id, const ConsentInput& consent,
                            const std::string& staff_id);

 private:
  Store& m_store;
};

}  // namespace kiosk::core
