// sync_bench — issue 9 item 7: 10,000 registrations from a kiosk's change log into headquarters'
// library over loopback HTTP, end to end, against plain SQLite INSERTs of the same rows.
//
//   sync_bench [--dir DIR] [--people 10000] [--orgs 300] [--runs 3] [--hq PATH]
//              [--timeout 3600] [--no-diagnosis] [--keep]
//
// What is measured (BENCHMARKS.md "Sync: 10,000 registrations to headquarters"):
//  1. Setup, untimed: a kiosk store filled through Registry::register_participant (a supervisor,
//     an event, `orgs` organizations, `people` people with multilingual names, consent with a
//     finger signature, attendance; synchronous=OFF for the fill only), then closed.
//  2. Each round, interleaved so all three see the same disk and machine load:
//     a. baseline: the store's change-log rows read with one SELECT and copied with plain
//        INSERTs into a table of the same shape in a fresh database (WAL, synchronous=FULL, one
//        transaction), from opening it to COMMIT returning;
//     b. end to end, staged: a copy of the store enrolled with a fresh library (Library::init,
//        Library::enroll, KioskSync::enroll), the real `hq serve` forked on 127.0.0.1 (a free
//        port); timed from "start building bundles" (KioskSync::pending_range, then per bundle
//        KioskSync::bundle_from, one HTTP POST — verify, decrypt, ingest at hq — and
//        KioskSync::apply_receipt) to the kiosk's acknowledged mark = last_seq: the steps of
//        KioskSync::send_now, timed one by one for the stage split. The POSTs wait up to
//        --timeout seconds each (send_now gives up after 30 s), so a slow ingest is measured
//        rather than cut off; bundles over 30 s are flagged;
//     c. end to end through KioskSync::send_now itself (same preparation), as a cross-check;
//        its failure (e.g. its 30 s read timeout) is reported, not fatal.
//     After a complete run, hq gets SIGTERM, must exit 0, and the library is checked to hold
//     every entry once and every person.
//  3. A diagnostic pass, untimed in 2: each bundle's kiosk work (ChangeLog::range,
//     entries_json, seal_bundle) and hq work (header, signature, decryption, Library::ingest
//     in process, no HTTP) timed separately, to show where the end-to-end time goes
//     (--no-diagnosis skips it: it repeats every ingest).
// The figure is the median over `runs` rounds. Budget (issue 9): under 5 s end to end.
//
// [SECTIONS]  NAMES (multilingual people)  FILL (the kiosk store)  BASELINE (plain INSERTs)
//             HQ (the forked `hq serve`)  ROUND (prepare, run, check)  DIAGNOSIS  MAIN
#include "change_log.h"
#include "format.h"
#include "kiosk_sync.h"
#include "library.h"
#include "registry.h"
#include "signature.h"
#include "staff.h"
#include "store.h"

#include <httplib.h>
#include <sqlite3.h>
#include <zlib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#ifndef SYNC_BENCH_HQ_PATH
#define SYNC_BENCH_HQ_PATH "hq"
#endif

namespace {

namespace fs = std::filesystem;
using namespace kiosk;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (const double x : v) s += x;
  return s;
}

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "sync_bench: %s\n", why.c_str());
  std::exit(1);
}

