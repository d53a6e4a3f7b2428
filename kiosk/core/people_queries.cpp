#include "people_queries.h"

#include "sql.h"
#include "text_normalize.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace kiosk::core {
namespace {

std::vector<std::string> words_of(const std::string& folded) {
  std::istringstream in(folded);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The FTS5 phrase for one word: quoted, quotes doubled.
std::string fts_phrase(const std::string& word) {
  std::string out = "\"";
  for (const char c : word) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Builds "WHERE" conditions for a keyed search: the words of 3+ code points go to the trigram
// index (MATCH), every word must be a substring (instr) of the key.
struct KeyedSearch {
  std::string match;            // FTS query, empty → scan
  std::vector<std::string> words;
  std::string first_word;
};

KeyedSearch plan(const std::string& query) {
  KeyedSearch p;
  p.words = words_of(unicode::search_fold(query));
  if (p.words.empty()) return p;
  p.first_word = p.words.front();
  // Every word of 3+ characters becomes a phrase; FTS5 ANDs them, so "dara sok" intersects two
  // doclists instead of filtering every Dara. Shorter words are checked by instr() only.
  for (const auto& w : p.words)
    if (unicode::count_code_points(w) >= 3) p.match += (p.match.empty() ? "" : " ") + fts_phrase(w);
  return p;
}

PersonHit read_person(const sql::Statement& st) {
  PersonHit h;
  h.id = st.text(0);
  h.given_name = st.text(1);
  h.family_name = st.text(2);
  h.given_name_latin = st.text(3);
  h.family_name_latin = st.text(4);
  h.birth_year = st.integer(5);
  h.organization_id = st.text(6);
  h.organization_name = st.text(7);
  return h;
}

constexpr const char* kPersonColumns =
    "p.id, p.given_name, p.family_name, p.given_name_latin, p.family_name_latin, p.birth_year,"
    " coalesce(p.organization_id, ''), coalesce(o.name, '')";

int parse_int(const std::string& s, std::size_t pos, std::size_t len) {
  int v = 0;
  for (std::size_t i = pos; i < pos + len && i < s.size(); ++i) v = v * 10 + (s[i] - '0');
  return v;
}

}  // namespace

std::string age_band(int age) {
  if (age < 10) return "under_10";
  if (age <= 12) return "10_12";
  if (age <= 15) return "13_15";
  if (age <= 17) return "16_17";
  return "18_plus";
}

int age_on(const std::optional<std::string>& birth_date, int birth_year,
           const std::string& on_date) {
  const int y = parse_int(on_date, 0, 4), m = parse_int(on_date, 5, 2), d = parse_int(on_date, 8, 2);
  if (birth_date && birth_date->size() == 10) {
    const int by = parse_int(*birth_date, 0, 4), bm = parse_int(*birth_date, 5, 2),
              bd = parse_int(*birth_date, 8, 2);
    return y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
  }
  return y - birth_year - 1;
}

std::vector<PersonHit> PeopleQueries::search_people(const std::string& query, int limit) const {
  std::vector<PersonHit> out;
  const std::vector<std::string> words = words_of(unicode::search_fold(query));
  if (words.empty() || limit <= 0) return out;
  const std::string& first = words.front();
  const std::string first_start = " " + first;  // keys start with a space (store.cpp 13)
  auto has_every_word = [&](std::string_view key) {
    for (const auto& w : words)
      if (key.find(w) == std::string_view::npos) return false;
    return true;
  };
  auto starts_word = [&](std::string_view key) { return key.find(first_start) != std::string_view::npos; };
  // S6: two passes in name order. First the people a name of whom starts with the first word:
  // the phrase " da" (a trigram from the first word's second character on) and every other word
  // of 3+ characters narrow them; then, if the screen is not full, those containing it elsewhere
  // (only when some word has 3+ characters: until then the list is the word starts).
  std::string starts, anywhere;
  if (unicode::count_code_points(first) >= 2) starts = fts_phrase(first_start);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (unicode::count_code_points(words[i]) < 3) continue;
    const std::string phrase = fts_phrase(words[i]);
    anywhere += (anywhere.empty() ? "" : " ") + phrase;
    if (i > 0 || starts.empty()) starts += (starts.empty() ? "" : " ") + phrase;
  }
  const auto need = static_cast<std::size_t>(limit);
  std::vector<std::int64_t> rows = first_in_name_order(
      starts, [&](std::string_view key) { return starts_word(key) && has_every_word(key); }, need);
  const std::size_t word_starts = rows.size();
  if (rows.size() < need && !anywhere.empty()) {
    const auto more = first_in_name_order(
        anywhere, [&](std::string_view key) { return !starts_word(key) && has_every_word(key); },
        need - rows.size());
    rows.insert(rows.end(), more.begin(), more.end());
  }
  // Names and organizations for those few rows only.
  sql::Statement st(m_store.handle(),
                    std::string("SELECT ") + kPersonColumns +
                        " FROM participant p LEFT JOIN organization lo ON lo.id = p.organization_id"
                        " LEFT JOIN organization o ON o.id = coalesce(lo.merged_into, lo.id)"
                        " WHERE p.rowid = ?1");
  std::vector<std::pair<bool, PersonHit>> ranked;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    st.reset();
    st.bind(1, rows[i]);
    if (st.step() == SQLITE_ROW) ranked.emplace_back(i < word_starts, read_person(st));
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    const PersonHit& a = x.second;
    const PersonHit& b = y.second;
    return std::tie(y.first, a.family_name_latin, a.given_name_latin, a.family_name,
                    a.given_name) <
           std::tie(x.first, b.family_name_latin, b.given_name_latin, b.family_name,
                    b.given_name);
  });
  for (auto& r : ranked) out.push_back(std::move(r.second));
  return out;
}

