// Settings a supervisor saves on the kiosk: validation, supervisor only, audited, persisted.
#include "settings.h"
#include "test_support.h"
#include "unicode/unicode.h"

using namespace kiosk::core;
using namespace core_test;

TEST_CASE("settings: defaults until a supervisor saves, then persisted across reopen", "[settings]") {
  Fixture f("settings.sqlite3");
  SettingsStore settings(*f.store);
  KioskSettings defaults;
  defaults.kiosk_name = "Kiosk 1";
  CHECK(settings.load(defaults).kiosk_name == "Kiosk 1");
  CHECK(settings.load(defaults).staff_lock_s == 300);

  KioskSettings wanted = defaults;
  wanted.kiosk_name = "  Phnom Penh entrance ";
  wanted.staff_lang = "km";
  wanted.staff_lock_s = 600;
  int changed = -1;
  SettingsRule rule = SettingsRule::out_of_range;
  REQUIRE(settings.save(wanted, defaults, f.staff_id, &rule, &changed).ok());
  CHECK(rule == SettingsRule::ok);
  CHECK(changed == 3);
  CHECK(count(f.store->handle(), "audit") > 0);
  CHECK(scalar(f.store->handle(),
               "SELECT summary FROM audit WHERE entity = 'setting' AND entity_id = 'staff.lock_s'") ==
        "{\"value\":[\"300\",\"600\"]}");
  // Settings are not records for headquarters: nothing in the change log (rule S3).
  CHECK(scalar(f.store->handle(), "SELECT count(*) FROM change_log WHERE entity_id LIKE '%.%'") == "0");

  // Saving the same values again writes nothing.
  const long audits = count(f.store->handle(), "audit");
  wanted.kiosk_name = "Phnom Penh entrance";
  REQUIRE(settings.save(wanted, defaults, f.staff_id, nullptr, &changed).ok());
  CHECK(changed == 0);
  CHECK(count(f.store->handle(), "audit") == audits);

  // Reopened: the saved values win over the config defaults.
  const std::string path = f.path;
  f.store.reset();
  std::string error;
  auto reopened = Store::open(path, &error);
  REQUIRE(reopened);
  const KioskSettings s = SettingsStore(*reopened).load(defaults);
  CHECK(s.kiosk_name == "Phnom Penh entrance");
  CHECK(s.staff_lang == "km");
  CHECK(s.staff_lock_s == 600);
  CHECK(s.visitor_reset_s == 90);
}

TEST_CASE("settings: refused values and non-supervisors write nothing", "[settings]") {
  Fixture f("settings-refused.sqlite3");
  SettingsStore settings(*f.store);
  StaffDirectory staff(*f.store);
  auto helper = staff.add_staff("Helper", "2222", "staff", f.staff_id);
  REQUIRE(helper.ok());
  KioskSettings defaults;
  defaults.kiosk_name = "Kiosk";
  const long audits = count(f.store->handle(), "audit");
  const auto refused = [&](KioskSettings s, const std::string& actor, SettingsRule expected) {
    SettingsRule rule = SettingsRule::ok;
    const SaveResult r = settings.save(s, defaults, actor, &rule);
    CHECK_FALSE(r.ok());
    CHECK(r.error == StoreError::invalid);
    CHECK(rule == expected);
  };
  KioskSettings s = defaults;
  s.staff_lock_s = 900;
  refused(s, helper.id, SettingsRule::not_supervisor);
  refused(s, "no-such-staff", SettingsRule::not_supervisor);
  s.kiosk_name = "   ";
  refused(s, f.staff_id, SettingsRule::name_required);
  s.kiosk_name = std::string(61, 'k');
  refused(s, f.staff_id, SettingsRule::name_too_long);
  s.kiosk_name = "Line\nbreak";
  refused(s, f.staff_id, SettingsRule::control_characters);
  s.kiosk_name = "Kiosk";
  s.staff_lang = "km'; DROP TABLE staff;--";
  refused(s, f.staff_id, SettingsRule::bad_language);
  s.staff_lang = "en";
  s.staff_lock_s = 59;
  refused(s, f.staff_id, SettingsRule::out_of_range);
  s.staff_lock_s = 300;
  s.visitor_reset_s = 601;
  refused(s, f.staff_id, SettingsRule::out_of_range);
  CHECK(count(f.store->handle(), "audit") == audits);
  CHECK(count(f.store->handle(), "setting") == 0);
  CHECK(std::string(settings_rule_key(SettingsRule::name_required)) == "settings.error.name_required");
}

TEST_CASE("settings: a hand-edited bad value falls back to the default", "[settings]") {
  Fixture f("settings-bad-row.sqlite3");
  sqlite3_exec(f.store->handle(),
               "INSERT INTO setting(key, value) VALUES ('staff.lock_s', 'soon'),"
               " ('kiosk.visitor_reset_s', '5')", nullptr, nullptr, nullptr);
  KioskSettings defaults;
  const KioskSettings s = SettingsStore(*f.store).load(defaults);
  CHECK(s.staff_lock_s == 300);
  CHECK(s.visitor_reset_s == 90);
}

TEST_CASE("settings: a read-only store refuses the save cleanly", "[settings]") {
  Fixture f("settings-ro.sqlite3");
  const std::string path = f.path;
  const std::string boss = f.staff_id;
  f.store.reset();
  std::string error;
  auto ro = Store::open("file:" + path + "?mode=ro", &error);
  REQUIRE(ro);
  KioskSettings defaults;
  defaults.kiosk_name = "Kiosk";
  KioskSettings s = defaults;
  s.staff_lock_s = 900;
  const SaveResult r = SettingsStore(*ro).save(s, defaults, boss);
  CHECK_FALSE(r.ok());
  CHECK(r.error == StoreError::read_only);
  CHECK(SettingsStore(*ro).load(defaults).staff_lock_s == 300);
}

TEST_CASE("settings: a config default outside the screen's range survives other changes", "[settings]") {
  Fixture f("settings-config-range.sqlite3");
  SettingsStore settings(*f.store);
  KioskSettings defaults;
  defaults.kiosk_name = "Kiosk";
  defaults.visitor_reset_s = 10;  // the config file may set a short reset (tests, demos)
  KioskSettings s = defaults;
  s.staff_lang = "ar";
  REQUIRE(settings.save(s, defaults, f.staff_id).ok());
  CHECK(settings.load(defaults).visitor_reset_s == 10);
  CHECK(settings.load(defaults).staff_lang == "ar");
  s.visitor_reset_s = 11;  // but a supervisor can only choose values inside the range
  CHECK_FALSE(settings.save(s, defaults, f.staff_id).ok());
}

TEST_CASE("settings: a Zawgyi kiosk name is refused", "[settings]") {
  Fixture f("settings-zawgyi.sqlite3");
  KioskSettings defaults;
  defaults.kiosk_name = "Kiosk";
  KioskSettings s = defaults;
  s.kiosk_name = kiosk::unicode::unicode_to_zawgyi("ရန်ကုန် မြို့တော်ခန်းမ");
  SettingsRule rule = SettingsRule::ok;
  CHECK_FALSE(SettingsStore(*f.store).save(s, defaults, f.staff_id, &rule).ok());
  CHECK(rule == SettingsRule::zawgyi);
  s.kiosk_name = "ရန်ကုန် မြို့တော်ခန်းမ";
  CHECK(SettingsStore(*f.store).save(s, defaults, f.staff_id, &rule).ok());
}
