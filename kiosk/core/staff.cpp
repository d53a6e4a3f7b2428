#include "staff.h"

#include "form_schema.h"
#include "journal.h"
#include "sql.h"
#include "text_normalize.h"

#include <sodium.h>

#include <algorithm>

namespace kiosk::core {
namespace {

constexpr const char* kStaffJson =
    "SELECT json_object('id', id, 'name', name, 'role', role, 'active', active,"
    " 'created_at', created_at, 'updated_at', updated_at) FROM staff WHERE id = ?";

SaveResult fail(Store& s, int rc) {
  const StoreError e = (rc & 0xFF) == SQLITE_CONSTRAINT ? StoreError::invalid
                                                        : store_error_from_sqlite(rc);
  return SaveResult::failure(e, sqlite3_errmsg(s.handle()));
}

}  // namespace

bool pin_format_ok(const std::string& pin) {
  return pin.size() >= 4 && pin.size() <= 8 &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hash_pin(const std::string& pin) {
  if (sodium_init() < 0) return {};
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return {};  // out of memory
  return out;
}

bool is_pin_hash(const std::string& h) {
  return h.rfind("$argon2id$", 0) == 0 && h.size() < crypto_pwhash_STRBYTES &&
         h.find('\0') == std::string::npos;
}

bool pin_matches(const std::string& pin_hash, const std::string& pin) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(pin_hash.c_str(), pin.data(), pin.size()) == 0;
}

const char* staff_rule_key(StaffRule r) {
  switch (r) {
    case StaffRule::ok: return "";
    case StaffRule::not_supervisor: return "accounts.supervisor_only";
    case StaffRule::name_required: return "accounts.error.name_required";
    case StaffRule::name_too_long: return "accounts.error.name_too_long";
    case StaffRule::control_characters: return "accounts.error.control_characters";
    case StaffRule::name_characters: return "form.error.name_characters";  // {char}: the first refused
    case StaffRule::name_taken: return "accounts.error.name_taken";
    case StaffRule::zawgyi: return "form.error.zawgyi";  // {suggestion}: zawgyi_to_unicode(name)
    case StaffRule::pin_format: return "accounts.error.pin_format";
    case StaffRule::bad_role: return "store.error.invalid";  // the UI offers only valid roles
    case StaffRule::self: return "accounts.error.self";
    case StaffRule::last_supervisor: return "accounts.error.last_supervisor";
    case StaffRule::headquarters: return "accounts.error.headquarters";
  }
  return "";  // impossible: every enumerator is listed above
}

namespace {

constexpr std::size_t kMaxNameCodePoints = 60;

SaveResult refuse(StaffRule rule, StaffRule* broken) {
  if (broken) *broken = rule;
  return SaveResult::failure(StoreError::invalid, staff_rule_key(rule));
}

bool is_computer(const std::string& actor_id) { return actor_id == kKioskComputer; }

// L4: the pad opens and its ladder restarts. Inside the caller's transaction.
int reset_lockout(Store& s) {
  sql::Statement reset(s.handle(),
                       "UPDATE pin_lockout SET failed_attempts = 0, lockouts = 0, locked_until_ms = 0,"
                       " lock_remaining_ms = 0 WHERE id = 1");
  return reset.run();
}

int active_supervisors_other_than(Store& s, const std::string& id) {
  sql::Statement st(s.handle(),
                    "SELECT count(*) FROM staff WHERE role = 'supervisor' AND active = 1 AND id <> ?");
  st.bind(1, id);
  return st.step() == SQLITE_ROW ? st.integer(0) : 0;
}

}  // namespace

StaffRule StaffDirectory::check_name(const std::string& raw, const std::string& except_id) const {
  const std::string name = trim_space(raw);
  switch (check_display_name(name, kMaxNameCodePoints)) {
    case NameProblem::empty: return StaffRule::name_required;
    case NameProblem::invalid_text: return StaffRule::control_characters;
    case NameProblem::too_long: return StaffRule::name_too_long;
    case NameProblem::zawgyi: return StaffRule::zawgyi;
    case NameProblem::none: break;
  }
  // A2: a name nobody could tell apart from an existing one on screen is taken.
  const std::string key = unicode::confusable_key(name);
  sql::Statement st(m_store.handle(), "SELECT id, name FROM staff");
  while (st.step() == SQLITE_ROW)
    if (st.text(0) != except_id && unicode::confusable_key(st.text(1)) == key) return StaffRule::name_taken;
  // A2: the characters of a participant's name (no emoji or symbols), digits allowed.
  if (name_character_refused(name, /*allow_digits=*/true)) return StaffRule::name_characters;
  return StaffRule::ok;
}

SaveResult StaffDirectory::add_staff(const std::string& raw_name, const std::string& pin,
                                     const std::string& role, const std::string& actor_id,
                                     StaffRule* broken) {
  if (broken) *broken = StaffRule::ok;
  const std::string name = trim_space(raw_name);
  if (role != "staff" && role != "supervisor") return refuse(StaffRule::bad_role, broken);
  if (!pin_format_ok(pin)) return refuse(StaffRule::pin_format, broken);
  if (const StaffRule r = check_name(name); r != StaffRule::ok) return refuse(r, broken);
  const std::string hash = hash_pin(pin);  // slow: outside the write transaction
  if (hash.empty()) return SaveResult::failure(StoreError::other, "argon2id hashing failed");
  return add_staff_hashed(name, hash, role, actor_id, broken);
}

SaveResult StaffDirectory::add_staff_hashed(const std::string& raw_name, const std::string& hash,
                                            const std::string& role, const std::string& actor_id,
                                            StaffRule* broken) {
  if (broken) *broken = StaffRule::ok;
  const std::string name = trim_space(raw_name);
  if (role != "staff" && role != "supervisor") return refuse(StaffRule::bad_role, broken);
  if (!is_pin_hash(hash)) return refuse(StaffRule::pin_format, broken);
  Store::Transaction tx(m_store);
  if (!tx.begun()) return fail(m_store, tx.begin_rc());
  if (actor_id.empty() || (is_computer(actor_id) && !has_any_staff())) {
    if (has_any_staff() || role != "supervisor")
      return SaveResult::failure(StoreError::invalid,
                                 "only the first account may be created without a supervisor,"
                                 " and it must be a supervisor");
  } else if (!is_computer(actor_id) && !is_active_supervisor(actor_id)) {
    return refuse(StaffRule::not_supervisor, broken);
  }
  // A2 again inside the transaction: another writer may have taken the name meanwhile.
  if (const StaffRule r = check_name(name); r != StaffRule::ok) return refuse(r, broken);
  const std::string id = new_uuid();
  const std::string now = m_store.now_iso();
  sql::Statement ins(m_store.handle(),
                     "INSERT INTO staff(id, name, pin_hash, role, active, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, 1, ?, ?)");
  ins.bind(1, id).bind(2, name).bind(3, hash).bind(4, role).bind(5, now).bind(6, now);
  int rc = ins.run();
  std::string payload;
  if (rc == SQLITE_OK) rc = journal::snapshot(m_store, kStaffJson, id, &payload);
  if (rc == SQLITE_OK) rc = journal::append_change(m_store, "staff", id, "insert", payload, nullptr);
  if (rc == SQLITE_OK)
    rc = journal::append_audit(m_store, actor_id.empty() ? id : actor_id, "insert",
                               "staff", id, "{}");
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return SaveResult::success(id);
}

// One change to one account (field is pin_hash, active or role), rules A1 and A3, one transaction
// with its change-log and audit rows. The audit names what changed, never the PIN hash.
SaveResult StaffDirectory::change_staff(const std::string& staff_id, const std::string& actor_id,
                                        const char* field, const std::string& value,
                                        StaffRule* broken) {
  if (broken) *broken = StaffRule::ok;
  const std::string column(field);
  Store::Transaction tx(m_store);
  if (!tx.begun()) return fail(m_store, tx.begin_rc());
  if (!is_computer(actor_id) && !is_active_supervisor(actor_id))
    return refuse(StaffRule::not_supervisor, broken);
  const std::optional<StaffMember> target = find(staff_id);
  if (!target) return SaveResult::failure(StoreError::not_found, "no such staff");
  {
    sql::Statement origin(m_store.handle(), "SELECT origin FROM staff WHERE id = ?");
    origin.bind(1, staff_id);
    if (origin.step() == SQLITE_ROW && origin.text(0) == "headquarters")
      return refuse(StaffRule::headquarters, broken);
  }
  const bool removes_supervisor = target->role == "supervisor" && target->active &&
                                  ((column == "active" && value == "0") ||
                                   (column == "role" && value == "staff"));
  if (removes_supervisor && staff_id == actor_id) return refuse(StaffRule::self, broken);
  if (removes_supervisor && active_supervisors_other_than(m_store, staff_id) == 0)
    return refuse(StaffRule::last_supervisor, broken);
  std::string summary;
  if (column == "pin_hash") {
    summary = "{\"changed\":\"pin\"}";
  } else if (column == "active") {
    summary = std::string("{\"active\":[") + (target->active ? "1" : "0") + "," + value + "]}";
  } else {
    summary = "{\"role\":[" + journal::json_quote(target->role) + "," + journal::json_quote(value) + "]}";
  }
  // The column name comes from this file's three callers, never from input.
  const std::string assignment = column == "active" ? "active = CAST(?1 AS INTEGER)" : column + " = ?1";
  sql::Statement up(m_store.handle(), "UPDATE staff SET " + assignment + ", updated_at = ?2 WHERE id = ?3");
  up.bind(1, value).bind(2, m_store.now_iso()).bind(3, staff_id);
  int rc = up.run();
  std::string payload;
  if (rc == SQLITE_OK) rc = journal::snapshot(m_store, kStaffJson, staff_id, &payload);
  if (rc == SQLITE_OK)
    rc = journal::append_change(m_store, "staff", staff_id, "update", payload, nullptr);
  if (rc == SQLITE_OK)
    rc = journal::append_audit(m_store, actor_id, "update", "staff", staff_id, summary);
  if (rc == SQLITE_OK && column == "pin_hash") rc = reset_lockout(m_store);  // L4
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return SaveResult::success(staff_id);
}

SaveResult StaffDirectory::set_pin(const std::string& staff_id, const std::string& pin,
                                   const std::string& actor_id, StaffRule* broken) {
  if (broken) *broken = StaffRule::ok;
  if (!pin_format_ok(pin)) return refuse(StaffRule::pin_format, broken);
  if (!is_computer(actor_id) && !is_active_supervisor(actor_id))
    return refuse(StaffRule::not_supervisor, broken);
  const std::string hash = hash_pin(pin);
  if (hash.empty()) return SaveResult::failure(StoreError::other, "argon2id hashing failed");
  return change_staff(staff_id, actor_id, "pin_hash", hash, broken);
}

SaveResult StaffDirectory::set_pin_hash(const std::string& staff_id, const std::string& hash,
                                        const std::string& actor_id, StaffRule* broken) {
  if (broken) *broken = StaffRule::ok;
  if (!is_pin_hash(hash)) return refuse(StaffRule::pin_format, broken);
  return change_staff(staff_id, actor_id, "pin_hash", hash, broken);
}

SaveResult StaffDirectory::set_active(const std::string& staff_id, bool active,
                                      const std::string& actor_id, StaffRule* broken) {
  return change_staff(staff_id, actor_id, "active", active ? "1" : "0", broken);
}

SaveResult StaffDirectory::set_role(const std::string& staff_id, const std::string& role,
                                    const std::string& actor_id, StaffRule* broken) {
  if (role != "staff" && role != "supervisor") {
    if (broken) *broken = StaffRule::bad_role;
    return SaveResult::failure(StoreError::invalid, "role must be staff or supervisor");
  }
  return change_staff(staff_id, actor_id, "role", role, broken);
}

std::vector<StaffMember> StaffDirectory::list(bool include_inactive) const {
  std::vector<StaffMember> out;
  sql::Statement st(m_store.handle(),
                    "SELECT id, name, role, active FROM staff WHERE active = 1 OR ?"
                    " ORDER BY name");
  st.bind(1, include_inactive ? 1 : 0);
  while (st.step() == SQLITE_ROW)
    out.push_back({st.text(0), st.text(1), st.text(2), st.integer(3) != 0});
  return out;
}

std::optional<StaffMember> StaffDirectory::find(const std::string& staff_id) const {
  sql::Statement st(m_store.handle(), "SELECT id, name, role, active FROM staff WHERE id = ?");
  st.bind(1, staff_id);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  return StaffMember{st.text(0), st.text(1), st.text(2), st.integer(3) != 0};
}

std::optional<StaffMember> StaffDirectory::find_by_name(const std::string& name) const {
  const std::string key = unicode::search_fold(trim_space(name));
  if (key.empty()) return std::nullopt;
  for (const StaffMember& m : list(/*include_inactive=*/true))
    if (unicode::search_fold(m.name) == key) return m;
  return std::nullopt;
}

bool StaffDirectory::is_active_supervisor(const std::string& staff_id) const {
  sql::Statement st(m_store.handle(),
                    "SELECT 1 FROM staff WHERE id = ? AND role = 'supervisor' AND active = 1");
  st.bind(1, staff_id);
  return st.step() == SQLITE_ROW;
}

bool StaffDirectory::has_any_staff() const {
  sql::Statement st(m_store.handle(), "SELECT 1 FROM staff LIMIT 1");
  return st.step() == SQLITE_ROW;
}

namespace {

// The pin_lockout row as stored (store.cpp migration 11).
struct LockRow {
  int failed_attempts = 0, lockouts = 0;
  std::int64_t remaining_ms = 0, wall_ms = 0, boot_ms = 0;
  std::string boot_id;
};

LockRow read_lock_row(Store& s) {
  sql::Statement st(s.handle(),
                    "SELECT failed_attempts, lockouts, lock_remaining_ms, lock_wall_ms, lock_boot_id,"
                    " lock_boot_ms FROM pin_lockout WHERE id = 1");
  if (st.step() != SQLITE_ROW) return {};
  return {st.integer(0), st.integer(1), st.int64(2), st.int64(3), st.int64(5), st.text(4)};
}

// L2: how long the pad stays locked now.
std::int64_t remaining_now(const LockRow& row, std::int64_t wall_now, const BootTime& boot,
                           std::int64_t max_lock_ms) {
  if (row.remaining_ms <= 0) return 0;
  const bool same_boot = !row.boot_id.empty() && row.boot_id == boot.boot_id;
  const std::int64_t elapsed = std::max<std::int64_t>(0, same_boot ? boot.ms - row.boot_ms
                                                                   : wall_now - row.wall_ms);
  const std::int64_t remaining = std::min(row.remaining_ms, max_lock_ms);
  return elapsed >= remaining ? 0 : remaining - elapsed;
}

// The account a PIN is checked against, with its hash; false when there is no such account.
bool read_account(Store& s, const std::string& staff_id, StaffMember* member, std::string* pin_hash) {
  sql::Statement st(s.handle(), "SELECT id, name, role, active, pin_hash FROM staff WHERE id = ?");
  st.bind(1, staff_id);
  if (st.step() != SQLITE_ROW) return false;
  *member = {st.text(0), st.text(1), st.text(2), st.integer(3) != 0};
  *pin_hash = st.text(4);
  return true;
}

// L1/L3: the pad stays locked for `remaining_ms` from now, stamped on this boot.
int stamp_lock(Store& s, std::int64_t remaining_ms, std::int64_t wall_now, const BootTime& boot,
               const char* also = "") {
  sql::Statement st(s.handle(), std::string("UPDATE pin_lockout SET locked_until_ms = ?1 + ?2,"
                                            " lock_remaining_ms = ?2, lock_wall_ms = ?1,"
                                            " lock_boot_id = ?3, lock_boot_ms = ?4") + also +
                                    " WHERE id = 1");
  st.bind(1, wall_now).bind(2, remaining_ms).bind(3, boot.boot_id).bind(4, boot.ms);
  return st.run();
}

}  // namespace

LockoutState StaffDirectory::lockout() const {
  const LockRow row = read_lock_row(m_store);
  const std::int64_t now = m_store.now_ms();
  const std::int64_t remaining = remaining_now(row, now, m_store.boot_time(), m_policy.max_lock_ms);
  return {row.failed_attempts, row.lockouts, remaining > 0 ? now + remaining : 0, remaining};
}

SaveResult StaffDirectory::clear_lockout(const std::string& actor_id, StaffRule* broken) {
  if (broken) *broken = StaffRule::ok;
  Store::Transaction tx(m_store);
  if (!tx.begun()) return fail(m_store, tx.begin_rc());
  if (!is_computer(actor_id) && !is_active_supervisor(actor_id))
    return refuse(StaffRule::not_supervisor, broken);
  int rc = reset_lockout(m_store);
  if (rc == SQLITE_OK)
    rc = journal::append_audit(m_store, actor_id, "update", "pin_lockout", "pad", "{\"cleared\":true}");
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return SaveResult::success("pad");
}

PinAttempt StaffDirectory::begin_verify(const std::string& staff_id, const std::string& pin) {
  PinAttempt a;
  PinCheck& result = a.settled;
  a.staff_id = staff_id;
  a.now_ms = m_store.now_ms();
  a.boot = m_store.boot_time();
  const std::int64_t now = a.now_ms;
  // Step 1: refuse while locked; otherwise count this attempt as failed, durably.
  Store::Transaction tx(m_store);
  if (!tx.begun()) {
    result.detail = sqlite3_errmsg(m_store.handle());
    return a;
  }
  const LockRow row = read_lock_row(m_store);
  const std::int64_t remaining = remaining_now(row, now, a.boot, m_policy.max_lock_ms);
  if (remaining > 0) {
    result.outcome = PinOutcome::locked;
    result.locked_for_ms = remaining;
    result.locked_until_ms = now + remaining;
    if (row.boot_id != a.boot.boot_id && stamp_lock(m_store, remaining, now, a.boot) == SQLITE_OK)
      tx.commit();  // L3; if it fails the next attempt measures from the older stamp again
    return a;
  }
  if (!read_account(m_store, staff_id, &result.staff, &a.hash)) {
    result.outcome = PinOutcome::unknown_staff;
    return a;
  }
  if (!result.staff.active) {
    result.outcome = PinOutcome::inactive;
    return a;
  }
  sql::Statement count(m_store.handle(),
                       "UPDATE pin_lockout SET failed_attempts = failed_attempts + 1,"
                       " lock_remaining_ms = 0 WHERE id = 1");  // L3: what ran out stays out
  int rc = count.run();
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) {
    result.detail = sqlite3_errmsg(m_store.handle());
    return a;
  }
  a.pin = pin;
  a.pending = true;
  return a;
}

