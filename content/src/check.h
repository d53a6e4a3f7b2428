// content/src/check.h — the content pack checker behind `kiosk-content check` and `stats`.
//
// check_pack() reads every source file a pack uses and reports each problem as a Finding that
// prints as "file:line: problem" (errors) or "file:line: warning: problem"; the line is left
// out when none applies (a missing file or key). What it checks, in order:
//   1. the manifest: syntax, key types, unknown keys, required keys, languages, theme, digits;
//   2. the UI catalogs (<strings_dir>/<lang>.po): present, valid UTF-8, well-formed PO, every
//      key of en.po translated (a missing key is a warning: it falls back to the pack default,
//      then English; many missing keys of one screen are grouped), no key unknown to en.po,
//      no Zawgyi-encoded Burmese; in every pack language the guardian's consent text and its
//      version beside it (catalog.h k_consent_*: an error, the kiosk refuses consent without
//      them);
//   3. every exhibit: exhibit.toml (schema, unknown keys, id = folder, category, image, credit,
//      quiz_answers one per question and in range), a <lang>.toml for every pack language
//      (schema, unknown keys, 2-4 facts, 2-4 questions of 2-4 options, the same shape as the
//      default language, strings within their slot's length), valid UTF-8, no Zawgyi, images
//      that exist, are within the limits below (read from the header, never decoded when too
//      large) and decode; duplicate ids; language files the pack does not use;
//   4. when all of that is clean, the kiosk's own loaders (load_pack, load_exhibit) as a last
//      net, so a pack the checker passes is a pack the kiosk loads.
//
// Language files the pack does not use are only a warning when no catalog of that language
// exists in the pack's strings_dir: the shared exhibit library (content/exhibits) holds every
// tour's languages, and a Khmer pack is not expected to complain about isiZulu files.
//
// Contract: check_pack() and check_image() never throw and never crash on hostile input; they
// are not thread-safe (stb_image reports failures through a global). The report is sorted by
// the order problems were found: manifest, catalogs, then exhibits in manifest order.
#pragma once

#include "image_header.h"  // k_max_image_side, k_max_image_bytes

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// Longest text each slot of the screens holds, in Unicode code points (not bytes, not glyphs).
// Khmer and Burmese count every code point, including the combining vowel signs, subscript
// consonants and the invisible U+17D2 / U+1039 stackers, so their limits are generous: a
// 30-letter Khmer title can take 45 code points and still fit the card on screen.
inline constexpr std::size_t k_max_title_length = 48;        // home card and exhibit header
inline constexpr std::size_t k_max_summary_length = 180;     // under the title, 3 lines
inline constexpr std::size_t k_max_image_alt_length = 320;   // read aloud / shown on request
inline constexpr std::size_t k_max_body_length = 2400;       // the scrolled article
inline constexpr std::size_t k_max_fact_length = 220;        // one "did you know" card
inline constexpr std::size_t k_max_question_length = 160;    // quiz question
inline constexpr std::size_t k_max_option_length = 80;       // one answer button
inline constexpr std::size_t k_max_explanation_length = 240; // feedback after answering

inline constexpr int k_min_facts = 2, k_max_facts = 4;
inline constexpr int k_min_questions = 2, k_max_questions = 4;
inline constexpr int k_min_options = 2, k_max_options = 4;

// Untranslated UI strings sharing a first key segment ("events.*") are listed one warning per
// key up to this many, and as one counted warning beyond.
inline constexpr std::size_t k_max_untranslated_listed = 3;

// The categories the home screen groups exhibits by; each has a "category.<name>" UI string.
inline constexpr std::array<std::string_view, 8> k_exhibit_categories = {
    "light", "electricity", "forces", "sound", "body", "earth", "space", "energy"};

enum class Severity { Error, Warning };

struct Finding {
  Severity severity = Severity::Error;
  std::string file;  // as derived from the pack folder given; empty for a loader message
  int line = 0;      // 1-based; 0 when unknown
  std::string problem;
  std::string text() const;  // "file:line: problem", "file:line: warning: problem"
};

// Coverage of one pack language, as `stats` prints it.
struct LanguageCoverage {
  std::string lang;
  int exhibits_complete = 0;  // text file present and free of errors
  int exhibits_total = 0;
  int strings_translated = 0; // keys of en.po translated in <lang>.po (not fuzzy, not empty)
  int strings_total = 0;      // keys of en.po
};

struct CheckReport {
  std::string pack;  // the folder as given
  std::vector<Finding> findings;
  std::vector<LanguageCoverage> coverage;  // one per pack language, in display order

  int errors() const;
  int warnings() const;
  std::string summary() const;  // "N errors, M warnings in PACK"
  bool contains(std::string_view finding_text) const;  // for tests and tools
};

CheckReport check_pack(const std::string& folder);

// One image against the limits of image_header.h. Reads the header (read_image_header, the gate
// the kiosk's image cache uses too) first; only an image within the limits is decoded, once, to
// prove it is not corrupt. problem is empty when ok.
struct ImageCheck {
  bool ok = false;
  bool decoded = false;  // true only when stbi_load ran
  int width = 0, height = 0;
  std::uintmax_t bytes = 0;
  std::string problem;
};
ImageCheck check_image(const std::string& path);

// The `stats` table: one row per language with both coverage ratios.
std::string format_coverage(const CheckReport& report);

}  // namespace kiosk::content