// [NAMES] Visitors of a tour through Cambodia, Myanmar, the Middle East, China and Southern
// Africa: the name in its own script (none for Latin-script languages) and its Latin spelling.
// Given and family names are drawn independently, half the people with a second given name, so
// 10,000 people share names about as often as a real school population does (common names
// repeat; a full name is mostly held by one to a few people) — what headquarters' matching of
// people across kiosks (library_people.cpp) sees in practice.
struct Part {
  const char* native;
  const char* latin;
};
struct Language {
  int percent;
  std::vector<Part> given, family;
  const char* joiner;  // between two given names in the native script ("" in Chinese)
};
const std::vector<Language>& languages() {
  static const std::vector<Language> kLanguages = {
      {40,
       {{"ដារ៉ា", "Dara"}, {"សុខា", "Sokha"}, {"បុប្ផា", "Bopha"}, {"ស្រីមុំ", "Sreymom"},
        {"ពិសិដ្ឋ", "Piseth"}, {"វណ្ណា", "Vanna"}, {"ចន្ធូ", "Chanthou"}, {"សុភា", "Sophea"},
        {"រតនា", "Ratana"}, {"វិចិត្រ", "Vichet"}, {"សុវណ្ណ", "Sovann"}, {"ធីតា", "Thida"},
        {"ពិសី", "Pisey"}, {"សុផល", "Sophal"}, {"មករា", "Makara"}, {"ចាន់ថា", "Chantha"},
        {"សុជាតា", "Socheata"}, {"វិបុល", "Vibol"}, {"រស្មី", "Reaksmey"}, {"បញ្ញា", "Panha"}},
       {{"សុខ", "Sok"}, {"ចាន់", "Chan"}, {"កែវ", "Keo"}, {"លឹម", "Lim"}, {"ហេង", "Heng"},
        {"ទូច", "Touch"}, {"ស៊ុន", "Sun"}, {"ម៉ៅ", "Mao"}, {"ឈឹម", "Chhim"}, {"ប៊ុន", "Bun"},
        {"ស៊ាង", "Seang"}, {"ញឹក", "Nhek"}, {"ខៀវ", "Khieu"}, {"យិន", "Yin"}, {"ពៅ", "Pov"},
        {"អ៊ុង", "Ung"}, {"គឹម", "Kim"}, {"ងួន", "Nguon"}, {"សេង", "Seng"}, {"ម៉ម", "Mom"}},
       " "},
      {15,
       {{"အောင်", "Aung"}, {"သီရိ", "Thiri"}, {"မင်း", "Min"}, {"နန္ဒာ", "Nandar"},
        {"ကျော်", "Kyaw"}, {"ဇော်", "Zaw"}, {"သန္တာ", "Thandar"}, {"ဖြိုး", "Phyo"}, {"ဆု", "Su"},
        {"မြတ်", "Myat"}, {"နွယ်", "Nwe"}, {"ထက်", "Htet"}, {"ဝေ", "Wai"}, {"ခိုင်", "Khine"},
        {"ယဉ်", "Yin"}, {"လှိုင်", "Hlaing"}},
       {{"ထွန်း", "Htun"}, {"ဝင်း", "Win"}, {"စိုး", "Soe"}, {"မောင်", "Maung"}, {"ဦး", "Oo"},
        {"လွင်", "Lwin"}, {"နိုင်", "Naing"}, {"သူ", "Thu"}, {"ကို", "Ko"}, {"မိုး", "Moe"},
        {"ညို", "Nyo"}, {"ဇင်", "Zin"}},
       " "},
      {15,
       {{"أمينة", "Amina"}, {"عمر", "Omar"}, {"مريم", "Mariam"}, {"يوسف", "Youssef"},
        {"فاطمة", "Fatima"}, {"أحمد", "Ahmed"}, {"ليلى", "Layla"}, {"خالد", "Khaled"},
        {"نور", "Nour"}, {"سارة", "Sara"}, {"علي", "Ali"}, {"هدى", "Huda"}, {"كريم", "Karim"},
        {"زينب", "Zainab"}},
       {{"حسن", "Hassan"}, {"سعيد", "Said"}, {"محمود", "Mahmoud"}, {"إبراهيم", "Ibrahim"},
        {"منصور", "Mansour"}, {"الخطيب", "Al-Khatib"}, {"النجار", "Al-Najjar"}, {"عباس", "Abbas"},
        {"صالح", "Saleh"}, {"مصطفى", "Mustafa"}, {"الحسيني", "Al-Husseini"}, {"داود", "Daoud"}},
       " "},
      {10,
       {{"伟", "Wei"}, {"娜", "Na"}, {"芳", "Fang"}, {"敏", "Min"}, {"静", "Jing"}, {"磊", "Lei"},
        {"洋", "Yang"}, {"婷", "Ting"}, {"杰", "Jie"}, {"欣怡", "Xinyi"}, {"子涵", "Zihan"},
        {"浩然", "Haoran"}},
       {{"张", "Zhang"}, {"李", "Li"}, {"王", "Wang"}, {"刘", "Liu"}, {"陈", "Chen"},
        {"杨", "Yang"}, {"黄", "Huang"}, {"赵", "Zhao"}, {"周", "Zhou"}, {"吴", "Wu"}},
       ""},
      {20,
       {{"", "Thandiwe"}, {"", "Sipho"}, {"", "Lerato"}, {"", "Lindiwe"}, {"", "Pieter"},
        {"", "Anele"}, {"", "Kagiso"}, {"", "Nomvula"}, {"", "Thabo"}, {"", "Zanele"},
        {"", "Bongani"}, {"", "Naledi"}, {"", "Mpho"}, {"", "Ayanda"}, {"", "Johan"},
        {"", "Annelie"}, {"", "Siyabonga"}, {"", "Palesa"}, {"", "Tshepo"}, {"", "Nandi"}},
       {{"", "Ngcobo"}, {"", "Dlamini"}, {"", "Mokoena"}, {"", "Nkosi"}, {"", "van Wyk"},
        {"", "Mthembu"}, {"", "Phiri"}, {"", "Zulu"}, {"", "Khumalo"}, {"", "Botha"},
        {"", "Molefe"}, {"", "Ndlovu"}, {"", "Mahlangu"}, {"", "Sithole"}, {"", "Pretorius"},
        {"", "Nel"}, {"", "Mabaso"}, {"", "Cele"}},
       " "},
  };
  return kLanguages;
}

void name_person(std::mt19937& rng, core::ParticipantFields* p) {
  int roll = std::uniform_int_distribution<int>(0, 99)(rng);
  const Language* lang = &languages().back();
  for (const auto& l : languages()) {
    if (roll < l.percent) {
      lang = &l;
      break;
    }
    roll -= l.percent;
  }
  auto pick = [&](const std::vector<Part>& parts) {
    return parts[std::uniform_int_distribution<std::size_t>(0, parts.size() - 1)(rng)];
  };
  const Part given = pick(lang->given), family = pick(lang->family);
  std::string native = given.native, latin = given.latin;
  if (std::uniform_int_distribution<int>(0, 1)(rng)) {
    const Part second = pick(lang->given);
    if (second.latin != given.latin) {
      native += std::string(lang->joiner) + second.native;
      latin += std::string(" ") + second.latin;
    }
  }
  if (*given.native) {
    p->given_name = native;
    p->family_name = family.native;
  }
  p->given_name_latin = latin;
  p->family_name_latin = family.latin;
}

