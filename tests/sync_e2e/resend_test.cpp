// The same bundle sent twice (issue 9 item 6): headquarters answers the second copy with a
// receipt too, adds nothing (new_entries 0), and the library holds every record once — over
// HTTP and again as a file with `hq import`.
#include "e2e_support.h"

#include <catch2/catch.hpp>

#include <chrono>

using namespace e2e;
using kiosk::sync::SyncCode;

TEST_CASE("the same bundle posted twice is held once and both answers are receipts", "[resend]") {
  TempDir dir("resend");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-resend"));
  kiosk.register_people(40, "resend");
  const auto ident = kiosk.identity();
  kiosk::sync::Key32 hq_sign{};
  std::copy(ident.hq_sign_pk.begin(), ident.hq_sign_pk.end(), hq_sign.begin());

  HqServer hq(library, dir.path().string());
  const auto bundles = kiosk.pending_bundles();
  REQUIRE(bundles.size() == 1);
  const std::int64_t last = kiosk.last_seq();

  const auto first = post_bundle(hq.url(), bundles[0]);
  INFO("first answer: " << first.body);
  REQUIRE(first.status == 200);
  const auto second = post_bundle(hq.url(), bundles[0]);
  INFO("second answer: " << second.body);
  REQUIRE(second.status == 200);

  // Both answers are receipts signed by headquarters, and they certify the same mark.
  std::string why;
  const auto r1 = kiosk::sync::parse_receipt(Bytes(first.body.begin(), first.body.end()), hq_sign, &why);
  INFO(why);
  REQUIRE(r1);
  const auto r2 = kiosk::sync::parse_receipt(Bytes(second.body.begin(), second.body.end()), hq_sign, &why);
  INFO(why);
  REQUIRE(r2);
  REQUIRE(r1->marks.size() == 1);
  REQUIRE(r2->marks.size() == 1);
  CHECK(r1->marks[0].high_water == last);
  CHECK(r2->marks[0].high_water == last);

  {
    LibraryDb lib(library);
    // Two bundle rows (both arrivals are on record), the second with nothing new.
    const auto rows = lib.rows("SELECT new_entries, transport FROM bundle ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0] == std::to_string(last));
    CHECK(rows[1][0] == "0");
    CHECK(kiosk.acked_seq() == 0);  // nothing applied yet: the mark waits for apply_receipt
    require_exactly_once(lib, {&kiosk});
  }
  CHECK(hq.log().find("(0 new)") != std::string::npos);

  // Applying the second receipt moves the mark to the end, and no further.
  const auto applied = kiosk.sync().apply_receipt(Bytes(second.body.begin(), second.body.end()));
  INFO(applied.detail);
  REQUIRE(applied.ok());
  CHECK(applied.acked_after == last);
  CHECK(kiosk.acked_seq() == last);

  // The same records again as a file on a USB stick: `hq import` says 0 new.
  const fs::path stick = dir.path() / "stick";
  fs::create_directories(stick);
  write_bytes(stick / "copy.rkb", bundles[0]);
  const auto imp = run_hq({"--library", library, "import", (stick / "copy.rkb").string()});
  INFO("hq import: exit " << imp.exit_code << "\n" << imp.out << imp.err);
  REQUIRE(imp.exit_code == 0);
  CHECK(imp.out.find(", 0 new") != std::string::npos);

  // An overlapping bundle (1..last and 20 more people) adds exactly the 40 new entries.
  kiosk.register_people(20, "resend-2");
  const auto again = kiosk.pending_bundles();  // above the mark: last+1 .. last+40
  REQUIRE(again.size() == 1);
  const auto sent = kiosk.sync().send_now(hq.url(), {}, 10);
  INFO(sent.detail);
  REQUIRE(sent.code == kiosk::sync::SyncCode::ok);
  CHECK(sent.acked_after == kiosk.last_seq());
  const auto third = post_bundle(hq.url(), again[0]);  // the same range, sealed separately
  REQUIRE(third.status == 200);

  hq.stop();
  LibraryDb lib(library);
  CHECK(lib.text("SELECT group_concat(new_entries, ',') FROM (SELECT new_entries FROM bundle ORDER BY id)") ==
        std::to_string(last) + ",0,0,40,0");
  require_exactly_once(lib, {&kiosk});
  CHECK(require_mark_backed(lib, kiosk) == kiosk.last_seq());
  CHECK(kiosk.acked_seq() == kiosk.last_seq());
}

// A bundle re-sent because its receipt was lost (a cut connection, hq restarted after COMMIT)
// is full-size in practice: 5,000 entries. Headquarters must answer it well within the kiosk's
// read timeout (30 s in send_now; here 10 s), or the kiosk can never acknowledge those records.
TEST_CASE("a re-sent full bundle of 5,000 entries is answered within the kiosk's timeout", "[resend]") {
  TempDir dir("resend-full");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-resend-full"));
  kiosk.register_people(2499, "full");  // 2 + 2 x 2499 = 5000 entries: exactly one full bundle
  REQUIRE(kiosk.last_seq() == 5000);
  const auto bundles = kiosk.pending_bundles();
  REQUIRE(bundles.size() == 1);

  HqServer hq(library, dir.path().string());
  const auto first = post_bundle(hq.url(), bundles[0]);  // hq holds it; the kiosk never heard
  REQUIRE(first.status == 200);
  REQUIRE(kiosk.acked_seq() == 0);
  const auto t0 = std::chrono::steady_clock::now();
  const auto again = kiosk.sync().send_now(hq.url(), {}, 10);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0).count();
  INFO("re-send of 5,000 entries hq already holds: " << ms << " ms: " << again.detail << "\n"
                                                    << hq.log());
  CHECK(again.code == SyncCode::ok);
  CHECK(kiosk.acked_seq() == (again.code == SyncCode::ok ? 5000 : 0));
  hq.kill9();  // do not wait for an ingest still running after the kiosk gave up
  LibraryDb lib(library);
  require_exactly_once(lib, {&kiosk});
  require_mark_backed(lib, kiosk);
}

