// sync/kiosk_backup.cpp — the kiosk's backups and restores (issue 14 item 5; README "Backups").
//
// Rules:
//  B1. The copy is made with SQLite's online backup API from a connection to the live store,
//      never by copying its files (a file copy of a running kiosk gave 15 corrupt copies in 150).
//  B2. The copy passes integrity_check before anything leaves the data directory.
//  B3. An enrolled kiosk's backup is encrypted to headquarters and signed by the device
//      (format.h [BACKUP]): a lost stick shows nothing. An unenrolled kiosk writes a plain copy
//      only when asked explicitly, named kiosk-backup-UNENCRYPTED-*.sqlite3.
//  B4. Written durably (temp file, fsync, rename, fsync folder), then read back whole and
//      compared (SHA-256) with what was meant to be written; only then is it reported written.
//  B5. The plaintext snapshot lives only in the data directory (0600) and is removed after.
//  B6. <data_dir>/last-backup.txt records the time and file of the last verified backup.
//
//  R1. A restore goes into a data directory without a store (never over one), through the
//      backup API into a temporary file that is fsync'd and renamed into place.
//  R2. The restored store is opened like any store: its file identity no longer matches, so
//      it takes a new incarnation (kiosk/core/store.h invariant 7) and sync never drops what it
//      records after the restore.
#include "kiosk_backup.h"
#include "kiosk_sync.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>

namespace kiosk::sync {

namespace fs = std::filesystem;

namespace {

// B1: the whole database through the backup API into `path` (created 0600).
bool backup_into(sqlite3* source, const std::string& path, std::string* why) {
  std::error_code ec;
  fs::remove(path, ec);
  const mode_t old_umask = ::umask(0077);
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  ::umask(old_umask);
  if (rc == SQLITE_OK) {
    sqlite3_backup* b = sqlite3_backup_init(dest, "main", source, "main");
    if (!b) {
      rc = sqlite3_errcode(dest);
    } else {
      do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
      } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
      const int finish = sqlite3_backup_finish(b);
      if (rc == SQLITE_DONE) rc = finish;
    }
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) *why = path + ": the copy failed: " + (dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
  sqlite3_close(dest);
  return rc == SQLITE_OK;
}

// B2 and the restore's check: integrity_check and the number of people, read-only.
bool check_copy(const std::string& path, std::int64_t* people, std::string* why) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK;
  sqlite3_stmt* st = nullptr;
  if (ok && sqlite3_prepare_v2(db, "PRAGMA integrity_check(1)", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    const auto* v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    const std::string verdict = v ? v : "";
    if (verdict != "ok") {
      *why = path + ": not a sound kiosk store: " + verdict;
      ok = false;
    }
  } else {
    *why = path + ": not a kiosk store, or unreadable: " + (db ? sqlite3_errmsg(db) : "out of memory");
    ok = false;
  }
  sqlite3_finalize(st);
  st = nullptr;
  if (ok) {
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM participant", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      *people = sqlite3_column_int64(st, 0);
    } else {
      *why = path + ": not a kiosk store (no participant table)";
      ok = false;
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return ok;
}

std::string stamp(std::int64_t ms) {  // 20261204-153000
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

}  // namespace

SyncOutcome KioskSync::write_backup(const std::string& data_dir, const std::string& dest_dir,
                                    bool allow_unencrypted) {
  SyncOutcome o;
  auto fail = [&](SyncCode code, std::string why) {
    o.code = code;
    o.detail = std::move(why);
    return o;
  };
  std::string why;
  const auto loaded = core::SyncIdentityStore(m_store).load();
  if (!loaded.ok()) return fail(SyncCode::store_error, "store: " + loaded.detail);
  std::optional<Identity> id;
  if (loaded.value) {
    id = identity(&why);
    if (!id) return fail(SyncCode::store_error, why);
  } else if (!allow_unencrypted) {
    return fail(SyncCode::not_enrolled,
                "this kiosk is not enrolled with headquarters, so a backup could not be encrypted: "
                "load an enrollment file (kiosk --enroll FILE), or write an unencrypted copy with "
                "--backup-unencrypted DIR and keep the stick locked away");
  }
  std::error_code ec;
  if (!fs::is_directory(dest_dir, ec)) return fail(SyncCode::io, dest_dir + ": no such folder");

  // B1, B2, B5: the snapshot, in the data directory only.
  const std::string snapshot = (fs::path(data_dir) / "backup-snapshot.sqlite3").string();
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code e;
      fs::remove(path, e);
      fs::remove(path + "-journal", e);
    }
  } cleanup{snapshot};
  if (!backup_into(m_store.handle(), snapshot, &why)) return fail(SyncCode::store_error, why);
  std::int64_t people = 0;
  if (!check_copy(snapshot, &people, &why)) return fail(SyncCode::store_error, why);
  const auto plain = read_file(snapshot, kBackupMaxBytes, &why);
  if (!plain) return fail(SyncCode::store_error, why);

