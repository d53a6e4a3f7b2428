// scale_bench — issue 15: the kiosk at 0, 10,000 and 100,000 people, in one run.
//
//   scale_bench [--dir DIR] [--sizes 0,10000,100000] [--orgs 300] [--saves 300] [--typed 40]
//               [--kiosk PATH] [--source DIR]
//
// For each size N, a store DIR/N/kiosk.sqlite3 (made through Registry::register_participant, the
// kiosk's own save, when missing: a supervisor "Supervisor" with PIN 1234, a current event, `orgs`
// organizations, N people; kept for the next run, which tops it up to N; delete DIR/N to make it
// again; each run's saves add `saves` people to it; the N = 0 store is made fresh every run and
// holds one person, "Dara", whom the walk opens), then:
//  - save: register_participant p99 (synchronous=FULL), beside a bare one-row INSERT + COMMIT in
//    a file beside it, interleaved so both see the same disk and load;
//  - search: search_people per keystroke of `typed` names, wall and thread-CPU p99, beside a plain
//    indexed SELECT (one participant by rowid);
//  - summary: PeopleQueries::event_summary of the current event, median and worst of 20, beside
//    the same plain indexed SELECT;
//  - the kiosk itself (SDL offscreen): start to first frame and peak RSS (median of 3), and the
//    worst frame of tests/e2e/staff-walk.script (every staff screen) by UI CPU with its cause,
//    sign-in included (its argon2id PIN check runs on a thread, staff.h P2; the sign-in
//    screen's worst frame is also reported on its own);
//    beside the same figures on the empty store (N = 0, measured first).
// Budgets (DESIGN.md, issue 15) at 100,000: no frame over 16 ms of UI CPU, save p99 < 20 ms,
// search p99 < 10 ms. Figures: BENCHMARKS.md.
#include "people_queries.h"
#include "registry.h"
#include "sql.h"
#include "staff.h"
#include "store.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace kiosk::core;
namespace fs = std::filesystem;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

// Names drawn independently (given × family), Khmer for a quarter, as a school population.
const char* const kGiven[] = {"Dara", "Sokha", "Bopha", "Amina", "Omar", "Thandiwe", "Sipho", "Aung",
                              "Thiri", "Nandar", "Mariam", "Wei", "Pieter", "Anele", "Piseth", "Zaw"};
const char* const kFamily[] = {"Sok", "Chan", "Keo", "Hassan", "Ngcobo", "Dlamini", "Win", "Htun",
                               "Ibrahim", "Zhang", "Nkosi", "van Wyk", "Phiri", "Heng", "Soe", "Kyaw"};
const char* const kKhmer[] = {"ដារ៉ា", "សុខា", "បុប្ផា", "វណ្ណា", "ពិសិដ្ឋ", "សុខ"};

struct World {
  std::string staff_id, event_id;
  std::vector<std::string> orgs;
};

Registration person(std::mt19937& rng, const World& w, int i) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  Registration r;
  r.person.given_name_latin = kGiven[pick(std::size(kGiven))];
  r.person.family_name_latin = kFamily[pick(std::size(kFamily))];
  if (i == 0) r.person.given_name_latin = "Dara";  // the walk searches "dara" and opens the first
  if (i % 4 == 0) r.person.given_name = kKhmer[pick(std::size(kKhmer))];
  r.person.birth_year = 2008 + i % 12;
  if (i % 2) r.person.birth_date = std::to_string(r.person.birth_year) + "-0" + std::to_string(1 + i % 9) + "-15";
  r.person.gender = i % 3 ? "female" : "male";
  if (!w.orgs.empty()) r.person.organization_id = w.orgs[static_cast<std::size_t>(i) % w.orgs.size()];
  r.person.guardian_name = "Guardian";
  r.person.guardian_phone = "+855 12 345 678";
  r.event_id = w.event_id;
  r.activity = "exhibition_visit";
  r.consent = ConsentInput{"2026-1", "km", "Guardian", std::vector<std::uint8_t>(600, 0x55), "km",
                           "The consent text the guardian read, as shown."};
  return r;
}

