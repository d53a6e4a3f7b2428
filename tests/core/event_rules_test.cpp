// Events (kiosk/core/event_rules.h E1-E5): the same rules for the Events screen, a tool and
// headquarters' downlink, enforced by the store itself.
#include "downlink.h"
#include "event_rules.h"
#include "test_support.h"
#include "unicode/unicode.h"

using namespace kiosk::core;
using core_test::Fixture;

namespace {

EventInfo good_event() {
  EventInfo e;
  e.name = "Science on Wheels — Mandalay";
  e.venue = "Mandalay University";
  e.city = "မန္တလေး";
  e.country = "MM";
  e.start_date = "2027-01-10";
  e.end_date = "2027-01-12";
  e.activity_types = {"exhibition_visit", "teacher_training"};
  return e;
}

// The first problem's field and key, "" when none.
std::string first(const EventInfo& e) {
  const auto p = check_event(e);
  return p.empty() ? "" : std::string(event_field_name(p.front().field)) + " " + p.front().key;
}

}  // namespace

TEST_CASE("events: readable names only, like people's (E1)", "[events]") {
  CHECK(first(good_event()).empty());
  struct Case { const char* name; const char* expect; };
  const Case cases[] = {
      {"", "name events.error.required"},
      {"\u200B", "name events.error.required"},             // zero width only: nothing drawn
      {"  \u200C\u200D ", "name events.error.required"},
      {"Expo\u202Egnp.exe", "name events.error.control_characters"},  // right-to-left override
      {"Expo\x1b[31m", "name events.error.control_characters"},
      {"Ex\xffpo", "name events.error.control_characters"},   // not UTF-8
      {"ကြား မြို့", ""},
      {"សាលារៀន", ""},
      {"معرض العلوم", ""},
  };
  for (const Case& c : cases) {
    EventInfo e = good_event();
    e.name = c.name;
    INFO(c.name);
    CHECK(first(e) == c.expect);
  }
  EventInfo zawgyi = good_event();
  zawgyi.city = kiosk::unicode::unicode_to_zawgyi("မောင်မောင်");
  CHECK(first(zawgyi) == "city events.error.zawgyi");
  EventInfo long_name = good_event();
  long_name.name = std::string(101, 'a');
  CHECK(first(long_name) == "name events.error.too_long");
  long_name.name = std::string(100, 'a');
  CHECK(first(long_name).empty());
  EventInfo no_venue = good_event();
  no_venue.venue.clear();
  no_venue.city.clear();
  CHECK(first(no_venue).empty());  // E6: only the Events screen requires them
  no_venue.venue = "\u2066";
  CHECK(first(no_venue) == "venue events.error.control_characters");
}

TEST_CASE("events: country, dates and activities (E2-E4)", "[events]") {
  EventInfo e = good_event();
  e.country = "mm";
  CHECK(first(e) == "country events.error.country");
  e = good_event();
  e.start_date = "2027-02-29";
  CHECK(first(e) == "start_date events.error.date");
  e.start_date = "2028-02-29";
  e.end_date = "2028-03-01";
  CHECK(first(e).empty());
  e.end_date = "2028-02-28";
  CHECK(first(e) == "end_date events.error.end_before_start");
  e = good_event();
  e.end_date = "";
  CHECK(first(e) == "end_date events.error.date");
  e = good_event();
  e.activity_types = {"exhibition_visit", "exhibition_visit"};
  CHECK(first(e) == "activity_types events.error.activities");
  e.activity_types = {"<script>"};
  CHECK(first(e) == "activity_types events.error.activities");
  e.activity_types = {};
  CHECK(first(e).empty());
  CHECK(valid_event_date("2000-01-01"));
  CHECK_FALSE(valid_event_date("1999-12-31"));
  CHECK_FALSE(valid_event_date("2026-13-01"));
  CHECK_FALSE(valid_event_date("2026-1-01"));
}

