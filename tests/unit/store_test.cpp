#include "store.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace kiosk::core;
namespace fs = std::filesystem;

namespace {
std::string fresh_path(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / "kiosk-store-test";
  fs::create_directories(dir);
  fs::path p = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  return p.string();
}

std::string pragma(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}
}  // namespace

TEST_CASE("a new store is migrated, durable and has a device id", "[store]") {
  std::string error;
  auto path = fresh_path("new.sqlite3");
  auto s = Store::open(path, &error);
  REQUIRE(s);
  CHECK(s->schema_version() == Store::latest_schema_version());
  CHECK(pragma(s->handle(), "PRAGMA journal_mode") == "wal");
  CHECK(pragma(s->handle(), "PRAGMA synchronous") == "2");  // FULL
  CHECK(pragma(s->handle(), "PRAGMA foreign_keys") == "1");
  CHECK(std::regex_match(s->device_id(),
                         std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

TEST_CASE("reopening keeps the same device id", "[store]") {
  std::string error;
  auto path = fresh_path("reopen.sqlite3");
  std::string id;
  {
    auto s = Store::open(path, &error);
    REQUIRE(s);
    id = s->device_id();
  }
  auto s = Store::open(path, &error);
  REQUIRE(s);
  CHECK(s->device_id() == id);
}

TEST_CASE("a store from a newer build is refused, not downgraded", "[store]") {
  std::string error;
  auto path = fresh_path("newer.sqlite3");
  {
    auto s = Store::open(path, &error);
    REQUIRE(s);
    sqlite3_exec(s->handle(), "PRAGMA user_version=999", nullptr, nullptr, nullptr);
  }
  CHECK_FALSE(Store::open(path, &error));
  CHECK(error.find("schema version 999") != std::string::npos);
}

TEST_CASE("a file that is not a database is refused with its path", "[store]") {
  auto path = fresh_path("garbage.sqlite3");
  std::ofstream(path) << std::string(4096, 'x');
  std::string error;
  CHECK_FALSE(Store::open(path, &error));
  CHECK(error.find(path) == 0);
}

TEST_CASE("an unwritable location is refused with its path", "[store]") {
  std::string error;
  CHECK_FALSE(Store::open("/nonexistent-dir/kiosk.sqlite3", &error));
  CHECK(error.find("/nonexistent-dir/kiosk.sqlite3") == 0);
}
