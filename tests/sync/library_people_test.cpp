// The talent library and the organization library (sync/hq/library_people.cpp P1-P4): one person
// once across kiosks and scripts, near matches in the review queue, merges that undo cleanly.
#include "sync_fixture.h"

using namespace sync_test;

namespace {

kiosk::core::Registration child(const Kiosk& k, const std::string& given, const std::string& family,
                                const std::string& given_latin, const std::string& family_latin) {
  kiosk::core::Registration r = k.registration(given, family, 2013);
  r.person.given_name_latin = given_latin;
  r.person.family_name_latin = family_latin;
  return r;
}


std::string cell(const kiosk::hq::Table& t, std::size_t row, const std::string& column) {
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c] == column) return t.rows.at(row).at(c);
  FAIL("no column " << column);
  return {};
}

}  // namespace

TEST_CASE("one child registered at three kiosks in three scripts becomes one person",
          "[library_people]") {
  Hq hq("people-three");
  Kiosk km("people-three-km", hq, "kh-1"), en("people-three-en", hq, "za-1"),
      my("people-three-my", hq, "mm-1");
  // Khmer kiosk: Khmer and Latin names. Latin kiosk: the same Latin spelling -> exact match.
  REQUIRE(kiosk::core::Registry(*km.store).register_participant(child(km, "ដារា", "សុខ", "Dara", "Sok"), km.staff_id).ok());
  REQUIRE(kiosk::core::Registry(*en.store).register_participant(child(en, "", "", "Dara", "Sok"), en.staff_id).ok());
  // Burmese kiosk: Burmese names and a different Latin spelling -> a near match for review.
  // Registered a minute later, so its fields are the newest (library_records.cpp V1).
  my.clock.advance_ms(60'000);
  REQUIRE(kiosk::core::Registry(*my.store).register_participant(child(my, "ဒါရာ", "ဆုတ်", "Darra", "Sok"), my.staff_id).ok());
  send(hq, km);
  send(hq, en);
  send(hq, my);
  CHECK(hq.lib->persons("").rows.size() == 3);  // every kiosk record is kept
  auto persons = hq.lib->library_persons("");
  REQUIRE(persons.rows.size() == 2);  // Khmer + Latin merged on ingest
  const auto history = hq.lib->merges();
  REQUIRE(history.rows.size() == 1);
  CHECK(cell(history, 0, "how") == "exact");
  auto queue = hq.lib->merge_queue("open");
  REQUIRE(queue.rows.size() == 1);
  CHECK(cell(queue, 0, "reason") == "same birth year, similar name");
  std::string why;
  const auto evidence = hq.lib->merge_show(std::stoll(cell(queue, 0, "id")), &why);
  CHECK(why.empty());
  CHECK(evidence.rows.size() == 3);  // two sources on one side, one on the other
  const auto merge_id = hq.lib->merge_accept(std::stoll(cell(queue, 0, "id")), "Nary", &why);
  REQUIRE(merge_id > 0);
  persons = hq.lib->library_persons("");
  REQUIRE(persons.rows.size() == 1);
  CHECK(cell(persons, 0, "sources") == "3");
  CHECK(hq.lib->person_sources(cell(persons, 0, "person")).rows.size() == 3);
  CHECK(hq.lib->library_persons("darra").rows.size() == 1);
  // The person shows its newest source's fields (the Burmese kiosk's, registered last), with or
  // without a search filter.
  CHECK(cell(persons, 0, "given_name_latin") == "Darra");
  CHECK(cell(hq.lib->library_persons("sok"), 0, "given_name_latin") == "Darra");
  CHECK(hq.lib->library_persons("ដារា").rows.size() == 1);
  // Bad input: merging again, undoing twice.
  CHECK(hq.lib->merge_accept(std::stoll(cell(queue, 0, "id")), "Nary", &why) == 0);
  CHECK(why.find("already accepted") != std::string::npos);
  REQUIRE(hq.lib->merge_undo(merge_id, "Nary", &why));
  CHECK(hq.lib->library_persons("").rows.size() == 2);
  CHECK_FALSE(hq.lib->merge_undo(merge_id, "Nary", &why));
  CHECK(why.find("already undone") != std::string::npos);
  CHECK(hq.lib->persons("").rows.size() == 3);  // no source lost by merge or undo
  // Undo the exact merge too: three separate people, three sources.
  REQUIRE(hq.lib->merge_undo(std::stoll(cell(history, 0, "id")), "Nary", &why));
  CHECK(hq.lib->library_persons("").rows.size() == 3);
  CHECK(std::stoll(core_test::scalar(hq.lib->handle(),
                                     "SELECT count(*) FROM audit WHERE action LIKE 'merge%'")) == 4);
}

TEST_CASE("a name typed only in Arabic script waits for review beside its Latin twin",
          "[library_people]") {
  Hq hq("people-arabic");
  Kiosk eg("people-arabic-eg", hq, "eg-1"), en("people-arabic-en", hq, "za-1");
  REQUIRE(kiosk::core::Registry(*eg.store).register_participant(child(eg, "دارا", "سوك", "", ""), eg.staff_id).ok());
  REQUIRE(kiosk::core::Registry(*en.store).register_participant(child(en, "", "", "Dara", "Sok"), en.staff_id).ok());
  send(hq, eg);
  send(hq, en);
  CHECK(hq.lib->library_persons("").rows.size() == 2);
  const auto queue = hq.lib->merge_queue("open");
  REQUIRE(queue.rows.size() == 1);
  std::string why;
  REQUIRE(hq.lib->merge_reject(std::stoll(cell(queue, 0, "id")), "Nary", &why));
  CHECK(hq.lib->merge_queue("open").rows.empty());
  CHECK_FALSE(hq.lib->merge_reject(std::stoll(cell(queue, 0, "id")), "Nary", &why));
  CHECK(hq.lib->library_persons("").rows.size() == 2);
}

TEST_CASE("the same person twice at one kiosk on re-sent bundles stays one source",
          "[library_people]") {
  Hq hq("people-resend");
  Kiosk k("people-resend-k", hq, "kh-1");
  k.register_people(5);
  const auto b = k.bundles();
  REQUIRE(hq.lib->ingest(b[0], "http").accepted());
  REQUIRE(hq.lib->ingest(b[0], "file").accepted());
  CHECK(hq.lib->library_persons("").rows.size() == 5);
  CHECK(hq.lib->merge_queue("all").rows.empty());
}
