// The downlink's staff accounts, sealed to each kiosk (sync/hq/library_staff.cpp S1-S3,
// kiosk/core/downlink.h D5, staff.h A5) and its organization map (S4, D4).
#include "downlink.h"
#include "people_queries.h"
#include "staff.h"
#include "sync_fixture.h"
#include "sync_identity.h"

#include <fstream>

using namespace sync_test;
using kiosk::sync::KioskSync;
using kiosk::sync::SyncCode;

namespace {

std::string text_of(const kiosk::sync::Bytes& b) { return std::string(b.begin(), b.end()); }

std::string staff_state(kiosk::core::Store& s) {
  return core_test::scalar(s.handle(), "SELECT group_concat(id || name || role || active || origin"
                                       " || pin_hash, ';') FROM (SELECT * FROM staff ORDER BY id)") +
         "|" + core_test::scalar(s.handle(), "SELECT coalesce(max(version), 0) FROM downlink_state");
}


kiosk::core::SyncIdentity identity_of(Kiosk& k) {
  const auto id = kiosk::core::SyncIdentityStore(*k.store).load();
  REQUIRE(id.ok());
  REQUIRE(id.value);
  return *id.value;
}

kiosk::sync::Key32 key32(const std::vector<std::uint8_t>& v) {
  kiosk::sync::Key32 k{};
  REQUIRE(v.size() == k.size());
  std::copy(v.begin(), v.end(), k.begin());
  return k;
}

}  // namespace

TEST_CASE("headquarters' staff accounts reach their kiosks sealed, and only from headquarters",
          "[downlink][staff]") {
  Hq hq("dl-staff");
  Kiosk a("dl-staff-a", hq, "kh-1"), b("dl-staff-b", hq, "kh-2");
  Kiosk silent("dl-staff-silent", hq, "kh-3");  // enrolled, never sent: headquarters has no key
  a.register_people(1);
  b.register_people(1);
  send(hq, a);
  send(hq, b);
  std::string why;
  const std::string lead = hq.lib->staff_add("kh-2026", "Vanna Lead", "supervisor", "1357", &why);
  REQUIRE_FALSE(lead.empty());
  REQUIRE_FALSE(hq.lib->staff_add("kh-2026", "Dara Guide", "staff", "8642", &why).empty());
  // Bad input at headquarters: a clear reason, nothing added.
  CHECK(hq.lib->staff_add("kh-2026", "VANNA LEAD", "staff", "1111", &why).empty());
  CHECK(why.find("already has an account") != std::string::npos);
  // A look-alike: Cyrillic "а" and "о" in "Vаnnа Leаd" (confusable_key, as on the kiosk).
  CHECK(hq.lib->staff_add("kh-2026", "V\u0430nn\u0430 Le\u0430d", "staff", "1111", &why).empty());
  CHECK(why.find("a name that looks the same") != std::string::npos);
  CHECK(hq.lib->staff_add("kh-2026", "Sok", "staff", "12", &why).empty());
  CHECK(why.find("4 to 8 digits") != std::string::npos);
  CHECK(hq.lib->staff_add("kh-2026", "Sok", "captain", "1234", &why).empty());
  CHECK(hq.lib->staff_add("kh-2026", "\xe2\x80\x8b", "staff", "1234", &why).empty());
  CHECK(hq.lib->staff_list("kh-2026").rows.size() == 2);
  // The audit never holds a PIN or its hash.
  CHECK(core_test::scalar(hq.lib->handle(), "SELECT count(*) FROM audit WHERE detail LIKE '%argon2%'"
                                            " OR detail LIKE '%1357%'") == "0");

  const auto package = hq.lib->downlink("kh-2026", "", &why);
  REQUIRE(package);
  // What a USB stick holds shows no name and no hash.
  CHECK(text_of(*package).find("Vanna") == std::string::npos);
  CHECK(text_of(*package).find("argon2") == std::string::npos);

  const auto o = KioskSync(*a.store).apply_downlink(*package);
  INFO(o.detail);
  REQUIRE(o.ok());
  CHECK(o.detail.find("2 staff accounts") != std::string::npos);
  kiosk::core::StaffDirectory dir(*a.store);
  const auto vanna = dir.find_by_name("Vanna Lead");
  REQUIRE(vanna);
  CHECK(vanna->role == "supervisor");
  CHECK(dir.verify_pin(vanna->id, "1357").outcome == kiosk::core::PinOutcome::accepted);
  CHECK(core_test::scalar(a.store->handle(), "SELECT origin FROM staff WHERE id = '" + vanna->id + "'") ==
        "headquarters");
  // Not the kiosk's to send back.
  CHECK(core_test::scalar(a.store->handle(), "SELECT count(*) FROM change_log WHERE entity = 'staff'"
                                             " AND entity_id = '" + vanna->id + "'") == "0");
  // A5: the kiosk's own supervisor cannot change an account headquarters manages.
  kiosk::core::StaffRule rule{};
  CHECK_FALSE(dir.set_active(vanna->id, false, a.staff_id, &rule).ok());
  CHECK(rule == kiosk::core::StaffRule::headquarters);
  CHECK_FALSE(dir.set_pin(vanna->id, "0000", a.staff_id, &rule).ok());
  CHECK(dir.verify_pin(vanna->id, "1357").outcome == kiosk::core::PinOutcome::accepted);

  // A kiosk headquarters has not heard from yet gets the rest of the package, no accounts.
  const auto s = KioskSync(*silent.store).apply_downlink(*package);
  INFO(s.detail);
  REQUIRE(s.ok());
  CHECK(s.detail.find("no staff accounts for this kiosk yet") != std::string::npos);
  CHECK(core_test::scalar(silent.store->handle(), "SELECT count(*) FROM staff") == "1");

  // Deactivated and given a new PIN at headquarters: the next package carries both.
  REQUIRE(hq.lib->staff_change("kh-2026", "dara guide", "active", "0", &why));
  REQUIRE(hq.lib->staff_change("kh-2026", lead, "pin", "97531", &why));
  CHECK_FALSE(hq.lib->staff_change("kh-2026", "Nobody", "active", "0", &why));
  CHECK(why.find("no account 'Nobody'") != std::string::npos);
  const auto next = hq.lib->downlink("kh-2026", "", &why);
  REQUIRE(next);
  REQUIRE(KioskSync(*a.store).apply_downlink(*next).ok());
  CHECK_FALSE(dir.find_by_name("Dara Guide")->active);
  CHECK(dir.verify_pin(vanna->id, "97531").outcome == kiosk::core::PinOutcome::accepted);
}