// A backlog of more than one bundle: the second bundle of an incarnation (1,002 entries above
// 5,000 already held) must be ingested within the kiosk's timeout too.
TEST_CASE("the second bundle of a backlog is accepted within the kiosk's timeout", "[resend]") {
  TempDir dir("backlog");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-backlog"));
  kiosk.register_people(3000, "backlog");  // 6,002 entries: bundles 1..5000 and 5001..6002
  REQUIRE(kiosk.last_seq() == 6002);

  HqServer hq(library, dir.path().string());
  const auto t0 = std::chrono::steady_clock::now();
  const auto out = kiosk.sync().send_now(hq.url(), {}, 10);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0).count();
  INFO("send of 6,002 entries (two bundles): " << ms << " ms: " << out.detail << "\n" << hq.log());
  CHECK(out.code == SyncCode::ok);
  CHECK(out.bundles == 2);
  hq.kill9();
  LibraryDb lib(library);
  CHECK(require_mark_backed(lib, kiosk) >= 5000);
  if (out.code == SyncCode::ok) require_exactly_once(lib, {&kiosk});
}

TEST_CASE("nothing to send to a headquarters that cannot be reached is a network failure, not success",
          "[resend]") {
  TempDir dir("unreached");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-unreached"));
  kiosk.register_people(3, "unreached");
  HqServer hq(library, dir.path().string());
  const std::string url = hq.url();
  const auto sent = kiosk.sync().send_now(url);
  INFO(sent.detail);
  REQUIRE(sent.code == SyncCode::ok);
  const auto again = kiosk.sync().send_now(url);
  CHECK(again.code == SyncCode::nothing_to_send);  // reached, everything confirmed
  hq.stop();
  const std::int64_t acked = kiosk.acked_seq();
  const auto unreached = kiosk.sync().send_now(url, {}, 5);
  INFO(unreached.detail);
  CHECK(unreached.code == SyncCode::network);
  CHECK_FALSE(unreached.ok());
  CHECK(unreached.detail.rfind(url + ": ", 0) == 0);
  CHECK(unreached.detail.find("nothing to send: every record is confirmed already") != std::string::npos);
  CHECK(kiosk.acked_seq() == acked);  // nothing moved
}
