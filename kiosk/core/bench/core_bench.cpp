// core_bench — issue 5's store budgets, measured against a baseline in the same run.
//
//   core_bench [--dir DIR] [--people 10000] [--orgs 300] [--saves 300] [--typed 40]
//
// 1. baseline: a bare one-row INSERT, each in its own transaction, WAL + synchronous=FULL, in a
//    separate file in DIR (same file system as the store), timed in rounds interleaved with the
//    saves of step 2 so that both see the same disk and machine load;
// 2. save: Registry::register_participant (person + consent + attendance + 3 audit + 3 change-log
//    rows, one transaction, synchronous=FULL) with `people` people and `orgs` organizations on file,
//    as the app does (SQLite's automatic WAL checkpoints land inside some saves) and with
//    Store::checkpoint() forced before each save (to show why the app must not do that);
// 3. search-as-you-type: `typed` names typed character by character, PeopleQueries::search_people
//    per keystroke (wall and thread CPU time; and search_organizations), plus the same keystrokes as a plain key scan
//    (instr over every row, no FTS) to show what the trigram index buys;
// 4. argon2id PIN hashing at OPSLIMIT/MEMLIMIT INTERACTIVE and MODERATE.
// Budgets (DESIGN.md): save p99 < 20 ms; search < 10 ms a keystroke.
#include "people_queries.h"
#include "registry.h"
#include "sql.h"
#include "staff.h"
#include "store.h"

#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace kiosk::core;
namespace fs = std::filesystem;

namespace {

using WallClock = std::chrono::steady_clock;

double ms_since(WallClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(WallClock::now() - t0).count();
}

// CPU time of this thread: what the work itself costs, whatever else the machine runs.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0;
  std::size_t n = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.max = v.back();
  s.n = v.size();
  return s;
}

void print(const char* what, const Stats& s) {
  std::printf("%-44s n=%-6zu p50=%8.3f ms  p99=%8.3f ms  max=%8.3f ms\n", what, s.n, s.p50, s.p99,
              s.max);
}

void remove_db(const fs::path& p) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
}

const char* const kGiven[] = {"Dara",   "Sokha",  "Bopha",  "Vanna", "Chanthou", "Amina",
                              "Omar",   "Thandiwe", "Sipho", "Lerato", "Aung",   "Thiri",
                              "Min",    "Nandar", "Mariam", "Youssef", "Wei",    "Lindiwe",
                              "Pieter", "Anele",  "Kagiso", "Sreymom", "Piseth", "Zaw"};
const char* const kFamily[] = {"Sok",   "Chan",   "Keo",     "Lim",     "Hassan", "Said",
                               "Ngcobo", "Dlamini", "Mokoena", "Botha", "Win",    "Htun",
                               "Aung",  "Mahmoud", "Ibrahim", "Zhang",  "Nkosi",  "van Wyk",
                               "Mthembu", "Phiri", "Touch",   "Heng",   "Soe",    "Kyaw"};
const char* const kKhmer[] = {"ដារ៉ា", "សុខា", "បុប្ផា", "វណ្ណា", "ចន្ធូ", "ពិសិដ្ឋ", "ស្រីមុំ", "សុខ"};

