// Staff accounts, argon2id PINs, the persisted lockout and the idle lock.
#include "change_log.h"
#include "form_schema.h"
#include "test_support.h"
#include "unicode/unicode.h"

#include <future>

using namespace kiosk::core;
using namespace core_test;

TEST_CASE("PINs are stored as argon2id hashes and verified", "[staff]") {
  const std::string h = hash_pin("2468");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(h.find("2468") == std::string::npos);
  CHECK(pin_matches(h, "2468"));
  CHECK_FALSE(pin_matches(h, "2469"));
  CHECK(hash_pin("2468") != h);  // salted
  CHECK(pin_format_ok("0000"));
  CHECK(pin_format_ok("12345678"));
  CHECK_FALSE(pin_format_ok("123"));
  CHECK_FALSE(pin_format_ok("123456789"));
  CHECK_FALSE(pin_format_ok("12a4"));
}

TEST_CASE("only supervisors manage staff, the first account bootstraps", "[staff]") {
  Fixture f("staff-roles.sqlite3");
  StaffDirectory staff(*f.store);
  CHECK_FALSE(staff.add_staff("Second boss", "1111", "supervisor", "").ok());  // no more bootstrap
  auto member = staff.add_staff("Kanha", "1357", "staff", f.staff_id);
  REQUIRE(member.ok());
  CHECK_FALSE(staff.add_staff("Sneaky", "9999", "staff", member.id).ok());  // staff is no supervisor
  CHECK(staff.add_staff("Bad pin", "12", "staff", f.staff_id).error == StoreError::invalid);
  CHECK(staff.add_staff("Bad role", "1234", "admin", f.staff_id).error == StoreError::invalid);
  REQUIRE(staff.set_active(member.id, false, f.staff_id).ok());
  CHECK(staff.list().size() == 1);
  CHECK(staff.list(true).size() == 2);
  CHECK(staff.verify_pin(member.id, "1357").outcome == PinOutcome::inactive);
  REQUIRE(staff.set_active(member.id, true, f.staff_id).ok());
  REQUIRE(staff.set_pin(member.id, "8642", f.staff_id).ok());
  CHECK(staff.verify_pin(member.id, "8642").outcome == PinOutcome::accepted);
  CHECK(staff.verify_pin("nobody", "8642").outcome == PinOutcome::unknown_staff);
  // Staff changes are change-logged without the hash.
  for (const auto& e : ChangeLog(*f.store).range(1, ChangeLog(*f.store).last_seq().value).value)
    if (e.entity == "staff") CHECK(e.payload.find("argon2") == std::string::npos);
}

