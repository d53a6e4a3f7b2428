#include "settings.h"

#include "journal.h"
#include "sql.h"
#include "staff.h"
#include "text_normalize.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace kiosk::core {
namespace {

constexpr const char* kStaffLang = kSettingStaffLang;
constexpr const char* kStaffLock = kSettingStaffLock;
constexpr const char* kVisitorReset = kSettingVisitorReset;

// A saved integer, or the default when the row is missing or not a number in range (a hand-edited
// database must not stop the kiosk).
int saved_int(const std::string& text, int fallback, int lo, int hi) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fallback;
  const int v = std::stoi(text);
  return v >= lo && v <= hi ? v : fallback;
}

}  // namespace

const char* settings_rule_key(SettingsRule r) {
  switch (r) {
    case SettingsRule::ok: return "";
    case SettingsRule::not_supervisor: return "settings.supervisor_only";
    case SettingsRule::name_required: return "settings.error.name_required";
    case SettingsRule::name_too_long: return "settings.error.name_too_long";
    case SettingsRule::control_characters: return "settings.error.control_characters";
    case SettingsRule::zawgyi: return "form.error.zawgyi";  // {suggestion}: zawgyi_to_unicode(name)
    case SettingsRule::bad_language:
    case SettingsRule::out_of_range: return "store.error.invalid";  // the screen offers only valid choices
  }
  return "";  // impossible: every enumerator is listed above
}

KioskSettings SettingsStore::load(const KioskSettings& defaults) const {
  KioskSettings s = defaults;
  {
    sql::Statement st(m_store.handle(), "SELECT name FROM device WHERE id = ?");
    st.bind(1, m_store.device_id());
    if (st.step() == SQLITE_ROW && !st.text(0).empty()) s.kiosk_name = st.text(0);
  }
  sql::Statement st(m_store.handle(), "SELECT key, value FROM setting WHERE key IN (?, ?, ?)");
  st.bind(1, kStaffLang).bind(2, kStaffLock).bind(3, kVisitorReset);
  while (st.step() == SQLITE_ROW) {
    const std::string key = st.text(0), value = st.text(1);
    if (key == kStaffLang && !value.empty()) s.staff_lang = value;
    if (key == kStaffLock) s.staff_lock_s = saved_int(value, s.staff_lock_s, kStaffLockMinS, kStaffLockMaxS);
    if (key == kVisitorReset)
      s.visitor_reset_s = saved_int(value, s.visitor_reset_s, kVisitorResetMinS, kVisitorResetMaxS);
  }
  return s;
}

SettingsRule SettingsStore::check(const KioskSettings& s) {
  switch (check_display_name(trim_space(s.kiosk_name), kKioskNameMaxCodePoints)) {
    case NameProblem::empty: return SettingsRule::name_required;
    case NameProblem::invalid_text: return SettingsRule::control_characters;
    case NameProblem::too_long: return SettingsRule::name_too_long;
    case NameProblem::zawgyi: return SettingsRule::zawgyi;
    case NameProblem::none: break;
  }
  if (s.staff_lang.size() < 2 || s.staff_lang.size() > 3 ||
      !std::all_of(s.staff_lang.begin(), s.staff_lang.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return SettingsRule::bad_language;
  if (s.staff_lock_s < kStaffLockMinS || s.staff_lock_s > kStaffLockMaxS ||
      s.visitor_reset_s < kVisitorResetMinS || s.visitor_reset_s > kVisitorResetMaxS)
    return SettingsRule::out_of_range;
  return SettingsRule::ok;
}

SaveResult SettingsStore::save(const KioskSettings& wanted_raw, const KioskSettings& defaults,
                               const std::string& actor_id, SettingsRule* broken, int* changed) {
  if (broken) *broken = SettingsRule::ok;
  if (changed) *changed = 0;
  KioskSettings wanted = wanted_raw;
  wanted.kiosk_name = trim_space(wanted.kiosk_name);
  const auto refuse = [&](SettingsRule r) {
    if (broken) *broken = r;
    return SaveResult::failure(StoreError::invalid, settings_rule_key(r));
  };
  Store::Transaction tx(m_store);
  if (!tx.begun()) return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), sqlite3_errmsg(m_store.handle()));
  if (!StaffDirectory(m_store).is_active_supervisor(actor_id)) return refuse(SettingsRule::not_supervisor);
  const KioskSettings now = load(defaults);
  // Only what changes is judged: a timeout the config file set outside the screen's range stays
  // in effect when a supervisor changes something else.
  KioskSettings judged = wanted;
  if (judged.staff_lock_s == now.staff_lock_s) judged.staff_lock_s = kStaffLockMinS;
  if (judged.visitor_reset_s == now.visitor_reset_s) judged.visitor_reset_s = kVisitorResetMinS;
  if (const SettingsRule r = check(judged); r != SettingsRule::ok) return refuse(r);
  int rc = SQLITE_OK, written = 0;
  const auto audit = [&](const char* key, const std::string& before, const std::string& after) {
    if (rc == SQLITE_OK)
      rc = journal::append_audit(m_store, actor_id, "update", "setting", key,
                                 "{\"value\":[" + journal::json_quote(before) + "," +
                                     journal::json_quote(after) + "]}");
    ++written;
  };
  if (wanted.kiosk_name != now.kiosk_name) {
    sql::Statement up(m_store.handle(), "UPDATE device SET name = ? WHERE id = ?");
    up.bind(1, wanted.kiosk_name).bind(2, m_store.device_id());
    rc = up.run();
    audit("kiosk.name", now.kiosk_name, wanted.kiosk_name);
  }
  const std::vector<std::pair<const char*, std::pair<std::string, std::string>>> rows = {
      {kStaffLang, {now.staff_lang, wanted.staff_lang}},
      {kStaffLock, {std::to_string(now.staff_lock_s), std::to_string(wanted.staff_lock_s)}},
      {kVisitorReset, {std::to_string(now.visitor_reset_s), std::to_string(wanted.visitor_reset_s)}},
  };
  for (const auto& [key, values] : rows) {
    if (values.first == values.second || rc != SQLITE_OK) continue;
    sql::Statement up(m_store.handle(),
                      "INSERT INTO setting(key, value) VALUES (?, ?)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    up.bind(1, key).bind(2, values.second);
    rc = up.run();
    audit(key, values.first, values.second);
  }
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) {
    const StoreError e = (rc & 0xFF) == SQLITE_CONSTRAINT ? StoreError::invalid : store_error_from_sqlite(rc);
    return SaveResult::failure(e, sqlite3_errmsg(m_store.handle()));
  }
  if (changed) *changed = written;
  return SaveResult::success(m_store.device_id());
}

}  // namespace kiosk::core
