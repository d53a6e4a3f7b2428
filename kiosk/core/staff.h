// kiosk/core/staff.h — staff accounts, PIN checks with a persisted lockout, and the idle lock.
//
// PINs are 4 to 8 ASCII digits, stored only as libsodium argon2id strings (crypto_pwhash_str,
// OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: ~0.2 s and 64 MiB measured here; MODERATE took
// ~1.3 s and 256 MiB, too slow and too large for a 2-core kiosk — see BENCHMARKS.md).
// A hash costs that time (80 ms measured for verify_pin on this machine when quiet): never call
// verify_pin()/supervisor_unlock()/add_staff()/set_pin() per frame or during an animation.
//
// The PIN check in three steps, so the sign-in screen never hashes on the UI thread (issue 15):
//  P1. begin_verify() / begin_unlock() — the store's part before the hash, one short transaction
//      on the thread that owns the Store: the lock is read, the account found, and the attempt is
//      counted (or L5's re-lock written) and committed. Either the outcome is settled there
//      (locked, unknown, inactive, not a supervisor, a store error: no hash) or the attempt is
//      pending and carries the stored hash and the typed PIN.
//  P2. PinAttempt::matches() — the argon2id comparison; touches no store, runs on any thread.
//  P3. finish() — back on the Store's thread: settles the attempt with the comparison's answer
//      (login, login_failed or lockout audited; L4 for an unlock). An attempt never finished (the
//      kiosk killed, the screen left) stays counted as failed, so abandoning one gains nothing.
//  verify_pin() and supervisor_unlock() are the three steps in a row, on one thread.
//
// Lockout (one per kiosk — "the pad" — not per account, so trying four PINs on each of ten
// accounts is not a way around it). State lives in the pin_lockout table, so a restart or a
// power cut does not reset it:
//
//      OPEN --wrong PIN (failed < 5)--> OPEN(failed+1)
//      OPEN --5th wrong PIN--> LOCKED for 30 s · 2^(lockouts)   (30, 60, 120 s ... ≤ 1 h)
//      LOCKED --any attempt while time remains--> LOCKED (refused, not counted, no hashing)
//      LOCKED --time passes--> OPEN(failed = 0, lockouts kept)
//      any --right PIN, a new PIN for any account, clear_lockout()--> OPEN(failed = 0, lockouts = 0)
//
//  L1. A lockout is a duration, never a wall-clock deadline: the row keeps what remained when it
//      was last written (lock_remaining_ms) stamped with this boot's monotonic clock
//      (Store::boot_time(): boot id + CLOCK_BOOTTIME) and the wall clock. Setting the clock back
//      (26 years with a dead battery) or forward changes nothing within a boot.
//  L2. Time passed since the stamp: on the same boot, the monotonic difference (kiosk restarts
//      included); after a reboot, the wall-clock difference, or none at all when that is
//      negative (a clock that went backwards). What remains is never more than the policy's
//      max_lock_ms, whatever the row says.
//  L3. A locked pad read on another boot is re-stamped on this one, so the wall clock is trusted
//      once per reboot at most; an attempt after the lockout ran out zeroes what remained.
//  L4. The right PIN, a new PIN set for any account (by a supervisor, or `kiosk --set-pin` at the
//      kiosk computer) and clear_lockout() end a lockout and its ladder, audited.
//  L5. A supervisor need not wait out a lock a child's tapping caused: supervisor_unlock() gives
//      an active supervisor one PIN try per lock, paid for in advance with the next, doubled
//      lock. A guesser so gets one try per lock instead of five, so the pad is no weaker.
//
// verify_pin() counts the attempt as failed and commits BEFORE checking the hash, then clears it
// on success: killing the kiosk during the check cannot be used to get free attempts.
// Logins, failures and lockouts are audited (not change-logged: they change no record).
//
// Account rules (checked inside the write transaction, so two kiosks' UIs cannot race past them):
//  A1. Only an active supervisor manages accounts (add, new PIN, role, deactivate/reactivate),
//      except the very first account (bootstrap: empty actor, role must be supervisor), and
//      except the kiosk computer itself (actor kKioskComputer: `kiosk --add-staff/--set-pin`,
//      whoever has the computer's keyboard is its administrator), which is audited as such —
//      no staff id, summary "by":"kiosk_computer" — never as a person.
//  A2. Names are trimmed, 1..60 code points, hold a letter or digit, no control or bidi
//      override characters, valid UTF-8, Burmese in Unicode (not Zawgyi) (check_display_name),
//      only characters a participant's name may hold, digits also allowed (no emoji, symbols:
//      name_character_refused(), form_schema.h),
//      and unique among all accounts as a person reads them (unicode::confusable_key: "SOPHEA",
//      "So\u200Bphea" and Cyrillic "Ѕорһеа" are all the name "Sophea").
//  A3. A supervisor never deactivates or demotes their own account, and the kiosk always keeps
//      at least one active supervisor (otherwise nobody could manage it any more).
//  A4. Nothing is deleted: a deactivated account keeps its history and can be reactivated.
//  A5. Accounts headquarters manages (origin "headquarters", from the downlink, downlink.h D5)
//      are changed only by headquarters: a new PIN, role or state on the kiosk is refused, since
//      the next package would silently undo it.
// A refused change returns StoreError::invalid and, when asked, the broken rule (StaffRule),
// which staff_rule_key() turns into the catalog key the screen shows beside the field.
//
// Contract: not thread-safe; borrows the Store; reads time from Store::now_ms() (inject a clock
// in tests).
#pragma once

