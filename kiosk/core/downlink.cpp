#include "downlink.h"

#include "event_rules.h"
#include "journal.h"
#include "toml_safety.h"
#include "registry.h"
#include "settings.h"
#include "sql.h"
#include "text_normalize.h"

namespace kiosk::core {

// D5, inside apply's transaction. "" when applied, else the reason.
std::string DownlinkStore::apply_staff(const std::string& staff_json, const std::string& now,
                                       int* count) {
  sqlite3* db = m_store.handle();
  sql::Statement rows(db, "SELECT coalesce(json_extract(value, '$.id'), ''),"
                          " coalesce(json_extract(value, '$.name'), ''),"
                          " coalesce(json_extract(value, '$.role'), ''),"
                          " coalesce(json_extract(value, '$.active'), -1),"
                          " coalesce(json_extract(value, '$.pin_hash'), ''),"
                          " json_type(value) FROM json_each(?)");
  rows.bind(1, staff_json);
  sql::Statement origin(db, "SELECT origin FROM staff WHERE id = ?");
  sql::Statement names(db, "SELECT id, name FROM staff WHERE id <> ?");
  sql::Statement up(db, "INSERT INTO staff(id, name, pin_hash, role, active, created_at, updated_at,"
                        " origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 'headquarters')"
                        " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                        " pin_hash = excluded.pin_hash, role = excluded.role,"
                        " active = excluded.active, updated_at = excluded.updated_at");
  int rc;
  while ((rc = rows.step()) == SQLITE_ROW) {
    const std::string id = rows.text(0), name = trim_space(rows.text(1)), role = rows.text(2),
                      hash = rows.text(4);
    const std::int64_t active = rows.int64(3);
    const std::string who = "staff account '" + (unicode::is_valid_utf8(name) ? name : id) + "': ";
    if (rows.text(5) != "object" || id.size() != 36)
      return "staff account " + std::to_string(*count + 1) + ": not an account with an id";
    if (check_display_name(name, 60) != NameProblem::none)
      return who + "the name is empty, too long, not valid text or Zawgyi";
    if (role != "staff" && role != "supervisor") return who + "role '" + role + "' is unknown";
    if (active != 0 && active != 1) return who + "'active' must be 0 or 1";
    if (hash.rfind("$argon2id$", 0) != 0 || hash.size() > 200)
      return who + "the PIN hash is not an argon2id string";
    origin.reset();
    origin.bind(1, id);
    if (origin.step() == SQLITE_ROW && origin.text(0) != "headquarters")
      return who + "its id belongs to one of this kiosk's own accounts";
    names.reset();
    names.bind(1, id);
    const std::string key = unicode::confusable_key(name);  // as StaffDirectory (staff.h A2)
    while (names.step() == SQLITE_ROW)
      if (unicode::confusable_key(names.text(1)) == key)
        return who + "another account on this kiosk already has that name";
    up.reset();
    up.bind(1, id).bind(2, name).bind(3, hash).bind(4, role).bind(5, active).bind(6, now);
    if ((rc = up.run()) != SQLITE_OK) return who + sqlite3_errmsg(db);
    ++*count;
  }
  if (rc != SQLITE_DONE) return std::string("staff accounts: ") + sqlite3_errmsg(db);
  sql::Statement sup(db, "SELECT count(*) FROM staff WHERE role = 'supervisor' AND active = 1");
  if (sup.step() != SQLITE_ROW || sup.int64(0) == 0)
    return "staff accounts: the kiosk would have no active supervisor left";
  return {};
}

ReadResult<std::int64_t> DownlinkStore::version() const {
  sql::Statement st(m_store.handle(), "SELECT coalesce((SELECT version FROM downlink_state), 0)");
  const int rc = st.step();
  if (rc != SQLITE_ROW)
    return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rc), st.error());
  return ReadResult<std::int64_t>::success(st.int64(0));
}