  // B3: sealed to headquarters, or plain when asked.
  const std::int64_t now = m_store.now_ms();
  Bytes out;
  std::string name;
  if (id) {
    BackupHeader h;
    h.device = id->device;
    if (const auto inc = parse_uuid(m_store.incarnation())) h.incarnation = *inc;
    h.created_ms = now;
    h.device_public_key = id->device_pk;
    out = seal_backup(h, std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()),
                      id->device_sk, id->hq_box_pk);
    name = "kiosk-backup-" + id->row.hq_device_id.substr(0, 8) + "-" + stamp(now) + ".rka";
  } else {
    out = *plain;
    name = "kiosk-backup-UNENCRYPTED-" + m_store.device_id().substr(0, 8) + "-" + stamp(now) + ".sqlite3";
  }
  // B4: durably, then read back and compared.
  const std::string path = (fs::path(dest_dir) / name).string();
  if (!write_file_durably(path, out.data(), out.size(), 0600, &why)) return fail(SyncCode::io, why);
  const auto back = read_file(path, kBackupMaxBytes + 4096, &why);
  if (!back || sha256(back->data(), back->size()) != sha256(out.data(), out.size())) {
    fs::remove(path, ec);
    return fail(SyncCode::io, path + ": the copy read back differs from what was written (a failing stick?)" +
                                  (back ? "" : ": " + why));
  }
  // B6
  const std::string record = m_store.now_iso() + " " + name + "\n";
  if (!write_file_durably((fs::path(data_dir) / "last-backup.txt").string(),
                          reinterpret_cast<const std::uint8_t*>(record.data()), record.size(), 0600, &why))
    return fail(SyncCode::io, why);
  o.files.push_back(path);
  o.entries = people;
  return o;
}

std::string last_backup_at(const std::string& data_dir) {
  std::string why;
  const auto text = read_file((fs::path(data_dir) / "last-backup.txt").string(), 4096, &why);
  if (!text) return {};
  const std::string s(text->begin(), text->end());
  const auto space = s.find(' ');
  return space == std::string::npos ? std::string() : s.substr(0, space);
}

bool backup_due(const std::string& data_dir, std::int64_t now_ms, double every_hours) {
  const std::string at = last_backup_at(data_dir);  // "2026-12-04T15:38:12.123Z"
  std::tm tm{};
  if (at.size() < 19 || !strptime(at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return true;
  const std::int64_t last_ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  if (last_ms > now_ms) return true;
  return static_cast<double>(now_ms - last_ms) >= every_hours * 3600.0 * 1000.0;
}

RestoreCheck check_restore(const std::string& file, const std::string& data_dir) {
  RestoreCheck c;
  std::string why;
  std::error_code ec;
  const std::string target = (fs::path(data_dir) / "kiosk.sqlite3").string();
  if (fs::exists(target, ec)) {
    c.problem = target + " already exists: restore into a new data folder (--data-dir), never over a store";
    return c;
  }
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) {
    c.problem = file + ": cannot open";
    return c;
  }
  std::uint8_t magic[16] = {};
  const std::size_t n = std::fread(magic, 1, sizeof magic, f);
  std::fclose(f);
  if (n >= 4 && looks_like_backup(Bytes(magic, magic + 4))) {
    c.problem = file + ": this backup is encrypted to headquarters; open it there with "
                       "`hq --library DIR backup open " + fs::path(file).filename().string() +
                "` (which writes the store), then restore that file";
    return c;
  }
  if (n == 0) {
    c.problem = file + ": the file is empty (0 bytes)";
    return c;
  }
  if (!check_copy(file, &c.people, &why)) {
    c.problem = why;
    return c;
  }
  c.ok = true;
  return c;
}

RestoreCheck restore_store(const std::string& file, const std::string& data_dir) {
  RestoreCheck c = check_restore(file, data_dir);
  if (!c.ok) return c;
  c.ok = false;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  ::chmod(data_dir.c_str(), 0700);
  const std::string target = (fs::path(data_dir) / "kiosk.sqlite3").string();
  const std::string tmp = target + ".restoring";
  sqlite3* source = nullptr;
  std::string why;
  if (sqlite3_open_v2(file.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    c.problem = file + ": cannot open: " + sqlite3_errmsg(source);
    sqlite3_close(source);
    return c;
  }
  const bool copied = backup_into(source, tmp, &why);  // R1
  sqlite3_close(source);
  if (!copied) {
    fs::remove(tmp, ec);
    c.problem = why;
    return c;
  }
  // fsync the copy, move it into place, fsync the folder.
  const auto bytes = read_file(tmp, kBackupMaxBytes, &why);
  fs::remove(tmp, ec);
  if (!bytes || !write_file_durably(target, bytes->data(), bytes->size(), 0600, &why)) {
    c.problem = why;
    return c;
  }
  c.ok = true;
  return c;
}

}  // namespace kiosk::sync
