// kiosk/core/text_normalize.h — the normalized keys used for search and duplicate detection.
//
// search_fold() turns what people type into what the store indexes and compares:
//   - Unicode case folding (so "ÉMILE" and "émile" meet);
//   - diacritics stripped from Latin, Greek and Cyrillic letters ("Émile" → "emile",
//     "Nguyễn" → "nguyen") and Arabic harakat/tatweel removed (names are typed with or without
//     them); marks of other scripts (Khmer, Burmese vowel signs...) are kept: they are letters
//     there, and stripping them would merge different names;
//   - invisible characters (Unicode's default-ignorables: U+200B, U+2060, U+FEFF, bidi marks)
//     are dropped, except ZWNJ/ZWJ, which change how a name is written in some scripts;
//   - NFC; punctuation, symbols and every kind of space become one ASCII space; trimmed.
// name_key() is search_fold() of given + family name with the words sorted, so swapped name
// order ("Sok Dara" / "Dara Sok") yields the same key.
//
// Contract: pure functions, thread-safe, input must be valid UTF-8 (invalid sequences become
// U+FFFD and then a space). Empty input gives "".
#pragma once

#include <string>
#include <string_view>

namespace kiosk::core {

std::string search_fold(std::string_view utf8);
std::string name_key(std::string_view given, std::string_view family);

}  // namespace kiosk::core

namespace kiosk::core {
// search_fold() of the text transliterated to Latin with ICU, for comparing names typed in
// different scripts ("ဒါရာ" → "darrar", "دارا" → "dara", "ដារា" → "dara"). Khmer, which ICU 72
// has no transliterator for, goes through our own ICU rules first (a simplified UNGEGN-style
// romanization, text_normalize.cpp), then "Any-Latin; Latin-ASCII" handles every other script.
std::string latin_fold(std::string_view utf8);
// name_key() over latin_fold()ed names.
std::string latin_name_key(std::string_view given, std::string_view family);
}  // namespace kiosk::core

namespace kiosk::core {
// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF).
bool is_valid_utf8(std::string_view bytes);
}  // namespace kiosk::core

namespace kiosk::core {
// True when the text holds Burmese letters that read as Zawgyi-encoded (kiosk_text's detector);
// Burmese must be stored as Unicode. Latin-only or Khmer text is never Zawgyi.
bool is_zawgyi_burmese(std::string_view utf8);
}  // namespace kiosk::core

namespace kiosk::core {
// s without leading and trailing ASCII spaces, tabs and line breaks.
std::string trim_space(std::string_view s);

// Why a short display name (a staff account's, the kiosk's) cannot be stored. `name` is already
// trimmed; invalid_text covers invalid UTF-8, C0/C1 control characters and the bidi embedding,
// override and isolate controls (U+202A..U+202E, U+2066..U+2069); too_long counts code
// points, not bytes; zawgyi is Burmese in the Zawgyi encoding (is_zawgyi_burmese); empty also
// covers a name with no letter or digit at all (only U+200B, joiners, marks or punctuation).
enum class NameProblem { none, empty, invalid_text, too_long, zawgyi };
NameProblem check_display_name(std::string_view name, std::size_t max_code_points);
}  // namespace kiosk::core

namespace kiosk::core {
// The key two names share when a person could not tell them apart on screen: search_fold()
// (case, Latin diacritics, invisible characters), then ICU's confusable skeleton (UTS #39,
// uspoof), folded again. "Sophea", "SOPHEA", "So\u200Bphea" and "Ѕорһеа" (Cyrillic letters)
// share one key; "Sophea" and "Sopheap" do not. For uniqueness checks (staff names), not for
// search: different real names can share a skeleton ("rn" and "m").
std::string confusable_name_key(std::string_view utf8);
}  // namespace kiosk::core
