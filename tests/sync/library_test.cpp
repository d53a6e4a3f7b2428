// Headquarters' library (sync/hq/library.h L1-L5): idempotent, order-free, atomic ingest, and
// refusals that change nothing.
#include "sync_fixture.h"

#include "sync_identity.h"

#include <sqlite3.h>

using namespace sync_test;
using kiosk::hq::IngestResult;
using kiosk::sync::Bytes;

TEST_CASE("a first bundle binds the kiosk's key and yields a receipt", "[library]") {
  Hq hq("lib-first");
  Kiosk k("lib-first-kiosk", hq, "pp-1");
  k.register_people(3);
  const auto b = k.bundles();
  REQUIRE(b.size() == 1);
  const auto r = hq.lib->ingest(b[0], "http");
  REQUIRE(r.accepted());
  CHECK(r.new_entries == k.last());
  CHECK(hq.persons() == 3);
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT state FROM device") == "active");
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT enroll_secret IS NULL FROM device") == "1");
  const auto applied = kiosk::sync::KioskSync(*k.store).apply_receipt(r.receipt);
  REQUIRE(applied.ok());
  CHECK(k.acked() == k.last());
}

TEST_CASE("re-sent and overlapping bundles never duplicate", "[library]") {
  Hq hq("lib-dup");
  Kiosk k("lib-dup-kiosk", hq, "pp-1");
  k.register_people(2);
  const auto early = k.bundles();
  k.register_people(2, "Chan");
  const auto late = k.bundles();  // overlaps `early` (both start at seq 1)
  REQUIRE(hq.lib->ingest(late[0], "http").accepted());
  const auto entries = hq.entries();
  for (const auto* b : {&early[0], &late[0], &early[0]}) {
    const auto r = hq.lib->ingest(*b, "file");
    REQUIRE(r.accepted());
    CHECK(r.new_entries == 0);
  }
  CHECK(hq.entries() == entries);
  CHECK(hq.persons() == 4);
  CHECK(hq.lib->count("bundle") == 4);  // every arrival is recorded
}

TEST_CASE("out-of-order bundles leave a reported gap until it is filled", "[library]") {
  Hq hq("lib-gap");
  Kiosk k("lib-gap-kiosk", hq, "pp-1");
  std::vector<Bytes> parts;
  for (int round = 0; round < 3; ++round) {
    k.register_people(2, "Round" + std::to_string(round));
    const auto b = k.bundles();
    REQUIRE(b.size() == 1);
    parts.push_back(b[0]);
    // As if this part reached headquarters: the next export starts above it.
    REQUIRE(kiosk::core::ChangeLog(*k.store).acknowledge(k.last()).ok());
  }
  REQUIRE(hq.lib->ingest(parts[2], "file").accepted());
  REQUIRE(hq.lib->ingest(parts[0], "file").accepted());
  const auto gaps = hq.lib->gaps();
  REQUIRE(gaps.rows.size() == 1);
  std::string why;
  const auto h1 = kiosk::sync::parse_bundle_header(parts[1], &why);
  CHECK(gaps.rows[0][2] == std::to_string(h1->first_seq));
  CHECK(gaps.rows[0][3] == std::to_string(h1->last_seq));
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT high_water FROM incarnation") ==
        std::to_string(h1->first_seq - 1));
  REQUIRE(hq.lib->ingest(parts[1], "file").accepted());
  CHECK(hq.lib->gaps().rows.empty());
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT high_water FROM incarnation") ==
        std::to_string(k.last()));
  CHECK(hq.persons() == 6);
}

TEST_CASE("the newest version of a record wins whatever the arrival order", "[library]") {
  Hq hq("lib-order");
  Kiosk k("lib-order-kiosk", hq, "pp-1");
  kiosk::core::Registry reg(*k.store);
  auto a = reg.register_participant(k.registration("Bopha", "Chan"), k.staff_id);
  REQUIRE(a.ok());
  const auto first = k.bundles();
  REQUIRE(kiosk::core::ChangeLog(*k.store).acknowledge(k.last()).ok());
  REQUIRE(reg.void_participant(a.id, "registered twice", k.staff_id).ok());
  const auto second = k.bundles();
  REQUIRE(hq.lib->ingest(second[0], "file").accepted());
  REQUIRE(hq.lib->ingest(first[0], "file").accepted());  // older version arrives last
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT voided FROM person_source WHERE id = '" + a.id + "'") == "1");
  CHECK(hq.lib->persons("").rows.size() == 1);
  CHECK(hq.lib->persons("bopha").rows.size() == 1);
  CHECK(hq.lib->persons("nobody").rows.empty());
}

