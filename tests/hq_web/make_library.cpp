// make_library DIR — a headquarters library of known content for the web tests (web_test.py):
// four kiosks on four tours register people through real kiosk stores, and their real bundles
// are ingested. What it holds (web_test.py asserts it):
//   persons: 9 kiosk records -> 8 people. "Dara Sok" (Phnom Penh, Khmer + Latin) and "Dara Sok"
//            (Johannesburg, Latin only) merge on ingest; "Darra Sok" (Yangon, Burmese + Latin)
//            and "دارا سوك" (Cairo, Arabic only) wait in the review queue beside them.
//   events:  one per kiosk (KH, ZA, MM, EG); organizations: one school per kiosk, its people's.
#include "kiosk_sync.h"
#include "library.h"
#include "consent.h"
#include "registry.h"
#include "staff.h"
#include "store.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using kiosk::core::Registration;

struct Person {
  std::string given, family, given_latin, family_latin;
  int year;
  std::string gender, role;
  bool at_school = true;  // false: no organization (the two "Dara Sok" records, so they match exactly)
};

struct Stop {
  std::string device, tour, event, city, country, lang;
  std::string school, school_latin;  // a local organization of the stop; its people attend it
  std::vector<Person> people;
};

int fail(const std::string& what) {
  std::fprintf(stderr, "make_library: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: make_library DIR");
  const fs::path dir = argv[1];
  std::error_code ec;
  fs::remove_all(dir, ec);
  std::string why;
  if (!kiosk::sync::init_crypto()) return fail("no entropy");
  if (!kiosk::hq::Library::init((dir / "library").string(), &why)) return fail(why);
  auto lib = kiosk::hq::Library::open((dir / "library").string(), &why);
  if (!lib) return fail(why);
  const std::vector<Stop> stops = {
      {"Phnom Penh gate", "cambodia", "វិទ្យាសាស្ត្រលើកង់ — ភ្នំពេញ", "Phnom Penh", "KH", "km",
       "វិទ្យាល័យព្រះស៊ីសុវត្ថិ", "Preah Sisowath High School",
       {{"ដារា", "សុខ", "Dara", "Sok", 2013, "female", "student", false},
        {"ចាន់ថា", "ស្រី", "Chantha", "Srey", 1988, "female", "teacher"}}},
      {"Johannesburg hall", "south-africa", "Science on Wheels — Johannesburg", "Johannesburg", "ZA", "en",
       "Soweto Science Centre", "Soweto Science Centre",
       {{"", "", "Dara", "Sok", 2013, "female", "student", false},
        {"", "", "Thandiwe", "Nkosi", 2012, "female", "student"},
        {"", "", "Sipho", "Dlamini", 2011, "male", "student"}}},
      {"Yangon hall", "myanmar", "သိပ္ပံခရီး — ရန်ကုန်", "Yangon", "MM", "my",
       "အ.ထ.က (၁) ဒဂုံ", "BEHS 1 Dagon",
       {{"ဒါရာ", "ဆုတ်", "Darra", "Sok", 2013, "female", "student"},
        {"အောင်", "မင်း", "Aung", "Min", 1985, "male", "teacher"}}},
      {"Cairo hall", "egypt", "العلوم على عجلات — القاهرة", "Cairo", "EG", "ar",
       "مدرسة القاهرة الثانوية", "Cairo Secondary School",
       {{"دارا", "سوك", "", "", 2013, "female", "student"},
        {"منى", "حسن", "Mona", "Hassan", 2010, "female", "student"}}},
  };
  for (const auto& stop : stops) {
    const std::string path = (dir / (stop.tour + ".sqlite3")).string();
    auto store = kiosk::core::Store::open(path, &why);
    if (!store) return fail(why);
    auto staff = kiosk::core::StaffDirectory(*store).add_staff("Supervisor", "2468", "supervisor", "");
    if (!staff.ok()) return fail("staff: " + staff.detail);
    kiosk::core::Registry reg(*store);
    kiosk::core::EventInfo e;
    e.name = stop.event;
    e.tour = stop.tour;
    e.city = stop.city;
    e.country = stop.country;
    e.start_date = "2026-11-28";
    e.end_date = "2026-12-02";
    e.activity_types = {"exhibition_visit", "science_camp"};
    const auto ev = reg.create_event(e, staff.id);
    if (!ev.ok()) return fail("event: " + ev.detail);
    kiosk::core::Organization school;
    school.name = stop.school;
    school.name_latin = stop.school_latin;
    school.kind = "school";
    school.country = stop.country;
    school.city = stop.city;
    const auto org = reg.add_local_organization(school, staff.id);
    if (!org.ok()) return fail("organization: " + org.detail);
    for (const auto& p : stop.people) {
      Registration r;
      if (p.at_school) r.person.organization_id = org.id;
      r.person.given_name = p.given;
      r.person.family_name = p.family;
      r.person.given_name_latin = p.given_latin;
      r.person.family_name_latin = p.family_latin;
      r.person.birth_year = p.year;
      r.person.gender = p.gender;
      r.person.role = p.role;
      r.event_id = ev.id;
      r.activity = "exhibition_visit";
      if (kiosk::core::needs_guardian_consent(r.person, e.start_date)) {
        r.person.guardian_name = "Guardian";
        r.person.guardian_phone = "+855 12 345 678";
        r.consent = kiosk::core::ConsentInput{"2026-1", stop.lang, "Guardian", {'S', 'G', 1, 0}, stop.lang,
                                              "Consent text shown in " + stop.lang};
      }
      const auto saved = reg.register_participant(r, staff.id);
      if (!saved.ok()) return fail("register: " + saved.detail);
    }
    const auto enrollment = lib->enroll(stop.device, stop.tour, "", &why);
    if (!enrollment) return fail(why);
    kiosk::sync::KioskSync sync(*store);
    if (!sync.enroll(*enrollment).ok()) return fail("enroll " + stop.device);
    const auto bundles = sync.pending_bundles();
    if (!bundles.ok()) return fail("bundles: " + bundles.detail);
    for (const auto& b : bundles.value) {
      const auto r = lib->ingest(b, "file");
      if (!r.accepted()) return fail("ingest: " + r.reason);
      if (!sync.apply_receipt(r.receipt).ok()) return fail("receipt");
    }
  }
  std::printf("library: %s (%lld kiosk records of people)\n", (dir / "library").string().c_str(),
              static_cast<long long>(lib->persons("").rows.size()));
  return 0;
}