PinAttempt StaffDirectory::begin_unlock(const std::string& staff_id, const std::string& pin) {
  PinAttempt a;
  PinCheck& result = a.settled;
  a.staff_id = staff_id;
  a.now_ms = m_store.now_ms();
  a.boot = m_store.boot_time();
  {  // Step 1 (L5): an active supervisor's try re-locks the pad one step up, durably, first.
    Store::Transaction tx(m_store);
    if (!tx.begun()) {
      result.detail = sqlite3_errmsg(m_store.handle());
      return a;
    }
    const LockRow row = read_lock_row(m_store);
    if (remaining_now(row, a.now_ms, a.boot, m_policy.max_lock_ms) <= 0) {
      tx.commit();  // nothing written: ends the read transaction
      return begin_verify(staff_id, pin);
    }
    if (!read_account(m_store, staff_id, &result.staff, &a.hash)) {
      result.outcome = PinOutcome::unknown_staff;
      return a;
    }
    if (!result.staff.active || result.staff.role != "supervisor") {
      result.outcome = result.staff.active ? PinOutcome::not_supervisor : PinOutcome::inactive;
      result.staff = {};
      return a;
    }
    std::int64_t lock_ms = m_policy.first_lock_ms;
    for (int i = 0; i < row.lockouts && lock_ms < m_policy.max_lock_ms; ++i) lock_ms *= 2;
    lock_ms = std::min(lock_ms, m_policy.max_lock_ms);
    result.locked_for_ms = lock_ms;
    result.locked_until_ms = a.now_ms + lock_ms;
    int rc = stamp_lock(m_store, lock_ms, a.now_ms, a.boot, ", lockouts = lockouts + 1");
    if (rc == SQLITE_OK)
      rc = journal::append_audit(m_store, staff_id, "lockout", "pin_lockout", "pad",
                                 "{\"seconds\":" + std::to_string(lock_ms / 1000) + ",\"supervisor_unlock\":true}");
    if (rc == SQLITE_OK) rc = tx.commit();
    if (rc != SQLITE_OK) {
      result.staff = {};
      result.detail = sqlite3_errmsg(m_store.handle());
      return a;
    }
  }
  result.outcome = PinOutcome::locked;  // what a wrong PIN leaves (L5)
  a.unlock = true;
  a.pin = pin;
  a.pending = true;
  return a;
}