#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiosk::core {

// The actor for changes made at the kiosk computer's command line (rule A1); never a staff id.
inline constexpr const char* kKioskComputer = "kiosk-computer";

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

enum class StaffRule {
  ok,
  not_supervisor,      // A1
  name_required,       // A2
  name_too_long,
  control_characters,
  name_characters,     // an emoji, symbol or punctuation a name may not hold (A2)
  name_taken,
  zawgyi,              // Burmese typed in the Zawgyi encoding (must be Unicode)
  pin_format,          // 4..8 ASCII digits
  bad_role,
  self,                // A3
  last_supervisor,
  headquarters,        // A5
};
// "accounts.error.name_taken" etc.; "" for ok.
const char* staff_rule_key(StaffRule r);

enum class PinOutcome { accepted, wrong_pin, locked, unknown_staff, inactive, not_supervisor, store_error };

struct PinCheck {
  PinOutcome outcome = PinOutcome::store_error;
  StaffMember staff;              // filled when accepted
  int attempts_left = 0;          // before the next lockout (wrong_pin)
  std::int64_t locked_until_ms = 0;  // when locked: now_ms() + locked_for_ms (for display only)
  std::int64_t locked_for_ms = 0;    // when locked: how long it remains locked (L1, L2)
  std::string detail;
};

struct LockoutState {
  int failed_attempts = 0;
  int lockouts = 0;
  std::int64_t locked_until_ms = 0;  // now_ms() + remaining_ms when locked, else 0 (display only)
  std::int64_t remaining_ms = 0;     // how long the pad stays locked (L2); 0 when open
};

// The argon2id string for a PIN (exposed for tests and tooling); empty on failure.
std::string hash_pin(const std::string& pin);
bool pin_matches(const std::string& pin_hash, const std::string& pin);
bool pin_format_ok(const std::string& pin);  // 4..8 ASCII digits
bool is_pin_hash(const std::string& hash);    // what hash_pin() makes: an argon2id string

// One PIN check between its steps (P1..P3 above).
struct PinAttempt {
  bool pending = false;  // true: run matches(), then StaffDirectory::finish()
  bool unlock = false;   // L5's supervisor try
  PinCheck settled;      // the outcome when not pending
  std::string staff_id, pin, hash;
  std::int64_t now_ms = 0;
  BootTime boot;
  bool matches() const;  // P2: the typed PIN against the stored hash (~80 ms; any thread)
};

