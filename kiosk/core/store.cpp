#include "store.h"

#include <sodium.h>
#include <sqlite3.h>

#include <cstdio>
#include <vector>

namespace kiosk::core {
namespace {

// The schema, one migration per entry; never edit an entry that has shipped, append a new one.
const std::vector<const char*> kMigrations = {
    // 1: the device this store belongs to.
    R"sql(
      CREATE TABLE device (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
    )sql",
};

bool exec(sqlite3* db, const char* sql, std::string* error) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    *error = msg ? msg : sqlite3_errmsg(db);
    sqlite3_free(msg);
    return false;
  }
  return true;
}

int user_version(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int v = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

}  // namespace

std::string new_uuid() {
  if (sodium_init() < 0) std::abort();  // impossible on Linux: sodium_init only fails without entropy
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

int Store::latest_schema_version() { return static_cast<int>(kMigrations.size()); }

std::unique_ptr<Store> Store::open(const std::string& path, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    *error = path + ": cannot open the store: " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_busy_timeout(db, 5000);
  std::string why;
  if (!exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            &why)) {
    *error = path + ": " + why;
    return nullptr;
  }
  const int have = user_version(db);
  if (have < 0) {
    *error = path + ": not a SQLite database, or unreadable: " + sqlite3_errmsg(db);
    return nullptr;
  }
  if (have > latest_schema_version()) {
    *error = path + ": the store has schema version " + std::to_string(have) +
             ", newer than this kiosk build knows (" + std::to_string(latest_schema_version()) +
             "); refusing to open it";
    return nullptr;
  }
  for (int v = have; v < latest_schema_version(); ++v) {
    std::string sql = std::string("BEGIN IMMEDIATE;") + kMigrations[static_cast<size_t>(v)] +
                      "PRAGMA user_version=" + std::to_string(v + 1) + ";";
    if (v == 0) sql += "INSERT INTO device(id) VALUES('" + new_uuid() + "');";
    sql += "COMMIT;";
    if (!exec(db, sql.c_str(), &why)) {
      exec(db, "ROLLBACK;", &why);
      *error = path + ": migration " + std::to_string(v + 1) + " failed: " + why;
      return nullptr;
    }
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT id FROM device LIMIT 1", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    store->m_device_id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if (store->m_device_id.empty()) {
    *error = path + ": the store has no device row";
    return nullptr;
  }
  return store;
}

Store::~Store() { sqlite3_close(m_db); }

int Store::schema_version() const { return user_version(m_db); }

}  // namespace kiosk::core
