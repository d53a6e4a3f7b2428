// The kiosk's side (sync/kiosk_sync.h K1-K4): the mark follows verified receipts only and never
// runs ahead of headquarters; clones keep their records apart; USB export is verified.
#include "sync_fixture.h"
#include "sync_identity.h"

using namespace sync_test;
using kiosk::sync::KioskSync;
using kiosk::sync::SyncCode;

TEST_CASE("a kiosk that is not enrolled says so", "[kiosk_sync]") {
  core_test::Fixture f("ks-not-enrolled.sqlite3");
  KioskSync s(*f.store);
  CHECK(s.send_now("http://127.0.0.1:9").code == SyncCode::not_enrolled);
  CHECK(s.export_bundles(fresh_dir("ks-ne-usb")).code == SyncCode::not_enrolled);
  const auto st = s.status();
  REQUIRE(st.ok());
  CHECK_FALSE(st.value.enrolled);
  CHECK(st.value.last_seq == 2);
}

TEST_CASE("an enrollment file for another device is refused; the same one is harmless",
          "[kiosk_sync]") {
  Hq hq("ks-enroll");
  Kiosk k("ks-enroll-kiosk", hq, "pp-1");
  KioskSync s(*k.store);
  const auto again = s.enroll(hq.enroll("pp-2"));
  CHECK(again.code == SyncCode::bad_file);
  CHECK(again.detail.find("already enrolled") != std::string::npos);
  const auto dir = fresh_dir("ks-enroll-files");
  CHECK(s.enroll_file(dir + "/missing.toml").code == SyncCode::bad_file);
  std::ofstream(dir + "/bad.toml") << "format = 1\ndevice_id = 'nope'\n";
  const auto bad = s.enroll_file(dir + "/bad.toml");
  CHECK(bad.code == SyncCode::bad_file);
  CHECK(bad.detail.find("device_id") != std::string::npos);
}

TEST_CASE("records registered before enrollment ship after it", "[kiosk_sync]") {
  Hq hq("ks-before");
  core_test::Fixture f("ks-before.sqlite3");
  kiosk::core::Registry reg(*f.store);
  REQUIRE(reg.register_participant(f.registration("Early", "Bird"), f.staff_id).ok());
  REQUIRE(KioskSync(*f.store).enroll(hq.enroll("pp-1")).ok());
  const auto b = KioskSync(*f.store).pending_bundles();
  REQUIRE(b.ok());
  const auto r = hq.lib->ingest(b.value.at(0), "file");
  REQUIRE(r.accepted());
  CHECK(hq.persons() == 1);
  CHECK(r.first_seq == 1);
}

TEST_CASE("receipts: forged, for another device, or beyond the log never move the mark too far",
          "[kiosk_sync]") {
  Hq hq("ks-receipts");
  Kiosk a("ks-receipts-a", hq, "pp-1");
  Kiosk b("ks-receipts-b", hq, "pp-2");
  a.register_people(2);
  b.register_people(1);
  const auto ra = hq.lib->ingest(a.bundles()[0], "http");
  const auto rb = hq.lib->ingest(b.bundles()[0], "http");
  REQUIRE(ra.accepted());
  REQUIRE(rb.accepted());
  KioskSync sa(*a.store);
  const auto other = sa.apply_receipt(rb.receipt);
  CHECK(other.code == SyncCode::bad_receipt);
  CHECK(other.detail.find("for device") != std::string::npos);
  CHECK(a.acked() == 0);
  auto forged = ra.receipt;
  forged[40] ^= 1;
  CHECK(sa.apply_receipt(forged).code == SyncCode::bad_receipt);
  CHECK(a.acked() == 0);
  // A receipt signed by headquarters but claiming more than the kiosk has: clamped to last_seq.
  const auto id = kiosk::core::SyncIdentityStore(*a.store).load().value;
  kiosk::sync::Receipt big;
  big.device = *kiosk::sync::parse_uuid(id->hq_device_id);
  big.marks.push_back({*kiosk::sync::parse_uuid(a.store->incarnation()), 1, 1000});
  kiosk::sync::Key64 hq_sk{};
  {
    std::ifstream in(hq.dir + "/keys/sign.secret", std::ios::binary);
    in.read(reinterpret_cast<char*>(hq_sk.data()), 64);
  }
  REQUIRE(sa.apply_receipt(kiosk::sync::sign_receipt(big, hq_sk)).ok());
  CHECK(a.acked() == a.last());
  // A receipt for an incarnation the kiosk does not have moves nothing.
  a.register_people(1);
  const auto before = a.acked();
  big.marks[0].incarnation = *kiosk::sync::parse_uuid("11111111-2222-4333-8444-555555555555");
  REQUIRE(sa.apply_receipt(kiosk::sync::sign_receipt(big, hq_sk)).ok());
  CHECK(a.acked() == before);
}

