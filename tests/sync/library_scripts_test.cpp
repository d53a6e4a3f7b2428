// Cross-script matching in the talent library (sync/hq/library_people.cpp P3/P4) for names
// typed only in Khmer, which ICU 72 cannot put in Latin letters by itself
// (kiosk/core/text_normalize.cpp's Khmer rules do).
#include "sync_fixture.h"

using namespace sync_test;

TEST_CASE("a teacher typed only in Khmer matches the same teacher typed in Latin letters",
          "[library_people]") {
  Hq hq("scripts-khmer");
  Kiosk km("scripts-khmer-km", hq, "kh-1"), en("scripts-khmer-en", hq, "kh-2");
  // Same spelling once transliterated ("ចាន់ថា ដារា" -> "chantha dara"): an exact match.
  auto teacher = km.registration("ដារា", "ចាន់ថា", 1988);
  teacher.person.role = "teacher";
  REQUIRE(kiosk::core::Registry(*km.store).register_participant(teacher, km.staff_id).ok());
  auto latin = en.registration("", "", 1988);
  latin.person.given_name_latin = "Dara";
  latin.person.family_name_latin = "Chantha";
  latin.person.role = "teacher";
  REQUIRE(kiosk::core::Registry(*en.store).register_participant(latin, en.staff_id).ok());
  // Another child: "សុខ" reads "sokh", "Sok" at the other kiosk: only the review queue joins them.
  REQUIRE(kiosk::core::Registry(*km.store).register_participant(km.registration("វណ្ណា", "សុខ", 2013), km.staff_id).ok());
  auto sok = en.registration("", "", 2013);
  sok.person.given_name_latin = "Vanna";
  sok.person.family_name_latin = "Sok";
  REQUIRE(kiosk::core::Registry(*en.store).register_participant(sok, en.staff_id).ok());
  send(hq, km);
  send(hq, en);
  CHECK(hq.lib->persons("").rows.size() == 4);
  CHECK(hq.lib->library_persons("").rows.size() == 3);  // the teachers merged on ingest
  REQUIRE(hq.lib->merge_queue("open").rows.size() == 1);
  std::string why;
  REQUIRE(hq.lib->merge_accept(std::stoll(hq.lib->merge_queue("open").rows[0][0]), "Nary", &why) > 0);
  CHECK(hq.lib->library_persons("").rows.size() == 2);
  CHECK(hq.lib->library_persons("chantha").rows.size() == 1);
}
