// sync/hq/library_people.cpp — the talent library (persons) and the organization library over the
// kiosk source records.
//
// Design note
//  P1. Every kiosk source (a participant or organization record, whatever device sent it) gets
//      its own canonical record the first time it is seen, and keeps it: source_link never
//      changes (trigger). So no merge, split or undo can lose or move a source.
//  P2. A merge points one canonical root at another (merged_into) and is recorded in `merge`;
//      the canonical record a source belongs to is the root of that chain. Undo clears the
//      pointer. Merging two records with the same root is refused ("already merged"); undoing
//      an undone merge is refused.
//  P3. Exact matches merge on ingest, inside the ingest transaction:
//        person:        latin name key (ICU Any-Latin, folded, words sorted) | birth date or year
//                       | root of the person's organization
//        organization:  latin name key | country
//      The latin name key uses the Latin name fields when a kiosk filled them, else the native
//      ones transliterated (unicode/unicode.h latin_fold).
//  P4. Near matches go to the review queue (merge_candidate, one row per pair of roots): the
//      same name key with another birth or organization, or the same birth year and the same
//      consonant skeleton of the name key ("darrar" ~ "dara"). Voided sources are never matched.
//
//   new source ──> own canonical record ──exact match──> merged into the match's root (P3)
//                                        └─near match──> candidate (open) ──accept──> merged
//                                                                        └─reject──> rejected
//   merged ──undo──> separate again (sources untouched)
#include "library.h"

#include "sql.h"
#include "write_tx.h"
#include "store.h"
#include "text_normalize.h"

#include <sodium.h>
#include <sqlite3.h>

#include <chrono>

namespace kiosk::hq {
using core::sql::Statement;

namespace {

const char* canonical_table(const char* kind) {
  return std::string_view(kind) == "person" ? "person" : "organization";
}

// The consonant skeleton of a latin key: vowels dropped after a word's first letter, repeated
// letters collapsed ("darrar" and "dara" both give "dr").
std::string skeleton(const std::string& key) {
  std::string out;
  bool word_start = true;
  for (const char c : key) {
    if (c == ' ') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      word_start = true;
      continue;
    }
    // h and w are mostly vowel marks in transliterations ("dara" / Arabic "swk" for Sok).
    const bool vowel = std::string_view("aeiouyhw").find(c) != std::string_view::npos;
    if (vowel && !word_start) continue;
    if (!out.empty() && out.back() == c) continue;
    out += c;
    word_start = false;
  }
  return out;
}

// P3/P4 keys are looked up by a 64-bit SipHash (libsodium crypto_shorthash, fixed key: only
// compactness matters here); the text keys are compared too, so a collision cannot merge.
std::int64_t key_hash(const std::string& kind, const std::string& key) {
  if (key.empty()) return 0;
  static const unsigned char k[crypto_shorthash_KEYBYTES] = {'r', 'o', 'a', 'd', 's', 'h', 'o', 'w',
                                                             'l', 'i', 'b', 'r', 'a', 'r', 'y', '1'};
  const std::string in = kind + '\x1f' + key;
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(in.data()), in.size(), k);
  std::int64_t v = 0;
  for (int i = 0; i < 8; ++i) v = static_cast<std::int64_t>((static_cast<std::uint64_t>(v) << 8) | out[i]);
  return v == 0 ? 1 : v;
}

// Canonical ids are time-ordered (UUID version 7: 48 bits of unix ms, then a counter and random
// bits), so new records append at the end of the person and link indexes instead of dirtying
// pages all over them: a third less time per ingest at 10,000 people (BENCHMARKS.md).
std::string ordered_uuid() {
  static std::uint64_t last_ms = 0;
  static std::uint32_t counter = 0;
  const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count());
  counter = ms == last_ms ? counter + 1 : 0;
  last_ms = ms;
  sync::Uuid u{};
  randombytes_buf(u.data(), u.size());
  for (int i = 0; i < 6; ++i) u[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  u[6] = static_cast<std::uint8_t>(0x70 | ((counter >> 8) & 0x0F));
  u[7] = static_cast<std::uint8_t>(counter);
  u[8] = static_cast<std::uint8_t>((u[8] & 0x3F) | 0x80);
  return sync::uuid_text(u);
}

