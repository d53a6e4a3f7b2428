// seed_demo_people DATA_DIR — test fixture for the staff end-to-end scripts: one current event,
// two local schools and six people in Khmer, Burmese, Arabic and Latin script, registered through
// the same core API the kiosk uses (one transaction each); the five children with their
// guardian's consent to the shipped catalog's text in their language. The store must already hold
// a staff account (kiosk --add-staff); ten more staff accounts are added (Trainee 01..10, PIN 2580).
// Exit 1 with a message on any failure.
#include "catalog.h"
#include "consent.h"
#include "registry.h"
#include "staff.h"
#include "store.h"

#include <cstdio>
#include <optional>
#include <string>

using namespace kiosk::core;

static int fail(const std::string& what, const SaveResult& r) {
  std::fprintf(stderr, "seed_demo_people: %s failed: %s (%s)\n", what.c_str(),
               store_error_key(r.error), r.detail.c_str());
  return 1;
}

// A consent as the registration screen records it: the shipped catalog's text in `lang`.
static std::optional<ConsentInput> consent_in(const std::string& lang, const std::string& guardian) {
  kiosk::content::PoFile po;
  std::string why;
  if (!kiosk::content::read_po(KIOSK_SOURCE_DIR "/content/catalog/" + lang + ".po", &po, &why)) {
    std::fprintf(stderr, "seed_demo_people: %s\n", why.c_str());
    return std::nullopt;
  }
  const auto text = po.messages.find(kiosk::content::k_consent_text_key);
  const auto version = po.messages.find(kiosk::content::k_consent_version_key);
  if (text == po.messages.end() || version == po.messages.end()) {
    std::fprintf(stderr, "seed_demo_people: %s.po has no consent text and version\n", lang.c_str());
    return std::nullopt;
  }
  return ConsentInput{version->second, lang, guardian, {'S', 'G', 1, 0}, lang, text->second};
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: seed_demo_people DATA_DIR\n");
    return 2;
  }
  std::string error;
  auto store = Store::open(std::string(argv[1]) + "/kiosk.sqlite3", &error);
  if (!store) {
    std::fprintf(stderr, "seed_demo_people: %s\n", error.c_str());
    return 1;
  }
  StaffDirectory directory(*store);
  const auto staff_list = directory.list();
  if (staff_list.empty()) {
    std::fprintf(stderr, "seed_demo_people: no staff account; run kiosk --add-staff first\n");
    return 1;
  }
  const std::string staff = staff_list.front().id;
  Registry reg(*store);

  EventInfo ev;
  ev.name = "Seeded roadshow";
  ev.venue = "Hall";
  ev.city = "Phnom Penh";
  ev.country = "KH";
  ev.start_date = "2026-11-20";
  ev.end_date = "2026-12-20";
  ev.activity_types = {"exhibition_visit", "science_camp"};
  auto e = reg.create_event(ev, staff);
  if (!e.ok()) return fail("create_event", e);
  if (auto r = reg.set_current_event(e.id); !r.ok()) return fail("set_current_event", r);

  Organization khmer_school;
  khmer_school.name = "វិទ្យាល័យព្រះស៊ីសុវត្ថិ";
  khmer_school.name_latin = "Preah Sisowath High School";
  khmer_school.country = "KH";
  khmer_school.city = "Phnom Penh";
  auto org1 = reg.add_local_organization(khmer_school, staff);
  if (!org1.ok()) return fail("add_local_organization", org1);
  Organization arabic_school;
  arabic_school.name = "مدرسة الإسكندرية";
  arabic_school.name_latin = "Alexandria School";
  arabic_school.country = "EG";
  auto org2 = reg.add_local_organization(arabic_school, staff);
  if (!org2.ok()) return fail("add_local_organization", org2);

  struct Person {
    const char *given, *family, *given_latin, *family_latin;
    int birth_year;
    const char *gender, *role;
    std::string org;
    const char* lang;  // the guardian's language: the consent text they read
  };
  const Person people[] = {
      {"ដារា", "សុខ", "Dara", "Sok", 2013, "female", "student", org1.id, "km"},
      {"វិចិត្រ", "ចាន់", "Vichet", "Chan", 2011, "male", "student", org1.id, "km"},
      {"အောင်", "မြင့်", "Aung", "Myint", 2012, "male", "student", "", "my"},
      {"သီတာ", "ဝင်း", "Thida", "Win", 2009, "female", "student", "", "my"},
      {"فاطمة", "حسن", "Fatima", "Hassan", 2014, "female", "student", org2.id, "ar"},
      {"", "", "Daniel", "Smith", 1985, "male", "teacher", "", "en"},
  };
  for (const Person& p : people) {
    Registration r;
    r.person.given_name = p.given;
    r.person.family_name = p.family;
    r.person.given_name_latin = p.given_latin;
    r.person.family_name_latin = p.family_latin;
    r.person.birth_year = p.birth_year;
    r.person.gender = p.gender;
    r.person.role = p.role;
    if (!p.org.empty()) r.person.organization_id = p.org;
    const bool minor = needs_guardian_consent(r.person, ev.start_date);
    r.person.guardian_name = minor ? "Guardian" : "";
    r.person.guardian_phone = minor ? "+85512345678" : "";
    r.event_id = e.id;
    r.activity = "exhibition_visit";
    if (minor && !(r.consent = consent_in(p.lang, r.person.guardian_name))) return 1;
    if (auto s = reg.register_participant(r, staff); !s.ok()) return fail("register_participant", s);
  }
  // More accounts than the sign-in list shows at once (it scrolls): Trainee 01..10, PIN 2580,
  // sorted after "Supervisor" so the scripts' @staff.pick.0 stays the supervisor.
  for (int i = 1; i <= 10; ++i) {
    const std::string name = std::string("Trainee ") + (i < 10 ? "0" : "") + std::to_string(i);
    if (auto a = directory.add_staff(name, "2580", "staff", staff); !a.ok()) return fail("add_staff", a);
  }
  std::printf("seeded 1 event, 2 organizations, 6 people, 10 staff accounts\n");
  return 0;
}