// S6: participant_search in ord order (name order by groups of the same first five characters,
// store.cpp 13), through the trigram index when `match` is given, else the whole table. Stops
// once `need` rows passed `accept` and the group of the last of them is complete; returns the
// first `need` of those by name (their `sort`), as participant rowids.
std::vector<std::int64_t> PeopleQueries::first_in_name_order(
    const std::string& match, const std::function<bool(std::string_view)>& accept,
    std::size_t need) const {
  constexpr std::int64_t kRowidBits = 28;
  auto group_of = [](std::int64_t ord) { return ord >= 0 ? ord >> kRowidBits : ord; };
  auto rowid_of = [](std::int64_t ord) {
    return ord >= 0 ? ord & ((std::int64_t{1} << kRowidBits) - 1) : -ord;
  };
  sql::Statement st(m_store.handle(),
                    match.empty()
                        ? "SELECT ord, key, sort FROM participant_search ORDER BY ord"
                        : "SELECT s.ord, s.key, s.sort FROM participant_search_fts f"
                          " JOIN participant_search s ON s.ord = f.rowid"
                          " WHERE participant_search_fts MATCH ?1 ORDER BY f.rowid");
  if (!match.empty()) st.bind(1, match);
  std::vector<std::pair<std::string, std::int64_t>> found;  // (sort, ord)
  std::optional<std::int64_t> last_group;
  while (st.step() == SQLITE_ROW) {
    const std::int64_t ord = st.int64(0);
    if (last_group && group_of(ord) != *last_group) break;
    if (!accept(st.text_view(1))) continue;
    found.emplace_back(st.text(2), ord);
    if (found.size() == need) last_group = group_of(ord);
  }
  const std::size_t n = std::min(need, found.size());
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n), found.end());
  std::vector<std::int64_t> rows;
  for (std::size_t i = 0; i < n; ++i) rows.push_back(rowid_of(found[i].second));
  return rows;
}

