// kiosk/core/sql.h — a thin RAII wrapper over sqlite3_stmt, for kiosk_core's .cpp files and
// headquarters' library (sync/hq), which keep their SQL behind their own APIs.
//
// Contract: every value reaches SQLite through bind() — never through string concatenation —
// so names such as "Robert'); DROP TABLE participant;--" are stored verbatim. A Statement is
// finalized by its destructor; step() returns SQLite's code (SQLITE_ROW, SQLITE_DONE, errors);
// ok() is false when preparation failed (rc() says why). Not thread-safe, like the connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core::sql {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view text) : m_db(db) {
    m_rc = sqlite3_prepare_v2(db, text.data(), static_cast<int>(text.size()), &m_st, nullptr);
  }
  ~Statement() { sqlite3_finalize(m_st); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return m_rc == SQLITE_OK && m_st != nullptr; }
  int rc() const { return m_rc; }
  std::string error() const { return sqlite3_errmsg(m_db); }

  Statement& bind(int i, std::string_view v) {
    if (ok()) sqlite3_bind_text(m_st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, std::int64_t v) {
    if (ok()) sqlite3_bind_int64(m_st, i, v);
    return *this;
  }
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind_null(int i) {
    if (ok()) sqlite3_bind_null(m_st, i);
    return *this;
  }
  // Empty optional or empty string → NULL (for optional references such as organization_id).
  Statement& bind_or_null(int i, const std::optional<std::string>& v) {
    return v && !v->empty() ? bind(i, *v) : bind_null(i);
  }
  Statement& bind_blob(int i, const std::vector<std::uint8_t>& v) {
    if (!ok()) return *this;
    if (v.empty())
      sqlite3_bind_null(m_st, i);
    else
      sqlite3_bind_blob(m_st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }

  int step() {
    if (!ok()) return m_rc == SQLITE_OK ? SQLITE_MISUSE : m_rc;
    return sqlite3_step(m_st);
  }
  // step() for statements that return no row; SQLITE_DONE becomes SQLITE_OK.
  int run() {
    const int rc = step();
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  void reset() {
    if (ok()) {
      sqlite3_reset(m_st);
      sqlite3_clear_bindings(m_st);
    }
  }

  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(m_st, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_st, col)))
             : std::string();
  }
  // The column's text without a copy; valid until the next step(), reset() or column call.
  std::string_view text_view(int col) const {
    const unsigned char* t = sqlite3_column_text(m_st, col);
    return t ? std::string_view(reinterpret_cast<const char*>(t),
                                static_cast<std::size_t>(sqlite3_column_bytes(m_st, col)))
             : std::string_view();
  }
  std::optional<std::string> optional_text(int col) const {
    if (sqlite3_column_type(m_st, col) == SQLITE_NULL) return std::nullopt;
    return text(col);
  }
  std::int64_t int64(int col) const { return sqlite3_column_int64(m_st, col); }
  int column_count() const { return ok() ? sqlite3_column_count(m_st) : 0; }
  std::string column_name(int col) const {
    const char* n = ok() ? sqlite3_column_name(m_st, col) : nullptr;
    return n ? n : "";
  }
  int integer(int col) const { return sqlite3_column_int(m_st, col); }
  std::vector<std::uint8_t> blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_st, col));
    const int n = sqlite3_column_bytes(m_st, col);
    return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
  }

 private:
  sqlite3* m_db;
  sqlite3_stmt* m_st = nullptr;
  int m_rc;
};

}  // namespace kiosk::core::sql