bool PinAttempt::matches() const { return pending && pin_format_ok(pin) && pin_matches(hash, pin); }

PinCheck StaffDirectory::finish(const PinAttempt& a, bool match) {
  if (!a.pending) return a.settled;
  return a.unlock ? finish_unlock(a, match) : finish_verify(a, match);
}

PinCheck StaffDirectory::finish_verify(const PinAttempt& a, bool match) {
  PinCheck result = a.settled;
  // Step 2: settle the attempt.
  Store::Transaction tx(m_store);
  if (!tx.begun()) {
    result.outcome = PinOutcome::store_error;
    result.detail = sqlite3_errmsg(m_store.handle());
    return result;
  }
  LockoutState state = lockout();
  int rc = SQLITE_OK;
  if (match) {
    rc = reset_lockout(m_store);
    if (rc == SQLITE_OK) rc = journal::append_audit(m_store, a.staff_id, "login", "staff", a.staff_id, "{}");
    result.outcome = PinOutcome::accepted;
  } else if (state.failed_attempts >= m_policy.attempts_before_lock) {
    std::int64_t lock_ms = m_policy.first_lock_ms;
    for (int i = 0; i < state.lockouts && lock_ms < m_policy.max_lock_ms; ++i) lock_ms *= 2;
    lock_ms = std::min(lock_ms, m_policy.max_lock_ms);
    result.locked_for_ms = lock_ms;
    result.locked_until_ms = a.now_ms + lock_ms;
    rc = stamp_lock(m_store, lock_ms, a.now_ms, a.boot, ", failed_attempts = 0, lockouts = lockouts + 1");
    if (rc == SQLITE_OK)
      rc = journal::append_audit(m_store, a.staff_id, "lockout", "staff", a.staff_id,
                                 "{\"seconds\":" + std::to_string(lock_ms / 1000) + "}");
    result.outcome = PinOutcome::locked;
  } else {
    rc = journal::append_audit(m_store, a.staff_id, "login_failed", "staff", a.staff_id, "{}");
    result.outcome = PinOutcome::wrong_pin;
    result.attempts_left = m_policy.attempts_before_lock - state.failed_attempts;
  }
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) {
    // The failed attempt was already counted in step 1; a wrong PIN stays counted.
    result.detail = sqlite3_errmsg(m_store.handle());
    if (match) result.outcome = PinOutcome::store_error;
  }
  if (result.outcome != PinOutcome::accepted) result.staff = {};
  return result;
}

