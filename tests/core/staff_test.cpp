// Staff accounts, argon2id PINs, the persisted lockout and the idle lock.
#include "change_log.h"
#include "test_support.h"

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
  for (const auto& e : ChangeLog(*f.store).range(1, 100))
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
  f.store->set_clock(f.clock.clock());
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
  const auto history = ChangeLog(*f.store).history(f.staff_id);
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