std::vector<OrganizationHit> PeopleQueries::search_organizations(const std::string& query,
                                                                 int limit) const {
  std::vector<OrganizationHit> out;
  const KeyedSearch p = plan(query);
  if (p.words.empty()) return out;
  std::string text = "SELECT o.id, o.name, o.name_latin, o.kind, o.city, o.country, o.origin"
                     " FROM organization o";
  if (!p.match.empty())
    text += " JOIN organization_fts f ON f.rowid = o.rowid AND organization_fts MATCH ?1";
  text += " WHERE o.merged_into IS NULL";  // a mapped one is found as its directory organization
  for (std::size_t i = 0; i < p.words.size(); ++i)
    text += " AND instr(o.search_key, ?" + std::to_string(i + 3) + ") > 0";
  if (p.match.empty())
    text += " AND (substr(o.search_key, 1, length(?2)) = ?2"
            " OR instr(o.search_key, ' ' || ?2) > 0)";
  else
    text += " ORDER BY (substr(o.search_key, 1, length(?2)) = ?2"
            " OR instr(o.search_key, ' ' || ?2) > 0) DESC, o.name_latin, o.name";
  text += " LIMIT ?" + std::to_string(p.words.size() + 3);
  sql::Statement st(m_store.handle(), text);
  if (!p.match.empty()) st.bind(1, p.match);
  st.bind(2, p.first_word);
  for (std::size_t i = 0; i < p.words.size(); ++i) st.bind(static_cast<int>(i + 3), p.words[i]);
  st.bind(static_cast<int>(p.words.size() + 3), limit);
  while (st.step() == SQLITE_ROW)
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                   st.text(6)});
  if (p.match.empty())
    std::sort(out.begin(), out.end(), [](const OrganizationHit& a, const OrganizationHit& b) {
      return std::tie(a.name_latin, a.name) < std::tie(b.name_latin, b.name);
    });
  return out;
}

std::vector<PersonHit> PeopleQueries::find_duplicates(const ParticipantFields& c,
                                                      int limit) const {
  std::vector<PersonHit> out;
  int year = c.birth_year;
  if (c.birth_date && c.birth_date->size() >= 4) year = parse_int(*c.birth_date, 0, 4);
  const std::string native = name_key(c.given_name, c.family_name);
  const std::string latin = name_key(c.given_name_latin, c.family_name_latin);
  if (native.empty() && latin.empty()) return out;
  sql::Statement st(m_store.handle(),
                    std::string("SELECT ") + kPersonColumns +
                        " FROM participant p LEFT JOIN organization lo ON lo.id = p.organization_id"
      " LEFT JOIN organization o ON o.id = coalesce(lo.merged_into, lo.id)"
                        " WHERE p.voided = 0 AND p.birth_year = ?1"
                        " AND ((?2 <> '' AND p.name_key = ?2) OR (?3 <> '' AND p.name_key_latin = ?3))"
                        " AND (?4 IS NULL OR p.organization_id IS NULL OR o.id ="
                        " (SELECT coalesce(merged_into, id) FROM organization WHERE id = ?4))"
                        " ORDER BY p.created_at LIMIT ?5");
  st.bind(1, year).bind(2, native).bind(3, latin).bind_or_null(4, c.organization_id);
  st.bind(5, limit);
  while (st.step() == SQLITE_ROW) out.push_back(read_person(st));
  return out;
}

std::optional<Participant> PeopleQueries::participant(const std::string& id) const {
  sql::Statement st(
      m_store.handle(),
      "SELECT id, given_name, family_name, given_name_latin, family_name_latin, birth_date,"
      " birth_year, gender, role, organization_id, grade, guardian_name, guardian_phone,"
      " interests, consent_id, created_by, created_device, created_at, updated_by,"
      " updated_device, updated_at, voided, void_reason, extra FROM participant WHERE id = ?");
  st.bind(1, id);
  if (st.step() != SQLITE_ROW) return std::nullopt;
  Participant p;
  p.id = st.text(0);
  p.given_name = st.text(1);
  p.family_name = st.text(2);
  p.given_name_latin = st.text(3);
  p.family_name_latin = st.text(4);
  p.birth_date = st.optional_text(5);
  p.birth_year = st.integer(6);
  p.gender = st.text(7);
  p.role = st.text(8);
  p.organization_id = st.optional_text(9);
  p.grade = st.text(10);
  p.guardian_name = st.text(11);
  p.guardian_phone = st.text(12);
  const std::string interests = st.text(13);
  p.consent_id = st.optional_text(14);
  p.created_by = st.text(15);
  p.created_device = st.text(16);
  p.created_at = st.text(17);
  p.updated_by = st.text(18);
  p.updated_device = st.text(19);
  p.updated_at = st.text(20);
  p.voided = st.integer(21) != 0;
  p.void_reason = st.text(22);
  sql::Statement items(m_store.handle(), "SELECT value FROM json_each(?)");
  items.bind(1, interests);
  while (items.step() == SQLITE_ROW) p.interests.push_back(items.text(0));
  sql::Statement extra(m_store.handle(), "SELECT key, value FROM json_each(?)");
  extra.bind(1, st.text(23));
  while (extra.step() == SQLITE_ROW) p.extra[extra.text(0)] = extra.text(1);
  return p;
}

