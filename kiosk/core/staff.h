// kiosk/core/staff.h — staff accounts, PIN checks with a persisted lockout, and the idle lock.
//
// PINs are 4 to 8 ASCII digits, stored only as libsodium argon2id strings (crypto_pwhash_str,
// OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: ~0.2 s and 64 MiB measured here; MODERATE took
// ~1.3 s and 256 MiB, too slow and too large for a 2-core kiosk — see BENCHMARKS.md).
// A hash costs that time: call verify_pin()/add_staff()/set_pin() off the render path.
//
// Lockout (one per kiosk — "the pad" — not per account, so trying four PINs on each of ten
// accounts is not a way around it). State lives in the pin_lockout table, so a restart or a
// power cut does not reset it:
//
//      OPEN --wrong PIN (failed < 5)--> OPEN(failed+1)
//      OPEN --5th wrong PIN--> LOCKED until now + 30 s · 2^(lockouts)   (30, 60, 120 s ... ≤ 1 h)
//      LOCKED --any attempt before locked_until--> LOCKED (refused, not counted, no hashing)
//      LOCKED --time passes--> OPEN(failed = 0, lockouts kept)
//      any --right PIN--> OPEN(failed = 0, lockouts = 0)
//
// verify_pin() counts the attempt as failed and commits BEFORE checking the hash, then clears it
// on success: killing the kiosk during the check cannot be used to get free attempts.
// Logins, failures and lockouts are audited (not change-logged: they change no record).
//
// Contract: not thread-safe; borrows the Store; reads time from Store::now_ms() (inject a clock
// in tests). add_staff() needs a supervisor as actor, except for the very first account
// (bootstrap: empty actor, role must be supervisor).
#pragma once

#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiosk::core {

struct StaffMember {
  std::string id, name;
  std::string role;  // staff | supervisor
  bool active = true;
};

struct LockoutPolicy {
  int attempts_before_lock = 5;
  std::int64_t first_lock_ms = 30'000;  // doubled on each further lockout
  std::int64_t max_lock_ms = 3'600'000;
};

enum class PinOutcome { accepted, wrong_pin, locked, unknown_staff, inactive, store_error };

struct PinCheck {
  PinOutcome outcome = PinOutcome::store_error;
  StaffMember staff;              // filled when accepted
  int attempts_left = 0;          // before the next lockout (wrong_pin)
  std::int64_t locked_until_ms = 0;  // when locked (or just locked by this attempt)
  std::string detail;
};

struct LockoutState {
  int failed_attempts = 0;
  int lockouts = 0;
  std::int64_t locked_until_ms = 0;
};

// The argon2id string for a PIN (exposed for tests and tooling); empty on failure.
std::string hash_pin(const std::string& pin);
bool pin_matches(const std::string& pin_hash, const std::string& pin);
bool pin_format_ok(const std::string& pin);  // 4..8 ASCII digits

class StaffDirectory {
 public:
  explicit StaffDirectory(Store& store, LockoutPolicy policy = {})
      : m_store(store), m_policy(policy) {}

  // Account management (supervisor only; see the bootstrap rule above). SaveResult::id = staff id.
  SaveResult add_staff(const std::string& name, const std::string& pin, const std::string& role,
                       const std::string& actor_id);
  SaveResult set_pin(const std::string& staff_id, const std::string& pin,
                     const std::string& actor_id);
  SaveResult set_active(const std::string& staff_id, bool active, const std::string& actor_id);

  std::vector<StaffMember> list(bool include_inactive = false) const;
  std::optional<StaffMember> find(const std::string& staff_id) const;
  bool has_any_staff() const;

  PinCheck verify_pin(const std::string& staff_id, const std::string& pin);
  LockoutState lockout() const;

 private:
  SaveResult change_staff(const std::string& staff_id, const std::string& actor_id,
                          const char* assignment, const std::string& value);
  Store& m_store;
  LockoutPolicy m_policy;
};

// The staff session: locks itself after idle_timeout_ms without touch(); the app then returns
// to visitor mode. Pure logic over caller-supplied times (Store::now_ms()).
class StaffSession {
 public:
  StaffSession(StaffMember staff, std::int64_t idle_timeout_ms, std::int64_t now_ms)
      : m_staff(std::move(staff)), m_idle_timeout_ms(idle_timeout_ms), m_last_activity_ms(now_ms) {}
  void touch(std::int64_t now_ms) {
    if (!expired(now_ms)) m_last_activity_ms = now_ms;  // an expired session stays expired
  }
  bool expired(std::int64_t now_ms) const {
    return m_ended || now_ms - m_last_activity_ms >= m_idle_timeout_ms;
  }
  std::int64_t remaining_ms(std::int64_t now_ms) const {
    return expired(now_ms) ? 0 : m_idle_timeout_ms - (now_ms - m_last_activity_ms);
  }
  void end() { m_ended = true; }
  const StaffMember& staff() const { return m_staff; }
  bool is_supervisor() const { return m_staff.role == "supervisor"; }

 private:
  StaffMember m_staff;
  std::int64_t m_idle_timeout_ms;
  std::int64_t m_last_activity_ms;
  bool m_ended = false;
};

}  // namespace kiosk::core