SaveResult DownlinkStore::apply(std::int64_t version, const std::string& tour,
                                const std::string& payload, const std::string& staff_json,
                                DownlinkApplied* applied) {
  sqlite3* db = m_store.handle();
  DownlinkApplied n;
  Store::Transaction tx(m_store);
  if (!tx.begun()) return SaveResult::failure(store_error_from_sqlite(tx.begin_rc()), "cannot begin");
  auto refuse = [&](const std::string& why) { return SaveResult::failure(StoreError::invalid, why); };
  auto failed = [&](int rc, const std::string& what) {
    return SaveResult::failure((rc & 0xFF) == SQLITE_CONSTRAINT ? StoreError::invalid
                                                                : store_error_from_sqlite(rc),
                               what + ": " + sqlite3_errmsg(db));
  };
  const auto current = this->version();
  if (!current.ok()) return SaveResult::failure(current.error, current.detail);
  if (version <= current.value)
    return refuse("the package (version " + std::to_string(version) +
                  ") is not newer than the kiosk's (version " + std::to_string(current.value) + ")");
  {
    sql::Statement shape(db, "SELECT json_valid(?1) AND json_type(?1) = 'object'"
                             " AND coalesce(json_type(?1, '$.organizations'), 'array') = 'array'"
                             " AND coalesce(json_type(?1, '$.events'), 'array') = 'array'"
                             " AND coalesce(json_type(?1, '$.settings'), 'object') = 'object'"
                             " AND coalesce(json_type(?1, '$.organization_map'), 'array') = 'array',"
                             // CASE: json_type('') raises an error even behind an OR.
                             " CASE WHEN ?2 = '' THEN 1 WHEN json_valid(?2)"
                             " THEN json_type(?2) = 'array' ELSE 0 END");
    shape.bind(1, payload).bind(2, staff_json);
    if (shape.step() != SQLITE_ROW || shape.int64(0) != 1)
      return refuse("the package's content is not the expected JSON object");
    if (shape.int64(1) != 1) return refuse("staff accounts: not a JSON array of accounts");
  }
  const std::string now = m_store.now_iso();
  {
    sql::Statement rows(db, "SELECT coalesce(json_extract(value, '$.id'), ''),"
                            " coalesce(json_extract(value, '$.name'), ''),"
                            " coalesce(json_extract(value, '$.name_latin'), ''),"
                            " coalesce(json_extract(value, '$.kind'), ''),"
                            " coalesce(json_extract(value, '$.country'), ''),"
                            " coalesce(json_extract(value, '$.city'), '')"
                            " FROM json_each(?, '$.organizations')");
    rows.bind(1, payload);
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
      std::vector<std::string> f;
      for (int i = 0; i < 6; ++i) f.push_back(rows.text(i));
      // The same rules as the CSV import (registry.h): a signed package is still not trusted text.
      if (const auto problems = directory_organization_problems(f); !problems.empty())
        return refuse("organization '" + one_line_text(f[0]) + "': " + problems.front());
      if ((rc = upsert_directory_organization(m_store, f, now, nullptr)) != SQLITE_OK)
        return failed(rc, "organization '" + f[0] + "'");
      ++n.organizations;
    }
    if (rc != SQLITE_DONE) return failed(rc, "organizations");
  }
  {
    // E5: every event is checked before any is written (the transaction is all or nothing).
    sql::Statement rows(db, "SELECT coalesce(json_extract(value, '$.id'), ''),"
                            " coalesce(json_extract(value, '$.name'), ''),"
                            " coalesce(json_extract(value, '$.venue'), ''),"
                            " coalesce(json_extract(value, '$.city'), ''),"
                            " coalesce(json_extract(value, '$.country'), ''),"
                            " coalesce(json_extract(value, '$.start_date'), ''),"
                            " coalesce(json_extract(value, '$.end_date'), ''),"
                            " coalesce(json_extract(value, '$.activity_types'), '[]')"
                            " FROM json_each(?, '$.events')");
    rows.bind(1, payload);
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
      EventInfo e;
      e.id = rows.text(0);
      e.name = rows.text(1);
      e.venue = rows.text(2);
      e.city = rows.text(3);
      e.country = rows.text(4);
      e.start_date = rows.text(5);
      e.end_date = rows.text(6);
      sql::Statement list(db, "SELECT json_valid(?1) AND json_type(?1) = 'array'");
      list.bind(1, rows.text(7));
      if (list.step() != SQLITE_ROW || list.int64(0) != 1)
        return refuse("event '" + one_line_text(e.id) + "': activity_types is not a list");
      sql::Statement each(db, "SELECT value FROM json_each(?)");
      each.bind(1, rows.text(7));
      while (each.step() == SQLITE_ROW) e.activity_types.push_back(each.text(0));
      if (const auto problems = check_event(e); !problems.empty())
        return refuse("event '" + one_line_text(e.id) + "': " + event_field_name(problems.front().field) + ": " +
                      problems.front().reason);
    }
    if (rc != SQLITE_DONE) return failed(rc, "events");
  }
  {
    sql::Statement up(db,
                      "INSERT INTO event(id, name, tour, venue, city, country, start_date, end_date,"
                      " activity_types, created_by, device_id, created_at, updated_at)"
                      " SELECT json_extract(value, '$.id'), json_extract(value, '$.name'),"
                      " coalesce(json_extract(value, '$.tour'), ?2),"
                      " coalesce(json_extract(value, '$.venue'), ''),"
                      " coalesce(json_extract(value, '$.city'), ''),"
                      " coalesce(json_extract(value, '$.country'), ''),"
                      " json_extract(value, '$.start_date'), json_extract(value, '$.end_date'),"
                      " coalesce(json_extract(value, '$.activity_types'), '[]'), NULL,"
                      " 'headquarters', ?3, ?3 FROM json_each(?1, '$.events') WHERE true"
                      " ON CONFLICT(id) DO UPDATE SET name = excluded.name, tour = excluded.tour,"
                      " venue = excluded.venue, city = excluded.city, country = excluded.country,"
                      " start_date = excluded.start_date, end_date = excluded.end_date,"
                      " activity_types = excluded.activity_types, updated_at = excluded.updated_at");
    up.bind(1, payload).bind(2, tour).bind(3, now);
    const int rc = up.run();
    if (rc != SQLITE_OK) return failed(rc, "events");
    n.events = sqlite3_changes(db);
  }
  {
    // D4: the whole map, after the organizations it points at.
    sql::Statement clear(db, "UPDATE organization SET merged_into = NULL WHERE merged_into IS NOT NULL");
    int rc = clear.run();
    if (rc != SQLITE_OK) return failed(rc, "organization map");
    sql::Statement rows(db, "SELECT coalesce(json_extract(value, '$.id'), ''),"
                            " coalesce(json_extract(value, '$.merged_into'), '')"
                            " FROM json_each(?, '$.organization_map')");
    rows.bind(1, payload);
    sql::Statement target(db, "SELECT 1 FROM organization WHERE id = ?");
    sql::Statement up(db, "UPDATE organization SET merged_into = ?2 WHERE id = ?1");
    while ((rc = rows.step()) == SQLITE_ROW) {
      const std::string id = rows.text(0), into = rows.text(1);
      if (id.empty() || into.empty() || id == into)
        return refuse("organization map: entry '" + id + "' -> '" + into + "' is not a mapping");
      target.reset();
      target.bind(1, into);
      if (target.step() != SQLITE_ROW)
        return refuse("organization map: '" + id + "' maps to '" + into +
                      "', which is not an organization here");
      up.reset();
      up.bind(1, id).bind(2, into);
      if ((rc = up.run()) != SQLITE_OK) return failed(rc, "organization map '" + id + "'");
      n.mapped += sqlite3_changes(db);
    }
    if (rc != SQLITE_DONE) return failed(rc, "organization map");
  }
  if (!staff_json.empty()) {
    const std::string why = apply_staff(staff_json, now, &n.staff);
    if (!why.empty()) return refuse(why);
  }
  {
    // Settings: the values the kiosk knows, each checked like the Settings screen checks them.
    KioskSettings wanted;
    sql::Statement get(db, "SELECT key, value, type FROM json_each(?, '$.settings')");
    get.bind(1, payload);
    std::vector<std::pair<std::string, std::string>> rows;
    int rc;
    while ((rc = get.step()) == SQLITE_ROW) {
      const std::string key = get.text(0), value = get.text(1), type = get.text(2);
      if (key == kSettingStaffLang && type == "text") wanted.staff_lang = value;
      else if (key == kSettingStaffLock && type == "integer") wanted.staff_lock_s = std::stoi(value);
      else if (key == kSettingVisitorReset && type == "integer") wanted.visitor_reset_s = std::stoi(value);
      else return refuse("setting '" + key + "' is unknown or has the wrong type");
      rows.emplace_back(key, value);
    }
    if (rc != SQLITE_DONE) return failed(rc, "settings");
    wanted.kiosk_name = "checked elsewhere";
    if (const SettingsRule r = SettingsStore::check(wanted); r != SettingsRule::ok)
      return refuse(std::string("settings: ") + settings_rule_key(r));
    for (const auto& [key, value] : rows) {
      sql::Statement up(db, "INSERT INTO setting(key, value) VALUES (?, ?)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      up.bind(1, key).bind(2, value);
      if ((rc = up.run()) != SQLITE_OK) return failed(rc, "setting " + key);
      ++n.settings;
    }
  }
  {
    sql::Statement st(db, "INSERT INTO downlink_state(id, version, tour, applied_at, organizations,"
                          " events) VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET"
                          " version = excluded.version, tour = excluded.tour,"
                          " applied_at = excluded.applied_at, organizations = excluded.organizations,"
                          " events = excluded.events");
    st.bind(1, version).bind(2, tour).bind(3, now).bind(4, n.organizations).bind(5, n.events);
    int rc = st.run();
    if (rc != SQLITE_OK) return failed(rc, "downlink state");
    rc = journal::append_audit(m_store, "", "import", "downlink", std::to_string(version),
                               "{\"organizations\":" + std::to_string(n.organizations) +
                                   ",\"mapped\":" + std::to_string(n.mapped) +
                                   ",\"events\":" + std::to_string(n.events) +
                                   ",\"settings\":" + std::to_string(n.settings) +
                                   ",\"staff\":" + std::to_string(n.staff) + "}");
    if (rc != SQLITE_OK) return failed(rc, "audit");
    rc = tx.commit();
    if (rc != SQLITE_OK) return failed(rc, "commit");
  }
  if (applied) *applied = n;
  return SaveResult::success(std::to_string(version));
}

}  // namespace kiosk::core
