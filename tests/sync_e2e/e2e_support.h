// tests/sync_e2e/e2e_support.h — what the end-to-end sync tests share: temporary folders, the real
// `hq` executable as a child process (CLI runs and `hq serve` on 127.0.0.1), an in-process kiosk
// (Store + Registry + KioskSync), read access to the library file, and the two checks every test
// ends with:
//
//  E1. Exactly once: the library holds, for a device, exactly the change-log entries its kiosk
//      store(s) logged — same (incarnation, seq), same entity/id/op/payload, nothing else — and one
//      person_source row per participant the kiosk(s) registered.
//  E2. The mark never runs ahead: every seq at or below the kiosk's acked_seq is covered by
//      headquarters' high-water mark of the incarnation that owns it.
//
// Bounds: every child is killed at the end (RAII, also when a REQUIRE throws); every wait has a
// deadline; servers listen on 127.0.0.1 only, on a port found by binding port 0.
// Contract: not thread-safe except where noted; Kiosk and LibraryDb own one SQLite connection each.
#pragma once

#include "change_log.h"
#include "format.h"
#include "kiosk_sync.h"
#include "registry.h"
#include "store.h"
#include "sync_identity.h"

#include <sys/resource.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

struct sqlite3;

namespace e2e {

namespace fs = std::filesystem;
using kiosk::sync::Bytes;

// SIGPIPEs the test process received (main.cpp counts them instead of dying). The kiosk process
// keeps the default disposition, so one SIGPIPE during send_now would kill the kiosk.
int sigpipe_count();

// [FILES] --------------------------------------------------------------------------------------
// A new, empty folder under temp_directory_path()/roadshow-sync-e2e, removed with everything in it
// when the object goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& name);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }
  std::string operator/(const std::string& child) const { return (m_path / child).string(); }

 private:
  fs::path m_path;
};

Bytes read_bytes(const fs::path& p);                      // REQUIREs the file is readable
void write_bytes(const fs::path& p, const Bytes& bytes);  // REQUIREs the write succeeded
std::string sha256_hex(const Bytes& bytes);
std::vector<std::string> files_in(const fs::path& dir);   // names, sorted; empty if no folder

// [PROCESSES] ----------------------------------------------------------------------------------
// Applied to a child between fork and exec.
struct ChildLimits {
  std::optional<rlim_t> max_file_bytes;  // RLIMIT_FSIZE (SIGXFSZ ignored: writes fail with EFBIG)
};

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal or by the deadline
  int signal = 0;
  std::string out, err;
};
// Runs `hq ARGS...` to completion (killed after `deadline_s`) and returns its exit code and output.
RunResult run_hq(const std::vector<std::string>& args, const ChildLimits& limits = {},
                 int deadline_s = 60);

// `hq --library DIR serve --listen 127.0.0.1:PORT` as a child process. The constructor starts it
// and waits (at most 10 s) until GET /healthz answers; the destructor SIGKILLs it if it still
// runs. Output goes to a log file in `log_dir` (log()).
class HqServer {
 public:
  HqServer(std::string library_dir, std::string log_dir, ChildLimits limits = {});
  ~HqServer();
  HqServer(const HqServer&) = delete;
  HqServer& operator=(const HqServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT"
  int port() const { return m_port; }
  bool running();           // reaps the child if it exited (then exit_status() tells how)
  std::string exit_status() const;  // "exit 0", "signal 13 (SIGPIPE)", ...
  void kill9();             // SIGKILL and reap
  void stop();              // SIGTERM, wait up to 10 s (REQUIREs a clean exit 0)
  void start();             // (re)start on the same library, the same port if it is free
  std::string log() const;

 private:
  bool launch(int port);
  std::string m_library, m_log;
  ChildLimits m_limits;
  pid_t m_pid = -1;
  int m_port = 0;
  int m_status = 0;
};

int free_port();  // a port on 127.0.0.1 nobody listened on a moment ago

// [HEADQUARTERS] -------------------------------------------------------------------------------
// `hq init` in-process; then enroll devices with enroll() while no server runs.
void init_library(const std::string& dir);
kiosk::sync::Enrollment enroll_device(const std::string& library_dir, const std::string& name);

// A plain SQLite connection to DIR/library.sqlite3 (hq may be running: WAL readers never block).
class LibraryDb {
 public:
  explicit LibraryDb(const std::string& library_dir);
  ~LibraryDb();
  LibraryDb(const LibraryDb&) = delete;
  LibraryDb& operator=(const LibraryDb&) = delete;
  std::string text(const std::string& sql);
  std::int64_t integer(const std::string& sql);
  std::vector<std::vector<std::string>> rows(const std::string& sql);
  sqlite3* handle() const { return m_db; }
  // Entries held for a device: "incarnation:seq" -> "entity|entity_id|op|json(payload)".
  std::map<std::string, std::string> entries(const std::string& device_id);
  // hq's high-water mark of (device, incarnation), nullopt when hq never saw that incarnation.
  std::optional<std::int64_t> high_water(const std::string& device_id, const std::string& inc);
  std::set<std::string> person_ids(const std::string& device_id);
  std::string normalized_json(const std::string& text);  // SQLite's json(text)

