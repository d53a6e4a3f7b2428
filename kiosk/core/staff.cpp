#include "staff.h"

#include "journal.h"
#include "sql.h"

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

bool is_supervisor(Store& s, const std::string& id) {
  sql::Statement st(s.handle(),
                    "SELECT 1 FROM staff WHERE id = ? AND role = 'supervisor' AND active = 1");
  st.bind(1, id);
  return st.step() == SQLITE_ROW;
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

bool pin_matches(const std::string& pin_hash, const std::string& pin) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(pin_hash.c_str(), pin.data(), pin.size()) == 0;
}

SaveResult StaffDirectory::add_staff(const std::string& name, const std::string& pin,
                                     const std::string& role, const std::string& actor_id) {
  if (!pin_format_ok(pin)) return SaveResult::failure(StoreError::invalid, "PIN must be 4-8 digits");
  const std::string hash = hash_pin(pin);  // slow: outside the write transaction
  if (hash.empty()) return SaveResult::failure(StoreError::other, "argon2id hashing failed");
  Store::Transaction tx(m_store);
  if (!tx.begun()) return fail(m_store, tx.begin_rc());
  if (actor_id.empty()) {
    if (has_any_staff() || role != "supervisor")
      return SaveResult::failure(StoreError::invalid,
                                 "only the first account may be created without a supervisor,"
                                 " and it must be a supervisor");
  } else if (!is_supervisor(m_store, actor_id)) {
    return SaveResult::failure(StoreError::invalid, "only a supervisor manages staff");
  }
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
    rc = journal::append_audit(m_store, actor_id.empty() ? id : actor_id, "insert", "staff", id,
                               "{}");
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return SaveResult::success(id);
}

SaveResult StaffDirectory::change_staff(const std::string& staff_id, const std::string& actor_id,
                                        const char* assignment, const std::string& value) {
  Store::Transaction tx(m_store);
  if (!tx.begun()) return fail(m_store, tx.begin_rc());
  if (!is_supervisor(m_store, actor_id))
    return SaveResult::failure(StoreError::invalid, "only a supervisor manages staff");
  if (!find(staff_id)) return SaveResult::failure(StoreError::not_found, "no such staff");
  sql::Statement up(m_store.handle(), std::string("UPDATE staff SET ") + assignment +
                                          ", updated_at = ?2 WHERE id = ?3");
  up.bind(1, value).bind(2, m_store.now_iso()).bind(3, staff_id);
  int rc = up.run();
  std::string payload;
  if (rc == SQLITE_OK) rc = journal::snapshot(m_store, kStaffJson, staff_id, &payload);
  if (rc == SQLITE_OK)
    rc = journal::append_change(m_store, "staff", staff_id, "update", payload, nullptr);
  if (rc == SQLITE_OK)
    rc = journal::append_audit(m_store, actor_id, "update", "staff", staff_id,
                               std::string("{\"changed\":") +
                                   (std::string(assignment).find("pin_hash") == 0 ? "\"pin\""
                                                                                  : "\"active\"") +
                                   "}");
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) return fail(m_store, rc);
  return SaveResult::success(staff_id);
}

SaveResult StaffDirectory::set_pin(const std::string& staff_id, const std::string& pin,
                                   const std::string& actor_id) {
  if (!pin_format_ok(pin)) return SaveResult::failure(StoreError::invalid, "PIN must be 4-8 digits");
  const std::string hash = hash_pin(pin);
  if (hash.empty()) return SaveResult::failure(StoreError::other, "argon2id hashing failed");
  return change_staff(staff_id, actor_id, "pin_hash = ?1", hash);
}