TEST_CASE("refused bundles leave the library byte-for-byte unchanged", "[library]") {
  Hq hq("lib-refuse");
  Kiosk k("lib-refuse-kiosk", hq, "pp-1");
  Kiosk other("lib-refuse-other", hq, "pp-2");
  k.register_people(2);
  other.register_people(1);
  const Bytes good = k.bundles()[0];
  REQUIRE(hq.lib->ingest(other.bundles()[0], "http").accepted());  // pp-2 is bound
  const std::string before = library_bytes(hq.dir);
  auto refused = [&](Bytes b, const std::string& reason_part) {
    const auto r = hq.lib->ingest(b, "http");
    INFO("reason: " << r.reason);
    CHECK(r.status == IngestResult::Status::refused);
    CHECK(r.reason.find(reason_part) != std::string::npos);
    CHECK(r.receipt.empty());
  };
  refused({}, "0 bytes");
  refused(Bytes(good.begin(), good.begin() + 300), "truncated");
  Bytes flipped = good;
  flipped[flipped.size() / 2] ^= 4;
  refused(flipped, "signature");
  Bytes newer = good;
  newer[4] = 9;
  refused(newer, "format version 9");
  // Replayed under another device id (pp-2's): its proof and key do not match pp-2.
  Bytes replay = good;
  const auto other_id = kiosk::sync::parse_uuid(
      core_test::scalar(other.store->handle(), "SELECT hq_device_id FROM sync_identity"));
  std::copy(other_id->begin(), other_id->end(), replay.begin() + 8);
  refused(replay, "not device 'pp-2'");
  Bytes unknown = good;
  unknown[10] ^= 0xFF;
  refused(unknown, "unknown device");
  // A bundle sealed for another headquarters.
  Hq other_hq("lib-refuse-hq2");
  Kiosk foreign("lib-refuse-foreign", other_hq, "pp-1");
  foreign.register_people(1);
  refused(foreign.bundles()[0], "unknown device");
  CHECK(library_bytes(hq.dir) == before);
  std::string why;
  REQUIRE(hq.lib->revoke("pp-1", &why));
  const std::string revoked_before = library_bytes(hq.dir);
  refused(good, "revoked");
  CHECK(library_bytes(hq.dir) == revoked_before);
}

TEST_CASE("a second kiosk loading the same enrollment file is refused after the first",
          "[library]") {
  Hq hq("lib-twice");
  const auto e = hq.enroll("pp-1");
  core_test::Fixture a("lib-twice-a.sqlite3"), b("lib-twice-b.sqlite3");
  REQUIRE(kiosk::sync::KioskSync(*a.store).enroll(e).ok());
  REQUIRE(kiosk::sync::KioskSync(*b.store).enroll(e).ok());
  const auto ba = kiosk::sync::KioskSync(*a.store).pending_bundles();
  const auto bb = kiosk::sync::KioskSync(*b.store).pending_bundles();
  REQUIRE(hq.lib->ingest(ba.value[0], "http").accepted());
  const auto r = hq.lib->ingest(bb.value[0], "http");
  CHECK_FALSE(r.accepted());
  CHECK(r.reason.find("key that is not device") != std::string::npos);
}

TEST_CASE("a full disk at headquarters refuses the bundle and changes nothing", "[library]") {
  Hq hq("lib-full");
  Kiosk k("lib-full-kiosk", hq, "pp-1");
  k.register_people(200);
  const auto b = k.bundles();
  const std::string before = library_bytes(hq.dir);
  // The library may not grow by one page: SQLite reports SQLITE_FULL as a full disk does.
  const auto pages = core_test::scalar(hq.lib->handle(), "PRAGMA page_count");
  core_test::scalar(hq.lib->handle(), "PRAGMA max_page_count = " + pages);
  const auto r = hq.lib->ingest(b[0], "http");
  CHECK(r.status == IngestResult::Status::unavailable);
  CHECK(r.reason.find("cannot be written") != std::string::npos);
  CHECK(hq.entries() == 0);
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT state FROM device") == "pending");
  core_test::scalar(hq.lib->handle(), "PRAGMA max_page_count = 1073741823");
  REQUIRE(hq.lib->ingest(b[0], "http").accepted());
  CHECK(hq.persons() == 200);
  (void)before;
}

TEST_CASE("an entry already held with other content refuses the bundle", "[library]") {
  Hq hq("lib-conflict");
  Kiosk k("lib-conflict-kiosk", hq, "pp-1");
  k.register_people(1);
  const auto b = k.bundles();
  REQUIRE(hq.lib->ingest(b[0], "http").accepted());
  // The same kiosk key signs a different history for the same seqs (a forged or buggy kiosk).
  std::string why;
  const auto h = kiosk::sync::parse_bundle_header(b[0], &why);
  const auto id = kiosk::core::SyncIdentityStore(*k.store).load().value;
  kiosk::sync::Key64 sk{};
  kiosk::sync::Key32 secret{}, box{};
  std::copy(id->device_sign_sk.begin(), id->device_sign_sk.end(), sk.begin());
  std::copy(id->enroll_secret.begin(), id->enroll_secret.end(), secret.begin());
  std::copy(id->hq_box_pk.begin(), id->hq_box_pk.end(), box.begin());
  auto entries = kiosk::core::ChangeLog(*k.store).range(h->first_seq, h->last_seq).value;
  entries.back().payload = R"({"id":"x","given_name":"Forged"})";
  const Bytes forged = kiosk::sync::seal_bundle(*h, kiosk::core::entries_json(entries), sk, secret, box);
  const std::string before = library_bytes(hq.dir);
  const auto r = hq.lib->ingest(forged, "http");
  CHECK_FALSE(r.accepted());
  CHECK(r.reason.find("different content") != std::string::npos);
  CHECK(library_bytes(hq.dir) == before);
}