std::vector<Attendance> PeopleQueries::attendance_of(const std::string& participant_id) const {
  std::vector<Attendance> out;
  sql::Statement st(m_store.handle(),
                    "SELECT id, participant_id, event_id, activity, staff_id, device_id, at"
                    " FROM attendance WHERE participant_id = ? ORDER BY at");
  st.bind(1, participant_id);
  while (st.step() == SQLITE_ROW)
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                   st.text(6)});
  return out;
}

std::vector<PersonHit> PeopleQueries::participants_at(const std::string& event_id) const {
  std::vector<PersonHit> out;
  sql::Statement st(m_store.handle(),
                    std::string("SELECT ") + kPersonColumns +
                        " FROM participant p LEFT JOIN organization lo ON lo.id = p.organization_id"
      " LEFT JOIN organization o ON o.id = coalesce(lo.merged_into, lo.id)"
                        " WHERE p.voided = 0 AND p.id IN"
                        " (SELECT participant_id FROM attendance WHERE event_id = ?)"
                        " ORDER BY p.family_name_latin, p.given_name_latin, p.family_name");
  st.bind(1, event_id);
  while (st.step() == SQLITE_ROW) out.push_back(read_person(st));
  return out;
}

EventSummary PeopleQueries::event_summary(const std::string& event_id) const {
  // S1-S3: the counts kept by the store's triggers (migration 12), a few hundred rows at most
  // per event; birth dates become age bands here, organization ids the name shown.
  EventSummary s;
  auto failed = [&](int rc, const sql::Statement& st) {  // S7
    EventSummary e;
    e.error = store_error_from_sqlite(rc);
    e.detail = "event summary: " + st.error();
    return e;
  };
  sql::Statement ev(m_store.handle(), "SELECT start_date FROM event WHERE id = ?");
  ev.bind(1, event_id);
  const int ev_rc = ev.step();
  if (ev_rc == SQLITE_DONE) return s;  // no such event: nothing to count
  if (ev_rc != SQLITE_ROW) return failed(ev_rc, ev);
  const std::string on = ev.text(0);
  sql::Statement st(m_store.handle(),
                    "SELECT c.dimension, CASE c.dimension WHEN 'organization' THEN coalesce(o.name, '')"
                    " ELSE c.value END, c.n FROM summary_count c"
                    " LEFT JOIN organization lo ON c.dimension = 'organization' AND lo.id = c.value"
                    " LEFT JOIN organization o ON o.id = coalesce(lo.merged_into, lo.id)"
                    " WHERE c.event_id = ?1 AND c.n > 0");
  st.bind(1, event_id);
  int rc;
  while ((rc = st.step()) == SQLITE_ROW) {
    const std::string dimension = st.text(0), value = st.text(1);
    const int n = st.integer(2);
    if (dimension == "participants") s.participants += n;
    else if (dimension == "unsent") s.not_yet_sent += n;
    else if (dimension == "gender") s.by_gender[value] += n;
    else if (dimension == "role") s.by_role[value] += n;
    else if (dimension == "organization") s.by_organization[value] += n;
    else if (dimension == "birth") {
      const bool full_date = value.size() == 10;
      const int year = parse_int(value, 0, 4);
      s.by_age_band[age_band(age_on(full_date ? std::optional<std::string>(value) : std::nullopt, year, on))] += n;
    }
  }
  if (rc != SQLITE_DONE) return failed(rc, st);
  return s;
}

}  // namespace kiosk::core
