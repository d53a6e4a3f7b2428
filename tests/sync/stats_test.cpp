// The kiosks' anonymous visit statistics at headquarters (sync/README.md "Visit statistics"):
// signed by the device, counted once, never lowered by an older file, and in the report's
// exhibit engagement.
#include "report.h"
#include "sync_fixture.h"
#include "sync_identity.h"
#include "visit_stats.h"

using namespace sync_test;
using kiosk::core::VisitEvent;

namespace {

void visits(Kiosk& k, const std::string& day, const std::string& lang, int opens, int dwell,
            int right, int wrong) {
  kiosk::core::VisitStats v(*k.store);
  for (int i = 0; i < opens; ++i) REQUIRE(v.record_visit(day, "magnets", lang, VisitEvent::opened).ok());
  REQUIRE(v.record_visit(day, "magnets", lang, VisitEvent::dwell, dwell).ok());
  for (int i = 0; i < right; ++i) REQUIRE(v.record_visit(day, "magnets", lang, VisitEvent::quiz_right).ok());
  for (int i = 0; i < wrong; ++i) REQUIRE(v.record_visit(day, "magnets", lang, VisitEvent::quiz_wrong).ok());
}

kiosk::sync::Bytes stats_of(Kiosk& k) {
  std::string why;
  const auto s = kiosk::sync::KioskSync(*k.store).stats_file(&why);
  INFO(why);
  REQUIRE(s);
  return *s;
}

std::string engagement(Hq& hq) {
  kiosk::hq::ReportOptions o;
  o.year = 2026;
  std::string why;
  const auto r = kiosk::hq::build_report(*hq.lib, o, &why);
  INFO(why);
  REQUIRE(r);
  std::string out;
  for (const auto& row : r->find("exhibit_engagement")->rows) {
    for (const auto& c : row) out += c.text + ",";
    out += ";";
  }
  return out;
}

}  // namespace

TEST_CASE("visit statistics reach the report once, signed, and never go down", "[stats]") {
  Hq hq("stats");
  Kiosk k("stats-k", hq, "kh-1");
  CHECK(stats_of(k).empty());  // nothing recorded yet: nothing to send
  k.register_people(1);
  send(hq, k);  // headquarters binds the kiosk's key with its first bundle
  visits(k, "2026-11-28", "km", 4, 120, 3, 1);
  visits(k, "2026-11-29", "en", 2, 30, 0, 2);
  const auto first = stats_of(k);
  std::int64_t rows = 0;
  std::string why;
  REQUIRE(hq.lib->ingest_stats(first, &rows, &why));
  CHECK(rows == 2);
  CHECK(engagement(hq) == "km,4,120,75.0,;en,2,30,0.0,;");
  // The same file again changes nothing; a newer one replaces the counts; an older one arriving
  // late lowers none of them.
  REQUIRE(hq.lib->ingest_stats(first, &rows, &why));
  visits(k, "2026-11-28", "km", 1, 10, 1, 0);
  REQUIRE(hq.lib->ingest_stats(stats_of(k), &rows, &why));
  CHECK(engagement(hq) == "km,5,130,80.0,;en,2,30,0.0,;");
  REQUIRE(hq.lib->ingest_stats(first, &rows, &why));
  CHECK(engagement(hq) == "km,5,130,80.0,;en,2,30,0.0,;");
  // Export to USB writes them beside the bundles, even with no record pending.
  const std::string stick = fresh_dir("stats-stick");
  const auto exported = kiosk::sync::KioskSync(*k.store).export_bundles(stick);
  INFO(exported.detail);
  CHECK(exported.code == kiosk::sync::SyncCode::nothing_to_send);
  const auto id = *kiosk::core::SyncIdentityStore(*k.store).load().value;
  const auto file = kiosk::sync::read_file(stick + "/stats-" + id.hq_device_id + ".rks", 1 << 20, &why);
  REQUIRE(file);
  CHECK(*file == stats_of(k));
  // Another year's days stay out of 2026.
  visits(k, "2025-06-01", "ar", 9, 9, 0, 0);
  REQUIRE(hq.lib->ingest_stats(stats_of(k), &rows, &why));
  CHECK(engagement(hq) == "km,5,130,80.0,;en,2,30,0.0,;");
}

TEST_CASE("forged, tampered, foreign and unbound statistics change nothing", "[stats]") {
  Hq hq("stats-bad");
  Kiosk k("stats-bad-k", hq, "kh-1"), silent("stats-bad-silent", hq, "kh-2");
  k.register_people(1);
  send(hq, k);
  visits(k, "2026-11-28", "km", 1, 5, 1, 0);
  visits(silent, "2026-11-28", "km", 1, 5, 1, 0);
  const std::string before = library_bytes(hq.dir);
  std::int64_t rows = 0;
  std::string why;
  auto refused = [&](const kiosk::sync::Bytes& b, const std::string& reason) {
    CHECK_FALSE(hq.lib->ingest_stats(b, &rows, &why));
    CHECK(why.find(reason) != std::string::npos);
    CHECK(library_bytes(hq.dir) == before);
  };
  auto good = stats_of(k);
  for (std::size_t i = 0; i < good.size(); i += 5) {
    auto bad = good;
    bad[i] ^= 0x10;
    CHECK_FALSE(hq.lib->ingest_stats(bad, &rows, &why));
  }
  CHECK(library_bytes(hq.dir) == before);
  refused({}, "0 bytes");
  refused(kiosk::sync::Bytes(good.begin(), good.begin() + 40), "truncated");
  refused(stats_of(silent), "not bound yet");
  // Signed by another key under this kiosk's id.
  auto st = *kiosk::sync::parse_stats(good, &why);
  refused(kiosk::sync::sign_stats(st, kiosk::sync::SigningKeys::generate().secret_key), "not signed by device");
  // Signed by the kiosk but breaking the library's rules: all rows or none.
  const auto id = *kiosk::core::SyncIdentityStore(*k.store).load().value;
  kiosk::sync::Key64 sk{};
  std::copy(id.device_sign_sk.begin(), id.device_sign_sk.end(), sk.begin());
  st.payload = R"([{"day":"2026-11-28","exhibit":"magnets","lang":"km","opened":1,"dwell_s":5,"quiz_right":1,"quiz_wrong":0},)"
               R"({"day":"2026-13-45","exhibit":"magnets","lang":"km","opened":1,"dwell_s":5,"quiz_right":1,"quiz_wrong":0}])";
  refused(kiosk::sync::sign_stats(st, sk), "breaks the library's rules");
  st.payload = R"([{"day":"2026-11-28","exhibit":"magnets","lang":"km","opened":-3,"dwell_s":5,"quiz_right":1,"quiz_wrong":0}])";
  refused(kiosk::sync::sign_stats(st, sk), "breaks the library's rules");
  st.payload = "not json";
  refused(kiosk::sync::sign_stats(st, sk), "not a JSON array");
  std::string ok_why;
  REQUIRE(hq.lib->revoke("kh-1", &ok_why));
  const std::string revoked = library_bytes(hq.dir);
  CHECK_FALSE(hq.lib->ingest_stats(good, &rows, &why));
  CHECK(why.find("revoked") != std::string::npos);
  CHECK(library_bytes(hq.dir) == revoked);
}