TEST_CASE("a staff part sealed to another kiosk, or breaking the kiosk's rules, changes nothing",
          "[downlink][staff]") {
  Hq hq("dl-staff-bad");
  Kiosk a("dl-staff-bad-a", hq, "kh-1"), b("dl-staff-bad-b", hq, "kh-2");
  const auto ida = identity_of(a), idb = identity_of(b);
  const std::string before = staff_state(*a.store);
  const std::string hash = kiosk::core::hash_pin("1357");
  auto package = [&](const std::string& accounts, const kiosk::sync::Key32& to, std::int64_t v) {
    kiosk::sync::Downlink d;
    d.version = v;
    d.tour = "kh-2026";
    d.payload = R"({"staff":{")" + ida.hq_device_id + R"(":")" +
                *kiosk::sync::seal_for_device(accounts, to) + R"("}})";
    return kiosk::sync::sign_downlink(d, hq.sign_secret());
  };
  auto refused = [&](const kiosk::sync::Bytes& p, const std::string& reason) {
    const auto o = KioskSync(*a.store).apply_downlink(p);
    INFO(o.detail);
    CHECK(o.code == SyncCode::bad_file);
    CHECK(o.detail.find(reason) != std::string::npos);
    CHECK(staff_state(*a.store) == before);
  };
  auto account = [&](const std::string& id, const std::string& name, const std::string& role,
                     const std::string& active, const std::string& pin_hash) {
    return R"([{"id":")" + id + R"(","name":)" + name + R"(,"role":")" + role +
           R"(","active":)" + active + R"(,"pin_hash":")" + pin_hash + R"("}])";
  };
  const std::string lead_id = "0193aaaa-0000-7000-8000-000000000001";
  const std::string good = account(lead_id, R"("Vanna Lead")", "supervisor", "1", hash);
  // Sealed to b's key under a's id: a cannot open it.
  refused(package(good, key32(idb.device_sign_pk), 10), "not sealed to this kiosk");
  // Opens, but breaks the rules.
  const auto mine = key32(ida.device_sign_pk);
  auto with = [&](const std::string& field, const std::string& value) {
    return account(field == "id" ? value : lead_id, field == "name" ? value : R"("Vanna Lead")",
                   field == "role" ? value : "supervisor", field == "active" ? value : "1",
                   field == "pin_hash" ? value : hash);
  };
  refused(package(with("name", R"("Sophea Supervisor")"), mine, 11), "already has that name");
  // The kiosk folds as StaffDirectory does: a Cyrillic look-alike of its own supervisor is taken.
  refused(package(with("name", R"("Sophe\u0430 Supervis\u043er")"), mine, 11), "already has that name");
  refused(package(with("name", R"("\u200b")"), mine, 12), "name is empty");
  refused(package(with("pin_hash", "plain1357"), mine, 13), "not an argon2id");
  refused(package(with("role", "captain"), mine, 14), "role 'captain'");
  refused(package(with("id", a.staff_id), mine, 15), "this kiosk's own accounts");
  refused(package(with("active", "2"), mine, 16), "'active' must be 0 or 1");
  refused(package("{\"not\":\"a list\"}", mine, 17), "not a JSON array");
  // Deactivating the kiosk's last supervisor by way of headquarters is refused too.
  REQUIRE(KioskSync(*a.store).apply_downlink(package(good, mine, 20)).ok());
  REQUIRE(kiosk::core::StaffDirectory(*a.store).set_active(a.staff_id, false,
                                                           "0193aaaa-0000-7000-8000-000000000001").ok());
  const std::string ok_state = staff_state(*a.store);
  const auto o = KioskSync(*a.store).apply_downlink(package(with("active", "0"), mine, 21));
  CHECK(o.detail.find("no active supervisor") != std::string::npos);
  CHECK(staff_state(*a.store) == ok_state);
}