// The store of size n: made when missing (or topped up with what the walk needs).
bool prepare(const fs::path& dir, int n, int orgs, World* w) {
  // The baseline store is made fresh every run, with one person (the walk opens a person).
  if (n == 0) fs::remove_all(dir);
  n = std::max(n, 1);
  fs::create_directories(dir);
  std::string error;
  auto store = Store::open((dir / "kiosk.sqlite3").string(), &error);
  if (!store) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return false;
  }
  StaffDirectory staff(*store);
  Registry reg(*store);
  if (auto s = staff.find_by_name("Supervisor")) {
    w->staff_id = s->id;
  } else {
    // Added as at the kiosk computer (staff.h A1) when the store already has accounts.
    const auto added = staff.add_staff("Supervisor", "1234", "supervisor",
                                       staff.list().empty() ? std::string() : std::string(kKioskComputer));
    if (!added.ok()) {
      std::fprintf(stderr, "scale_bench: cannot add the supervisor: %s\n", added.detail.c_str());
      return false;
    }
    w->staff_id = added.id;
  }
  // The walk signs in as the first account listed with PIN 1234: a store made elsewhere (e.g. by
  // core_bench) may list other accounts first; they get that PIN too.
  for (const StaffMember& m : staff.list())
    if (m.id != w->staff_id && m.active) staff.set_pin(m.id, "1234", kKioskComputer);
  if (auto ev = reg.current_event_id()) {
    w->event_id = *ev;
  } else {
    sql::Statement any(store->handle(), "SELECT id FROM event ORDER BY created_at LIMIT 1");
    if (any.step() == SQLITE_ROW) {
      w->event_id = any.text(0);
    } else {
      EventInfo e;
      e.name = "Scale bench stop";
      e.start_date = "2026-11-28";
      e.end_date = "2026-12-02";
      e.activity_types = {"exhibition_visit"};
      const auto made = reg.create_event(e, w->staff_id);
      if (!made.ok()) {
        std::fprintf(stderr, "scale_bench: cannot create the event: %s\n", made.detail.c_str());
        return false;
      }
      w->event_id = made.id;
    }
    if (!reg.set_current_event(w->event_id).ok()) {
      std::fprintf(stderr, "scale_bench: cannot make the event current\n");
      return false;
    }
  }
  sql::Statement org_ids(store->handle(), "SELECT id FROM organization ORDER BY rowid");
  while (org_ids.step() == SQLITE_ROW) w->orgs.push_back(org_ids.text(0));
  const int have = [&] {  // the statement ends here: left stepped, its read transaction would
    sql::Statement count(store->handle(), "SELECT count(*) FROM participant");  // pin the WAL
    count.step();  // (no checkpoint past it: a 100,000 fill grew an 18 GB WAL that way)
    return count.integer(0);
  }();
  if (have >= n && static_cast<int>(w->orgs.size()) >= std::min(orgs, n)) return true;
  std::printf("  filling %s: %d people (has %d) ...\n", dir.c_str(), n, have);
  std::fflush(stdout);
  const double t0 = now_ms();
  sqlite3_exec(store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);  // fill only
  std::mt19937 rng(15u + static_cast<unsigned>(n));
  for (int i = static_cast<int>(w->orgs.size()); i < orgs && n > 0; ++i) {
    Organization o;
    o.name = std::string(kFamily[i % std::size(kFamily)]) + " Science School " + std::to_string(i);
    o.name_latin = o.name;
    w->orgs.push_back(reg.add_local_organization(o, w->staff_id).id);
  }
  for (int i = have; i < n; ++i)
    if (!reg.register_participant(person(rng, *w, i), w->staff_id).ok()) {
      std::fprintf(stderr, "fill failed at %d\n", i);
      return false;
    }
  sqlite3_exec(store->handle(), "PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE);", nullptr, nullptr, nullptr);
  std::printf("  filled in %.0f s\n", (now_ms() - t0) / 1000);
  return true;
}

struct Row {
  int people = 0;
  double base_insert_p99 = 0, save_p99 = 0, save_cpu_p99 = 0, save_p50 = 0, save_max = 0;
  double select_p99 = 0, search_p99 = 0, search_cpu_p99 = 0, summary_median = 0, summary_max = 0;
  double start_ms = 0, rss_mib = 0, worst_frame_ms = 0, pin_frame_ms = 0;
  std::string worst_cause;
};