std::string now_text() {
  return core::iso_time(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace

core::sql::Statement& Library::cached(const std::string& sql_text) {
  auto& slot = m_statements[sql_text];
  if (!slot) slot = std::make_unique<Statement>(m_db, sql_text);
  slot->reset();
  return *slot;
}

std::string Library::root_of(const char* kind, const std::string& id) {
  std::string cur = id;
  Use st(cached(std::string("SELECT merged_into FROM ") + canonical_table(kind) + " WHERE id = ?"));
  for (int depth = 0; depth < 10000; ++depth) {
    st->reset();
    st->bind(1, cur);
    if (st->step() != SQLITE_ROW) return cur;
    const auto next = st->optional_text(0);
    if (!next) return cur;
    cur = *next;
  }
  return cur;  // impossible: merges only point roots at roots, so chains end
}

std::int64_t Library::merge(const char* kind, const std::string& into, const std::string& from,
                            const char* how, const std::string& actor, const std::string& now) {
  const std::string ri = root_of(kind, into), rf = root_of(kind, from);
  if (ri == rf) return 0;
  Use up(cached(std::string("UPDATE ") + canonical_table(kind) +
                         " SET merged_into = ? WHERE id = ? AND merged_into IS NULL"));
  up->bind(1, ri).bind(2, rf);
  if (up->run() != SQLITE_OK || sqlite3_changes(m_db) != 1) return -1;
  Use ins(cached("INSERT INTO merge(kind, into_id, from_id, how, at, actor) VALUES (?, ?, ?, ?, ?, ?)"));
  ins->bind(1, kind).bind(2, ri).bind(3, rf).bind(4, how).bind(5, now).bind(6, actor);
  if (ins->run() != SQLITE_OK) return -1;
  const std::int64_t id = sqlite3_last_insert_rowid(m_db);
  Use audit(cached("INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, ?, 'merge', ?, json_object('kind', ?, 'into', ?, 'from', ?, 'how', ?,"
                        " 'merge', ?))"));
  audit->bind(1, now).bind(2, actor).bind(3, ri).bind(4, kind).bind(5, ri).bind(6, rf).bind(7, how).bind(8, id);
  if (audit->run() != SQLITE_OK) return -1;
  return id;
}

int Library::link_sources(std::int64_t bundle_id, const std::string& now) {
  // Organizations first (a person's exact key uses their organization's root), each in seq order.
  for (const char* entity : {"organization", "participant"}) {
    Use st(cached(bundle_id >= 0
                     ? "SELECT DISTINCT e.entity_id FROM entry e INDEXED BY entry_bundle WHERE e.bundle_id = ?1 AND"
                       " e.entity = ?2 AND NOT EXISTS (SELECT 1 FROM source_link l WHERE"
                       " l.entity = ?2 AND l.source_id = e.entity_id) ORDER BY e.seq"
                     : "SELECT s.id FROM source_record s WHERE ?1 < 0 AND s.entity = ?2 AND NOT"
                       " EXISTS (SELECT 1 FROM source_link l WHERE l.entity = ?2 AND"
                       " l.source_id = s.id) ORDER BY s.first_seen_at, s.id"));
    st->bind(1, bundle_id).bind(2, entity);
    std::vector<std::string> ids;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) ids.push_back(st->text(0));
    if (rc != SQLITE_DONE) return rc;
    for (const auto& id : ids) {
      rc = std::string_view(entity) == "participant" ? link_person(id, now) : link_organization(id, now);
      if (rc != SQLITE_OK) return rc;
    }
  }
  return SQLITE_OK;
}

int Library::link_organization(const std::string& source_id, const std::string& now) {
  Use src(cached("SELECT coalesce(nullif(name_latin, ''), name, ''), coalesce(country, '')"
                      " FROM organization_source WHERE id = ?"));
  src->bind(1, source_id);
  if (src->step() != SQLITE_ROW) return SQLITE_OK;  // not a source (yet): nothing to link
  const std::string key = unicode::latin_fold(src->text(0));
  const std::string country = src->text(1);
  const std::string canonical = ordered_uuid();
  Use ins(cached("INSERT INTO organization(id, created_at) VALUES (?, ?)"));
  ins->bind(1, canonical).bind(2, now);
  int rc = ins->run();
  if (rc != SQLITE_OK) return rc;
  const std::string match = key.empty() ? "" : key + "|" + country;
  Use link(cached("INSERT INTO source_link(entity, source_id, canonical_id, name_key, name_hash,"
                  " skeleton_hash, match_hash, match_key, linked_at)"
                  " VALUES ('organization', ?, ?, ?, ?, ?, ?, ?, ?)"));
  link->bind(1, source_id).bind(2, canonical).bind(3, key).bind(4, key_hash("org", key));
  link->bind(5, key_hash("org", skeleton(key))).bind(6, key_hash("org", match)).bind(7, match);
  link->bind(8, now);
  if ((rc = link->run()) != SQLITE_OK) return rc;
  if (match.empty()) return SQLITE_OK;
  Use exact(cached("SELECT canonical_id FROM source_link INDEXED BY source_link_match WHERE"
                   " match_hash = ? AND match_hash <> 0 AND match_key = ? AND entity = 'organization' AND"
                   " source_id <> ? LIMIT 1"));
  exact->bind(1, key_hash("org", match)).bind(2, match).bind(3, source_id);
  rc = exact->step();
  if (rc == SQLITE_ROW)
    return merge("organization", exact->text(0), canonical, "exact", "hq-ingest", now) < 0 ? SQLITE_ERROR : SQLITE_OK;
  if (rc != SQLITE_DONE) return rc;
  Use near(cached("SELECT DISTINCT canonical_id FROM source_link INDEXED BY source_link_name"
                  " WHERE name_hash = ? AND match_hash <> 0 AND name_key = ? AND"
                  " entity = 'organization' AND source_id <> ?"));
  near->bind(1, key_hash("org", key)).bind(2, key).bind(3, source_id);
  std::vector<std::string> others;
  while ((rc = near->step()) == SQLITE_ROW) others.push_back(near->text(0));
  if (rc != SQLITE_DONE) return rc;
  for (const auto& o : others) {
    std::string a = root_of("organization", o), b = root_of("organization", canonical);
    if (a == b) continue;
    if (b < a) std::swap(a, b);
    Use q(cached("INSERT OR IGNORE INTO merge_candidate(kind, a_id, b_id, reason, created_at)"
                      " VALUES ('organization', ?, ?, 'same name, another country', ?)"));
    q->bind(1, a).bind(2, b).bind(3, now);
    if ((rc = q->run()) != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int Library::link_person(const std::string& source_id, const std::string& now) {
  Use src(cached("SELECT coalesce(given_name_latin, ''), coalesce(family_name_latin, ''),"
                " coalesce(given_name, ''), coalesce(family_name, ''),"
                " coalesce(birth_date, ''), birth_year, coalesce(organization_id, ''), voided"
                " FROM person_source WHERE id = ?"));
  src->bind(1, source_id);
  if (src->step() != SQLITE_ROW) return SQLITE_OK;
  const bool has_latin = !src->text(0).empty() || !src->text(1).empty();
  const std::string key = has_latin ? core::latin_name_key(src->text(0), src->text(1))
                                    : core::latin_name_key(src->text(2), src->text(3));
  const std::string birth = !src->text(4).empty() ? src->text(4) : src->text(5);
  const std::int64_t birth_year = src->int64(5);
  std::string org;
  if (!src->text(6).empty()) {
    Use o(cached("SELECT canonical_id FROM source_link WHERE entity = 'organization' AND source_id = ?"));
    o->bind(1, src->text(6));
    org = o->step() == SQLITE_ROW ? root_of("organization", o->text(0)) : src->text(6);
  }
  const bool voided = src->int64(7) != 0;
  const std::string canonical = ordered_uuid();
  Use ins(cached("INSERT INTO person(id, created_at) VALUES (?, ?)"));
  ins->bind(1, canonical).bind(2, now);
  int rc = ins->run();
  if (rc != SQLITE_OK) return rc;
  const std::string match = voided || key.empty() ? "" : key + "|" + birth + "|" + org;
  const std::int64_t name_h = key_hash("person", key), skel_h = key_hash("person", skeleton(key));
  Use link(cached("INSERT INTO source_link(entity, source_id, canonical_id, name_key, name_hash,"
                  " skeleton_hash, match_hash, match_key, birth_year, linked_at)"
                  " VALUES ('participant', ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  link->bind(1, source_id).bind(2, canonical).bind(3, key).bind(4, name_h).bind(5, skel_h);
  link->bind(6, key_hash("person", match)).bind(7, match).bind(8, birth_year).bind(9, now);
  if ((rc = link->run()) != SQLITE_OK) return rc;
  if (match.empty()) return SQLITE_OK;  // P4: voided (or nameless) records are never matched
  Use exact(cached("SELECT canonical_id FROM source_link INDEXED BY source_link_match WHERE"
                   " match_hash = ? AND match_hash <> 0 AND match_key = ? AND entity = 'participant' AND"
                   " source_id <> ? LIMIT 1"));
  exact->bind(1, key_hash("person", match)).bind(2, match).bind(3, source_id);
  rc = exact->step();
  if (rc == SQLITE_ROW)
    return merge("person", exact->text(0), canonical, "exact", "hq-ingest", now) < 0 ? SQLITE_ERROR : SQLITE_OK;
  if (rc != SQLITE_DONE) return rc;
  // Two indexed lookups (an OR of both made SQLite scan every source: 115x slower at 10,000).
  Use near(cached("SELECT canonical_id, 'same name, another birth date or organization'"
                  " FROM source_link INDEXED BY source_link_name WHERE name_hash = ?5"
                  " AND match_hash <> 0 AND name_key = ?1 AND entity = 'participant'"
                  " AND source_id <> ?2"
                  " UNION SELECT canonical_id, 'same birth year, similar name'"
                  " FROM source_link INDEXED BY source_link_skeleton WHERE skeleton_hash = ?4"
                  " AND birth_year = ?3 AND match_hash <> 0 AND entity = 'participant' AND"
                  " source_id <> ?2 AND name_key <> ?1"));
  near->bind(1, key).bind(2, source_id).bind(3, birth_year).bind(4, skel_h).bind(5, name_h);
  std::vector<std::pair<std::string, std::string>> others;
  while ((rc = near->step()) == SQLITE_ROW) others.emplace_back(near->text(0), near->text(1));
  if (rc != SQLITE_DONE) return rc;
  for (const auto& [o, reason] : others) {
    std::string a = root_of("person", o), b = root_of("person", canonical);
    if (a == b) continue;
    if (b < a) std::swap(a, b);
    Use q(cached("INSERT OR IGNORE INTO merge_candidate(kind, a_id, b_id, reason, created_at)"
                      " VALUES ('person', ?, ?, ?, ?)"));
    q->bind(1, a).bind(2, b).bind(3, reason).bind(4, now);
    if ((rc = q->run()) != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

// [REVIEW]
Table Library::merge_queue(const std::string& state) {
  return query("SELECT c.id, c.kind, c.state, c.reason, c.a_id AS a, c.b_id AS b, c.created_at,"
               " coalesce(c.decided_by, '') AS decided_by"
               " FROM merge_candidate c WHERE ?1 = 'all' OR c.state = ?1 ORDER BY c.id",
               state.empty() ? "open" : state);
}

Table Library::merge_show(std::int64_t id, std::string* why) {
  Statement c(m_db, "SELECT kind, a_id, b_id FROM merge_candidate WHERE id = ?");
  c.bind(1, id);
  if (c.step() != SQLITE_ROW) {
    *why = "no merge candidate " + std::to_string(id) + " (see hq merge list)";
    return {};
  }
  const std::string kind = c.text(0);
  Table t;
  const std::string a = c.text(1), b = c.text(2);
  // The evidence: every source of both sides (all records merged into each root), side by side.
  for (const auto& [side, root] : {std::make_pair(std::string("A"), a), std::make_pair(std::string("B"), b)}) {
    const Table part = kind == "person" ? person_sources(root) : [&] {
      return query("WITH RECURSIVE tree(id) AS (SELECT ?1 UNION SELECT o.id FROM organization o"
                   " JOIN tree ON o.merged_into = tree.id)"
                   " SELECT s.id AS source, s.name, s.name_latin, s.kind, s.country, s.city,"
                   " d.name AS device, s.updated_at FROM tree JOIN source_link l ON"
                   " l.entity = 'organization' AND l.canonical_id = tree.id JOIN organization_source s"
                   " ON s.id = l.source_id JOIN device d ON d.id = s.device_id ORDER BY s.updated_at",
                   root);
    }();
    if (t.columns.empty()) {
      t.columns = part.columns;
      t.columns.insert(t.columns.begin(), "side");
    }
    for (auto row : part.rows) {
      row.insert(row.begin(), side);
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

std::int64_t Library::merge_accept(std::int64_t id, const std::string& actor, std::string* why) {
  WriteTx tx(m_db);
  if (tx.begin_rc() != SQLITE_OK) {
    *why = std::string("library cannot be written: ") + sqlite3_errmsg(m_db);
    return 0;
  }
  Statement c(m_db, "SELECT kind, a_id, b_id, state FROM merge_candidate WHERE id = ?");
  c.bind(1, id);
  if (c.step() != SQLITE_ROW) {
    *why = "no merge candidate " + std::to_string(id);
    return 0;
  }
  const std::string kind = c.text(0), a = c.text(1), b = c.text(2), state = c.text(3);
  if (state != "open") {
    *why = "candidate " + std::to_string(id) + " was already " + state;
    return 0;
  }
  const std::string now = now_text();
  const std::int64_t m = merge(kind == "person" ? "person" : "organization", a, b, "review", actor, now);
  if (m == 0) {
    *why = "the two records are already merged (same canonical record)";
    return 0;
  }
  Statement up(m_db, "UPDATE merge_candidate SET state = 'accepted', decided_at = ?, decided_by = ?,"
                     " merge_id = ? WHERE id = ?");
  up.bind(1, now).bind(2, actor).bind(3, m).bind(4, id);
  Statement mc(m_db, "UPDATE merge SET candidate_id = ? WHERE id = ?");
  mc.bind(1, id).bind(2, m);
  if (m < 0 || up.run() != SQLITE_OK || mc.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("library cannot be written: ") + sqlite3_errmsg(m_db);
    return 0;
  }
  return m;
}

bool Library::merge_reject(std::int64_t id, const std::string& actor, std::string* why) {
  WriteTx tx(m_db);
  Statement c(m_db, "SELECT state FROM merge_candidate WHERE id = ?");
  c.bind(1, id);
  if (c.step() != SQLITE_ROW) {
    *why = "no merge candidate " + std::to_string(id);
    return false;
  }
  if (c.text(0) != "open") {
    *why = "candidate " + std::to_string(id) + " was already " + c.text(0);
    return false;
  }
  const std::string now = now_text();
  Statement up(m_db, "UPDATE merge_candidate SET state = 'rejected', decided_at = ?, decided_by = ?"
                     " WHERE id = ?");
  up.bind(1, now).bind(2, actor).bind(3, id);
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, ?, 'merge.reject', ?, '{}')");
  audit.bind(1, now).bind(2, actor).bind(3, std::to_string(id));
  if (up.run() != SQLITE_OK || audit.run() != SQLITE_OK || tx.commit() != SQLITE_OK) {
    *why = std::string("library cannot be written: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

bool Library::merge_undo(std::int64_t id, const std::string& actor, std::string* why) {
  WriteTx tx(m_db);
  Statement m(m_db, "SELECT kind, into_id, from_id, undone_at IS NOT NULL, candidate_id FROM merge"
                    " WHERE id = ?");
  m.bind(1, id);
  if (m.step() != SQLITE_ROW) {
    *why = "no merge " + std::to_string(id) + " (see hq merge history)";
    return false;
  }
  if (m.int64(3)) {
    *why = "merge " + std::to_string(id) + " was already undone";
    return false;
  }
  const std::string kind = m.text(0), into = m.text(1), from = m.text(2);
  const std::string now = now_text();
  Statement up(m_db, std::string("UPDATE ") + canonical_table(kind.c_str()) +
                         " SET merged_into = NULL WHERE id = ? AND merged_into = ?");
  up.bind(1, from).bind(2, into);
  if (up.run() != SQLITE_OK || sqlite3_changes(m_db) != 1) {
    *why = "merge " + std::to_string(id) + " is not in effect (damaged library?)";
    return false;
  }
  Statement done(m_db, "UPDATE merge SET undone_at = ?, undone_by = ? WHERE id = ?");
  done.bind(1, now).bind(2, actor).bind(3, id);
  // A reviewed pair that was merged by mistake stays decided: rejected by whoever undid it.
  Statement cand(m_db, "UPDATE merge_candidate SET state = 'rejected', decided_at = ?, decided_by = ?"
                       " WHERE merge_id = ?");
  cand.bind(1, now).bind(2, actor).bind(3, id);
  Statement audit(m_db, "INSERT INTO audit(at, actor, action, target, detail) VALUES"
                        " (?, ?, 'merge.undo', ?, json_object('into', ?, 'from', ?))");
  audit.bind(1, now).bind(2, actor).bind(3, std::to_string(id)).bind(4, into).bind(5, from);
  if (done.run() != SQLITE_OK || cand.run() != SQLITE_OK || audit.run() != SQLITE_OK ||
      tx.commit() != SQLITE_OK) {
    *why = std::string("library cannot be written: ") + sqlite3_errmsg(m_db);
    return false;
  }
  return true;
}

Table Library::merges() {
  return query("SELECT id, kind, how, into_id AS 'into', from_id AS 'from', at, actor,"
               " coalesce(undone_at, '') AS undone_at FROM merge WHERE ?1 = ?1 ORDER BY id", "");
}

// [LISTS] The canonical lists and records are in library_records.cpp (rule V1 there).
Table Library::person_sources(const std::string& person_id) {
  return query("WITH RECURSIVE tree(id) AS (SELECT ?1 UNION SELECT p.id FROM person p JOIN tree"
               " ON p.merged_into = tree.id)"
               " SELECT ps.id AS source, ps.given_name, ps.family_name, ps.given_name_latin,"
               "  ps.family_name_latin, coalesce(ps.birth_date, ps.birth_year, '') AS birth,"
               "  coalesce(os.name, '') AS organization, d.name AS device,"
               "  (SELECT count(*) FROM source_record a WHERE a.entity = 'attendance' AND"
               "   json_extract(a.payload, '$.participant_id') = ps.id) AS participations,"
               "  ps.updated_at"
               " FROM tree JOIN source_link l ON l.entity = 'participant' AND l.canonical_id = tree.id"
               " JOIN person_source ps ON ps.id = l.source_id JOIN device d ON d.id = ps.device_id"
               " LEFT JOIN organization_source os ON os.id = ps.organization_id"
               " ORDER BY ps.updated_at, ps.id", person_id);
}

}  // namespace kiosk::hq
