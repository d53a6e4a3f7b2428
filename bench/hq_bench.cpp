// hq_bench — issue 10's budget: ingest and merge 10,000 people from 20 kiosks with 10% cross-kiosk
// duplicates, against the same ingest without matching (canonical records, exact merges, review
// queue) in the same run. Budget: matching adds under 2x. A program, not a timed test.
//
//   build/release/bench/hq_bench [people=10000] [kiosks=20] [duplicate_percent=10]
//
// The kiosks' bundles are sealed in memory (real format, real signatures and encryption) from
// synthetic registrations, so the figure is headquarters' work alone: verify, decrypt, ingest.
#include "format.h"
#include "hq_bench_common.h"
#include "library.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kiosk::sync::Bytes;
using hq_bench::kFamily;
using hq_bench::kGiven;
using hq_bench::seconds_since;
using hq_bench::uuid;


struct Person {
  std::string id, given, family, org;
  int year;
};

struct Run {
  double seconds = 0;
  long long persons = 0, canonical = 0, merges = 0, queued = 0;
};

Run run(bool matching, int people, int kiosks, int dup_percent, unsigned seed) {
  const fs::path dir = fs::temp_directory_path() / ("hq-bench-" + std::to_string(matching));
  fs::remove_all(dir);
  std::string why;
  if (!kiosk::hq::Library::init(dir.string(), &why)) {
    std::fprintf(stderr, "hq_bench: %s\n", why.c_str());
    std::exit(1);
  }
  auto lib = kiosk::hq::Library::open(dir.string(), &why);
  lib->set_matching_for_benchmark(matching);
  std::mt19937_64 rng(seed);
  // The schools every kiosk shares (same name and country: exact organization matches).
  std::vector<std::string> school_names;
  for (int s = 0; s < 15; ++s) school_names.push_back("School " + std::to_string(s));
  std::vector<Person> registered;  // earlier kiosks' people, the pool duplicates come from
  std::vector<Bytes> bundles;
  const int per_kiosk = people / kiosks;
  for (int k = 0; k < kiosks; ++k) {
    const auto e = lib->enroll("kiosk-" + std::to_string(k), "tour", "", &why);
    const auto keys = kiosk::sync::SigningKeys::generate();
    std::string json = "[";
    std::int64_t seq = 0;
    auto add = [&](const std::string& entity, const std::string& id, const std::string& payload) {
      if (seq) json += ',';
      ++seq;
      json += "{\"seq\":" + std::to_string(seq) + ",\"device\":\"store-" + std::to_string(k) +
              "\",\"entity\":\"" + entity + "\",\"entity_id\":\"" + id +
              "\",\"op\":\"insert\",\"format\":1,\"at\":\"2026-11-" +
              std::to_string(10 + k % 18) + "T10:00:00.000Z\",\"payload\":" + payload + "}";
    };
    std::vector<std::string> org_ids;
    for (const auto& name : school_names) {
      org_ids.push_back(uuid(rng));
      add("organization", org_ids.back(),
          "{\"id\":\"" + org_ids.back() + "\",\"name\":\"" + name + "\",\"name_latin\":\"" + name +
              "\",\"kind\":\"school\",\"country\":\"KH\",\"city\":\"\",\"origin\":\"local\"}");
    }
    for (int i = 0; i < per_kiosk; ++i) {
      Person p;
      const bool dup = !registered.empty() && static_cast<int>(rng() % 100) < dup_percent;
      if (dup) {
        p = registered[rng() % registered.size()];
      } else {
        p.given = std::string(kGiven[rng() % 16]) + std::to_string(rng() % 1000);
        p.family = kFamily[rng() % 16];
        p.year = 2005 + static_cast<int>(rng() % 12);
        p.org = school_names[rng() % school_names.size()];
      }
      std::string org_id;
      for (std::size_t s = 0; s < school_names.size(); ++s)
        if (school_names[s] == p.org) org_id = org_ids[s];
      const std::string id = uuid(rng);
      add("participant", id,
          "{\"id\":\"" + id + "\",\"given_name\":\"\",\"family_name\":\"\",\"given_name_latin\":\"" +
              p.given + "\",\"family_name_latin\":\"" + p.family + "\",\"birth_date\":null,"
              "\"birth_year\":" + std::to_string(p.year) + ",\"gender\":\"female\",\"role\":\"student\","
              "\"organization_id\":\"" + org_id + "\",\"voided\":0}");
      if (!dup) registered.push_back(p);
    }
    json += "]";
    kiosk::sync::BundleHeader h;
    h.device = e->device;
    h.incarnation = *kiosk::sync::parse_uuid(uuid(rng));
    h.first_seq = 1;
    h.last_seq = seq;
    h.device_public_key = keys.public_key;
    bundles.push_back(kiosk::sync::seal_bundle(h, json, keys.secret_key, e->secret, e->hq_box_public));
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& b : bundles) {
    const auto r = lib->ingest(b, "file");
    if (!r.accepted()) {
      std::fprintf(stderr, "hq_bench: refused: %s\n", r.reason.c_str());
      std::exit(1);
    }
  }
  Run out;
  out.seconds = seconds_since(t0);
  out.persons = lib->count("person_source");
  out.canonical = lib->count("person WHERE merged_into IS NULL");
  out.merges = lib->count("merge WHERE kind = 'person'");
  out.queued = lib->count("merge_candidate");
  lib.reset();
  fs::remove_all(dir);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int people = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int kiosks = argc > 2 ? std::atoi(argv[2]) : 20;
  const int dup = argc > 3 ? std::atoi(argv[3]) : 10;
  if (people < kiosks || kiosks < 1 || dup < 0 || dup > 100) {
    std::fprintf(stderr, "usage: hq_bench [people>=kiosks] [kiosks>=1] [duplicate_percent 0-100]\n");
    return 2;
  }
  std::vector<double> plain, matched;
  Run last;
  for (int i = 0; i < 3; ++i) {  // alternate, so drift in machine load hits both alike
    plain.push_back(run(false, people, kiosks, dup, 7u + static_cast<unsigned>(i)).seconds);
    last = run(true, people, kiosks, dup, 7u + static_cast<unsigned>(i));
    matched.push_back(last.seconds);
  }
  std::sort(plain.begin(), plain.end());
  std::sort(matched.begin(), matched.end());
  std::printf("people %d from %d kiosks, %d%% cross-kiosk duplicates\n", people, kiosks, dup);
  std::printf("plain ingest (no matching):   median %.3f s\n", plain[1]);
  std::printf("ingest with matching:         median %.3f s\n", matched[1]);
  std::printf("ratio matching / plain:       %.2fx (budget < 2x)\n", matched[1] / plain[1]);
  std::printf("last run: %lld sources -> %lld persons, %lld exact merges, %lld queued for review\n",
              last.persons, last.canonical, last.merges, last.queued);
  return 0;
}
