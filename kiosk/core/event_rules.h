// kiosk/core/event_rules.h — what an event (a stop of the tour) must be, wherever it comes from:
// the supervisor's Events screen, a tool, or headquarters' downlink package.
//
//  E1. name is required readable text (unicode::check_text): valid UTF-8, no control or
//      bidi-control character, not Zawgyi, at least one letter or digit (so "U+200B" alone is
//      not a name), at most 100 code points. venue and city may be empty; when not, the same.
//  E2. country is empty or an ISO 3166-1 alpha-2 code in upper case ("KH").
//  E3. start_date and end_date are real calendar dates written YYYY-MM-DD, from the year 2000;
//      the end is not before the start.
//  E4. Each of activity_types is one of kEventActivities, none twice (the list may be empty).
//  E5. Registry::create_event and DownlinkStore::apply refuse an event that breaks a rule
//      (StoreError::invalid with the rule's catalog key, and the field and reason in the detail),
//      and nothing of it is written.
//  E6. The Events screen asks more of staff than the store does: venue, city and at least one
//      activity are required there (events_screen.cpp); tools and headquarters may leave them out.
#pragma once

#include "records.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

inline constexpr std::array<const char*, 4> kEventActivities = {"exhibition_visit", "science_camp",
                                                                "teacher_training", "competition"};
inline constexpr std::size_t kEventTextMax = 100;  // E1, in code points

enum class EventField { name, venue, city, country, start_date, end_date, activities };
const char* event_field_name(EventField f);  // "name", "start_date", ...

struct EventProblem {
  EventField field;
  const char* key;     // the catalog key staff see, e.g. "events.error.date"
  std::string reason;  // English, for logs and tools
};

// Every rule E1-E4 the event breaks, one problem per field at most, in field order.
std::vector<EventProblem> check_event(const EventInfo& event);

// E3: "2026-02-29" is false, "2028-02-29" true.
bool valid_event_date(std::string_view date);

}  // namespace kiosk::core