std::string pick(std::mt19937& rng, const char* const* list, std::size_t n) {
  return list[std::uniform_int_distribution<std::size_t>(0, n - 1)(rng)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "core-bench-data";
  int people = 10000, orgs = 300, saves = 300, typed = 40;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--dir") dir = argv[i + 1];
    else if (a == "--people") people = std::atoi(argv[i + 1]);
    else if (a == "--orgs") orgs = std::atoi(argv[i + 1]);
    else if (a == "--saves") saves = std::atoi(argv[i + 1]);
    else if (a == "--typed") typed = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  fs::create_directories(dir);
  std::mt19937 rng(20261129);
  std::printf("core_bench: %d people, %d organizations, %d saves, %d names typed; dir %s\n",
              people, orgs, saves, typed, fs::absolute(dir).c_str());

  // --- 1. baseline database (timed interleaved with the saves, in step 3) --------------------
  const fs::path base_path = fs::path(dir) / "baseline.sqlite3";
  remove_db(base_path);
  sqlite3* base_db = nullptr;
  sqlite3_open(base_path.c_str(), &base_db);
  sqlite3_exec(base_db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               " CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* base_insert = nullptr;
  sqlite3_prepare_v2(base_db, "INSERT INTO t(v) VALUES (?)", -1, &base_insert, nullptr);
  auto baseline_once = [&] {
    const auto t0 = WallClock::now();
    sqlite3_exec(base_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_text(base_insert, 1, "a row of about forty bytes, like a name", -1, SQLITE_STATIC);
    sqlite3_step(base_insert);
    sqlite3_reset(base_insert);
    sqlite3_exec(base_db, "COMMIT", nullptr, nullptr, nullptr);
    return ms_since(t0);
  };
  std::vector<double> base;

  // --- 2. fill the store ---------------------------------------------------------------------
  const fs::path path = fs::path(dir) / "kiosk.sqlite3";
  remove_db(path);
  std::string error;
  auto store = Store::open(path.string(), &error);
  if (!store) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  StaffDirectory staff(*store);
  const auto s = staff.add_staff("Bench Supervisor", "2468", "supervisor", "");
  Registry reg(*store);
  EventInfo ev;
  ev.name = "Bench event";
  ev.start_date = "2026-11-28";
  ev.end_date = "2026-12-02";
  ev.activity_types = {"exhibition_visit"};
  const auto event = reg.create_event(ev, s.id);
  if (!s.ok() || !event.ok()) {
    std::fprintf(stderr, "setup failed\n");
    return 1;
  }
  const auto fill0 = WallClock::now();
  sqlite3_exec(store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);  // fill only
  std::vector<std::string> org_ids;
  for (int i = 0; i < orgs; ++i) {
    Organization o;
    o.name = pick(rng, kFamily, std::size(kFamily)) + " Science School " + std::to_string(i);
    o.name_latin = o.name;
    o.city = "City " + std::to_string(i % 17);
    org_ids.push_back(reg.add_local_organization(o, s.id).id);
  }
  auto make = [&](int i) {
    Registration r;
    r.person.given_name_latin = pick(rng, kGiven, std::size(kGiven));
    r.person.family_name_latin =
        pick(rng, kFamily, std::size(kFamily)) + (i % 3 ? "" : "-" + std::to_string(i));
    if (i % 4 == 0) r.person.given_name = pick(rng, kKhmer, std::size(kKhmer));
    r.person.birth_year = 2008 + i % 12;
    r.person.organization_id = org_ids[static_cast<std::size_t>(i) % org_ids.size()];
    r.person.guardian_name = "Guardian";
    r.person.guardian_phone = "+855 12 345 678";
    r.person.interests = {"astronomy", "physics"};
    r.event_id = event.id;
    r.activity = "exhibition_visit";
    r.consent = ConsentInput{"2026-1", "km", "Guardian", std::vector<std::uint8_t>(600, 0x55),
                             "km", "The consent text the guardian read, as shown."};
    return r;
  };
  std::vector<std::string> typed_names;
  for (int i = 0; i < people; ++i) {
    Registration r = make(i);
    if (static_cast<int>(typed_names.size()) < typed && i % (people / std::max(typed, 1) + 1) == 0)
      typed_names.push_back(r.person.given_name_latin + " " + r.person.family_name_latin);
    if (!reg.register_participant(r, s.id).ok()) {
      std::fprintf(stderr, "fill failed at %d\n", i);
      return 1;
    }
  }
  sqlite3_exec(store->handle(), "PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE);",
               nullptr, nullptr, nullptr);
  std::printf("filled in %.1f s (synchronous=OFF for the fill only)\n", ms_since(fill0) / 1000);

  // --- 3. save latency, interleaved with the baseline so both see the same disk and load ------
  // Round i: baseline insert; a save (SQLite's automatic WAL checkpoint lands inside some saves);
  // Store::checkpoint() untimed, then another save (the variant shows what a checkpoint between
  // saves costs the next commit: the WAL restart's extra fsync).
  std::vector<double> save, save_idle, save_cpu;
  for (int i = 0; i < saves; ++i) {
    base.push_back(baseline_once());
    for (int variant = 0; variant < 2; ++variant) {
      Registration r = make(people + 2 * i + variant);
      if (variant == 1) store->checkpoint();
      const double c0 = cpu_ms();
      const auto t0 = WallClock::now();
      const auto res = reg.register_participant(r, s.id);
      (variant == 0 ? save : save_idle).push_back(ms_since(t0));
      save_cpu.push_back(cpu_ms() - c0);
      if (!res.ok()) {
        std::fprintf(stderr, "save failed: %s\n", res.detail.c_str());
        return 1;
      }
    }
  }
  sqlite3_finalize(base_insert);
  sqlite3_close(base_db);

  // --- 4. search-as-you-type -----------------------------------------------------------------
  PeopleQueries q(*store);
  std::vector<double> search, search_short, search_long, org_search, scan, search_cpu;
  std::size_t hits = 0;
  sql::Statement plain(store->handle(),
                       "SELECT id FROM participant WHERE voided = 0 AND instr(search_key, ?) > 0"
                       " LIMIT 20");
  for (const auto& name : typed_names) {
    std::string prefix;
    for (std::size_t i = 0; i < name.size(); ++i) {
      prefix += name[i];
      const double c0 = cpu_ms();
      auto t0 = WallClock::now();
      hits += q.search_people(prefix).size();
      const double t = ms_since(t0);
      search_cpu.push_back(cpu_ms() - c0);
      search.push_back(t);
      (prefix.size() < 3 ? search_short : search_long).push_back(t);
      t0 = WallClock::now();
      plain.reset();
      plain.bind(1, prefix);  // already lowercase enough for a timing comparison
      while (plain.step() == SQLITE_ROW) {
      }
      scan.push_back(ms_since(t0));
    }
    const std::string org_name = std::string(kFamily[hits % std::size(kFamily)]) + " Science";
    std::string org_prefix;
    for (const char c : org_name) {
      org_prefix += c;
      const auto t0 = WallClock::now();
      q.search_organizations(org_prefix);
      org_search.push_back(ms_since(t0));
    }
  }

  // --- 5. argon2id -------------------------------------------------------------------------------
  auto hash_ms = [](unsigned long long ops, std::size_t mem) {
    std::vector<double> v;
    char out[crypto_pwhash_STRBYTES];
    for (int i = 0; i < 3; ++i) {
      const auto t0 = WallClock::now();
      if (crypto_pwhash_str(out, "2468", 4, ops, mem) != 0) return -1.0;
      v.push_back(ms_since(t0));
    }
    return stats(v).p50;
  };
  if (sodium_init() < 0) return 1;
  const double interactive =
      hash_ms(crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  const double moderate = hash_ms(crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE);

  std::printf("\n");
  const Stats b = stats(base), sv = stats(save);
  print("baseline: bare INSERT + COMMIT (sync=FULL)", b);
  print("save: register_participant (sync=FULL)", sv);
  std::printf("%-44s p50 %.2fx  p99 %.2fx baseline   budget p99 < 20 ms: %s\n", "", sv.p50 / b.p50,
              sv.p99 / b.p99, sv.p99 < 20 ? "PASS" : "FAIL");
  const Stats si = stats(save_idle);
  print("save, checkpoint forced before each", si);
  std::printf("%-44s p50 %.2fx  p99 %.2fx baseline   budget p99 < 20 ms: %s\n", "", si.p50 / b.p50,
              si.p99 / b.p99, si.p99 < 20 ? "PASS" : "FAIL");
  print("CPU time of a save (both variants)", stats(save_cpu));
  const Stats se = stats(search);
  print("search_people per keystroke (all)", se);
  print("  CPU time per keystroke", stats(search_cpu));
  print("  queries of 1-2 characters (key scan)", stats(search_short));
  print("  queries of 3+ characters (FTS5 trigram)", stats(search_long));
  print("  same keystrokes, plain instr scan, no FTS", stats(scan));
  const Stats os = stats(org_search);
  print("search_organizations per keystroke", os);
  std::printf("%-44s budget p99 < 10 ms: %s (%zu hits shown in total)\n", "",
              se.p99 < 10 && os.p99 < 10 ? "PASS" : "FAIL", hits);
  std::printf("argon2id PIN hash: INTERACTIVE %.0f ms (64 MiB), MODERATE %.0f ms (256 MiB)\n",
              interactive, moderate);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(store->handle(), "SELECT count(*) FROM participant", -1, &st, nullptr);
  sqlite3_step(st);
  std::printf("participants on file at the end: %d; database %.1f MiB\n", sqlite3_column_int(st, 0),
              static_cast<double>(fs::file_size(path)) / (1024.0 * 1024.0));
  sqlite3_finalize(st);
  return 0;
}