// A finger signature as the pad records it: a few strokes of a few dozen points each, small
// steps, encoded by encode_signature (typically 200-400 bytes).
std::vector<std::uint8_t> signature(std::mt19937& rng) {
  std::uniform_int_distribution<int> step(-90, 90), points(25, 70), strokes(2, 4);
  std::vector<core::Stroke> s(static_cast<std::size_t>(strokes(rng)));
  std::int32_t x = 4000, y = 16000;
  for (auto& stroke : s) {
    const int n = points(rng);
    for (int i = 0; i < n; ++i) {
      x = std::clamp(x + 60 + step(rng), 0, 32767);
      y = std::clamp(y + step(rng) * 3, 0, 32767);
      stroke.push_back({x, y});
    }
    x += 800;
  }
  return core::encode_signature(s);
}

// The consent text shown to the guardian (only its SHA-256 is stored: consent.h K2).
std::string consent_text(const std::string& language) {
  return language == "km"
             ? "ខ្ញុំយល់ព្រមឱ្យកូនរបស់ខ្ញុំចូលរួមក្នុងកម្មវិធីវិទ្យាសាស្ត្រ ហើយឱ្យរក្សាទុកឈ្មោះ និងសាលារបស់គាត់។"
             : "I agree that my child takes part in the science roadshow and that their name and"
               " school are kept by the programme.";
}

// [FILL] The kiosk store every round starts from (a copy of it: the original stays unenrolled).
struct Filled {
  std::int64_t last_seq = 0;
  std::int64_t change_log_payload_bytes = 0;  // sum of the logged record JSON
  double seconds = 0;
};

Filled fill_store(const std::string& path, int people, int orgs) {
  std::string error;
  auto store = core::Store::open(path, &error);
  if (!store) die(error);
  core::StaffDirectory staff(*store);
  const auto s = staff.add_staff("Bench Supervisor", "2468", "supervisor", "");
  core::Registry reg(*store);
  core::EventInfo ev;
  ev.name = "Science roadshow, Siem Reap";
  ev.city = "Siem Reap";
  ev.country = "KH";
  ev.start_date = "2026-11-28";
  ev.end_date = "2026-12-02";
  ev.activity_types = {"exhibition_visit", "science_camp"};
  const auto event = reg.create_event(ev, s.id);
  if (!s.ok() || !event.ok()) die("setup failed: " + s.detail + event.detail);
  const auto t0 = Clock::now();
  sqlite3_exec(store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);  // fill only
  std::mt19937 rng(20261201);
  std::vector<std::string> org_ids;
  for (int i = 0; i < orgs; ++i) {
    core::ParticipantFields founder;
    name_person(rng, &founder);
    core::Organization o;
    o.name_latin = founder.family_name_latin + " Science School " + std::to_string(i + 1);
    o.name = founder.family_name.empty() ? o.name_latin
                                         : founder.family_name + " " + std::to_string(i + 1);
    o.city = "City " + std::to_string(i % 17);
    const auto r = reg.add_local_organization(o, s.id);
    if (!r.ok()) die("organization: " + r.detail);
    org_ids.push_back(r.id);
  }
  for (int i = 0; i < people; ++i) {
    core::Registration r;
    name_person(rng, &r.person);
    r.person.birth_year = 2008 + i % 12;
    if (i % 2)  // half know the date, the others the year only
      r.person.birth_date = std::to_string(r.person.birth_year) + "-0" + std::to_string(1 + i % 9) +
                            "-1" + std::to_string(i % 10);
    r.person.gender = i % 2 ? "female" : "male";
    r.person.organization_id = org_ids[static_cast<std::size_t>(i) % org_ids.size()];
    r.person.grade = std::to_string(7 + i % 6);
    r.person.guardian_name = "Guardian of " + r.person.given_name_latin;
    r.person.guardian_phone = "+855 12 " + std::to_string(100000 + i);
    r.person.interests = {"astronomy", "physics"};
    r.event_id = event.id;
    r.activity = "exhibition_visit";
    const std::string language = i % 4 ? "km" : "en";  // consent.h K2-K3: shown as requested
    r.consent = core::ConsentInput{"2026-1", language, r.person.guardian_name, signature(rng),
                                   language, consent_text(language)};
    const auto saved = reg.register_participant(r, s.id);
    if (!saved.ok()) die("registration " + std::to_string(i) + ": " + saved.detail);
  }
  sqlite3_exec(store->handle(), "PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE);",
               nullptr, nullptr, nullptr);
  Filled f;
  f.seconds = seconds_since(t0);
  const auto last = core::ChangeLog(*store).last_seq();
  if (!last.ok()) die("last_seq: " + last.detail);
  f.last_seq = last.value;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(store->handle(), "SELECT sum(length(CAST(payload AS BLOB))) FROM change_log",
                     -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) f.change_log_payload_bytes = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return f;
}

