// kiosk/core/people_queries.h — what the people, registration and summary screens read:
// search-as-you-type, duplicate candidates, a person's record and attendance, an event's list and
// its summary. Read-only: nothing here writes.
//
// Search semantics (search_people / search_organizations): the query is folded like the stored
// keys (text_normalize.h: case-folded, Latin diacritics stripped, native script kept) and split
// into words. With a word of 3+ characters, a record matches when EVERY query word occurs
// somewhere in its key (substring, so "dar" finds "Dara" and Khmer/Burmese text without spaces
// is found by any part; the FTS5 trigram index finds the candidates); records where the first
// word starts a name come first, then by name. With only 1–2 character words (the first
// keystrokes), a record matches when a name word STARTS with the first query word (and contains
// the others). People: the first `limit` by name of those (S6); organizations: the first `limit`
// found, sorted by name. Voided people never appear. An empty query returns nothing.
// Organizations headquarters mapped onto its directory (downlink.h D4) are shown, counted and
// compared as the directory organization; search_organizations offers only the latter.
// Timings: BENCHMARKS.md.
//
// Kept, not recounted (issue 15: nothing that grows with the data runs on the UI thread):
//  S1. event_summary reads summary_count, which the store's triggers (store.cpp migration 12)
//      update in the same transaction as every attendance insert or delete, participant edit or
//      void, change-log append and acknowledgement; a rolled-back save changes no count. Its cost
//      is the number of distinct values (birth dates, organizations) at the event, not of people.
//  S2. A person counts once per event however many activities they attended (summary_person
//      holds their attendance rows there); voided people count nowhere.
//  S3. "Not yet sent" = the newest change-log seq of the person's record or of their attendance
//      at the event (summary_person.last_seq) is above the acknowledged mark; the mark only rises.
//  S4. search_people reads participant_search (key and name order of the non-voided people,
//      kept by triggers in the transaction of every write, store.cpp 13) and its trigram index,
//      and participant rows only for the `limit` shown.
//  S5. The counts equal a full recount (tests/core/summary_test.cpp checks a random walk of
//      changes against the query this file used to run).
//  S6. Its rows come in name order (ord, store.cpp 13), so a search reads matches only until the
//      screen is full and the group of names sharing the last one's first five characters is
//      complete, then sorts those: a common name typed at 100,000 people reads hundreds of rows,
//      not every match. Word starts first: the index's phrase " da" finds them (keys begin with
//      a space). The order and the people shown are those of a sort of every match (tested
//      against one, tests/core/summary_test.cpp).
//  S7. A failed read sets EventSummary::error (the screen says the summary could not be read);
//      an event that does not exist is an empty summary, not an error.
//
// Contract: not thread-safe; borrows the Store. Results are copies; limit caps the count.
#pragma once

#include "records.h"
#include "store.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

struct PersonHit {
  std::string id;
  std::string given_name, family_name, given_name_latin, family_name_latin;
  int birth_year = 0;
  std::string organization_id, organization_name;  // empty when none
};

struct OrganizationHit {
  std::string id, name, name_latin, kind, city, country, origin;
};

// Age bands used by the summary, at the event's start date: "under_10", "10_12", "13_15",
// "16_17", "18_plus" (catalog keys "summary.age_band.<band>").
std::string age_band(int age);
// Age in whole years on `on_date` ("YYYY-MM-DD"); with only a birth year, the youngest possible
// age (birthday not yet reached), which is the safe side for the guardian rule.
int age_on(const std::optional<std::string>& birth_date, int birth_year, const std::string& on_date);

struct EventSummary {
  int participants = 0;  // distinct, non-voided people attending the event
  std::map<std::string, int> by_gender, by_age_band, by_role;
  std::map<std::string, int> by_organization;  // organization name; "" = none given
  int not_yet_sent = 0;  // of those, people whose record or attendance is above the acked mark
  // S7: a read that failed is said, never shown as an empty summary (zero people).
  StoreError error = StoreError::none;
  std::string detail;  // SQLite's message, for the log
  bool ok() const { return error == StoreError::none; }
};

class PeopleQueries {
 public:
  explicit PeopleQueries(Store& store) : m_store(store) {}

  std::vector<PersonHit> search_people(const std::string& query, int limit = 20) const;
  std::vector<OrganizationHit> search_organizations(const std::string& query,
                                                    int limit = 20) const;

  // Item 5: people already on the kiosk who may be this person: same name key (native or Latin,
  // word order ignored) and same birth year, and the same organization when one is given.
  // Voided people are not candidates.
  std::vector<PersonHit> find_duplicates(const ParticipantFields& candidate, int limit = 10) const;

  std::optional<Participant> participant(const std::string& id) const;  // voided ones too
  std::vector<Attendance> attendance_of(const std::string& participant_id) const;
  std::vector<PersonHit> participants_at(const std::string& event_id) const;  // non-voided
  EventSummary event_summary(const std::string& event_id) const;

 private:
  std::vector<std::int64_t> first_in_name_order(const std::string& match,
                                                const std::function<bool(std::string_view)>& accept,
                                                std::size_t need) const;
  Store& m_store;
};

}  // namespace kiosk::core