PinCheck StaffDirectory::finish_unlock(const PinAttempt& a, bool match) {
  PinCheck result = a.settled;
  if (!match) {
    result.staff = {};
    return result;  // locked, one step further up (step 1)
  }
  // Step 2: the right PIN ends the lockout and its ladder (L4) and signs the supervisor in.
  Store::Transaction tx(m_store);
  int rc = tx.begun() ? reset_lockout(m_store) : tx.begin_rc();
  if (rc == SQLITE_OK)
    rc = journal::append_audit(m_store, a.staff_id, "update", "pin_lockout", "pad", "{\"cleared\":true}");
  if (rc == SQLITE_OK) rc = journal::append_audit(m_store, a.staff_id, "login", "staff", a.staff_id, "{}");
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) {
    result.staff = {};
    result.outcome = PinOutcome::store_error;
    result.detail = sqlite3_errmsg(m_store.handle());
    return result;
  }
  result.outcome = PinOutcome::accepted;
  result.locked_for_ms = result.locked_until_ms = 0;
  return result;
}

PinCheck StaffDirectory::verify_pin(const std::string& staff_id, const std::string& pin) {
  const PinAttempt a = begin_verify(staff_id, pin);
  return finish(a, a.matches());
}

PinCheck StaffDirectory::supervisor_unlock(const std::string& staff_id, const std::string& pin) {
  const PinAttempt a = begin_unlock(staff_id, pin);
  return finish(a, a.matches());
}

}  // namespace kiosk::core
