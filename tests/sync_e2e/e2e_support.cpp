// tests/sync_e2e/e2e_support.cpp — see e2e_support.h (E1, E2 and the bounds).
//
// [SECTIONS]
//   FILES         temporary folders, whole-file reads and writes
//   PROCESSES     run_hq, HqServer, free_port
//   HEADQUARTERS  init/enroll in-process, LibraryDb, fingerprints, CSV
//   KIOSK         the in-process kiosk
//   CHECKS        E1, E2, bundle patching, HTTP helpers
#include "e2e_support.h"

#include "library.h"
#include "staff.h"
#include "sync_identity.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <sodium.h>
#include <sqlite3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

namespace e2e {

namespace {

using Clock = std::chrono::steady_clock;

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = sig == SIGPIPE   ? " (SIGPIPE)"
                       : sig == SIGKILL ? " (SIGKILL)"
                       : sig == SIGSEGV ? " (SIGSEGV)"
                       : sig == SIGABRT ? " (SIGABRT)"
                       : sig == SIGXFSZ ? " (SIGXFSZ)"
                       : sig == SIGBUS  ? " (SIGBUS)"
                                        : "";
    return "signal " + std::to_string(sig) + name;
  }
  return "status " + std::to_string(status);
}

// In the child between fork and exec: only async-signal-safe calls.
void child_setup(const ChildLimits& limits) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);  // as in production: nothing in hq changes it
  if (limits.max_file_bytes) {
    signal(SIGXFSZ, SIG_IGN);  // a real full disk sends no signal: writes just fail
    rlimit rl{*limits.max_file_bytes, *limits.max_file_bytes};
    setrlimit(RLIMIT_FSIZE, &rl);
  }
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> v;
  for (auto& a : args) v.push_back(a.data());
  v.push_back(nullptr);
  return v;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

// [FILES]
TempDir::TempDir(const std::string& name) {
  std::random_device rd;
  const fs::path root = fs::temp_directory_path() / "roadshow-sync-e2e";
  fs::create_directories(root);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path p = root / (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      m_path = p;
      return;
    }
  }
  FAIL("cannot create a temporary folder under " << root);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

Bytes read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  INFO("reading " << p);
  REQUIRE(in.good());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const fs::path& p, const Bytes& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  INFO("writing " << p);
  REQUIRE(out.good());
}