void measure_store(const fs::path& dir, const World& w, int saves, int typed, Row* row) {
  std::string error;
  auto store = Store::open((dir / "kiosk.sqlite3").string(), &error);
  Registry reg(*store);
  PeopleQueries q(*store);
  sql::Statement count(store->handle(), "SELECT count(*) FROM participant");
  count.step();
  row->people = count.integer(0);  // what the kiosk's runs saw, before the saves
  std::mt19937 rng(4242);
  // Save, interleaved with the bare insert baseline.
  const fs::path base_path = dir / "baseline.sqlite3";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(base_path.string() + suffix);
  sqlite3* base = nullptr;
  sqlite3_open(base_path.c_str(), &base);
  sqlite3_exec(base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
               nullptr, nullptr, nullptr);
  std::vector<double> base_ms, save_ms, save_cpu;
  for (int i = 0; i < saves; ++i) {
    double t0 = now_ms();
    sqlite3_exec(base, "BEGIN IMMEDIATE; INSERT INTO t(v) VALUES ('a row of about forty bytes, like a name'); COMMIT",
                 nullptr, nullptr, nullptr);
    base_ms.push_back(now_ms() - t0);
    const Registration r = person(rng, w, 1000000 + i);
    const double c0 = thread_cpu_ms();
    t0 = now_ms();
    const auto saved = reg.register_participant(r, w.staff_id);
    save_ms.push_back(now_ms() - t0);
    save_cpu.push_back(thread_cpu_ms() - c0);
    if (!saved.ok()) std::fprintf(stderr, "save failed: %s\n", saved.detail.c_str());
  }
  sqlite3_close(base);
  row->base_insert_p99 = quantile(base_ms, 0.99);
  row->save_p99 = quantile(save_ms, 0.99);
  row->save_cpu_p99 = quantile(save_cpu, 0.99);
  row->save_p50 = quantile(save_ms, 0.5);
  row->save_max = quantile(save_ms, 1.0);
  // Search per keystroke, and the plain indexed SELECT.
  std::vector<double> select_ms, search_ms, search_cpu;
  sql::Statement one(store->handle(), "SELECT id, given_name_latin FROM participant WHERE rowid = ?");
  const int max_rowid = std::max(1, row->people);
  for (int t = 0; t < typed; ++t) {
    const Registration r = person(rng, w, t);
    const std::string name = r.person.given_name_latin + " " + r.person.family_name_latin;
    std::string prefix;
    for (const char c : name) {
      prefix += c;
      const double c0 = thread_cpu_ms();
      const double t0 = now_ms();
      q.search_people(prefix);
      search_ms.push_back(now_ms() - t0);
      search_cpu.push_back(thread_cpu_ms() - c0);
      const double t1 = now_ms();
      one.reset();
      one.bind(1, std::uniform_int_distribution<int>(1, max_rowid)(rng));
      while (one.step() == SQLITE_ROW) {
      }
      select_ms.push_back(now_ms() - t1);
    }
  }
  row->select_p99 = quantile(select_ms, 0.99);
  row->search_p99 = quantile(search_ms, 0.99);
  row->search_cpu_p99 = quantile(search_cpu, 0.99);
  std::vector<double> summary_ms;
  for (int i = 0; i < 20; ++i) {
    const double t0 = now_ms();
    const EventSummary s = q.event_summary(w.event_id);
    summary_ms.push_back(now_ms() - t0);
    if (i == 0 && s.participants < row->people - 1)
      std::fprintf(stderr, "summary counts %d of %d people\n", s.participants, row->people);
  }
  row->summary_median = quantile(summary_ms, 0.5);
  row->summary_max = quantile(summary_ms, 1.0);
}

