// kiosk/core/event_rules.cpp — check_event (event_rules.h E1-E4).
#include "event_rules.h"

#include "unicode/unicode.h"

#include <algorithm>
#include <set>

namespace kiosk::core {

const char* event_field_name(EventField f) {
  switch (f) {
    case EventField::name: return "name";
    case EventField::venue: return "venue";
    case EventField::city: return "city";
    case EventField::country: return "country";
    case EventField::start_date: return "start_date";
    case EventField::end_date: return "end_date";
    case EventField::activities: return "activity_types";
  }
  return "?";
}

bool valid_event_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return y >= 2000 && m >= 1 && m <= 12 && d >= 1 && d <= (m == 2 && !leap ? 28 : kDays[m - 1]);
}

std::vector<EventProblem> check_event(const EventInfo& e) {
  std::vector<EventProblem> out;
  auto text = [&](EventField f, const std::string& v, bool required) {  // E1
    if (v.empty() && !required) return;
    unicode::TextRules rules;
    rules.max_code_points = kEventTextMax;
    const unicode::TextCheck c = unicode::check_text(v, rules);
    using P = unicode::TextProblem;
    switch (c.problem) {
      case P::none: return;
      case P::blank:
        out.push_back({f, "events.error.required", "nothing readable (no letter or digit)"});
        return;
      case P::too_long:
        out.push_back({f, "events.error.too_long", "more than 100 characters"});
        return;
      case P::zawgyi:
        out.push_back({f, "events.error.zawgyi", "Burmese in the Zawgyi encoding"});
        return;
      case P::invalid_utf8:
        out.push_back({f, "events.error.control_characters", "not valid UTF-8"});
        return;
      case P::control:
      case P::bidi_control:
        out.push_back({f, "events.error.control_characters",
                       "the control character " + unicode::code_point_name(c.code_point)});
        return;
    }
  };
  text(EventField::name, e.name, true);
  text(EventField::venue, e.venue, false);
  text(EventField::city, e.city, false);
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };  // E2
  if (!e.country.empty() && (e.country.size() != 2 || !upper(e.country[0]) || !upper(e.country[1])))
    out.push_back({EventField::country, "events.error.country", "not a two-letter country code"});
  const bool start_ok = valid_event_date(e.start_date), end_ok = valid_event_date(e.end_date);  // E3
  if (!start_ok) out.push_back({EventField::start_date, "events.error.date", "not a date written YYYY-MM-DD"});
  if (!end_ok) out.push_back({EventField::end_date, "events.error.date", "not a date written YYYY-MM-DD"});
  if (start_ok && end_ok && e.end_date < e.start_date)
    out.push_back({EventField::end_date, "events.error.end_before_start", "the end is before the start"});
  std::set<std::string> seen;  // E4
  for (const std::string& a : e.activity_types) {
    const bool known = std::any_of(kEventActivities.begin(), kEventActivities.end(),
                                   [&](const char* k) { return a == k; });
    if (!known || !seen.insert(a).second) {
      out.push_back({EventField::activities, "events.error.activities",
                     known ? "an activity listed twice" : "an unknown activity"});
      break;
    }
  }
  return out;
}

}  // namespace kiosk::core