std::string sha256_hex(const Bytes& bytes) {
  const auto h = kiosk::sync::sha256(bytes.data(), bytes.size());
  return kiosk::sync::to_hex(h.data(), h.size());
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// [PROCESSES]
RunResult run_hq(const std::vector<std::string>& args_in, const ChildLimits& limits, int deadline_s) {
  std::vector<std::string> args{HQ_BIN};
  args.insert(args.end(), args_in.begin(), args_in.end());
  auto argv = argv_of(args);
  int out_pipe[2], err_pipe[2];
  REQUIRE(pipe2(out_pipe, O_CLOEXEC) == 0);  // dup2 onto 1 and 2 clears O_CLOEXEC in the child
  REQUIRE(pipe2(err_pipe, O_CLOEXEC) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[0]);
    close(err_pipe[1]);
    child_setup(limits);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  RunResult r;
  const auto deadline = Clock::now() + std::chrono::seconds(deadline_s);
  bool out_open = true, err_open = true, timed_out = false;
  char buf[8192];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0}, {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    if (poll(p, 2, static_cast<int>(std::min<long long>(left, 1000))) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(p[i].fd, buf, sizeof buf);
      if (n > 0) (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
      else (i == 0 ? out_open : err_open) = false;
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  close(out_pipe[0]);
  close(err_pipe[0]);
  if (WIFEXITED(status) && !timed_out) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (timed_out)
    r.err += "\n[test: hq did not finish within " + std::to_string(deadline_s) + " s and was killed]";
  return r;
}

int free_port() {
  const int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(s >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  close(s);
  return ntohs(a.sin_port);
}

HqServer::HqServer(std::string library_dir, std::string log_dir, ChildLimits limits)
    : m_library(std::move(library_dir)),
      m_log((fs::path(log_dir) / "hq-serve.log").string()),
      m_limits(limits) {
  start();
}

HqServer::~HqServer() {
  if (m_pid > 0) {
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
  }
}

std::string HqServer::url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

bool HqServer::running() {
  if (m_pid <= 0) return false;
  int status = 0;
  if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
    m_status = status;
    m_pid = -1;
    return false;
  }
  return true;
}

std::string HqServer::exit_status() const {
  return m_pid > 0 ? std::string("running") : describe_status(m_status);
}

void HqServer::kill9() {
  if (m_pid <= 0) return;
  kill(m_pid, SIGKILL);
  waitpid(m_pid, &m_status, 0);
  m_pid = -1;
}

void HqServer::stop() {
  REQUIRE(m_pid > 0);
  kill(m_pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (waitpid(m_pid, &m_status, WNOHANG) == m_pid) {
      m_pid = -1;
      INFO("hq serve log:\n" << log());
      REQUIRE(exit_status() == "exit 0");
      return;
    }
    sleep_ms(10);
  }
  kill9();
  FAIL("hq serve did not stop within 10 s of SIGTERM (killed)\n" << log());
}

bool HqServer::launch(int port) {
  std::vector<std::string> args{HQ_BIN, "--library", m_library, "serve", "--listen",
                                "127.0.0.1:" + std::to_string(port)};
  auto argv = argv_of(args);
  // Healthy = this child said it listens on the port (hq prints it after bind) and /healthz
  // answers, so another process that took the port cannot pass for it.
  const std::string listening = "listening on http://127.0.0.1:" + std::to_string(port) + "\n";
  auto count_listening = [&] {
    const std::string text = log();
    std::size_t n = 0;
    for (auto p = text.find(listening); p != std::string::npos; p = text.find(listening, p + 1)) ++n;
    return n;
  };
  const std::size_t listening_before = count_listening();
  const int log_fd = open(m_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  REQUIRE(log_fd >= 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    child_setup(m_limits);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  m_pid = pid;
  m_port = port;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (!running()) return false;
    if (count_listening() == listening_before) {
      sleep_ms(10);
      continue;
    }
    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(0, 200000);
    cli.set_read_timeout(2, 0);
    if (auto res = cli.Get("/healthz"); res && res->status == 200) return true;
    sleep_ms(10);
  }
  kill9();
  FAIL("hq serve did not answer /healthz within 10 s\n" << log());
  return false;
}

void HqServer::start() {
  REQUIRE(m_pid <= 0);
  int port = m_port ? m_port : free_port();
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (launch(port)) return;
    // Lost a race for the port (another process took it): take another one.
    if (log().find("cannot listen") == std::string::npos) break;
    port = free_port();
  }
  FAIL("hq serve did not start (" << exit_status() << ")\n" << log());
}

std::string HqServer::log() const { return read_text(m_log); }

// [HEADQUARTERS]
void init_library(const std::string& dir) {
  std::string why;
  INFO(why);
  REQUIRE(kiosk::hq::Library::init(dir, &why));
}

kiosk::sync::Enrollment enroll_device(const std::string& library_dir, const std::string& name) {
  std::string why;
  auto lib = kiosk::hq::Library::open(library_dir, &why);
  INFO(why);
  REQUIRE(lib);
  auto e = lib->enroll(name, "kh-2026", "", &why);
  INFO(why);
  REQUIRE(e);
  return *e;
}

LibraryDb::LibraryDb(const std::string& library_dir) {
  const std::string path = (fs::path(library_dir) / "library.sqlite3").string();
  INFO(path);
  REQUIRE(fs::exists(path));
  REQUIRE(sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(m_db, 10000);
}

LibraryDb::~LibraryDb() { sqlite3_close(m_db); }

std::vector<std::vector<std::string>> LibraryDb::rows(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  INFO(sql << ": " << sqlite3_errmsg(m_db));
  REQUIRE(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::vector<std::string>> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      const auto* t = sqlite3_column_text(st, c);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  REQUIRE(rc == SQLITE_DONE);
  return out;
}

std::string LibraryDb::text(const std::string& sql) {
  const auto r = rows(sql);
  INFO(sql);
  REQUIRE(r.size() == 1);
  return r[0].at(0);
}

std::int64_t LibraryDb::integer(const std::string& sql) { return std::stoll(text(sql)); }

std::map<std::string, std::string> LibraryDb::entries(const std::string& device_id) {
  std::map<std::string, std::string> out;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(m_db,
                             "SELECT incarnation_id, seq, entity, entity_id, op, json(payload)"
                             " FROM entry WHERE device_id = ?",
                             -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, device_id.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto col = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c))); };
    out[col(0) + ":" + col(1)] = col(2) + "|" + col(3) + "|" + col(4) + "|" + col(5);
  }
  sqlite3_finalize(st);
  return out;
}

std::optional<std::int64_t> LibraryDb::high_water(const std::string& device_id, const std::string& inc) {
  const auto r = rows("SELECT high_water FROM incarnation WHERE device_id = '" + device_id +
                      "' AND id = '" + inc + "'");
  if (r.empty()) return std::nullopt;
  return std::stoll(r[0][0]);
}

std::set<std::string> LibraryDb::person_ids(const std::string& device_id) {
  std::set<std::string> out;
  for (const auto& r : rows("SELECT id FROM person_source WHERE device_id = '" + device_id + "'"))
    out.insert(r[0]);
  return out;
}

std::string LibraryDb::normalized_json(const std::string& text) {
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(m_db, "SELECT json(?)", -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  INFO("not JSON: " << text);
  REQUIRE(!out.empty());
  return out;
}

std::string library_fingerprint(const std::string& library_dir) {
  const fs::path db = fs::path(library_dir) / "library.sqlite3";
  {
    LibraryDb lib(library_dir);
    const auto r = lib.rows("PRAGMA wal_checkpoint(TRUNCATE)");
    INFO("wal_checkpoint(TRUNCATE) could not fold the WAL in: is hq still running?");
    REQUIRE(r.size() == 1);
    REQUIRE(r[0][0] == "0");
  }
  const fs::path wal = db.string() + "-wal";
  std::error_code ec;
  INFO("the WAL still holds frames after the checkpoint");
  REQUIRE((!fs::exists(wal, ec) || fs::file_size(wal, ec) == 0));
  const Bytes bytes = read_bytes(db);
  return sha256_hex(bytes) + " (" + std::to_string(bytes.size()) + " bytes)";
}

std::string library_counts(const std::string& library_dir) {
  LibraryDb lib(library_dir);
  std::string out;
  for (const auto& t : lib.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
    out += t[0] + "=" + lib.text("SELECT count(*) FROM \"" + t[0] + "\"") + " ";
  return out;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, in_row = false;
  auto end_field = [&] {
    row.push_back(field);
    field.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '\r') continue;
    if (c == '\n') {
      if (in_row) end_field();
      rows.push_back(row);
      row.clear();
      in_row = false;
      continue;
    }
    in_row = true;
    if (c == '"') quoted = true;
    else if (c == ',') end_field();
    else field += c;
  }
  if (in_row) {
    end_field();
    rows.push_back(row);
  }
  return rows;
}

// [KIOSK]
Kiosk::Kiosk(std::string path) : m_path(std::move(path)) {
  std::string error;
  m_store = kiosk::core::Store::open(m_path, &error);
  INFO(error);
  REQUIRE(m_store);
  kiosk::core::StaffDirectory staff(*m_store);
  auto s = staff.add_staff("Sophea Supervisor", "2468", "supervisor", "");
  INFO(s.detail);
  REQUIRE(s.ok());
  m_staff = s.id;
  kiosk::core::EventInfo e;
  e.name = "Science on Wheels — Phnom Penh";
  e.venue = "Institute of Technology";
  e.city = "Phnom Penh";
  e.country = "KH";
  e.start_date = "2026-11-28";
  e.end_date = "2026-12-02";
  e.activity_types = {"exhibition_visit", "science_camp"};
  auto ev = kiosk::core::Registry(*m_store).create_event(e, m_staff);
  INFO(ev.detail);
  REQUIRE(ev.ok());
  m_event = ev.id;
}

Kiosk::Kiosk(std::string path, std::string staff_id, std::string event_id)
    : m_path(std::move(path)), m_staff(std::move(staff_id)), m_event(std::move(event_id)) {
  reopen();
}

void Kiosk::enroll(const kiosk::sync::Enrollment& e) {
  const auto o = sync().enroll(e);
  INFO(o.detail);
  REQUIRE(o.ok());
}

void Kiosk::register_people(int n, const std::string& tag) {
  static const char* kNative[] = {"ដារា", "အောင်", "فاطمة", "Dara", "Thandiwe"};
  static const char* kFamily[] = {"សុខ", "မြင့်", "حسن", "Sok", "Nkosi"};
  REQUIRE(sqlite3_exec(m_store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr) == SQLITE_OK);
  kiosk::core::Registry reg(*m_store);
  for (int i = 0; i < n; ++i) {
    kiosk::core::Registration r;
    r.person.given_name = kNative[i % 5];
    r.person.family_name = kFamily[i % 5];
    r.person.given_name_latin = "P" + tag + "-" + std::to_string(i);
    r.person.family_name_latin = "Family " + tag;
    r.person.birth_year = 1980 + i % 20;  // adults: no guardian's consent needed
    r.person.gender = i % 2 ? "male" : "female";
    r.person.guardian_name = "Guardian " + tag;
    r.person.guardian_phone = "+855 12 345 678";
    r.event_id = m_event;
    r.activity = "exhibition_visit";
    const auto s = reg.register_participant(r, m_staff);
    if (!s.ok()) FAIL("registration " << i << " of " << tag << ": " << s.detail);
    m_people.push_back(s.id);
  }
  REQUIRE(sqlite3_exec(m_store->handle(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) == SQLITE_OK);
}

std::set<std::string> Kiosk::participant_ids() {
  std::set<std::string> out;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(m_store->handle(), "SELECT id FROM participant", -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return out;
}

std::int64_t Kiosk::last_seq() {
  const auto r = kiosk::core::ChangeLog(*m_store).last_seq();
  INFO(r.detail);
  REQUIRE(r.ok());
  return r.value;
}

std::int64_t Kiosk::acked_seq() {
  const auto r = kiosk::core::ChangeLog(*m_store).acked_seq();
  INFO(r.detail);
  REQUIRE(r.ok());
  return r.value;
}

std::vector<kiosk::core::Incarnation> Kiosk::incarnations() {
  const auto r = kiosk::core::ChangeLog(*m_store).incarnations();
  INFO(r.detail);
  REQUIRE(r.ok());
  return r.value;
}

std::map<std::string, std::string> Kiosk::entries(LibraryDb& lib) {
  std::map<std::string, std::string> out;
  const std::int64_t last = last_seq();
  if (last == 0) return out;
  const auto r = kiosk::core::ChangeLog(*m_store).range(1, last);
  INFO(r.detail);
  REQUIRE(r.ok());
  for (const auto& e : r.value)
    out[e.incarnation + ":" + std::to_string(e.seq)] =
        e.entity + "|" + e.entity_id + "|" + e.op + "|" + lib.normalized_json(e.payload);
  return out;
}

std::vector<Bytes> Kiosk::pending_bundles() {
  const auto r = sync().pending_bundles();
  INFO(r.detail);
  REQUIRE(r.ok());
  return r.value;
}

kiosk::core::SyncIdentity Kiosk::identity() {
  const auto r = kiosk::core::SyncIdentityStore(*m_store).load();
  INFO(r.detail);
  REQUIRE(r.ok());
  REQUIRE(r.value.has_value());
  return *r.value;
}

void Kiosk::close() { m_store.reset(); }

void Kiosk::reopen() {
  std::string error;
  m_store = kiosk::core::Store::open(m_path, &error);
  INFO(error);
  REQUIRE(m_store);
}

// [CHECKS]
void require_exactly_once(LibraryDb& lib, const std::vector<Kiosk*>& kiosks) {
  REQUIRE(!kiosks.empty());
  const std::string device = kiosks[0]->hq_device_id();
  std::map<std::string, std::string> sent;
  std::set<std::string> people;
  for (Kiosk* k : kiosks) {
    REQUIRE(k->hq_device_id() == device);
    for (auto& [key, value] : k->entries(lib)) {
      auto [it, inserted] = sent.emplace(key, value);
      if (!inserted && it->second != value)
        FAIL("two copies of a store logged different content under " << key);
    }
    const auto ids = k->participant_ids();
    people.insert(ids.begin(), ids.end());
    for (const auto& id : k->registered())
      if (!ids.count(id)) FAIL("participant " << id << " was registered but is not in the store");
  }
  const auto held = lib.entries(device);
  std::size_t missing = 0, extra = 0, differ = 0;
  std::string first_missing, first_extra, first_differ;
  for (const auto& [key, value] : sent) {
    const auto it = held.find(key);
    if (it == held.end()) {
      if (!missing++) first_missing = key;
    } else if (it->second != value) {
      if (!differ++) first_differ = key + "\n  kiosk: " + value + "\n  hq:    " + it->second;
    }
  }
  for (const auto& [key, value] : held)
    if (!sent.count(key) && !extra++) first_extra = key;
  INFO("device " << device << ": the kiosk logged " << sent.size() << " entries, hq holds "
                 << held.size() << "; missing " << missing << " (first " << first_missing
                 << "), extra " << extra << " (first " << first_extra << "), different "
                 << differ << " (first " << first_differ << ")");
  CHECK(missing == 0);
  CHECK(extra == 0);
  CHECK(differ == 0);
  REQUIRE(lib.integer("SELECT count(*) FROM entry WHERE device_id = '" + device + "'") ==
          static_cast<std::int64_t>(sent.size()));
  const auto persons = lib.person_ids(device);
  INFO("participants on the kiosk(s): " << people.size() << ", person_source rows at hq: "
                                        << persons.size());
  CHECK(persons == people);
  CHECK(lib.integer("SELECT count(*) FROM source_record WHERE entity = 'participant' AND device_id = '" +
                    device + "'") == static_cast<std::int64_t>(people.size()));
}

std::int64_t require_mark_backed(LibraryDb& lib, Kiosk& kiosk) {
  const std::string device = kiosk.hq_device_id();
  const auto incs = kiosk.incarnations();
  const std::int64_t last = kiosk.last_seq(), acked = kiosk.acked_seq();
  std::int64_t covered = 0;
  for (std::size_t k = 0; k < incs.size(); ++k) {
    const std::int64_t base = incs[k].base_seq;
    const std::int64_t end = k + 1 < incs.size() ? incs[k + 1].base_seq - 1 : last;
    if (end < base) continue;
    const std::int64_t hw = lib.high_water(device, incs[k].id).value_or(base - 1);
    covered = std::min(hw, end);
    if (covered < end) break;
  }
  INFO("the kiosk's mark " << acked << " runs ahead of what hq holds for it (" << covered
                           << "; last_seq " << last << ")");
  REQUIRE(acked <= covered);
  return covered;
}

Bytes flip_bit(Bytes b, std::size_t offset) {
  REQUIRE(offset < b.size());
  b[offset] ^= 0x01;
  return b;
}

Bytes with_u16(Bytes b, std::size_t offset, std::uint16_t v) {
  REQUIRE(offset + 2 <= b.size());
  b[offset] = static_cast<std::uint8_t>(v & 0xff);
  b[offset + 1] = static_cast<std::uint8_t>(v >> 8);
  return b;
}

Bytes with_bytes(Bytes b, std::size_t offset, const std::uint8_t* data, std::size_t n) {
  REQUIRE(offset + n <= b.size());
  std::memcpy(b.data() + offset, data, n);
  return b;
}

Bytes resigned(Bytes b, const kiosk::core::SyncIdentity& id) {
  REQUIRE(b.size() > crypto_sign_BYTES);
  REQUIRE(id.device_sign_sk.size() == crypto_sign_SECRETKEYBYTES);
  const std::size_t n = b.size() - crypto_sign_BYTES;
  crypto_sign_detached(b.data() + n, nullptr, b.data(), n, id.device_sign_sk.data());
  return b;
}

HttpAnswer post_bundle(const std::string& url, const Bytes& body) {
  httplib::Client cli(url);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(30, 0);
  cli.set_write_timeout(30, 0);
  HttpAnswer a;
  if (auto res = cli.Post("/api/v1/bundles", reinterpret_cast<const char*>(body.data()), body.size(),
                          "application/octet-stream")) {
    a.status = res->status;
    a.body = res->body;
  }
  return a;
}

HttpAnswer get(const std::string& url, const std::string& path) {
  httplib::Client cli(url);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(30, 0);
  HttpAnswer a;
  if (auto res = cli.Get(path.c_str())) {
    a.status = res->status;
    a.body = res->body;
  }
  return a;
}

bool wait_until(const std::function<bool()>& done, int seconds) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < deadline) {
    if (done()) return true;
    sleep_ms(20);
  }
  return done();
}

}  // namespace e2e
