// report_bench — issue 11 item 5: the yearly report (sync/hq/report.h) for a library of 10,000
// people, 300 organizations and 200 events, and the web's library search page (sync/hq/web.h,
// over loopback HTTP with a signed-in session, as a browser asks for it), against a plain
// `SELECT count(*)` over the same tables in the same run. Budgets: the report (every table, HTML,
// CSV, XLSX, queries.sql written) under 2 s; the search page under 50 ms. A program, not a
// timed test.
//
//   build/release/bench/report_bench [people=10000] [organizations=300] [events=200]
//
// The library is filled the real way: 20 kiosks' bundles, sealed in memory (real format,
// signatures and encryption) and ingested with matching, so canonical persons, merges and the
// review queue are what headquarters would hold. 10% of people are registered again on another
// kiosk (exact merges); every person attends one or two of their kiosk's events over 2025-2026.
#include "format.h"
#include "hq_bench_common.h"
#include "library.h"
#include "report.h"
#include "web.h"

#include <httplib.h>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kiosk::sync::Bytes;
using hq_bench::kFamily;
using hq_bench::kGiven;
using hq_bench::seconds_since;
using hq_bench::uuid;

const char* kCountry[] = {"KH", "MM", "EG", "ZA"};
const char* kGender[] = {"female", "male", "female", "male", "other", "unspecified"};
const char* kRole[] = {"student", "student", "student", "teacher", "other"};
const char* kKind[] = {"school", "school", "school", "university", "society", "ngo"};