TEST_CASE("five wrong PINs lock the pad with growing delays that survive a restart", "[staff]") {
  Fixture f("lockout.sqlite3");
  auto staff = std::make_unique<StaffDirectory>(*f.store);
  auto five_wrong = [&](StaffDirectory& s) {
    PinCheck last;
    for (int i = 0; i < 5; ++i) {
      last = s.verify_pin(f.staff_id, "0000");
      if (i < 4) {
        CHECK(last.outcome == PinOutcome::wrong_pin);
        CHECK(last.attempts_left == 4 - i);
      }
    }
    return last;
  };
  PinCheck locked = five_wrong(*staff);
  CHECK(locked.outcome == PinOutcome::locked);
  CHECK(locked.locked_until_ms == f.store->now_ms() + 30'000);
  // While locked even the right PIN is refused (and not checked).
  CHECK(staff->verify_pin(f.staff_id, "2468").outcome == PinOutcome::locked);

  // A restart does not reset the lockout.
  staff.reset();
  f.store.reset();
  std::string error;
  f.store = Store::open(f.path, &error);
  REQUIRE(f.store);
  f.clock.attach(*f.store);
  staff = std::make_unique<StaffDirectory>(*f.store);
  CHECK(staff->verify_pin(f.staff_id, "2468").outcome == PinOutcome::locked);
  CHECK(staff->lockout().lockouts == 1);

  f.clock.advance_ms(30'000);
  locked = five_wrong(*staff);
  CHECK(locked.outcome == PinOutcome::locked);
  CHECK(locked.locked_until_ms == f.store->now_ms() + 60'000);  // doubled
  f.clock.advance_ms(60'000);
  locked = five_wrong(*staff);
  CHECK(locked.locked_until_ms == f.store->now_ms() + 120'000);
  f.clock.advance_ms(120'000);
  // The right PIN opens and resets the ladder.
  CHECK(staff->verify_pin(f.staff_id, "2468").outcome == PinOutcome::accepted);
  CHECK(staff->lockout().lockouts == 0);
  CHECK(staff->lockout().failed_attempts == 0);
  locked = five_wrong(*staff);
  CHECK(locked.locked_until_ms == f.store->now_ms() + 30'000);
  // Every attempt is audited.
  const auto history = ChangeLog(*f.store).history(f.staff_id).value;
  long lockouts = 0;
  for (const auto& h : history) lockouts += h.action == "lockout";
  CHECK(lockouts == 4);
}

TEST_CASE("the staff session locks itself after the idle time", "[staff]") {
  StaffSession s({"id", "Dara", "staff", true}, 120'000, 1'000);
  CHECK_FALSE(s.expired(60'000));
  s.touch(100'000);
  CHECK_FALSE(s.expired(219'999));
  CHECK(s.remaining_ms(200'000) == 20'000);
  CHECK(s.expired(220'000));
  s.touch(230'000);  // too late: stays locked
  CHECK(s.expired(230'001));
  StaffSession t({"id", "Dara", "supervisor", true}, 120'000, 0);
  CHECK(t.is_supervisor());
  t.end();
  CHECK(t.expired(1));
}

TEST_CASE("account names are checked, trimmed and unique", "[staff]") {
  Fixture f("staff-names.sqlite3");
  StaffDirectory staff(*f.store);
  StaffRule rule = StaffRule::ok;
  CHECK(staff.add_staff("   ", "1357", "staff", f.staff_id, &rule).error == StoreError::invalid);
  CHECK(rule == StaffRule::name_required);
  CHECK_FALSE(staff.add_staff(std::string(61, 'a'), "1357", "staff", f.staff_id, &rule).ok());
  CHECK(rule == StaffRule::name_too_long);
  CHECK(staff.add_staff(std::string(60, 'a'), "1357", "staff", f.staff_id, &rule).ok());
  // 60 code points of Khmer (3 bytes each) are fine: the limit counts characters, not bytes.
  std::string khmer;
  for (int i = 0; i < 30; ++i) khmer += "\xE1\x9E\x80\xE1\x9E\xB6";  // ការ... (ក + ា)
  CHECK(staff.add_staff(khmer, "1357", "staff", f.staff_id, &rule).ok());
  CHECK_FALSE(staff.add_staff("Tab\tName", "1357", "staff", f.staff_id, &rule).ok());
  CHECK(rule == StaffRule::control_characters);
  CHECK_FALSE(staff.add_staff("Bad \xFF utf8", "1357", "staff", f.staff_id, &rule).ok());
  CHECK(rule == StaffRule::control_characters);
  CHECK_FALSE(staff.add_staff("  SOPHEA supervisor ", "1357", "staff", f.staff_id, &rule).ok());
  CHECK(rule == StaffRule::name_taken);  // same as "Sophea Supervisor" once folded
  CHECK(std::string(staff_rule_key(rule)) == "accounts.error.name_taken");
  auto dara = staff.add_staff("  Dara  ", "1357", "staff", f.staff_id, &rule);
  REQUIRE(dara.ok());
  CHECK(rule == StaffRule::ok);
  CHECK(staff.find(dara.id)->name == "Dara");  // stored trimmed
  CHECK(staff.check_name("dara") == StaffRule::name_taken);
  CHECK(staff.check_name("dara", dara.id) == StaffRule::ok);  // its own name
  CHECK(staff.add_staff("Pin", "12a4", "staff", f.staff_id, &rule).error == StoreError::invalid);
  CHECK(rule == StaffRule::pin_format);
  // A refused add writes nothing: no row, no change log, no audit.
  const long staff_rows = count(f.store->handle(), "staff");
  const long log_rows = count(f.store->handle(), "change_log");
  const long audit_rows = count(f.store->handle(), "audit");
  CHECK_FALSE(staff.add_staff("Dara", "1357", "staff", f.staff_id).ok());
  CHECK(count(f.store->handle(), "staff") == staff_rows);
  CHECK(count(f.store->handle(), "change_log") == log_rows);
  CHECK(count(f.store->handle(), "audit") == audit_rows);
}

TEST_CASE("staff names refuse emoji and symbols like participant names, digits allowed", "[staff][names]") {
  Fixture f("staff-emoji.sqlite3");
  StaffDirectory staff(*f.store);
  StaffRule rule = StaffRule::ok;
  const long staff_rows = count(f.store->handle(), "staff");
  for (const char* name : {"Dara \U0001F600", "\U0001F981 Lion", "Sok\u2764\uFE0F", "Dara #1", "Vy@kiosk"}) {
    INFO(name);
    CHECK(staff.add_staff(name, "1357", "staff", f.staff_id, &rule).error == StoreError::invalid);
    CHECK(rule == StaffRule::name_characters);
    CHECK(std::string(staff_rule_key(rule)) == "form.error.name_characters");
    CHECK(staff.check_name(name) == StaffRule::name_characters);
  }
  CHECK(count(f.store->handle(), "staff") == staff_rows);  // nothing written
  // The same rule as a participant's name (form_schema.h), with digits allowed for accounts.
  CHECK(name_character_refused("Dara \U0001F600") == U'\U0001F600');
  CHECK(name_character_refused("Trainee 01") == U'0');
  CHECK_FALSE(name_character_refused("Trainee 01", true).has_value());
  for (const char* ok : {"Trainee 01", "Nary O'Neil", "សុខា", "မောင်မောင်", "نور الهدى", "张伟", "Zoë-Anne"}) {
    INFO(ok);
    CHECK(staff.add_staff(ok, "1357", "staff", f.staff_id, &rule).ok());
  }
}

TEST_CASE("a supervisor keeps their own account and the kiosk keeps a supervisor", "[staff]") {
  Fixture f("staff-supervisors.sqlite3");
  StaffDirectory staff(*f.store);
  StaffRule rule = StaffRule::ok;
  const std::string boss = f.staff_id;
  // Alone: the only supervisor can neither deactivate nor demote themselves.
  CHECK_FALSE(staff.set_active(boss, false, boss, &rule).ok());
  CHECK(rule == StaffRule::self);
  CHECK_FALSE(staff.set_role(boss, "staff", boss, &rule).ok());
  CHECK(rule == StaffRule::self);
  auto second = staff.add_staff("Second supervisor", "1111", "supervisor", boss);
  REQUIRE(second.ok());
  auto helper = staff.add_staff("Helper", "2222", "staff", boss);
  REQUIRE(helper.ok());
  // Still not oneself, even when another supervisor exists.
  CHECK_FALSE(staff.set_active(boss, false, boss, &rule).ok());
  CHECK(rule == StaffRule::self);
  // Staff cannot manage accounts at all.
  CHECK_FALSE(staff.set_pin(boss, "9999", helper.id, &rule).ok());
  CHECK(rule == StaffRule::not_supervisor);
  CHECK_FALSE(staff.set_role(helper.id, "supervisor", helper.id, &rule).ok());
  CHECK(rule == StaffRule::not_supervisor);
  // The second supervisor demotes the first; the first, now staff, can no longer act.
  REQUIRE(staff.set_role(boss, "staff", second.id, &rule).ok());
  CHECK(staff.find(boss)->role == "staff");
  CHECK_FALSE(staff.set_role(boss, "supervisor", boss, &rule).ok());
  CHECK(rule == StaffRule::not_supervisor);
  // The last active supervisor cannot be removed by anyone (here: promote, then try both ways).
  REQUIRE(staff.set_role(helper.id, "supervisor", second.id).ok());
  REQUIRE(staff.set_active(second.id, false, helper.id).ok());
  CHECK_FALSE(staff.set_active(helper.id, false, helper.id, &rule).ok());
  CHECK(rule == StaffRule::self);
  CHECK(scalar(f.store->handle(),
               "SELECT count(*) FROM staff WHERE role = 'supervisor' AND active = 1") == "1");
  // A deactivated supervisor is reactivated; the audit keeps every step with before and after.
  REQUIRE(staff.set_active(second.id, true, helper.id).ok());
  CHECK(scalar(f.store->handle(), "SELECT summary FROM audit WHERE entity_id = '" + second.id +
                                      "' AND action = 'update' ORDER BY id DESC LIMIT 1") ==
        "{\"active\":[0,1]}");
  CHECK(scalar(f.store->handle(), "SELECT summary FROM audit WHERE entity_id = '" + boss +
                                      "' AND action = 'update' ORDER BY id LIMIT 1") ==
        "{\"role\":[\"supervisor\",\"staff\"]}");
  CHECK(change_log_contiguous(f.store->handle()));
}

TEST_CASE("Burmese staff names must be Unicode, not Zawgyi", "[staff]") {
  Fixture f("staff-zawgyi.sqlite3");
  StaffDirectory staff(*f.store);
  const std::string unicode = "မောင်မောင်";
  const std::string zawgyi = kiosk::unicode::unicode_to_zawgyi(unicode);
  REQUIRE(zawgyi != unicode);
  StaffRule rule = StaffRule::ok;
  CHECK_FALSE(staff.add_staff(zawgyi, "1357", "staff", f.staff_id, &rule).ok());
  CHECK(rule == StaffRule::zawgyi);
  CHECK(std::string(staff_rule_key(rule)) == "form.error.zawgyi");
  CHECK(staff.add_staff(unicode, "1357", "staff", f.staff_id, &rule).ok());
  CHECK(staff.check_name("សុខ ដារា") == StaffRule::ok);  // Khmer is never taken for Zawgyi
}

namespace {
PinCheck lock_the_pad(Fixture& f, StaffDirectory& staff) {
  PinCheck last;
  for (int i = 0; i < 5; ++i) last = staff.verify_pin(f.staff_id, "0000");
  REQUIRE(last.outcome == PinOutcome::locked);
  return last;
}
}  // namespace

TEST_CASE("the lockout counts on the boot clock: setting the wall clock changes nothing",
          "[staff][lockout]") {
  Fixture f("lockout-wall.sqlite3");
  StaffDirectory staff(*f.store);
  CHECK(lock_the_pad(f, staff).locked_for_ms == 30'000);
  const std::int64_t today = f.store->now_ms();

  // A dead battery: the clock says 2000. Not "locked for 820000016 s", just what remains.
  f.clock.set_wall_ms(today - 26LL * 365 * 86'400'000);
  PinCheck r = staff.verify_pin(f.staff_id, "2468");
  CHECK(r.outcome == PinOutcome::locked);
  CHECK(r.locked_for_ms == 30'000);
  CHECK(r.locked_until_ms - f.store->now_ms() == 30'000);  // what the pad shows
  // Setting the clock a year ahead does not end it either.
  f.clock.set_wall_ms(today + 365LL * 86'400'000);
  CHECK(staff.verify_pin(f.staff_id, "2468").outcome == PinOutcome::locked);
  CHECK(staff.lockout().remaining_ms == 30'000);
  // Real time passing does, whatever the wall clock says.
  f.clock.advance_ms(10'000);
  CHECK(staff.lockout().remaining_ms == 20'000);
  f.clock.advance_ms(20'000);
  CHECK(staff.verify_pin(f.staff_id, "2468").outcome == PinOutcome::accepted);
}

TEST_CASE("a lockout survives a restart and a reboot without trusting a clock set back",
          "[staff][lockout]") {
  Fixture f("lockout-reboot.sqlite3");
  auto staff = std::make_unique<StaffDirectory>(*f.store);
  lock_the_pad(f, *staff);
  f.clock.advance_ms(5'000);
  // The kiosk restarts on the same boot: the boot clock kept counting.
  staff.reset();
  f.store.reset();
  std::string error;
  f.store = Store::open(f.path, &error);
  REQUIRE(f.store);
  f.clock.attach(*f.store);
  staff = std::make_unique<StaffDirectory>(*f.store);
  CHECK(staff->lockout().remaining_ms == 25'000);

  // A reboot with the clock set back 26 years: no time passed since the lock was stamped (when
  // the old boot ended is unknown, so its last 5 s are not counted either).
  f.clock.reboot("boot-2");
  f.clock.set_wall_ms(f.store->now_ms() - 26LL * 365 * 86'400'000);
  PinCheck r = staff->verify_pin(f.staff_id, "2468");
  CHECK(r.outcome == PinOutcome::locked);
  CHECK(r.locked_for_ms == 30'000);
  // Re-stamped on this boot (L3): its own clock counts from here on.
  f.clock.advance_ms(20'000);
  CHECK(staff->lockout().remaining_ms == 10'000);

  // After the next reboot the wall clock counts, once: 20 s of real time and a 3 s step forward.
  f.clock.reboot("boot-3");
  f.clock.set_wall_ms(f.store->now_ms() + 3'000);
  CHECK(staff->lockout().remaining_ms == 7'000);

  // Whatever the row says, never more than the policy's longest lockout.
  REQUIRE(sqlite3_exec(f.store->handle(), "UPDATE pin_lockout SET lock_remaining_ms = 900000000000",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(staff->lockout().remaining_ms == LockoutPolicy{}.max_lock_ms - 23'000);
  // An attempt after the lockout ran out zeroes it: a later clock set back cannot revive it.
  REQUIRE(sqlite3_exec(f.store->handle(), "UPDATE pin_lockout SET lock_remaining_ms = 1000",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(staff->verify_pin(f.staff_id, "0000").outcome == PinOutcome::wrong_pin);
  f.clock.reboot("boot-4");
  f.clock.set_wall_ms(1'000);
  CHECK(staff->lockout().remaining_ms == 0);
}

TEST_CASE("a new PIN (kiosk --set-pin) or a supervisor opens a locked pad; the kiosk computer is audited as itself",
          "[staff][lockout]") {
  Fixture f("lockout-clear.sqlite3");
  StaffDirectory staff(*f.store);
  sqlite3* db = f.store->handle();

  // `kiosk --add-staff` and `kiosk --set-pin`: the kiosk computer, never a person.
  auto added = staff.add_staff("Dara", "1357", "staff", kKioskComputer);
  REQUIRE(added.ok());
  CHECK(scalar(db, "SELECT coalesce(staff_id, 'NULL') || ' ' || summary FROM audit WHERE action = 'insert'"
                   " AND entity_id = '" + added.id + "'") == "NULL {\"by\":\"kiosk_computer\"}");
  lock_the_pad(f, staff);
  REQUIRE(staff.set_pin(f.staff_id, "8642", kKioskComputer).ok());
  CHECK(staff.lockout().remaining_ms == 0);
  CHECK(staff.lockout().lockouts == 0);
  CHECK(scalar(db, "SELECT coalesce(staff_id, 'NULL') || ' ' || summary FROM audit WHERE action = 'update'"
                   " AND entity_id = '" + f.staff_id + "'") ==
        "NULL {\"by\":\"kiosk_computer\",\"changed\":\"pin\"}");
  CHECK(staff.verify_pin(f.staff_id, "8642").outcome == PinOutcome::accepted);

  // A supervisor clears it (L4); a staff member may not.
  lock_the_pad(f, staff);
  StaffRule broken = StaffRule::ok;
  CHECK(staff.clear_lockout(added.id, &broken).error == StoreError::invalid);
  CHECK(broken == StaffRule::not_supervisor);
  CHECK(staff.lockout().remaining_ms > 0);
  REQUIRE(staff.clear_lockout(f.staff_id).ok());
  CHECK(staff.lockout().remaining_ms == 0);
  CHECK(scalar(db, "SELECT staff_id || ' ' || summary FROM audit WHERE entity = 'pin_lockout'") ==
        f.staff_id + " {\"cleared\":true}");
  // A new PIN a supervisor sets for anyone opens the pad too.
  lock_the_pad(f, staff);
  REQUIRE(staff.set_pin(added.id, "9753", f.staff_id).ok());
  CHECK(staff.verify_pin(added.id, "9753").outcome == PinOutcome::accepted);
}

TEST_CASE("a staff name nobody could tell apart from another is taken", "[staff][names]") {
  Fixture f("names-staff.sqlite3");  // has "Sophea Supervisor"
  StaffDirectory staff(*f.store);
  StaffRule broken = StaffRule::ok;
  // Empty to the eye: only U+200B, joiners, punctuation.
  for (const std::string name : {"\u200B", "\u200B\u200D\u2060", "\u200B-\u200B"}) {
    CHECK(staff.check_name(name) == StaffRule::name_required);
    CHECK_FALSE(staff.add_staff(name, "1357", "staff", f.staff_id, &broken).ok());
    CHECK(broken == StaffRule::name_required);
  }
  // A bidi override shows the name backwards.
  CHECK(staff.check_name("\u202ESophea") == StaffRule::control_characters);
  // An invisible character, case, or Cyrillic look-alikes (Ѕ о р һ е а): the same name.
  CHECK(staff.check_name("So\u200Bphea Supervisor") == StaffRule::name_taken);
  CHECK(staff.check_name("SOPHEA\u2060 SUPERVISOR") == StaffRule::name_taken);
  CHECK(staff.check_name("\u0405\u043E\u0440\u04BB\u0435\u0430 Supervisor") == StaffRule::name_taken);
  CHECK_FALSE(staff.add_staff("\u0405\u043E\u0440\u04BB\u0435\u0430 Supervisor", "1357", "staff",
                              f.staff_id, &broken).ok());
  CHECK(broken == StaffRule::name_taken);
  // Different names stay different; other scripts are names of their own.
  CHECK(staff.check_name("Sopheap Supervisor") == StaffRule::ok);
  CHECK(staff.check_name("សុភា") == StaffRule::ok);
  REQUIRE(staff.add_staff("Dara", "1357", "staff", f.staff_id).ok());
  CHECK(staff.check_name("D\u0430r\u0430") == StaffRule::name_taken);  // Cyrillic а
  // find_by_name (kiosk --set-pin NAME) sees through an invisible character too.
  REQUIRE(staff.find_by_name("Da\u200Bra"));
}

TEST_CASE("a supervisor's PIN unlocks a locked pad, one try per lock paid in advance (L5)",
          "[staff][lockout]") {
  Fixture f("lockout-supervisor.sqlite3");
  StaffDirectory staff(*f.store);
  sqlite3* db = f.store->handle();
  auto member = staff.add_staff("Kanha", "1357", "staff", f.staff_id);
  REQUIRE(member.ok());
  lock_the_pad(f, staff);  // the first lock: 30 s
  REQUIRE(staff.lockout().remaining_ms == 30'000);

  // A staff member's PIN does not unlock it and costs nothing (no hash checked, no longer lock).
  CHECK(staff.supervisor_unlock(member.id, "1357").outcome == PinOutcome::not_supervisor);
  CHECK(staff.lockout().remaining_ms == 30'000);
  CHECK(staff.lockout().lockouts == 1);

  // A wrong supervisor PIN: the pad stays locked, one step further up the ladder (60 s).
  PinCheck wrong = staff.supervisor_unlock(f.staff_id, "0000");
  CHECK(wrong.outcome == PinOutcome::locked);
  CHECK(wrong.locked_for_ms == 60'000);
  CHECK(staff.lockout().remaining_ms == 60'000);
  CHECK(staff.lockout().lockouts == 2);
  // A second wrong try doubles again: one guess per lock, never five.
  CHECK(staff.supervisor_unlock(f.staff_id, "1111").locked_for_ms == 120'000);

  // The right supervisor PIN ends the lock and the ladder and signs the supervisor in.
  PinCheck right = staff.supervisor_unlock(f.staff_id, "2468");
  CHECK(right.outcome == PinOutcome::accepted);
  CHECK(right.staff.id == f.staff_id);
  CHECK(staff.lockout().remaining_ms == 0);
  CHECK(staff.lockout().lockouts == 0);
  CHECK(scalar(db, "SELECT count(*) FROM audit WHERE action = 'lockout' AND entity = 'pin_lockout'"
                   " AND summary LIKE '%supervisor_unlock%' AND staff_id = '" + f.staff_id + "'") == "3");
  CHECK(scalar(db, "SELECT count(*) FROM audit WHERE action = 'update' AND entity = 'pin_lockout'"
                   " AND staff_id = '" + f.staff_id + "'") == "1");

  // On an open pad it is an ordinary sign-in, for anyone.
  CHECK(staff.supervisor_unlock(member.id, "1357").outcome == PinOutcome::accepted);
  CHECK(staff.supervisor_unlock(member.id, "0000").outcome == PinOutcome::wrong_pin);
}

TEST_CASE("the PIN check splits around the hash: counted first, compared anywhere, settled after (P1-P3)",
          "[staff][lockout]") {
  Fixture f("pin-attempt.sqlite3");
  StaffDirectory staff(*f.store);
  sqlite3* db = f.store->handle();

  // P1 counts the attempt and commits before any hash is compared.
  PinAttempt a = staff.begin_verify(f.staff_id, "2468");
  REQUIRE(a.pending);
  CHECK_FALSE(a.unlock);
  CHECK(a.hash.rfind("$argon2id$", 0) == 0);
  CHECK(staff.lockout().failed_attempts == 1);
  // P2 on another thread; the store is not touched meanwhile.
  std::future<bool> match = std::async(std::launch::async, [a] { return a.matches(); });
  const bool matched = match.get();
  CHECK(matched);
  CHECK(staff.lockout().failed_attempts == 1);
  CHECK(scalar(db, "SELECT count(*) FROM audit WHERE action = 'login'") == "0");
  // P3 settles it: signed in, the count cleared, the login audited.
  PinCheck r = staff.finish(a, matched);
  CHECK(r.outcome == PinOutcome::accepted);
  CHECK(r.staff.id == f.staff_id);
  CHECK(staff.lockout().failed_attempts == 0);
  CHECK(scalar(db, "SELECT count(*) FROM audit WHERE action = 'login'") == "1");

  CHECK(staff.begin_verify("nobody", "2468").settled.outcome == PinOutcome::unknown_staff);
  CHECK(staff.lockout().failed_attempts == 0);  // an unknown account costs no attempt

  // An attempt never finished (the screen left, the kiosk killed) stays counted as failed: four
  // abandoned right PINs and one wrong one lock the pad like five wrong ones.
  for (int i = 0; i < 4; ++i) CHECK(staff.begin_verify(f.staff_id, "2468").pending);
  CHECK(staff.lockout().failed_attempts == 4);
  PinAttempt wrong = staff.begin_verify(f.staff_id, "0000");
  CHECK_FALSE(wrong.matches());
  PinCheck locked = staff.finish(wrong, false);
  CHECK(locked.outcome == PinOutcome::locked);
  CHECK(locked.staff.id.empty());

  // A settled attempt needs no hash: locked, unknown, and finish() returns it unchanged.
  PinAttempt refused = staff.begin_verify(f.staff_id, "2468");
  CHECK_FALSE(refused.pending);
  CHECK(refused.hash.empty());
  CHECK(refused.settled.outcome == PinOutcome::locked);
  CHECK_FALSE(refused.matches());
  CHECK(staff.finish(refused, true).outcome == PinOutcome::locked);

  // L5 split the same way: the re-lock is written in P1, the unlock in P3.
  PinAttempt u = staff.begin_unlock(f.staff_id, "2468");
  REQUIRE(u.pending);
  CHECK(u.unlock);
  CHECK(staff.lockout().lockouts == 2);
  CHECK(staff.lockout().remaining_ms == 60'000);
  CHECK(staff.finish(u, u.matches()).outcome == PinOutcome::accepted);
  CHECK(staff.lockout().remaining_ms == 0);
}

TEST_CASE("an account saved with a PIN hashed beforehand (on the accounts screen's thread)", "[staff]") {
  Fixture f("staff-hashed.sqlite3");
  StaffDirectory staff(*f.store);
  std::future<std::string> hashed = std::async(std::launch::async, hash_pin, std::string("1357"));
  const std::string h = hashed.get();
  REQUIRE(is_pin_hash(h));
  StaffRule rule = StaffRule::ok;
  auto kanha = staff.add_staff_hashed("  Kanha ", h, "staff", f.staff_id, &rule);
  REQUIRE(kanha.ok());
  CHECK(staff.find(kanha.id)->name == "Kanha");
  CHECK(staff.verify_pin(kanha.id, "1357").outcome == PinOutcome::accepted);
  // The rules hold as for add_staff: a taken name, a non-supervisor, and anything but a hash.
  CHECK_FALSE(staff.add_staff_hashed("KANHA", h, "staff", f.staff_id, &rule).ok());
  CHECK(rule == StaffRule::name_taken);
  CHECK_FALSE(staff.add_staff_hashed("Dara", h, "staff", kanha.id, &rule).ok());
  CHECK(rule == StaffRule::not_supervisor);
  for (const std::string& bad : {std::string("1357"), std::string(), std::string("$argon2i$v=19$x"),
                                std::string("$argon2id$") + std::string(200, 'a')}) {
    CHECK_FALSE(staff.add_staff_hashed("Dara", bad, "staff", f.staff_id, &rule).ok());
    CHECK(rule == StaffRule::pin_format);
    CHECK_FALSE(staff.set_pin_hash(kanha.id, bad, f.staff_id, &rule).ok());
    CHECK(rule == StaffRule::pin_format);
  }
  // A new PIN the same way: the old one stops working, the new one signs in.
  REQUIRE(staff.set_pin_hash(kanha.id, hash_pin("8642"), f.staff_id, &rule).ok());
  CHECK(staff.verify_pin(kanha.id, "1357").outcome == PinOutcome::wrong_pin);
  CHECK(staff.verify_pin(kanha.id, "8642").outcome == PinOutcome::accepted);
  CHECK_FALSE(staff.set_pin_hash(kanha.id, hash_pin("1111"), kanha.id, &rule).ok());
  CHECK(rule == StaffRule::not_supervisor);
}