void remove_db(const fs::path& p) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix, ec);
}

// [BASELINE] The same rows, copied with plain INSERTs into a fresh database.
double baseline_copy(const std::string& kiosk_path, const fs::path& out, std::int64_t expect) {
  remove_db(out);
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  const auto t0 = Clock::now();
  if (sqlite3_open_v2(kiosk_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open(out.c_str(), &dst) != SQLITE_OK)
    die("baseline: cannot open the databases");
  const char* schema =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "CREATE TABLE change_log (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL,"
      " seq INTEGER NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, op TEXT NOT NULL,"
      " format INTEGER NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL, UNIQUE (device_id, seq));"
      "BEGIN IMMEDIATE;";
  if (sqlite3_exec(dst, schema, nullptr, nullptr, nullptr) != SQLITE_OK)
    die(std::string("baseline: ") + sqlite3_errmsg(dst));
  sqlite3_stmt* sel = nullptr;
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(src,
                     "SELECT device_id, seq, entity, entity_id, op, format, payload, at"
                     " FROM change_log ORDER BY seq",
                     -1, &sel, nullptr);
  sqlite3_prepare_v2(dst,
                     "INSERT INTO change_log(device_id, seq, entity, entity_id, op, format,"
                     " payload, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     -1, &ins, nullptr);
  std::int64_t rows = 0;
  while (sqlite3_step(sel) == SQLITE_ROW) {
    for (int c = 0; c < 8; ++c) sqlite3_bind_value(ins, c + 1, sqlite3_column_value(sel, c));
    if (sqlite3_step(ins) != SQLITE_DONE)
      die(std::string("baseline insert: ") + sqlite3_errmsg(dst));
    sqlite3_reset(ins);
    ++rows;
  }
  if (sqlite3_exec(dst, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    die(std::string("baseline commit: ") + sqlite3_errmsg(dst));
  const double s = seconds_since(t0);
  sqlite3_finalize(sel);
  sqlite3_finalize(ins);
  sqlite3_close(src);
  sqlite3_close(dst);
  if (rows != expect) die("baseline copied " + std::to_string(rows) + " rows");
  return s;
}

// [HQ] The real `hq serve`, forked on a free loopback port; SIGTERM stops it (server.h).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    die("no free loopback port");
  ::close(fd);
  return ntohs(a.sin_port);
}

class HqServer {
 public:
  HqServer(const std::string& hq, const std::string& library, const std::string& log) {
    for (int attempt = 0; attempt < 5 && m_pid <= 0; ++attempt) start(hq, library, log);
    if (m_pid <= 0) die("hq serve did not start (see " + log + ")");
  }
  ~HqServer() { stop(); }
  HqServer(const HqServer&) = delete;
  HqServer& operator=(const HqServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  pid_t pid() const { return m_pid; }

  // SIGTERM, then wait up to 10 s (SIGKILL after that). The exit status: 0 is a clean stop.
  int stop() {
    if (m_pid <= 0) return m_status;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    const auto t0 = Clock::now();
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
      if (seconds_since(t0) > 10) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_pid = 0;
    m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return m_status;
  }

 private:
  void start(const std::string& hq, const std::string& library, const std::string& log) {
    m_port = free_port();
    const std::string listen = "127.0.0.1:" + std::to_string(m_port);
    const pid_t pid = ::fork();
    if (pid < 0) die("fork failed");
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the benchmark
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execl(hq.c_str(), hq.c_str(), "--library", library.c_str(), "serve", "--listen",
              listen.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Ready when /healthz answers; gone if it exited (port taken meanwhile: try another).
    httplib::Client cli(url());
    cli.set_connection_timeout(0, 200000);
    const auto t0 = Clock::now();
    while (seconds_since(t0) < 10) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return;
      if (auto res = cli.Get("/healthz"); res && res->status == 200) {
        m_pid = pid;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  pid_t m_pid = 0;
  int m_port = 0;
  int m_status = -1;
};

// [ROUND] One enrolled copy of the kiosk store and a fresh library with its hq serving it.
struct Prepared {
  fs::path dir;
  std::unique_ptr<core::Store> store;
  std::unique_ptr<HqServer> hq;
  std::int64_t last_seq = 0;
};

fs::path make_library(const fs::path& dir, sync::Enrollment* e) {
  const fs::path lib = dir / "library";
  std::string why;
  if (!hq::Library::init(lib.string(), &why)) die("hq init: " + why);
  auto library = hq::Library::open(lib.string(), &why);
  if (!library) die("hq open: " + why);
  const auto enrolled = library->enroll("kiosk-siem-reap-1", "Cambodia 2026", "", &why);
  if (!enrolled) die("hq enroll: " + why);
  *e = *enrolled;
  return lib;
}

Prepared prepare(const fs::path& dir, const std::string& base_store, const std::string& hq_path) {
  Prepared p;
  p.dir = dir;
  fs::remove_all(dir);
  fs::create_directories(dir);
  sync::Enrollment e;
  const fs::path lib = make_library(dir, &e);  // closed again: hq serve opens it
  const fs::path kiosk = dir / "kiosk.sqlite3";
  fs::copy_file(base_store, kiosk);
  std::string why;
  p.store = core::Store::open(kiosk.string(), &why);  // a copy: a new (empty) incarnation
  if (!p.store) die(why);
  const auto enrolled = sync::KioskSync(*p.store).enroll(e);
  if (!enrolled.ok()) die("kiosk enroll: " + enrolled.detail);
  const auto last = core::ChangeLog(*p.store).last_seq();
  if (!last.ok()) die(last.detail);
  p.last_seq = last.value;
  p.hq = std::make_unique<HqServer>(hq_path, lib.string(), (dir / "hq.log").string());
  return p;
}

// After hq stopped: the library holds every entry once and every person; the kiosk's mark is
// last_seq.
void check(Prepared& p, int people) {
  const int status = p.hq->stop();
  if (status != 0) die("hq serve exited with " + std::to_string(status) + " on SIGTERM");
  std::string why;
  auto library = hq::Library::open((p.dir / "library").string(), &why);
  if (!library) die(why);
  const auto entries = library->count("entry");
  const auto persons = library->count("person_source");
  if (entries != p.last_seq || persons != people)
    die("the library holds " + std::to_string(entries) + " entries and " +
        std::to_string(persons) + " people, expected " + std::to_string(p.last_seq) + " and " +
        std::to_string(people));
  const auto acked = core::ChangeLog(*p.store).acked_seq();
  if (!acked.ok() || acked.value != p.last_seq) die("the kiosk's mark is not last_seq");
}

inline constexpr int kSendNowTimeoutS = 30;  // KioskSync::send_now's default read timeout

struct Staged {
  bool finished = false;
  std::string failure;  // why the run stopped before the mark reached last_seq
  double total = 0, build = 0, http = 0, receipts = 0;
  std::vector<double> http_each, receipt_each;
  std::int64_t wire_up = 0, wire_down = 0;  // bundle bytes kiosk → hq, receipt bytes hq → kiosk
  std::size_t bundles = 0;
  std::vector<std::int64_t> bundle_bytes, bundle_entries;
};

// The steps of KioskSync::send_now (kiosk_sync.cpp [SEND]: one bundle built, posted and its
// receipt applied at a time), each timed.
Staged run_staged(Prepared& p, int timeout_s) {
  Staged s;
  sync::KioskSync kiosk(*p.store);
  httplib::Client cli(p.hq->url());
  cli.set_connection_timeout(10, 0);
  cli.set_read_timeout(timeout_s, 0);
  cli.set_write_timeout(timeout_s, 0);
  const auto t0 = Clock::now();
  const auto range = kiosk.pending_range();
  if (!range.ok()) die("pending_range: " + range.detail);
  auto stop = [&](std::string why) {
    s.failure = std::move(why);
    s.total = seconds_since(t0);
    s.http = sum(s.http_each);
    s.receipts = sum(s.receipt_each);
    return s;
  };
  for (std::int64_t seq = range.value.first; seq <= range.value.second;) {
    const auto t1 = Clock::now();
    const auto b = kiosk.bundle_from(seq);
    s.build += seconds_since(t1);
    if (!b.ok() || !b.value) die("bundle_from(" + std::to_string(seq) + "): " + b.detail);
    std::string why;
    const auto h = sync::parse_bundle_header(*b.value, &why);
    if (!h) die("a bundle just made does not parse: " + why);
    ++s.bundles;
    s.bundle_bytes.push_back(static_cast<std::int64_t>(b.value->size()));
    s.bundle_entries.push_back(h->last_seq - h->first_seq + 1);
    s.wire_up += s.bundle_bytes.back();
    const auto t2 = Clock::now();
    auto res = cli.Post("/api/v1/bundles", reinterpret_cast<const char*>(b.value->data()),
                        b.value->size(), "application/octet-stream");
    s.http_each.push_back(seconds_since(t2));
    std::printf("  bundle %zu: %lld entries, %lld bytes, HTTP+ingest %.3f s%s\n", s.bundles,
                static_cast<long long>(s.bundle_entries.back()),
                static_cast<long long>(s.bundle_bytes.back()), s.http_each.back(),
                s.http_each.back() > kSendNowTimeoutS ? "  (over send_now's 30 s read timeout)"
                                                      : "");
    std::fflush(stdout);
    if (!res) return stop("POST: " + httplib::to_string(res.error()));
    if (res->status != 200)
      return stop("hq answered " + std::to_string(res->status) + ": " + res->body);
    const auto t3 = Clock::now();
    const auto applied = kiosk.apply_receipt(sync::Bytes(res->body.begin(), res->body.end()));
    s.receipt_each.push_back(seconds_since(t3));
    if (!applied.ok()) die("apply_receipt: " + applied.detail);
    s.wire_down += static_cast<std::int64_t>(res->body.size());
    seq = h->last_seq + 1;
  }
  const auto acked = core::ChangeLog(*p.store).acked_seq();
  s.total = seconds_since(t0);
  if (!acked.ok() || acked.value != p.last_seq) die("the mark did not reach last_seq");
  s.http = sum(s.http_each);
  s.receipts = sum(s.receipt_each);
  s.finished = true;
  return s;
}

// nullopt (and the reason in *why) when send_now did not bring the mark to last_seq.
std::optional<double> run_send_now(Prepared& p, std::string* why) {
  sync::KioskSync kiosk(*p.store);
  const auto t0 = Clock::now();
  const auto out = kiosk.send_now(p.hq->url());
  const auto acked = core::ChangeLog(*p.store).acked_seq();
  const double s = seconds_since(t0);
  if (!out.ok() || !acked.ok() || acked.value != p.last_seq) {
    *why = "send_now stopped after " + std::to_string(s).substr(0, 6) + " s with the mark at " +
           std::to_string(acked.value) + " of " + std::to_string(p.last_seq) + ": " + out.detail;
    return std::nullopt;
  }
  return s;
}

// [DIAGNOSIS] Each bundle's stages in process (no HTTP, no fork), to find where the time goes.
// Inside Library::ingest, SQLite's own profile hook (sqlite3_trace_v2, SQLITE_TRACE_PROFILE)
// times every statement the library runs, keyed by the start of its SQL, so the split follows
// library.cpp without copying any of its SQL here.
struct SqlTime {
  std::string sql;
  double seconds = 0;
  int runs = 0;
};

int profile_statement(unsigned type, void* context, void* stmt, void* nanoseconds) {
  if (type != SQLITE_TRACE_PROFILE) return 0;
  auto& times = *static_cast<std::vector<SqlTime>*>(context);
  std::string key;
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
  for (const char* c = sql; c && *c && key.size() < 90; ++c)
    if (!(*c == ' ' && (key.empty() || key.back() == ' '))) key += *c == '\n' ? ' ' : *c;
  const double s = static_cast<double>(*static_cast<sqlite3_int64*>(nanoseconds)) / 1e9;
  for (auto& t : times)
    if (t.sql == key) {
      t.seconds += s;
      ++t.runs;
      return 0;
    }
  times.push_back({key, s, 1});
  return 0;
}

struct Diagnosis {
  double range = 0, json = 0, seal = 0;                  // kiosk
  double header = 0, verify = 0, decrypt = 0, ingest = 0;  // hq (ingest repeats verify+decrypt)
  std::vector<double> ingest_each;
  std::vector<SqlTime> sql;  // inside ingest, slowest first
  std::int64_t plaintext = 0, deflated = 0, sealed = 0;
};

Diagnosis diagnose(const fs::path& dir, const std::string& base_store, bool with_ingest) {
  Diagnosis d;
  fs::remove_all(dir);
  fs::create_directories(dir);
  sync::Enrollment e;
  const fs::path lib_dir = make_library(dir, &e);
  std::string why;
  auto library = hq::Library::open(lib_dir.string(), &why);
  if (!library) die(why);
  sync::SealingKeys box;
  const auto box_secret = sync::read_file((lib_dir / "keys" / "box.secret").string(), 32, &why);
  if (!box_secret || box_secret->size() != 32) die(why);
  std::copy(box_secret->begin(), box_secret->end(), box.secret_key.begin());
  box.public_key = e.hq_box_public;
  const sync::SigningKeys device = sync::SigningKeys::generate();
  if (with_ingest)
    sqlite3_trace_v2(library->handle(), SQLITE_TRACE_PROFILE, profile_statement, &d.sql);

  fs::copy_file(base_store, dir / "kiosk.sqlite3");  // the original stays as it is
  auto store = core::Store::open((dir / "kiosk.sqlite3").string(), &why);
  if (!store) die(why);
  core::ChangeLog log(*store);
  const auto last = log.last_seq();
  const auto incs = log.incarnations();
  if (!last.ok() || !incs.ok() || incs.value.empty()) die("diagnosis: cannot read the log");
  for (std::int64_t first = 1; first <= last.value; first += sync::kEntriesPerBundle) {
    const std::int64_t end = std::min(last.value, first + sync::kEntriesPerBundle - 1);
    auto t = Clock::now();
    const auto entries = log.range(first, end);
    d.range += seconds_since(t);
    if (!entries.ok()) die("range: " + entries.detail);
    t = Clock::now();
    const std::string plain = core::entries_json(entries.value);
    d.json += seconds_since(t);
    d.plaintext += static_cast<std::int64_t>(plain.size());
    uLongf zlen = compressBound(static_cast<uLong>(plain.size()));
    std::vector<Bytef> z(zlen);
    compress2(z.data(), &zlen, reinterpret_cast<const Bytef*>(plain.data()),
              static_cast<uLong>(plain.size()), 6);
    d.deflated += static_cast<std::int64_t>(zlen);
    sync::BundleHeader h;
    h.device = e.device;
    h.incarnation = *sync::parse_uuid(incs.value.front().id);
    h.incarnation_base = incs.value.front().base_seq;
    h.first_seq = first;
    h.last_seq = end;
    h.created_ms = store->now_ms();
    h.device_public_key = device.public_key;
    t = Clock::now();
    const sync::Bytes bundle = sync::seal_bundle(h, plain, device.secret_key, e.secret,
                                                 e.hq_box_public);
    d.seal += seconds_since(t);
    d.sealed += static_cast<std::int64_t>(bundle.size());

    t = Clock::now();
    if (!sync::parse_bundle_header(bundle, &why)) die("header: " + why);
    d.header += seconds_since(t);
    t = Clock::now();
    if (!sync::bundle_signature_ok(bundle, device.public_key)) die("signature");
    d.verify += seconds_since(t);
    t = Clock::now();
    if (!sync::open_bundle(bundle, box, &why)) die("decrypt: " + why);
    d.decrypt += seconds_since(t);
    if (!with_ingest) continue;
    t = Clock::now();
    const auto r = library->ingest(bundle, "file");
    d.ingest_each.push_back(seconds_since(t));
    d.ingest += d.ingest_each.back();
    if (!r.accepted()) die("ingest: " + r.reason);
  }
  sqlite3_trace_v2(library->handle(), 0, nullptr, nullptr);
  std::sort(d.sql.begin(), d.sql.end(),
            [](const SqlTime& a, const SqlTime& b) { return a.seconds > b.seconds; });
  return d;
}

}  // namespace

// [MAIN]
int main(int argc, char** argv) {
  std::string dir_arg, hq_path = SYNC_BENCH_HQ_PATH;
  int people = 10000, orgs = 300, runs = 3, timeout_s = 3600;
  bool keep = false, with_ingest_diagnosis = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--keep") keep = true;
    else if (a == "--no-diagnosis") with_ingest_diagnosis = false;
    else if (a == "--dir" && has_value) dir_arg = argv[++i];
    else if (a == "--people" && has_value) people = std::atoi(argv[++i]);
    else if (a == "--orgs" && has_value) orgs = std::atoi(argv[++i]);
    else if (a == "--runs" && has_value) runs = std::atoi(argv[++i]);
    else if (a == "--timeout" && has_value) timeout_s = std::atoi(argv[++i]);
    else if (a == "--hq" && has_value) hq_path = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: sync_bench [--dir DIR] [--people N] [--orgs N] [--runs N] [--hq PATH]"
                   " [--timeout S] [--no-diagnosis] [--keep]\n");
      return 2;
    }
  }
  if (people < 1 || orgs < 1 || runs < 1 || timeout_s < 1)
    die("--people, --orgs, --runs and --timeout must be at least 1");
  if (!sync::init_crypto()) die("libsodium cannot initialise");
  // A fresh temporary folder (removed at the end unless --keep) unless --dir names one.
  fs::path dir;
  if (dir_arg.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "sync-bench-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) die("mkdtemp failed");
    dir = tmpl;
  } else {
    dir = dir_arg;
    fs::create_directories(dir);
  }
  std::printf("sync_bench: %d people, %d organizations, %d rounds; hq %s; dir %s\n", people, orgs,
              runs, hq_path.c_str(), fs::absolute(dir).c_str());

  const std::string base = (dir / "kiosk-base.sqlite3").string();
  remove_db(base);
  const Filled filled = fill_store(base, people, orgs);
  std::printf("filled the kiosk store in %.1f s: %lld change-log entries, %.1f MiB of record"
              " JSON\n",
              filled.seconds, static_cast<long long>(filled.last_seq),
              static_cast<double>(filled.change_log_payload_bytes) / (1024.0 * 1024.0));
  std::fflush(stdout);

  std::vector<double> base_s, e2e_s, send_s, build_s, http_s, receipt_s, receipt_bundle;
  std::vector<std::vector<double>> http_by_bundle;  // [bundle][round]
  std::vector<std::string> failures;
  Staged last{};
  for (int r = 0; r < runs; ++r) {
    base_s.push_back(baseline_copy(base, dir / "baseline.sqlite3", filled.last_seq));

    std::printf("round %d: baseline %.3f s; end to end, staged:\n", r + 1, base_s.back());
    std::fflush(stdout);
    {
      Prepared staged = prepare(dir / "round-staged", base, hq_path);
      last = run_staged(staged, timeout_s);
      if (!last.finished) {
        failures.push_back("round " + std::to_string(r + 1) + " (staged): " + last.failure);
      } else {
        check(staged, people);
        e2e_s.push_back(last.total);
        build_s.push_back(last.build);
        http_s.push_back(last.http);
        receipt_s.push_back(last.receipts);
        receipt_bundle.push_back(median(last.receipt_each));
      }
      http_by_bundle.resize(std::max(http_by_bundle.size(), last.http_each.size()));
      for (std::size_t i = 0; i < last.http_each.size(); ++i)
        http_by_bundle[i].push_back(last.http_each[i]);
    }
    std::string why;
    std::optional<double> whole_s;
    {
      Prepared whole = prepare(dir / "round-send-now", base, hq_path);
      whole_s = run_send_now(whole, &why);
      if (whole_s) check(whole, people);  // else hq may still be busy: stop() kills it
    }
    if (whole_s) send_s.push_back(*whole_s);
    else failures.push_back("round " + std::to_string(r + 1) + " (send_now): " + why);
    char e2e_text[32] = "DID NOT FINISH", send_text[32] = "FAILED";
    if (last.finished) std::snprintf(e2e_text, sizeof e2e_text, "%.3f s", last.total);
    if (whole_s) std::snprintf(send_text, sizeof send_text, "%.3f s", *whole_s);
    std::printf("round %d: end to end %s (build+seal %.3f, HTTP+ingest %.3f, receipts %.3f; %zu"
                " bundles) | send_now %s\n",
                r + 1, e2e_text, last.build, last.http, last.receipts, last.bundles, send_text);
    std::fflush(stdout);
  }

  const Diagnosis d = diagnose(dir / "diagnosis", base, with_ingest_diagnosis);

  const double b = median(base_s);
  const auto per = [&](std::int64_t bytes, std::int64_t n) {
    return static_cast<double>(bytes) / static_cast<double>(n);
  };
  std::printf("\n== %d registrations (%lld change-log entries) to headquarters, median of %d ==\n",
              people, static_cast<long long>(filled.last_seq), runs);
  for (const auto& f : failures) std::printf("FAILURE %s\n", f.c_str());
  if (!e2e_s.empty()) {
    const double e2e = median(e2e_s);
    std::printf("end to end (first bundle .. mark = last_seq)      %8.3f s   budget < 5 s: %s"
                " (%zu of %d rounds finished)\n",
                e2e, e2e < 5 ? "PASS" : "FAIL", e2e_s.size(), runs);
    std::printf("baseline: plain INSERTs, one transaction          %8.3f s\n", b);
    std::printf("ratio                                             %8.1fx\n", e2e / b);
    std::printf("stages: bundle build+seal %.3f s | HTTP+verify+decrypt+ingest %.3f s | receipt"
                " apply %.4f s (%.4f s per bundle)\n",
                median(build_s), median(http_s), median(receipt_s), median(receipt_bundle));
  } else {
    std::printf("end to end: no round finished   budget < 5 s: FAIL\n");
    std::printf("baseline: plain INSERTs, one transaction          %8.3f s\n", b);
  }
  if (!send_s.empty())
    std::printf("KioskSync::send_now, same work (cross-check)      %8.3f s (%zu of %d rounds)\n",
                median(send_s), send_s.size(), runs);
  for (std::size_t i = 0; i < http_by_bundle.size(); ++i)
    std::printf("  bundle %zu (%lld entries): HTTP+verify+decrypt+ingest %.3f s (median of %zu)\n",
                i + 1,
                static_cast<long long>(i < last.bundle_entries.size() ? last.bundle_entries[i] : 0),
                median(http_by_bundle[i]), http_by_bundle[i].size());
  std::int64_t up = 0;
  for (const auto n : last.bundle_bytes) up += n;
  std::printf("wire: %zu bundles, %lld bytes up (%.0f bytes per person, %.0f per entry), %lld"
              " bytes of receipts down (HTTP headers not counted)\n",
              last.bundles, static_cast<long long>(up), per(up, people), per(up, filled.last_seq),
              static_cast<long long>(last.wire_down));
  std::printf("  plaintext JSON %.0f bytes per person (record JSON alone %.0f); deflate -6 of it"
              " would be %.0f bytes per person\n",
              per(d.plaintext, people), per(filled.change_log_payload_bytes, people),
              per(d.deflated, people));
  std::printf("\n== where the time goes, in process, one pass (no HTTP) ==\n");
  std::printf("kiosk: ChangeLog::range %.3f s, entries_json %.3f s, seal_bundle %.3f s\n", d.range,
              d.json, d.seal);
  std::printf("hq:    header %.4f s, signature %.3f s, decrypt %.3f s\n", d.header, d.verify,
              d.decrypt);
  if (with_ingest_diagnosis) {
    std::printf("hq:    Library::ingest %.3f s in all (it verifies and decrypts again: its SQL part"
                " is about %.3f s); per bundle:",
                d.ingest, d.ingest - d.verify - d.decrypt);
    for (const double x : d.ingest_each) std::printf(" %.3f", x);
    std::printf("\n");
    std::printf("  its SQL statements, slowest first (SQLite's profile hook: from a statement's"
                " first step to its reset, so a SELECT held open on its row while other work runs"
                " includes that work):\n");
    for (std::size_t i = 0; i < d.sql.size() && i < 8; ++i)
      std::printf("  %8.3f s %4dx  %s\n", d.sql[i].seconds, d.sql[i].runs, d.sql[i].sql.c_str());
    if (!http_s.empty()) {
      const double overhead = median(http_s) - d.ingest;
      if (overhead > 0)
        std::printf("HTTP transport and hq process overhead: about %.3f s (HTTP+ingest minus"
                    " in-process ingest)\n", overhead);
      else
        std::printf("HTTP transport and hq process overhead: lost in the noise (the in-process"
                    " ingest took %.3f s longer than HTTP+ingest)\n", -overhead);
    }
  }

  if (!keep) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return e2e_s.size() == static_cast<std::size_t>(runs) ? 0 : 1;
}
