// sync/hq/library_staff.cpp — staff accounts headquarters manages for a tour, and the parts of the
// downlink that come from them and from the organization library's merges.
//
// Design note
//  S1. An account belongs to one tour. Names follow the kiosk's rule A2 (kiosk/core/staff.h:
//      trimmed, 1..60 code points, no control characters, Unicode Burmese) and are unique in the
//      tour by unicode::confusable_key, as on the kiosk. PINs are 4..8 digits, kept only as the kiosk's argon2id string
//      (core::hash_pin), so a kiosk checks them exactly like its own accounts.
//  S2. Nothing is deleted: deactivating keeps the account, and the next downlink deactivates it
//      on the kiosks too. Every change is audited (actor "hq-cli"), never with the PIN or hash.
//  S3. In the downlink, the tour's accounts (active or not) travel as one JSON array sealed to
//      each active device of the tour whose key headquarters has bound (its first bundle):
//      payload "staff": {"<device id>": "<base64 sealed box>"}. A stick holding the package shows
//      no name and no hash; a device enrolled but not yet heard from gets none until it sends.
//  S4. The organization map: every kiosk organization record headquarters merged into another
//      travels as {"id": its id, "merged_into": the id its root is sent under}, so kiosks show
//      and count the one school (kiosk/core/downlink.h D4). The map is whole every time: an
//      undone merge disappears from it and the kiosk's mapping is cleared.
#include "library.h"

#include "sql.h"
#include "staff.h"
#include "store.h"
#include "text_normalize.h"
#include "write_tx.h"

#include <sqlite3.h>

#include <chrono>

namespace kiosk::hq {
using core::sql::Statement;

namespace {

std::string now_text() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  return core::iso_time(ms);
}

constexpr std::size_t kMaxStaffName = 60;

bool name_ok(const std::string& name, std::string* why) {
  switch (core::check_display_name(name, kMaxStaffName)) {
    case core::NameProblem::empty: *why = "the name is empty"; return false;
    case core::NameProblem::invalid_text:
      *why = "the name has control characters or is not valid UTF-8";
      return false;
    case core::NameProblem::too_long: *why = "the name is longer than 60 characters"; return false;
    case core::NameProblem::zawgyi:
      *why = "the name is Burmese typed in Zawgyi; type it in Unicode";
      return false;
    case core::NameProblem::none: return true;
  }
  return true;
}

}  // namespace

std::string Library::staff_find(const std::string& tour, const std::string& id_or_name) {
  Statement st(m_db, "SELECT id, name FROM staff_account WHERE tour = ?");
  st.bind(1, tour);
  const std::string key = unicode::search_fold(core::trim_space(id_or_name));
  while (st.step() == SQLITE_ROW)
    if (st.text(0) == id_or_name || unicode::search_fold(st.text(1)) == key) return st.text(0);
  return {};
}

std::string Library::staff_add(const std::string& tour, const std::string& raw_name,
                               const std::string& role, const std::string& pin, std::string* why) {
  const std::string name = core::trim_space(raw_name);
  if (tour.empty() || tour.size() > 100) {
    *why = "--tour: 1 to 100 characters";
    return {};
  }
  if (!name_ok(name, why)) return {};
  if (role != "staff" && role != "supervisor") {
    *why = "--role: 'staff' or 'supervisor', not '" + role + "'";
    return {};
  }
  if (!core::pin_format_ok(pin)) {
    *why = "the PIN must be 4 to 8 digits";
    return {};
  }
  const std::string hash = core::hash_pin(pin);  // ~0.2 s, before the write transaction
  if (hash.empty()) {
    *why = "cannot hash the PIN (out of memory?)";
    return {};
  }
  WriteTx tx(m_db);
  if (tx.begin_rc() != SQLITE_OK) {
    *why = std::string("the library is busy or read-only: ") + sqlite3_errmsg(m_db);
    return {};
  }
  {
    // S1: unique once folded as the kiosk folds (kiosk/core/staff.h A2): a name a person could
    // not tell apart on the sign-in list (case, an invisible character, a Cyrillic look-alike).
    Statement names(m_db, "SELECT name FROM staff_account WHERE tour = ?");
    names.bind(1, tour);
    const std::string key = unicode::confusable_key(name);
    while (names.step() == SQLITE_ROW)
      if (unicode::confusable_key(names.text(0)) == key) {
        *why = "tour '" + tour + "' already has an account named '" + names.text(0) + "' (" +
               (names.text(0) == name ? "the same name" : "a name that looks the same") + ")";
        return {};
      }
  }
  const std::string id = core::new_uuid(), now = now_text();
  Statement ins(m_db, "INSERT INTO staff_account(id, tour, name, role, pin_hash, active,"
                      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)");
  ins.bind(1, id).bind(2, tour).bind(3, name).bind(4, role).bind(5, hash).bind(6, now).bind(7, now);
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, 'hq-cli', 'staff.add', ?, json_object('tour', ?, 'role', ?))");
  audit.bind(1, now).bind(2, id).bind(3, tour).bind(4, role);
  if (ins.run() != SQLITE_OK || audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("cannot save the account: ") + sqlite3_errmsg(m_db);
    return {};
  }
  return id;
}