TEST_CASE("the store refuses an event that breaks a rule, whoever sends it (E5)", "[events]") {
  Fixture f("event-rules.sqlite3");
  Registry reg(*f.store);
  const long before = core_test::count(f.store->handle(), "event");
  EventInfo e = good_event();
  e.name = "\u200B";
  const SaveResult r = reg.create_event(e, f.staff_id);
  CHECK(r.error == StoreError::invalid);
  CHECK(r.rule == "events.error.required");
  CHECK(r.detail.find("event name") != std::string::npos);
  CHECK(core_test::count(f.store->handle(), "event") == before);
  CHECK(reg.create_event(good_event(), f.staff_id).ok());
  CHECK(core_test::count(f.store->handle(), "event") == before + 1);

  // Headquarters' downlink: one bad event refuses the whole package; nothing is written.
  DownlinkApplied applied;
  const std::string bad =
      R"({"events":[{"id":"e-1","name":"Good stop","start_date":"2027-01-10","end_date":"2027-01-11"},)"
      R"({"id":"e-2","name":"Bad\u202Estop","start_date":"2027-01-10","end_date":"2027-01-11"}]})";
  const SaveResult d = DownlinkStore(*f.store).apply(1, "default", bad, "", &applied);
  INFO(d.detail);
  CHECK(d.error == StoreError::invalid);
  CHECK(d.detail.find("event 'e-2': name: the control character U+202E") != std::string::npos);
  CHECK(core_test::count(f.store->handle(), "event") == before + 1);
  const std::string dates =
      R"({"events":[{"id":"e-3","name":"Stop","start_date":"2027-02-30","end_date":"2027-03-01"}]})";
  CHECK(DownlinkStore(*f.store).apply(1, "default", dates, "", &applied).detail.find("event 'e-3': start_date") !=
        std::string::npos);
  const std::string acts =
      R"({"events":[{"id":"e-4","name":"Stop","start_date":"2027-02-01","end_date":"2027-03-01","activity_types":"x"}]})";
  CHECK(DownlinkStore(*f.store).apply(1, "default", acts, "", &applied).detail.find("activity_types is not a list") !=
        std::string::npos);
  const std::string good =
      R"({"events":[{"id":"00000000-0000-4000-8000-000000000005","name":"Stop","start_date":"2027-02-01","end_date":"2027-03-01","activity_types":["competition"]}]})";
  const SaveResult ok = DownlinkStore(*f.store).apply(1, "default", good, "", &applied);
  INFO(ok.detail);
  CHECK(ok.ok());
  CHECK(core_test::count(f.store->handle(), "event") == before + 2);
}

TEST_CASE("the downlink's organizations meet the CSV import's rules", "[downlink]") {
  // Before: the downlink checked only UTF-8 validity, so a formula, an RLO or a zero-width name
  // the CSV import refuses arrived through the signed package.
  Fixture f("downlink-orgs.sqlite3");
  const long before = core_test::count(f.store->handle(), "organization");
  DownlinkApplied applied;
  auto org = [](const std::string& id, const std::string& name, const std::string& kind) {
    return R"({"organizations":[{"id":")" + id + R"(","name":")" + name + R"(","kind":")" + kind + R"("}]})";
  };
  struct Case { std::string payload, reason; };
  const Case cases[] = {
      {org("KH-1", "=HYPERLINK(\\\"http://x\\\")", "school"), "organization 'KH-1': name starts with '='"},
      {org("KH-2", "School\\u202E", "school"), "organization 'KH-2': name"},
      {org("KH-3", "\\u200B", "school"), "organization 'KH-3': name"},
      {org("KH 4", "Good School", "school"), "organization 'KH 4': id must be"},
      {org("KH-5", "Good School", "castle"), "organization 'KH-5': kind 'castle'"},
  };
  for (const Case& c : cases) {
    INFO(c.payload);
    const SaveResult r = DownlinkStore(*f.store).apply(1, "default", c.payload, "", &applied);
    INFO(r.detail);
    CHECK(r.error == StoreError::invalid);
    CHECK(r.detail.find(c.reason) != std::string::npos);
    CHECK(core_test::count(f.store->handle(), "organization") == before);
  }
  const SaveResult ok = DownlinkStore(*f.store).apply(1, "default", org("KH-6", "សាលា ហ៊ុន សែន", "school"), "", &applied);
  INFO(ok.detail);
  CHECK(ok.ok());
  CHECK(core_test::count(f.store->handle(), "organization") == before + 1);
}