TEST_CASE("a school made locally at two kiosks maps onto headquarters' one, and back on undo",
          "[downlink][organizations]") {
  Hq hq("dl-orgmap");
  Kiosk a("dl-orgmap-a", hq, "kh-1"), b("dl-orgmap-b", hq, "kh-2");
  auto school = [](const std::string& latin) {
    kiosk::core::Organization o;
    o.name = "វិទ្យាល័យ ព្រះស៊ីសុវត្ថិ";
    o.name_latin = latin;
    o.kind = "school";
    o.country = "KH";
    return o;
  };
  const auto at_a = kiosk::core::Registry(*a.store).add_local_organization(school("Preah Sisowath High School"), a.staff_id);
  const auto at_b = kiosk::core::Registry(*b.store).add_local_organization(school("PREAH SISOWATH HIGH SCHOOL"), b.staff_id);
  REQUIRE(at_a.ok());
  REQUIRE(at_b.ok());
  auto r = b.registration("Dara", "Sok");
  r.person.organization_id = at_b.id;
  REQUIRE(kiosk::core::Registry(*b.store).register_participant(r, b.staff_id).ok());
  send(hq, a);
  send(hq, b);
  REQUIRE(hq.lib->library_organizations("").rows.size() == 1);  // merged on ingest
  std::string why;
  auto package = hq.lib->downlink("kh-2026", "", &why);
  REQUIRE(package);
  auto o = KioskSync(*b.store).apply_downlink(*package);
  INFO(o.detail);
  REQUIRE(o.ok());
  CHECK(o.detail.find("1 of this kiosk's mapped") != std::string::npos);
  CHECK(core_test::scalar(b.store->handle(), "SELECT merged_into FROM organization WHERE id = '" + at_b.id + "'") ==
        at_a.id);
  kiosk::core::PeopleQueries q(*b.store);
  // Staff find one school, and the person registered with the local one shows it.
  const auto found = q.search_organizations("sisowath", 10);
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == at_a.id);
  const auto people = q.participants_at(b.event_id);
  REQUIRE(people.size() == 1);
  CHECK(people[0].organization_name == "វិទ្យាល័យ ព្រះស៊ីសុវត្ថិ");
  CHECK(people[0].organization_id == at_b.id);  // the record itself is untouched evidence
  // Undo the merge at headquarters: the next package clears the mapping.
  const auto merges = hq.lib->merges();
  REQUIRE(merges.rows.size() == 1);
  REQUIRE(hq.lib->merge_undo(std::stoll(merges.rows[0][0]), "Nary", &why));
  package = hq.lib->downlink("kh-2026", "", &why);
  REQUIRE(package);
  o = KioskSync(*b.store).apply_downlink(*package);
  REQUIRE(o.ok());
  CHECK(core_test::scalar(b.store->handle(), "SELECT count(*) FROM organization WHERE merged_into IS NOT NULL") == "0");
  CHECK(q.search_organizations("sisowath", 10).size() == 2);
}

TEST_CASE("an organization map pointing at an unknown organization is refused whole",
          "[downlink][organizations]") {
  Hq hq("dl-orgmap-bad");
  Kiosk a("dl-orgmap-bad-a", hq, "kh-1");
  kiosk::core::Organization o;
  o.name = "Local Club";
  o.kind = "society";
  const auto local = kiosk::core::Registry(*a.store).add_local_organization(o, a.staff_id);
  REQUIRE(local.ok());
  kiosk::sync::Downlink d;
  d.version = 5;
  d.tour = "kh-2026";
  d.payload = R"({"organizations":[{"id":"dir-1","name":"Directory Club","kind":"society"}],)"
              R"("organization_map":[{"id":")" + local.id + R"(","merged_into":"dir-404"}]})";
  const auto r = KioskSync(*a.store).apply_downlink(kiosk::sync::sign_downlink(d, hq.sign_secret()));
  CHECK(r.code == SyncCode::bad_file);
  CHECK(r.detail.find("'dir-404', which is not an organization here") != std::string::npos);
  CHECK(core_test::scalar(a.store->handle(), "SELECT count(*) FROM organization") == "1");
}
