// Headquarters' downlink package (sync/README.md "Downlink", kiosk/core/downlink.h D1-D3): verified
// before anything is applied, all or nothing, only newer, only for this kiosk's tour and device.
#include "downlink.h"
#include "sync_fixture.h"

#include <fstream>

using namespace sync_test;
using kiosk::sync::KioskSync;
using kiosk::sync::SyncCode;

namespace {

// Everything a package may change, as text: equal before and after means nothing changed.
std::string kiosk_state(kiosk::core::Store& s) {
  return core_test::scalar(s.handle(), "SELECT group_concat(id || name || origin, ';') FROM organization") + "|" +
         core_test::scalar(s.handle(), "SELECT group_concat(id || name, ';') FROM event") + "|" +
         core_test::scalar(s.handle(), "SELECT group_concat(key || value, ';') FROM setting") + "|" +
         core_test::scalar(s.handle(), "SELECT coalesce(max(version), 0) FROM downlink_state");
}


}  // namespace

TEST_CASE("a downlink brings the organization library, the tour's events and settings",
          "[downlink]") {
  Hq hq("dl-apply");
  Kiosk a("dl-apply-a", hq, "kh-1"), b("dl-apply-b", hq, "kh-2");
  kiosk::core::Organization school;
  school.name = "វិទ្យាល័យ ហ៊ុន សែន";
  school.name_latin = "Hun Sen High School";
  school.kind = "school";
  school.country = "KH";
  REQUIRE(kiosk::core::Registry(*a.store).add_local_organization(school, a.staff_id).ok());
  for (const auto& bundle : a.bundles()) REQUIRE(hq.lib->ingest(bundle, "http").accepted());
  std::string why;
  REQUIRE(hq.lib->set_tour_setting("kh-2026", "staff.lang", "\"km\"", &why));
  const auto package = hq.lib->downlink("kh-2026", "", &why);
  REQUIRE(package);
  const auto o = KioskSync(*b.store).apply_downlink(*package);
  INFO(o.detail);
  REQUIRE(o.ok());
  CHECK(core_test::scalar(b.store->handle(),
                          "SELECT origin FROM organization WHERE name_latin = 'Hun Sen High School'") ==
        "headquarters");
  CHECK(core_test::scalar(b.store->handle(), "SELECT value FROM setting WHERE key = 'staff.lang'") == "km");
  // Kiosk a's event reached kiosk b, and is not b's to send back.
  CHECK(std::stoi(core_test::scalar(b.store->handle(), "SELECT count(*) FROM event")) == 2);
  CHECK(std::stoi(core_test::scalar(b.store->handle(), "SELECT count(*) FROM change_log WHERE entity = 'event'")) == 1);
  // The same package again, or an older one: refused, nothing changes.
  const std::string applied = kiosk_state(*b.store);
  const auto again = KioskSync(*b.store).apply_downlink(*package);
  CHECK(again.code == SyncCode::bad_file);
  CHECK(again.detail.find("not newer") != std::string::npos);
  CHECK(kiosk_state(*b.store) == applied);
}

TEST_CASE("tampered, foreign, other-tour and other-device packages change nothing", "[downlink]") {
  Hq hq("dl-refuse");
  Kiosk k("dl-refuse-k", hq, "kh-1");
  Kiosk other("dl-refuse-other", hq, "kh-2");
  std::string why;
  const std::string before = kiosk_state(*k.store);
  const auto package = *hq.lib->downlink("kh-2026", "", &why);
  auto refused = [&](const kiosk::sync::Bytes& b, const std::string& reason) {
    const auto o = KioskSync(*k.store).apply_downlink(b);
    INFO(o.detail);
    CHECK(o.code == SyncCode::bad_file);
    CHECK(o.detail.find(reason) != std::string::npos);
    CHECK(kiosk_state(*k.store) == before);
  };
  for (std::size_t i = 0; i < package.size(); i += 7) {
    auto bad = package;
    bad[i] ^= 0x20;
    const auto o = KioskSync(*k.store).apply_downlink(bad);
    CHECK_FALSE(o.ok());
  }
  CHECK(kiosk_state(*k.store) == before);
  refused(kiosk::sync::Bytes(package.begin(), package.begin() + 50), "truncated");
  refused({}, "0 bytes");
  Hq foreign("dl-refuse-foreign");
  foreign.enroll("kh-9");
  refused(*foreign.lib->downlink("kh-2026", "", &why), "not signed by this kiosk's headquarters");
  hq.enroll("eg-1");  // a device on another tour makes that tour known
  kiosk::sync::Downlink d;
  d.version = 99;
  d.tour = "eg-2027";
  d.payload = "{}";
  refused(kiosk::sync::sign_downlink(d, hq.sign_secret()), "for tour 'eg-2027'");
  refused(*hq.lib->downlink("kh-2026", "kh-2", &why), "for another kiosk");
  // Signed by headquarters but breaking the kiosk's rules: all or nothing.
  d.tour = "kh-2026";
  d.payload = R"({"organizations":[{"id":"ok-1","name":"Fine","kind":"school"},)"
              R"({"id":"bad-1","name":"Rocket","kind":"spaceship"}]})";
  refused(kiosk::sync::sign_downlink(d, hq.sign_secret()), "organization 'bad-1'");
  d.payload = R"({"settings":{"staff.lock_s":5}})";
  refused(kiosk::sync::sign_downlink(d, hq.sign_secret()), "settings");
  d.payload = R"({"settings":{"wallpaper":"red"}})";
  refused(kiosk::sync::sign_downlink(d, hq.sign_secret()), "setting 'wallpaper'");
  d.payload = "not json";
  refused(kiosk::sync::sign_downlink(d, hq.sign_secret()), "not the expected JSON");
  (void)other;
}