TEST_CASE("a restored copy keeps its new records apart from the original's", "[kiosk_sync]") {
  Hq hq("ks-clone");
  std::string copy_path;
  {
    Kiosk k("ks-clone-original", hq, "pp-1");
    k.register_people(2, "Before");
    REQUIRE(KioskSync(*k.store).apply_receipt(hq.lib->ingest(k.bundles()[0], "http").receipt).ok());
    copy_path = core_test::fresh_path("ks-clone-copy.sqlite3");
    k.store.reset();
    fs::copy_file(k.path, copy_path);  // the backup, restored later onto a replacement PC
    std::string why;
    k.store = kiosk::core::Store::open(k.path, &why);
    REQUIRE(k.store);
    k.store->set_clock(k.clock.clock());
    k.register_people(3, "Original");
    REQUIRE(KioskSync(*k.store).apply_receipt(hq.lib->ingest(k.bundles()[0], "http").receipt).ok());
    CHECK(k.acked() == k.last());
  }
  std::string why;
  auto copy = kiosk::core::Store::open(copy_path, &why);
  REQUIRE(copy);
  const std::string staff = core_test::scalar(copy->handle(), "SELECT id FROM staff LIMIT 1");
  const std::string event = core_test::scalar(copy->handle(), "SELECT id FROM event LIMIT 1");
  kiosk::core::Registry reg(*copy);
  for (int i = 0; i < 3; ++i) {
    kiosk::core::Registration r;
    r.person.given_name_latin = "Restored" + std::to_string(i);
    r.person.family_name_latin = "Copy";
    r.person.birth_year = 1990;  // teachers: adults need no guardian's consent
    r.person.role = "teacher";
    r.event_id = event;
    r.activity = "exhibition_visit";
    REQUIRE(reg.register_participant(r, staff).ok());
  }
  const auto bundles = KioskSync(*copy).pending_bundles();
  REQUIRE(bundles.ok());
  REQUIRE(bundles.value.size() == 1);  // only the copy's new incarnation is unacknowledged
  const auto r = hq.lib->ingest(bundles.value[0], "http");
  REQUIRE(r.accepted());
  CHECK(r.new_entries > 0);  // not dropped as a replay of the original's seqs
  REQUIRE(KioskSync(*copy).apply_receipt(r.receipt).ok());
  CHECK(kiosk::core::ChangeLog(*copy).acked_seq().value == kiosk::core::ChangeLog(*copy).last_seq().value);
  CHECK(hq.persons() == 2 + 3 + 3);
  CHECK(hq.lib->count("incarnation") == 2);
  CHECK(hq.lib->gaps().rows.empty());
}

TEST_CASE("USB export writes verified bundles and changes nothing on the kiosk", "[kiosk_sync]") {
  Hq hq("ks-usb");
  Kiosk k("ks-usb-kiosk", hq, "pp-1");
  k.register_people(3);
  const auto usb = fresh_dir("ks-usb-stick");
  KioskSync s(*k.store);
  const auto o = s.export_bundles(usb);
  REQUIRE(o.ok());
  REQUIRE(o.files.size() == 1);
  CHECK(k.acked() == 0);
  for (const auto& e : fs::directory_iterator(usb))
    CHECK(e.path().extension() == ".rkb");  // no .partial left behind
  std::string why;
  const auto bytes = kiosk::sync::read_file(o.files[0], kiosk::sync::kBundleMaxBytes, &why);
  REQUIRE(bytes);
  const auto r = hq.lib->ingest(*bytes, "file");
  REQUIRE(r.accepted());
  CHECK(hq.persons() == 3);
  // The stick is pulled: the folder is gone.
  fs::remove_all(usb);
  const auto gone = s.export_bundles(usb);
  CHECK(gone.code == SyncCode::io);
  CHECK(gone.detail.find("not a folder") != std::string::npos);
  // Receipt from a folder.
  const auto back = fresh_dir("ks-usb-receipts");
  std::ofstream(back + "/receipt-x.rkr", std::ios::binary)
      .write(reinterpret_cast<const char*>(r.receipt.data()), static_cast<std::streamsize>(r.receipt.size()));
  REQUIRE(s.import_receipt_file(back).ok());
  CHECK(k.acked() == k.last());
  CHECK_FALSE(s.status().value.last_receipt_at.empty());
  CHECK(s.status().value.people_pending == 0);
}
