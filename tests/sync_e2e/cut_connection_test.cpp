// The connection cut in the middle of an upload (issue 9 item 6; README "Transports": a cut at
// any point leaves the kiosk's mark where it was; sending again is harmless). A CutProxy between
// KioskSync::send_now and the real `hq serve` closes both sockets at chosen points: in the
// request line, in the headers, at the first, middle and last byte of the body, after the whole
// request arrived but before the receipt came back, right after the request (the kiosk gone
// before hq answers), and on the second bundle of two. After every cut: send_now says `network`,
// the kiosk's mark is what it was (or the first bundle's end) and covered by what hq holds, hq is
// still serving, and the kiosk process took no SIGPIPE. Then a direct send delivers all, once.
#include "cut_proxy.h"
#include "e2e_support.h"

#include <catch2/catch.hpp>

using namespace e2e;
using kiosk::sync::SyncCode;
using Cut = CutProxy::Cut;

namespace {

struct CutCase {
  std::string what;
  CutProxy::Plan plan;
  std::int64_t hq_mark_after;     // headquarters' high-water mark after the cut
  std::int64_t kiosk_mark_after;  // the kiosk's acked_seq after the cut
};

std::int64_t hq_mark(LibraryDb& lib, const std::string& device) {
  return lib.integer("SELECT coalesce(sum(high_water - base_seq + 1), 0) FROM incarnation"
                     " WHERE device_id = '" + device + "'");
}

// Runs send_now through a proxy that cuts as planned, and checks everything a cut must leave.
void send_through_cut(const CutCase& c, Kiosk& kiosk, HqServer& hq, LibraryDb& lib) {
  INFO("cut " << c.what);
  CutProxy proxy(hq.port(), c.plan);
  const std::int64_t before = kiosk.acked_seq();
  const int sigpipes = sigpipe_count();
  const auto out = kiosk.sync().send_now(proxy.url(), {}, 10);
  const auto rep = proxy.report();
  INFO("send_now: " << kiosk::sync::sync_code_key(out.code) << ": " << out.detail
                    << "; proxy: connections " << rep.connections << ", forwarded "
                    << rep.forwarded << " of " << rep.header_size << " + " << rep.body_size);
  CHECK(rep.cut);
  CHECK(out.code == SyncCode::network);
  CHECK(out.acked_before == before);
  CHECK(out.acked_after == c.kiosk_mark_after);
  CHECK(kiosk.acked_seq() == c.kiosk_mark_after);
  if (c.plan.cut == Cut::request_bytes) CHECK((rep.header_size == 0 || rep.forwarded < rep.header_size));
  if (c.plan.cut == Cut::body_bytes) CHECK(rep.forwarded < rep.header_size + rep.body_size);
  {
    // The kiosk process keeps SIGPIPE's default disposition: one here would have killed it.
    INFO("send_now raised SIGPIPE in the kiosk process (cpp-httplib 0.11 sends with flags 0 "
         "and nothing in sync/ or kiosk/ ignores SIGPIPE)");
    CHECK(sigpipe_count() == sigpipes);
  }
  // hq may still be working on a request whose client is gone: wait (bounded) for its mark.
  const bool reached = wait_until([&] { return hq_mark(lib, kiosk.hq_device_id()) >= c.hq_mark_after; }, 30);
  CHECK(reached);
  CHECK(hq_mark(lib, kiosk.hq_device_id()) == c.hq_mark_after);
  // hq must survive a client that vanished; if it died, say how and restart it to go on.
  const bool alive = hq.running() && get(hq.url(), "/healthz").status == 200;
  INFO("hq serve after the cut: " << hq.exit_status() << "\n" << hq.log());
  CHECK(alive);
  if (!alive) {
    if (hq.running()) hq.kill9();
    hq.start();
  }
  require_mark_backed(lib, kiosk);
}

void send_directly_and_check_all_once(Kiosk& kiosk, HqServer& hq, LibraryDb& lib) {
  const std::int64_t last = kiosk.last_seq();
  const auto out = kiosk.sync().send_now(hq.url(), {}, 10);
  INFO("direct send after the cuts: " << out.detail);
  REQUIRE(out.code == SyncCode::ok);
  CHECK(out.acked_after == last);
  CHECK(kiosk.acked_seq() == last);
  CHECK(hq_mark(lib, kiosk.hq_device_id()) == last);
  require_exactly_once(lib, {&kiosk});
  CHECK(require_mark_backed(lib, kiosk) == last);
  // Every bundle that reached hq was applied once: the new-entry counts add up to last.
  CHECK(lib.integer("SELECT sum(new_entries) FROM bundle") == last);
}

}  // namespace

TEST_CASE("a connection cut anywhere in an upload moves no mark, and sending again delivers it once",
          "[cut]") {
  TempDir dir("cut");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-cut"));
  kiosk.register_people(300, "cut");  // 602 entries: one bundle of about 400 KB
  const std::int64_t last = kiosk.last_seq();
  REQUIRE(last == 602);
  const auto size = static_cast<std::int64_t>(kiosk.pending_bundles().at(0).size());

  HqServer hq(library, dir.path().string());
  LibraryDb lib(library);
  const CutCase cases[] = {
      {"in the request line (10 bytes)", {0, Cut::request_bytes, 10}, 0, 0},
      {"in the headers (60 bytes)", {0, Cut::request_bytes, 60}, 0, 0},
      {"after the headers, before the body", {0, Cut::body_bytes, 0}, 0, 0},
      {"after the first body byte", {0, Cut::body_bytes, 1}, 0, 0},
      {"in the middle of the body", {0, Cut::body_bytes, size / 2}, 0, 0},
      {"one byte before the end of the body", {0, Cut::body_bytes, -1}, 0, 0},
      {"after the request arrived, before the receipt", {0, Cut::before_response, 0}, last, 0},
      {"the kiosk gone right after the request (a replay)", {0, Cut::right_after_request, 0}, last, 0},
  };
  for (const auto& c : cases) send_through_cut(c, kiosk, hq, lib);
  send_directly_and_check_all_once(kiosk, hq, lib);
}

TEST_CASE("a cut on the second of two bundles leaves the mark at the end of the first", "[cut]") {
  TempDir dir("cut2");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-cut2"));
  kiosk.register_people(2600, "cut2");  // 5202 entries: bundles 1..5000 and 5001..5202
  REQUIRE(kiosk.last_seq() == 5202);
  REQUIRE(kiosk.pending_bundles().size() == 2);

  HqServer hq(library, dir.path().string());
  LibraryDb lib(library);
  // The first bundle passes and its receipt moves the mark; the second is cut mid-body.
  send_through_cut({"second bundle, in the middle of its body", {1, Cut::body_bytes, 50'000}, 5000, 5000},
                   kiosk, hq, lib);
  // Now the first request carries 5001..5202: hq gets it all, the kiosk is gone before the answer.
  send_through_cut({"the remaining bundle, kiosk gone right after the request", {0, Cut::right_after_request, 0},
                    5202, 5000},
                   kiosk, hq, lib);
  send_directly_and_check_all_once(kiosk, hq, lib);
}
