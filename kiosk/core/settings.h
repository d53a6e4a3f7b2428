// kiosk/core/settings.h — the kiosk settings a supervisor changes on the kiosk itself.
//
// The configuration file (app/config.h) gives the defaults a kiosk is installed with; what a
// supervisor saves on the settings screen overrides them and survives restarts. Stored in the
// store: the kiosk name in device.name (it names the device to headquarters), the rest as rows of
// the setting table (key → text value).
//
// Rules:
//  S1. Only an active supervisor saves settings (checked inside the write transaction).
//  S2. One save is one transaction; only values that differ from what is in effect are written,
//      each with one audit row {"value": [before, after]} naming the supervisor.
//  S3. Settings are device configuration, not records of the libraries: they are audited but
//      not change-logged (headquarters sends settings down; it does not collect them).
//  S4. Values are checked before anything is written (ranges below); a refused save writes nothing.
//
// Contract: not thread-safe; borrows the Store.
#pragma once

#include "store.h"

#include <cstddef>
#include <string>

namespace kiosk::core {

struct KioskSettings {
  std::string kiosk_name;        // shown to staff, sent to headquarters; 1..60 code points
  std::string staff_lang = "en"; // language of the staff screens (a catalog language code)
  int staff_lock_s = 300;        // staff screens lock after this long untouched
  int visitor_reset_s = 90;      // visitor screens return to Attract after this long untouched
};

inline constexpr std::size_t kKioskNameMaxCodePoints = 60;
// The keys of the `setting` table (also written by headquarters' downlink, downlink.h).
inline constexpr const char* kSettingStaffLang = "staff.lang";
inline constexpr const char* kSettingStaffLock = "staff.lock_s";
inline constexpr const char* kSettingVisitorReset = "kiosk.visitor_reset_s";
inline constexpr int kStaffLockMinS = 60, kStaffLockMaxS = 3600;
inline constexpr int kVisitorResetMinS = 30, kVisitorResetMaxS = 600;

enum class SettingsRule {
  ok,
  not_supervisor,
  name_required,
  name_too_long,
  control_characters,
  zawgyi,         // a Burmese kiosk name in the Zawgyi encoding (must be Unicode)
  bad_language,   // not 2..3 lower-case ASCII letters
  out_of_range,   // a timeout outside its limits above
};
// "settings.error.name_required" etc.; "" for ok.
const char* settings_rule_key(SettingsRule r);

class SettingsStore {
 public:
  explicit SettingsStore(Store& store) : m_store(store) {}

  // `defaults` (from the config file) with every saved value applied on top. Read-only.
  KioskSettings load(const KioskSettings& defaults) const;
  // Rule S4 alone (for a form, before saving).
  static SettingsRule check(const KioskSettings& s);
  // Saves `wanted` (S1..S4). *changed (when given) counts the values written; 0 with ok() means
  // nothing differed from load(defaults). On a refusal *broken names the rule.
  SaveResult save(const KioskSettings& wanted, const KioskSettings& defaults,
                  const std::string& actor_id, SettingsRule* broken = nullptr,
                  int* changed = nullptr);

 private:
  Store& m_store;
};

}  // namespace kiosk::core