SaveResult StaffDirectory::set_active(const std::string& staff_id, bool active,
                                      const std::string& actor_id) {
  return change_staff(staff_id, actor_id, "active = CAST(?1 AS INTEGER)", active ? "1" : "0");
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

bool StaffDirectory::has_any_staff() const {
  sql::Statement st(m_store.handle(), "SELECT 1 FROM staff LIMIT 1");
  return st.step() == SQLITE_ROW;
}

LockoutState StaffDirectory::lockout() const {
  sql::Statement st(m_store.handle(),
                    "SELECT failed_attempts, lockouts, locked_until_ms FROM pin_lockout WHERE id = 1");
  if (st.step() != SQLITE_ROW) return {};
  return {st.integer(0), st.integer(1), st.int64(2)};
}

PinCheck StaffDirectory::verify_pin(const std::string& staff_id, const std::string& pin) {
  PinCheck result;
  std::string hash;
  const std::int64_t now = m_store.now_ms();
  {  // Step 1: refuse while locked; otherwise count this attempt as failed, durably.
    Store::Transaction tx(m_store);
    if (!tx.begun()) {
      result.detail = sqlite3_errmsg(m_store.handle());
      return result;
    }
    const LockoutState state = lockout();
    if (now < state.locked_until_ms) {
      result.outcome = PinOutcome::locked;
      result.locked_until_ms = state.locked_until_ms;
      return result;
    }
    sql::Statement st(m_store.handle(),
                      "SELECT id, name, role, active, pin_hash FROM staff WHERE id = ?");
    st.bind(1, staff_id);
    if (st.step() != SQLITE_ROW) {
      result.outcome = PinOutcome::unknown_staff;
      return result;
    }
    result.staff = {st.text(0), st.text(1), st.text(2), st.integer(3) != 0};
    hash = st.text(4);
    if (!result.staff.active) {
      result.outcome = PinOutcome::inactive;
      return result;
    }
    sql::Statement count(m_store.handle(),
                         "UPDATE pin_lockout SET failed_attempts = failed_attempts + 1 WHERE id = 1");
    int rc = count.run();
    if (rc == SQLITE_OK) rc = tx.commit();
    if (rc != SQLITE_OK) {
      result.detail = sqlite3_errmsg(m_store.handle());
      return result;
    }
  }
  const bool match = pin_format_ok(pin) && pin_matches(hash, pin);
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
    sql::Statement reset(m_store.handle(),
                         "UPDATE pin_lockout SET failed_attempts = 0, lockouts = 0,"
                         " locked_until_ms = 0 WHERE id = 1");
    rc = reset.run();
    if (rc == SQLITE_OK) rc = journal::append_audit(m_store, staff_id, "login", "staff", staff_id, "{}");
    result.outcome = PinOutcome::accepted;
  } else if (state.failed_attempts >= m_policy.attempts_before_lock) {
    std::int64_t lock_ms = m_policy.first_lock_ms;
    for (int i = 0; i < state.lockouts && lock_ms < m_policy.max_lock_ms; ++i) lock_ms *= 2;
    lock_ms = std::min(lock_ms, m_policy.max_lock_ms);
    result.locked_until_ms = now + lock_ms;
    sql::Statement lock(m_store.handle(),
                        "UPDATE pin_lockout SET failed_attempts = 0, lockouts = lockouts + 1,"
                        " locked_until_ms = ? WHERE id = 1");
    lock.bind(1, result.locked_until_ms);
    rc = lock.run();
    if (rc == SQLITE_OK)
      rc = journal::append_audit(m_store, staff_id, "lockout", "staff", staff_id,
                                 "{\"seconds\":" + std::to_string(lock_ms / 1000) + "}");
    result.outcome = PinOutcome::locked;
  } else {
    rc = journal::append_audit(m_store, staff_id, "login_failed", "staff", staff_id, "{}");
    result.outcome = PinOutcome::wrong_pin;
    result.attempts_left = m_policy.attempts_before_lock - state.failed_attempts;
  }
  if (rc == SQLITE_OK) rc = tx.commit();
  if (rc != SQLITE_OK) {
    // The failed attempt was already counted in step 1; a wrong PIN stays counted.
    result.detail = sqlite3_errmsg(m_store.handle());
    if (match) result.outcome = PinOutcome::store_error;
  }
  return result;
}

}  // namespace kiosk::core