bool Library::staff_change(const std::string& tour, const std::string& id_or_name,
                           const std::string& field, const std::string& value, std::string* why) {
  std::string column, stored = value;
  if (field == "active") {
    if (value != "0" && value != "1") {
      *why = "active: 0 or 1";
      return false;
    }
    column = "active";
  } else if (field == "role") {
    if (value != "staff" && value != "supervisor") {
      *why = "--role: 'staff' or 'supervisor', not '" + value + "'";
      return false;
    }
    column = "role";
  } else if (field == "pin") {
    if (!core::pin_format_ok(value)) {
      *why = "the PIN must be 4 to 8 digits";
      return false;
    }
    stored = core::hash_pin(value);
    if (stored.empty()) {
      *why = "cannot hash the PIN (out of memory?)";
      return false;
    }
    column = "pin_hash";
  } else {
    *why = "unknown field '" + field + "'";
    return false;
  }
  WriteTx tx(m_db);
  if (tx.begin_rc() != SQLITE_OK) {
    *why = std::string("the library is busy or read-only: ") + sqlite3_errmsg(m_db);
    return false;
  }
  const std::string id = staff_find(tour, id_or_name);
  if (id.empty()) {
    *why = "tour '" + tour + "' has no account '" + id_or_name + "'";
    return false;
  }
  const std::string now = now_text();
  Statement up(m_db, "UPDATE staff_account SET " + column + " = ?, updated_at = ? WHERE id = ?");
  if (column == "active") up.bind(1, std::stoi(stored));
  else up.bind(1, stored);
  up.bind(2, now).bind(3, id);
  // The audit names the field; a role or the active flag is no secret, a PIN hash is.
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, 'hq-cli', 'staff.change', ?, json_object('field', ?, 'value', ?))");
  audit.bind(1, now).bind(2, id).bind(3, field);
  if (field == "pin") audit.bind(4, "(new PIN)");
  else audit.bind(4, value);
  if (up.run() != SQLITE_OK || audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("cannot save the account: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

Table Library::staff_list(const std::string& tour) {
  return query("SELECT id, tour, name, role, CASE active WHEN 1 THEN 'active' ELSE 'inactive' END"
               " AS state, updated_at FROM staff_account WHERE ?1 = '' OR tour = ?1"
               " ORDER BY tour, name",
               tour);
}

// S3: {"<device id>": "<sealed>"} for the devices of `tour` (or only `device_id`), "{}" when the
// tour has no accounts. nullopt when the library cannot be read.
std::optional<std::string> Library::sealed_staff(const std::string& tour,
                                                 const std::string& device_id, std::string* why) {
  Statement accounts(m_db, "SELECT coalesce(json_group_array(json_object('id', id, 'name', name,"
                           " 'role', role, 'active', active, 'pin_hash', pin_hash)), '[]'),"
                           " count(*) FROM (SELECT * FROM staff_account WHERE tour = ? ORDER BY id)");
  accounts.bind(1, tour);
  if (accounts.step() != SQLITE_ROW) {
    *why = "library cannot be read: " + accounts.error();
    return std::nullopt;
  }
  const std::string plain = accounts.text(0);
  if (accounts.int64(1) == 0) return std::string("{}");
  Statement devices(m_db, "SELECT id, sign_pk FROM device WHERE tour = ?1 AND state = 'active'"
                          " AND sign_pk IS NOT NULL AND (?2 = '' OR id = ?2) ORDER BY id");
  devices.bind(1, tour).bind(2, device_id);
  std::string out = "{";
  int rc;
  while ((rc = devices.step()) == SQLITE_ROW) {
    const auto pk = devices.blob(1);
    sync::Key32 key{};
    if (pk.size() != key.size()) continue;  // the schema's CHECK makes this impossible
    std::copy(pk.begin(), pk.end(), key.begin());
    const auto sealed = sync::seal_for_device(plain, key);
    if (!sealed) {
      *why = "device " + devices.text(0) + " has a key that cannot receive sealed parts";
      return std::nullopt;
    }
    out += std::string(out.size() > 1 ? "," : "") + "\"" + devices.text(0) + "\":\"" + *sealed + "\"";
  }
  if (rc != SQLITE_DONE) {
    *why = "library cannot be read: " + devices.error();
    return std::nullopt;
  }
  return out + "}";
}

}  // namespace kiosk::hq