class StaffDirectory {
 public:
  explicit StaffDirectory(Store& store, LockoutPolicy policy = {})
      : m_store(store), m_policy(policy) {}

  // Account management (rules A1..A4 above). SaveResult::id = staff id; on a refusal *broken
  // (when given) names the rule. Each call hashes at most one PIN (~0.2 s) before its transaction.
  SaveResult add_staff(const std::string& name, const std::string& pin, const std::string& role,
                       const std::string& actor_id, StaffRule* broken = nullptr);
  SaveResult set_pin(const std::string& staff_id, const std::string& pin,
                     const std::string& actor_id, StaffRule* broken = nullptr);
  // The same with the PIN hashed beforehand by hash_pin(), e.g. on a worker so the accounts screen
  // never hashes on the UI thread (P2's reasoning); anything but an argon2id string is refused
  // (pin_format). The rules are checked here as above, inside the transaction.
  SaveResult add_staff_hashed(const std::string& name, const std::string& pin_hash, const std::string& role,
                              const std::string& actor_id, StaffRule* broken = nullptr);
  SaveResult set_pin_hash(const std::string& staff_id, const std::string& pin_hash,
                          const std::string& actor_id, StaffRule* broken = nullptr);
  SaveResult set_active(const std::string& staff_id, bool active, const std::string& actor_id,
                        StaffRule* broken = nullptr);
  SaveResult set_role(const std::string& staff_id, const std::string& role,
                      const std::string& actor_id, StaffRule* broken = nullptr);
  // Rule A2 for a name typed into a form (before any PIN is hashed); except_id: the account being
  // renamed, if any. Read-only.
  StaffRule check_name(const std::string& name, const std::string& except_id = {}) const;

  std::vector<StaffMember> list(bool include_inactive = false) const;
  std::optional<StaffMember> find(const std::string& staff_id) const;
  // The account whose name equals `name` once folded (names are unique that way, rule A2).
  std::optional<StaffMember> find_by_name(const std::string& name) const;
  bool has_any_staff() const;
  bool is_active_supervisor(const std::string& staff_id) const;  // rule A1's (and S1's) test

  PinCheck verify_pin(const std::string& staff_id, const std::string& pin);
  LockoutState lockout() const;
  // L4: opens a locked pad and resets its ladder. actor_id: an active supervisor or
  // kKioskComputer; audited. StoreError::invalid (rule not_supervisor) for anyone else.
  SaveResult clear_lockout(const std::string& actor_id, StaffRule* broken = nullptr);
  // L5: while the pad is locked, an active supervisor may try their PIN once per lock: the try
  // first re-locks the pad one step further up the ladder (committed before the hash is
  // checked, like verify_pin), then the right PIN ends the lockout (L4) and signs them in
  // (accepted; audited as a "lockout" of the pad marked supervisor_unlock, then the pad's
  // "update" {"cleared":true} and a "login"). A wrong PIN leaves the longer lock (locked).
  // Any other account gets not_supervisor and costs nothing (no hash is checked). On an open
  // pad this is verify_pin().
  PinCheck supervisor_unlock(const std::string& staff_id, const std::string& pin);
  // P1 and P3: verify_pin() and supervisor_unlock() split around the hash.
  PinAttempt begin_verify(const std::string& staff_id, const std::string& pin);
  PinAttempt begin_unlock(const std::string& staff_id, const std::string& pin);
  PinCheck finish(const PinAttempt& attempt, bool match);

 private:
  PinCheck finish_verify(const PinAttempt& attempt, bool match);
  PinCheck finish_unlock(const PinAttempt& attempt, bool match);
  SaveResult change_staff(const std::string& staff_id, const std::string& actor_id,
                          const char* field, const std::string& value, StaffRule* broken);
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