// Runs the kiosk with args; its stdout, and its peak RSS in MiB.
std::string run_kiosk(const std::vector<std::string>& args, double* rss_mib) {
  int pipefd[2];
  if (pipe(pipefd) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 1);
    close(pipefd[0]);
    close(pipefd[1]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  std::string out;
  char buf[4096];
  for (ssize_t got; (got = read(pipefd[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(got));
  close(pipefd[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  if (rss_mib) *rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::fprintf(stderr, "kiosk %s failed:\n%s\n", args.back().c_str(), out.c_str());
  return out;
}

double field(const std::string& out, const std::string& key) {
  const auto at = out.find(key + "=");
  return at == std::string::npos ? -1 : std::atof(out.c_str() + at + key.size() + 1);
}

void measure_kiosk(const std::string& kiosk, const std::string& source, const fs::path& dir, Row* row) {
  const std::vector<std::string> common = {kiosk, "--config", source + "/config/demo.toml", "--data-dir", dir.string(),
                                           "--windowed", "1920x1080"};
  std::vector<double> start, rss;
  for (int i = 0; i < 3; ++i) {
    auto args = common;
    args.push_back("--exit-after-first-frame");
    double mib = 0;
    start.push_back(field(run_kiosk(args, &mib), "first_frame_ms"));
    rss.push_back(mib);
  }
  row->start_ms = quantile(start, 0.5);
  row->rss_mib = quantile(rss, 0.5);
  auto args = common;
  for (const char* a : {"--frame-stats", "--script"}) args.push_back(a);
  args.push_back(source + "/tests/e2e/staff-walk.script");
  const std::string out = run_kiosk(args, nullptr);
  // The worst frame of the whole walk; the sign-in screen's worst (where argon2id ran until the
  // check moved to a thread, staff.h P2) is also reported on its own line.
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("screen_worst: ", 0) != 0) continue;
    const double ms = field(line, "ui_cpu_us") / 1000;
    if (line.rfind("screen_worst: staff-pin ", 0) == 0) {
      row->pin_frame_ms = ms;
    }
    if (ms > row->worst_frame_ms) {
      row->worst_frame_ms = ms;
      row->worst_cause = line.substr(14);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "scale-bench-data", kiosk = SCALE_BENCH_KIOSK, source = SCALE_BENCH_SOURCE;
  std::vector<int> sizes = {0, 10000, 100000};
  int orgs = 300, saves = 300, typed = 40;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--dir") dir = v;
    else if (a == "--kiosk") kiosk = v;
    else if (a == "--source") source = v;
    else if (a == "--orgs") orgs = std::atoi(v.c_str());
    else if (a == "--saves") saves = std::atoi(v.c_str());
    else if (a == "--typed") typed = std::atoi(v.c_str());
    else if (a == "--sizes") {
      sizes.clear();
      std::stringstream in(v);
      for (std::string n; std::getline(in, n, ',');) sizes.push_back(std::atoi(n.c_str()));
    } else {
      std::fprintf(stderr, "scale_bench: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  std::vector<Row> rows;
  for (const int n : sizes) {
    const fs::path d = fs::path(dir) / std::to_string(n);
    World w;
    if (!prepare(d, n, orgs, &w)) return 1;
    Row row;
    measure_kiosk(kiosk, source, d, &row);  // first: the saves below add `saves` people
    measure_store(d, w, saves, typed, &row);
    rows.push_back(row);
    std::printf("  %d people measured\n", row.people);
    std::fflush(stdout);
  }
  const Row& b = rows.front();  // the baseline row: the smallest store (the empty one)
  std::printf("\n%-9s %-22s %-24s %-24s %-22s %-16s %-14s %s\n", "people", "save p99 (bare insert)",
              "search p99 wall/cpu", "summary med/max", "(plain select p99)", "start (x empty)", "RSS (x empty)",
              "worst staff frame, UI CPU (x empty)");
  for (const Row& r : rows) {
    char save[64], search[64], summary[64], sel[64], start[64], rss[64];
    std::snprintf(save, sizeof save, "%.2f ms (%.2f ms)", r.save_p99, r.base_insert_p99);
    std::snprintf(search, sizeof search, "%.2f / %.2f ms", r.search_p99, r.search_cpu_p99);
    std::snprintf(summary, sizeof summary, "%.3f / %.3f ms", r.summary_median, r.summary_max);
    std::snprintf(sel, sizeof sel, "%.3f ms", r.select_p99);
    std::snprintf(start, sizeof start, "%.0f ms %.2fx", r.start_ms, r.start_ms / b.start_ms);
    std::snprintf(rss, sizeof rss, "%.0f MiB %.2fx", r.rss_mib, r.rss_mib / b.rss_mib);
    std::printf("%-9d %-22s %-24s %-24s %-22s %-16s %-14s %.2f ms %.2fx\n", r.people, save, search, summary, sel,
                start, rss, r.worst_frame_ms, r.worst_frame_ms / b.worst_frame_ms);
  }
  std::printf("\nsaves (wall p50 / p99 / max, and the thread's CPU p99: what is not waiting for the disk):\n");
  for (const Row& r : rows)
    std::printf("  %d: %.2f / %.2f / %.2f ms, CPU p99 %.2f ms\n", r.people, r.save_p50, r.save_p99, r.save_max,
                r.save_cpu_p99);
  std::printf("\nworst frames of the walk, sign-in included (and the sign-in screen's worst frame):\n");
  for (const Row& r : rows)
    std::printf("  %d: %s (sign-in frame %.1f ms)\n", r.people, r.worst_cause.c_str(), r.pin_frame_ms);
  const Row& top = rows.back();
  const bool pass = top.save_p99 < 20 && top.search_p99 < 10 && top.worst_frame_ms < 16;
  std::printf("\nbudgets at %d people: save p99 < 20 ms %s, search p99 < 10 ms %s, no frame over 16 ms UI CPU %s\n",
              top.people, top.save_p99 < 20 ? "PASS" : "FAIL", top.search_p99 < 10 ? "PASS" : "FAIL",
              top.worst_frame_ms < 16 ? "PASS" : "FAIL");
  return pass ? 0 : 3;
}