struct Person {
  std::string given, family, org_name, birth;
  int year = 0;
};

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// Fills `lib` through 20 kiosks' bundles; returns false with a message on a refusal.
bool fill(kiosk::hq::Library& lib, int people, int organizations, int events) {
  constexpr int kKiosks = 20;
  std::mt19937_64 rng(11);
  std::string why;
  std::vector<std::string> org_names;
  for (int o = 0; o < organizations; ++o) org_names.push_back("Organization " + std::to_string(o));
  std::vector<Person> registered;
  for (int k = 0; k < kKiosks; ++k) {
    const auto e = lib.enroll("kiosk-" + std::to_string(k), "tour-" + std::to_string(k % 4), "", &why);
    if (!e) return std::fprintf(stderr, "report_bench: %s\n", why.c_str()), false;
    const auto keys = kiosk::sync::SigningKeys::generate();
    std::string json = "[";
    std::int64_t seq = 0;
    auto add = [&](const char* entity, const std::string& id, const std::string& payload) {
      if (seq) json += ',';
      ++seq;
      json += "{\"seq\":" + std::to_string(seq) + ",\"device\":\"store-" + std::to_string(k) +
              "\",\"entity\":\"" + entity + "\",\"entity_id\":\"" + id +
              "\",\"op\":\"insert\",\"format\":1,\"at\":\"2026-01-01T10:00:00.000Z\",\"payload\":" +
              payload + "}";
    };
    const char* country = kCountry[k % 4];
    // This kiosk's share of the organization library (each organization on one kiosk).
    std::vector<std::pair<std::string, std::string>> orgs;  // name, id
    for (int o = k; o < organizations; o += kKiosks) {
      const std::string id = uuid(rng);
      orgs.emplace_back(org_names[static_cast<std::size_t>(o)], id);
      add("organization", id,
          "{\"id\":\"" + id + "\",\"name\":\"" + org_names[static_cast<std::size_t>(o)] +
              "\",\"name_latin\":\"" + org_names[static_cast<std::size_t>(o)] + "\",\"kind\":\"" +
              kKind[o % 6] + "\",\"country\":\"" + country +
              "\",\"city\":\"\",\"origin\":\"local\",\"created_at\":\"2025-" + two(1 + o % 12) +
              "-01T09:00:00.000Z\"}");
    }
    std::vector<std::string> event_ids, event_dates;
    for (int v = k; v < events; v += kKiosks) {
      const std::string id = uuid(rng);
      const std::string date = std::string(v % 2 ? "2026-" : "2025-") + two(1 + v % 12) + "-" + two(1 + v % 28);
      event_ids.push_back(id);
      event_dates.push_back(date);
      add("event", id,
          "{\"id\":\"" + id + "\",\"name\":\"Science fair " + std::to_string(v) + "\",\"tour\":\"tour-" +
              std::to_string(k % 4) + "\",\"venue\":\"\",\"city\":\"City " + std::to_string(k) +
              "\",\"country\":\"" + country + "\",\"start_date\":\"" + date + "\",\"end_date\":\"" +
              date + "\",\"activity_types\":[\"exhibition_visit\"]}");
    }
    for (int i = 0; i < people / kKiosks; ++i) {
      Person p;
      const bool dup = !registered.empty() && rng() % 10 == 0;
      if (dup) {
        p = registered[rng() % registered.size()];
      } else {
        p.given = std::string(kGiven[rng() % 16]) + std::to_string(rng() % 100000);
        p.family = kFamily[rng() % 16];
        p.year = 1980 + static_cast<int>(rng() % 40);
        p.birth = rng() % 3 ? std::to_string(p.year) + "-" + two(1 + static_cast<int>(rng() % 12)) + "-15" : "";
        p.org_name = orgs.empty() ? "" : orgs[rng() % orgs.size()].first;
      }
      std::string org_id;
      for (const auto& [name, id] : orgs)
        if (name == p.org_name) org_id = id;
      const std::string id = uuid(rng);
      const std::size_t ev = rng() % event_ids.size();
      add("participant", id,
          "{\"id\":\"" + id + "\",\"given_name\":\"\",\"family_name\":\"\",\"given_name_latin\":\"" +
              p.given + "\",\"family_name_latin\":\"" + p.family + "\",\"birth_date\":" +
              (p.birth.empty() ? std::string("null") : "\"" + p.birth + "\"") +
              ",\"birth_year\":" + std::to_string(p.year) + ",\"gender\":\"" + kGender[rng() % 6] +
              "\",\"role\":\"" + kRole[rng() % 5] + "\",\"organization_id\":" +
              (org_id.empty() ? std::string("null") : "\"" + org_id + "\"") +
              ",\"created_at\":\"" + event_dates[ev] + "T10:00:00.000Z\",\"voided\":0}");
      for (std::size_t n = 0, visits = 1 + rng() % 2; n < visits; ++n) {
        const std::string a = uuid(rng);
        add("attendance", a,
            "{\"id\":\"" + a + "\",\"participant_id\":\"" + id + "\",\"event_id\":\"" +
                event_ids[n ? rng() % event_ids.size() : ev] +
                "\",\"activity\":\"exhibition_visit\",\"at\":\"2026-01-01T10:00:00.000Z\"}");
      }
      if (!dup) registered.push_back(p);
    }
    json += "]";
    kiosk::sync::BundleHeader h;
    h.device = e->device;
    h.incarnation = *kiosk::sync::parse_uuid(uuid(rng));
    h.first_seq = 1;
    h.last_seq = seq;
    h.device_public_key = keys.public_key;
    const auto r = lib.ingest(kiosk::sync::seal_bundle(h, json, keys.secret_key, e->secret, e->hq_box_public), "file");
    if (!r.accepted()) return std::fprintf(stderr, "report_bench: refused: %s\n", r.reason.c_str()), false;
  }
  return true;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int people = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int organizations = argc > 2 ? std::atoi(argv[2]) : 300;
  const int events = argc > 3 ? std::atoi(argv[3]) : 200;
  if (people < 20 || organizations < 1 || events < 20) {
    std::fprintf(stderr, "usage: report_bench [people>=20] [organizations>=1] [events>=20]\n");
    return 2;
  }
  const fs::path dir = fs::temp_directory_path() / "report-bench";
  fs::remove_all(dir);
  std::string why;
  if (!kiosk::hq::Library::init((dir / "library").string(), &why)) {
    std::fprintf(stderr, "report_bench: %s\n", why.c_str());
    return 1;
  }
  auto lib = kiosk::hq::Library::open((dir / "library").string(), &why);
  const auto t_fill = std::chrono::steady_clock::now();
  if (!lib || !fill(*lib, people, organizations, events)) return 1;
  std::printf("library: %lld people (canonical), %lld organizations, %lld events, %lld attendances"
              " (filled in %.1f s)\n",
              static_cast<long long>(lib->count("person WHERE merged_into IS NULL")),
              static_cast<long long>(lib->count("organization WHERE merged_into IS NULL")),
              static_cast<long long>(lib->count("source_record WHERE entity = 'event'")),
              static_cast<long long>(lib->count("source_record WHERE entity = 'attendance'")),
              seconds_since(t_fill));
  // The baseline: a plain count over every table the report reads.
  const char* kTables[] = {"source_record", "source_link", "person", "organization",
                           "merge_candidate", "incarnation", "entry", "device", "meta"};
  kiosk::hq::ReportOptions o;
  o.year = 2026;
  std::vector<double> counts, builds, writes;
  long long rows = 0;
  const int runs = std::getenv("REPORT_BENCH_RUNS") ? std::atoi(std::getenv("REPORT_BENCH_RUNS")) : 5;
  for (int i = 0; i < runs; ++i) {
    auto t = std::chrono::steady_clock::now();
    for (const char* table : kTables) rows += lib->count(table);
    counts.push_back(seconds_since(t));
    t = std::chrono::steady_clock::now();
    const auto r = kiosk::hq::build_report(*lib, o, &why);
    builds.push_back(seconds_since(t));
    if (!r) return std::fprintf(stderr, "report_bench: %s\n", why.c_str()), 1;
    const fs::path out = dir / ("report-" + std::to_string(i));
    t = std::chrono::steady_clock::now();
    if (!kiosk::hq::write_report(*lib, o, out.string(), &why))
      return std::fprintf(stderr, "report_bench: %s\n", why.c_str()), 1;
    writes.push_back(seconds_since(t));
    if (i == 0) {
      const auto* part = r->find("girls_and_women");
      std::printf("2026: %s participants (the report's figure)\n",
                  part && !part->rows.empty() ? part->rows.back()[1].text.c_str() : "?");
    }
  }
  std::printf("plain SELECT count(*) over the %zu tables: median %.4f s\n", std::size(kTables), median(counts));
  std::printf("report figures (build_report):         median %.3f s\n", median(builds));
  std::printf("report written (HTML, CSV, XLSX, SQL):  median %.3f s (budget < 2 s)\n", median(writes));
  std::printf("ratio written report / plain counts:    %.0fx\n", median(writes) / median(counts));

  // The search page: `hq serve`'s web routes on loopback, a signed-in session, whole pages.
  if (!lib->web_user_add("Bench", "bench password 1", "viewer", "bench", &why))
    return std::fprintf(stderr, "report_bench: %s\n", why.c_str()), 1;
  const auto session = lib->web_session_start(lib->web_account("Bench")->user, &why);
  if (!session) return std::fprintf(stderr, "report_bench: %s\n", why.c_str()), 1;
  httplib::Server svr;
  std::mutex mu;
  kiosk::hq::register_web(svr, *lib, mu);
  const int port = svr.bind_to_any_port("127.0.0.1");
  std::thread server([&] { svr.listen_after_bind(); });
  httplib::Client cli("127.0.0.1", port);
  const httplib::Headers cookie = {{"Cookie", "hq_session=" + session->token}};
  auto timed_get = [&](const std::string& path, std::vector<double>* into) {
    const auto t = std::chrono::steady_clock::now();
    const auto res = cli.Get(path.c_str(), cookie);
    into->push_back(seconds_since(t));
    return res && res->status == 200;
  };
  std::vector<double> search, all, plain;
  const char* words[] = {"dara", "sok", "van der", "wei li", "thandiwe", "myint"};
  bool ok = true;
  for (int i = 0; i < 5 * runs; ++i) {
    auto t = std::chrono::steady_clock::now();
    lib->count("source_record");  // the page's baseline, the same table
    plain.push_back(seconds_since(t));
    std::string q = words[i % std::size(words)];
    for (auto& c : q) if (c == ' ') c = '+';
    ok = timed_get("/persons?q=" + q, &search) && ok;
    if (i % 5 == 0) ok = timed_get("/persons", &all) && ok;
  }
  svr.stop();
  server.join();
  if (!ok) return std::fprintf(stderr, "report_bench: a search page did not answer 200\n"), 1;
  std::sort(search.begin(), search.end());
  std::printf("plain SELECT count(*) over source_record: median %.4f s\n", median(plain));
  std::printf("search page /persons?q=WORD (%zu pages):  median %.3f s, worst %.3f s (budget < 0.05 s)\n",
              search.size(), median(search), search.back());
  std::printf("first page of everyone /persons:        median %.3f s\n", median(all));
  std::printf("ratio search page / plain count:        %.0fx\n", median(search) / median(plain));
  lib.reset();
  if (!std::getenv("REPORT_BENCH_KEEP")) fs::remove_all(dir);  // keep it to profile queries.sql
  return rows > 0 ? 0 : 1;
}
