// sync/hq/library_web.cpp — headquarters staff accounts for the web pages and their sessions
// (the rules W1-W4 are in web.h). Passwords: libsodium crypto_pwhash_str (argon2id, interactive
// limits, as the kiosk's PINs). Session tokens: 32 random bytes the browser keeps in an HttpOnly
// cookie; the library keeps only their SHA-256, so a copy of the library file opens no session.
#include "library.h"

#include "sql.h"
#include "store.h"
#include "text_normalize.h"
#include "write_tx.h"

#include <sodium.h>
#include <sqlite3.h>

#include <chrono>
#include <cstring>

namespace kiosk::hq {
using core::sql::Statement;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string random_text(std::size_t bytes) {
  std::vector<std::uint8_t> b(bytes);
  randombytes_buf(b.data(), b.size());
  std::string out(sodium_base64_ENCODED_LEN(b.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), b.data(), b.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::vector<std::uint8_t> token_hash(const std::string& token) {
  const auto h = sync::sha256(reinterpret_cast<const std::uint8_t*>(token.data()), token.size());
  return {h.begin(), h.end()};
}

std::string hash_password(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return {};
  return out;
}

bool password_ok(const std::string& password, std::string* why) {
  if (password.size() < 10 || password.size() > 200) {
    *why = "the password must be 10 to 200 characters";
    return false;
  }
  return true;
}

// A WebUser from the first four columns of a row: id, name, role, lang.
Library::WebUser user_of(const Statement& st) {
  Library::WebUser u;
  u.id = st.int64(0);
  u.name = st.text(1);
  u.role = st.text(2);
  u.lang = st.text(3);
  return u;
}

}  // namespace

bool Library::audit(const std::string& actor, const std::string& action, const std::string& target,
                    const std::string& detail_json) {
  Statement st(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES (?, ?, ?, ?, json(?))");
  st.bind(1, core::iso_time(now_ms())).bind(2, actor).bind(3, action).bind(4, target).bind(5, detail_json);
  return st.run() == SQLITE_OK;
}

bool Library::web_user_add(const std::string& raw_name, const std::string& password,
                           const std::string& role, const std::string& actor, std::string* why) {
  const std::string name = core::trim_space(raw_name);
  if (core::check_display_name(name, 60) != core::NameProblem::none) {
    *why = "the name must be 1 to 60 readable characters";
    return false;
  }
  if (role != "viewer" && role != "editor" && role != "admin") {
    *why = "the role must be viewer, editor or admin, not '" + role + "'";
    return false;
  }
  if (!password_ok(password, why)) return false;
  const std::string hash = hash_password(password);  // ~0.2 s, before the transaction
  if (hash.empty()) {
    *why = "cannot hash the password (out of memory?)";
    return false;
  }
  WriteTx tx(m_db);
  const std::string now = core::iso_time(now_ms());
  Statement ins(m_db, "INSERT INTO web_user(name, pwhash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, name).bind(2, hash).bind(3, role).bind(4, now).bind(5, now);
  const int rc = tx.begin_rc() == SQLITE_OK ? ins.run() : tx.begin_rc();
  if (rc != SQLITE_OK) {
    *why = (rc & 0xFF) == SQLITE_CONSTRAINT ? "there is already an account named '" + name + "'"
                                            : std::string("cannot save: ") + sqlite3_errmsg(m_db);
    return false;
  }
  if (!audit(actor, "web_user.add", name, "{\"role\":\"" + role + "\"}") || tx.commit() != SQLITE_OK) {
    *why = std::string("cannot save: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

bool Library::web_user_change(const std::string& name, const std::string& field,
                              const std::string& value, const std::string& actor, std::string* why) {
  std::string column = field, stored = value;
  if (field == "role") {
    if (value != "viewer" && value != "editor" && value != "admin") {
      *why = "the role must be viewer, editor or admin, not '" + value + "'";
      return false;
    }
  } else if (field == "active") {
    if (value != "0" && value != "1") {
      *why = "active: 0 or 1";
      return false;
    }
  } else if (field == "lang") {
    if (value != "en" && value != "zh") {
      *why = "the language must be en or zh";
      return false;
    }
  } else if (field == "password") {
    if (!password_ok(value, why)) return false;
    column = "pwhash";
    stored = hash_password(value);
    if (stored.empty()) {
      *why = "cannot hash the password (out of memory?)";
      return false;
    }
  } else {
    *why = "unknown field '" + field + "'";
    return false;
  }
  WriteTx tx(m_db);
  if (tx.begin_rc() != SQLITE_OK) {
    *why = std::string("the library is busy or read-only: ") + sqlite3_errmsg(m_db);
    return false;
  }
  // W4: the library always keeps an active admin.
  if ((field == "role" && value != "admin") || (field == "active" && value == "0")) {
    Statement others(m_db, "SELECT count(*) FROM web_user WHERE role = 'admin' AND active = 1"
                           " AND name <> ? COLLATE NOCASE");
    others.bind(1, name);
    Statement self(m_db, "SELECT role = 'admin' AND active = 1 FROM web_user WHERE name = ? COLLATE NOCASE");
    self.bind(1, name);
    if (others.step() == SQLITE_ROW && others.int64(0) == 0 && self.step() == SQLITE_ROW &&
        self.int64(0) == 1) {
      *why = "the library must keep at least one active admin";
      return false;
    }
  }
  Statement up(m_db, "UPDATE web_user SET " + column + " = ?, updated_at = ? WHERE name = ? COLLATE NOCASE");
  if (field == "active") up.bind(1, std::stoi(stored));
  else up.bind(1, stored);
  up.bind(2, core::iso_time(now_ms())).bind(3, name);
  if (up.run() != SQLITE_OK) {
    *why = std::string("cannot save: ") + sqlite3_errmsg(m_db);
    return false;
  }
  if (sqlite3_changes(m_db) == 0) {
    *why = "no account named '" + name + "'";
    return false;
  }
  // Signing out everywhere is part of a new password, a lower role or a deactivation.
  if (field != "lang") {
    Statement end(m_db, "DELETE FROM web_session WHERE user_id = (SELECT id FROM web_user WHERE name = ? COLLATE NOCASE)");
    end.bind(1, name);
    end.run();
  }
  const std::string shown = field == "password" ? "(new password)" : value;
  Statement detail(m_db, "SELECT json_object('field', ?, 'value', ?)");
  detail.bind(1, field).bind(2, shown);
  detail.step();
  if (!audit(actor, "web_user.change", name, detail.text(0)) || tx.commit() != SQLITE_OK) {
    *why = std::string("cannot save: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

Table Library::web_users() {
  return query("SELECT name, role, lang, CASE active WHEN 1 THEN 'active' ELSE 'inactive' END AS state,"
               " created_at, updated_at FROM web_user WHERE ?1 = ?1 ORDER BY name COLLATE NOCASE", "");
}

std::optional<Library::WebAccount> Library::web_account(const std::string& name) {
  Statement st(m_db, "SELECT id, name, role, lang, pwhash, active FROM web_user WHERE name = ? COLLATE NOCASE");
  st.bind(1, core::trim_space(name));
  if (st.step() != SQLITE_ROW) return std::nullopt;
  WebAccount a;
  a.user = user_of(st);
  a.pwhash = st.text(4);
  a.active = st.int64(5) == 1;
  return a;
}

bool Library::web_password_matches(const std::string& pwhash, const std::string& password) {
  // Unknown names are checked against a hash made once, so a wrong name takes as long as a
  // wrong password and the answer does not tell which names exist.
  static const std::string dummy = hash_password("not a password of anyone");
  const std::string& h = pwhash.empty() ? dummy : pwhash;
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0 && !pwhash.empty();
}

std::optional<Library::WebSession> Library::web_session_start(const WebUser& user, std::string* why) {
  WebSession s;
  s.user = user;
  s.token = random_text(32);
  s.csrf = random_text(32);
  const std::int64_t now = now_ms();
  s.expires_ms = now + kWebSessionMs;
  WriteTx tx(m_db);
  Statement old(m_db, "DELETE FROM web_session WHERE expires_ms < ?");
  old.bind(1, now);
  Statement ins(m_db, "INSERT INTO web_session(token_hash, user_id, csrf, created_ms, expires_ms)"
                      " VALUES (?, ?, ?, ?, ?)");
  ins.bind_blob(1, token_hash(s.token)).bind(2, user.id).bind(3, s.csrf).bind(4, now).bind(5, s.expires_ms);
  if (tx.begin_rc() != SQLITE_OK || old.run() != SQLITE_OK || ins.run() != SQLITE_OK ||
      !audit("web:" + user.name, "web.sign_in", user.name, "{}") || tx.commit() != SQLITE_OK) {
    *why = std::string("cannot start the session: ") + sqlite3_errmsg(m_db);
    return std::nullopt;
  }
  return s;
}

std::optional<Library::WebSession> Library::web_session_find(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  Statement st(m_db, "SELECT u.id, u.name, u.role, u.lang, s.csrf, s.expires_ms FROM web_session s"
                     " JOIN web_user u ON u.id = s.user_id WHERE s.token_hash = ? AND u.active = 1"
                     " AND s.expires_ms > ?");
  st.bind_blob(1, token_hash(token)).bind(2, now_ms());
  if (st.step() != SQLITE_ROW) return std::nullopt;
  WebSession s;
  s.user = user_of(st);
  s.csrf = st.text(4);
  s.expires_ms = st.int64(5);
  s.token = token;
  return s;
}

void Library::web_session_end(const std::string& token, const std::string& user_name) {
  WriteTx tx(m_db);
  Statement del(m_db, "DELETE FROM web_session WHERE token_hash = ?");
  del.bind_blob(1, token_hash(token));
  if (tx.begin_rc() == SQLITE_OK && del.run() == SQLITE_OK &&
      audit("web:" + user_name, "web.sign_out", user_name, "{}"))
    tx.commit();
}

std::map<std::string, std::int64_t> Library::web_counts() {
  std::map<std::string, std::int64_t> out;
  Statement st(m_db,
               "SELECT (SELECT count(*) FROM person WHERE merged_into IS NULL),"
               " (SELECT count(*) FROM organization WHERE merged_into IS NULL),"
               " (SELECT count(*) FROM merge_candidate WHERE state = 'open'),"
               " (SELECT count(*) FROM device WHERE state <> 'revoked'),"
               " (SELECT count(*) FROM device d WHERE d.state = 'active' AND coalesce((SELECT"
               "   max(received_at) FROM bundle b WHERE b.device_id = d.id), '') < ?),"
               " (SELECT count(*) FROM source_record WHERE entity = 'event')");
  st.bind(1, core::iso_time(now_ms() - 7LL * 24 * 3600 * 1000));
  if (st.step() != SQLITE_ROW) return out;
  const char* keys[] = {"persons", "organizations", "open_merges", "devices", "silent_devices", "events"};
  for (int i = 0; i < 6; ++i) out[keys[i]] = st.int64(i);
  return out;
}

}  // namespace kiosk::hq