 private:
  sqlite3* m_db = nullptr;
};

// The library file's identity after folding its WAL in: sha256 of library.sqlite3 once
// `PRAGMA wal_checkpoint(TRUNCATE)` left the WAL empty. REQUIREs that no hq has it open for
// writing (stop the server first). Equal fingerprints = byte-for-byte the same library.
std::string library_fingerprint(const std::string& library_dir);
// Row counts of the library's tables, for messages when a fingerprint differs.
std::string library_counts(const std::string& library_dir);

// Parses `hq ... --format csv` output (RFC 4180) into rows; row 0 is the header.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

// [KIOSK] --------------------------------------------------------------------------------------
// A kiosk store with one supervisor and one event, driven in-process.
class Kiosk {
 public:
  // Creates a new store at `path` (a staff account and an event are added).
  explicit Kiosk(std::string path);
  // Opens an existing store (e.g. a copy): `staff_id` and `event_id` as returned by the original.
  Kiosk(std::string path, std::string staff_id, std::string event_id);

  kiosk::core::Store& store() { return *m_store; }
  kiosk::sync::KioskSync sync() { return kiosk::sync::KioskSync(*m_store); }
  const std::string& path() const { return m_path; }
  const std::string& staff_id() const { return m_staff; }
  const std::string& event_id() const { return m_event; }

  void enroll(const kiosk::sync::Enrollment& e);
  // Registers n adults (participant + attendance each, two change-log entries; adults need no
  // guardian's consent); ids are appended to registered().
  // Seeding is not under test, so it runs with synchronous=OFF and restores FULL afterwards.
  void register_people(int n, const std::string& tag);
  const std::vector<std::string>& registered() const { return m_people; }
  // The participant ids in the store itself (what the kiosk holds, whoever registered them).
  std::set<std::string> participant_ids();

  std::int64_t last_seq();
  std::int64_t acked_seq();
  std::vector<kiosk::core::Incarnation> incarnations();
  // Every change-log entry, keyed as LibraryDb::entries() (payload normalized by `lib`).
  std::map<std::string, std::string> entries(LibraryDb& lib);
  std::vector<Bytes> pending_bundles();
  kiosk::core::SyncIdentity identity();
  std::string hq_device_id() { return identity().hq_device_id; }

  void close();   // closes the store (the file can then be copied as a backup)
  void reopen();

 private:
  std::string m_path, m_staff, m_event;
  std::unique_ptr<kiosk::core::Store> m_store;
  std::vector<std::string> m_people;
};

// [CHECKS] -------------------------------------------------------------------------------------
// E1 for one device whose entries came from `kiosks` (several when a store was copied): the
// library holds the union of their change logs exactly, and one person row per participant.
void require_exactly_once(LibraryDb& lib, const std::vector<Kiosk*>& kiosks);
// E2: the kiosk's mark is covered by hq's marks. Returns what hq covers for this kiosk (the
// largest n such that every seq <= n is under hq's mark of its incarnation).
std::int64_t require_mark_backed(LibraryDb& lib, Kiosk& kiosk);

// Bundle bytes, patched: flip one bit, set a u16 / 16 bytes, re-sign with the device's key.
Bytes flip_bit(Bytes b, std::size_t offset);
Bytes with_u16(Bytes b, std::size_t offset, std::uint16_t v);
Bytes with_bytes(Bytes b, std::size_t offset, const std::uint8_t* data, std::size_t n);
Bytes resigned(Bytes b, const kiosk::core::SyncIdentity& id);  // replaces the last 64 bytes

// POSTs bytes to hq's bundle endpoint; status 0 when the connection failed.
struct HttpAnswer {
  int status = 0;
  std::string body;
};
HttpAnswer post_bundle(const std::string& url, const Bytes& body);
HttpAnswer get(const std::string& url, const std::string& path);

// Polls `done` every 20 ms until it returns true or `seconds` passed; returns its last answer.
bool wait_until(const std::function<bool()>& done, int seconds);

// Joins a thread when the scope ends, also when a REQUIRE throws.
class JoinGuard {
 public:
  explicit JoinGuard(std::thread& t) : m_t(t) {}
  ~JoinGuard() {
    if (m_t.joinable()) m_t.join();
  }
  JoinGuard(const JoinGuard&) = delete;
  JoinGuard& operator=(const JoinGuard&) = delete;

 private:
  std::thread& m_t;
};

}  // namespace e2e
