// kiosk/core/store.h — the on-device SQLite store.
//
// Design note
//  1. One file, WAL journal, synchronous=FULL, foreign_keys=ON: a transaction that returned
//     from commit survives power loss.
//  2. The schema is one numbered migration list (store.cpp, kMigrations); PRAGMA user_version
//     is the number of migrations applied. open() applies the missing ones, each in its own
//     transaction, so a crash mid-migration leaves the previous version intact.
//  3. A database newer than this build (user_version > migrations known) is refused, never
//     downgraded.
//  4. The device row (id = random UUID) is created once, in the migration that makes the table.
//
// Contract: Store::open() never throws; on failure it returns nullptr with the path and SQLite's
// reason in *error. Not thread-safe: one Store per thread.
#pragma once

#include <memory>
#include <string>

struct sqlite3;

namespace kiosk::core {

class Store {
 public:
  static std::unique_ptr<Store> open(const std::string& path, std::string* error);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;
  static int latest_schema_version();
  const std::string& device_id() const { return m_device_id; }
  sqlite3* handle() const { return m_db; }

 private:
  explicit Store(sqlite3* db) : m_db(db) {}
  sqlite3* m_db = nullptr;
  std::string m_device_id;
};

// A random (version 4) UUID in its usual text form, from libsodium's CSPRNG.
std::string new_uuid();

}  // namespace kiosk::core
