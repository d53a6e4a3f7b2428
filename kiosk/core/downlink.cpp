#include "downlink.h"

#include "journal.h"
#include "registry.h"
#include "settings.h"
#include "sql.h"
#include "text_normalize.h"

namespace kiosk::core {

ReadResult<std::int64_t> DownlinkStore::version() const {
  sql::Statement st(m_store.handle(), "SELECT coalesce((SELECT version FROM downlink_state), 0)");
  const int rc = st.step();
  if (rc != SQLITE_ROW)
    return ReadResult<std::int64_t>::failure(store_error_from_sqlite(rc), st.error());
  return ReadResult<std::int64_t>::success(st.int64(0));
}

SaveResult DownlinkStore::apply(std::int64_t version, const std::string& tour,
                                const std::string& payload, DownlinkApplied* applied) {
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
                             " AND coalesce(json_type(?1, '$.settings'), 'object') = 'object'");
    shape.bind(1, payload);
    if (shape.step() != SQLITE_ROW || shape.int64(0) != 1)
      return refuse("the package's content is not the expected JSON object");
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
      for (const auto& v : f)
        if (!is_valid_utf8(v)) return refuse("organization '" + f[0] + "': not valid UTF-8");
      if ((rc = upsert_directory_organization(m_store, f, now, nullptr)) != SQLITE_OK)
        return failed(rc, "organization '" + f[0] + "'");
      ++n.organizations;
    }
    if (rc != SQLITE_DONE) return failed(rc, "organizations");
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
                                   ",\"events\":" + std::to_string(n.events) +
                                   ",\"settings\":" + std::to_string(n.settings) + "}");
    if (rc != SQLITE_OK) return failed(rc, "audit");
    rc = tx.commit();
    if (rc != SQLITE_OK) return failed(rc, "commit");
  }
  if (applied) *applied = n;
  return SaveResult::success(std::to_string(version));
}

}  // namespace kiosk::core
