// kiosk/unicode/unicode.h — the Unicode facts every part of Roadshow Kiosk agrees on.
//
// kiosk_unicode is one small library over ICU alone (no shaping engine, no fonts). kiosk_core,
// content's checker, kiosk_text and hq link it; each fact below has one implementation here, and
// no other file scans UTF-8 bytes, classifies characters or folds names by itself.
//
// [SECTIONS]  [UTF-8]  [CHARACTERS]  [TEXT CHECK]  [SCRIPTS]  [ZAWGYI]  [FOLDING]
//
// The policy, as numbered invariants (tests/unicode checks each one):
//  U1. Well-formed UTF-8 is the Unicode Standard's (chapter 3, table 3-7): no overlong form, no
//      surrogate (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence, no stray
//      continuation byte, no byte C0, C1 or F5..FF.
//  U2. NUL is well-formed UTF-8 (it is the code point U+0000): is_valid_utf8("a\0b") is true.
//      It is refused as a control character (U4) by check_text(), which every check of text a
//      person reads goes through (names, form values, pack strings, directory CSV fields). Valid
//      and acceptable are two questions with two functions; no caller treats NUL specially.
//  U3. Ill-formed input is never a crash or undefined behaviour: decoding reads each maximal
//      ill-formed subpart as one U+FFFD (Unicode's "best practice"), and every count and scan
//      here treats it as one code point. sanitize_utf8() also turns NUL into U+FFFD, because
//      what it returns is drawn and passed to C APIs that stop at NUL.
//  U4. A control character is general category Cc: U+0000..U+001F, U+007F..U+009F.
//  U5. A bidi control is one that reorders the text around it: the embeddings and overrides
//      U+202A..U+202E and the isolates U+2066..U+2069. The marks U+200E, U+200F and U+061C
//      reorder nothing beyond themselves: they are invisible (U6), not bidi controls.
//  U6. Invisible is Unicode's Default_Ignorable_Code_Point (U+00AD, U+200B..U+200F, U+202A..
//      U+202E, U+2060..U+206F, U+FEFF, variation selectors...): drawn as nothing. Text is
//      "blank" when it has no letter or digit (general category L or N): only spaces, invisible
//      characters, marks or punctuation; nobody could read or tell such names apart.
//  U7. Lengths are counted in code points, neither bytes nor grapheme clusters, in every script
//      alike: Khmer "ស្រី" is 4, an emoji with a skin tone is 2.
//  U8. Scripts are ICU's Script property. Common and Inherited characters (digits, punctuation,
//      spaces, most marks) belong to no script: they never make has_script() true and never win
//      dominant_script().
//  U9. Everything here is a pure function of its input, thread-safe (the ICU objects kept are
//      per thread), and accepts any bytes (U3); only the [UTF-8] functions marked "valid UTF-8"
//      assume their input went through sanitize_utf8() or is_valid_utf8().
#pragma once

#include <unicode/uscript.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::unicode {

// [UTF-8] ---------------------------------------------------------------------------------------

inline constexpr char32_t kReplacementChar = 0xFFFD;

// One step of decoding at a byte offset: a well-formed sequence (ok, its code point and length),
// or the maximal ill-formed subpart there (not ok, U+FFFD, length >= 1). `offset` < bytes.size().
struct Decoded {
  char32_t value = kReplacementChar;
  std::uint32_t length = 1;
  bool ok = false;
};
Decoded decode_at(std::string_view bytes, std::size_t offset);

// U1/U2: true when every byte belongs to a well-formed sequence; NUL is well-formed.
bool is_valid_utf8(std::string_view bytes);
// Byte offset of the first ill-formed sequence, or std::string_view::npos.
std::size_t find_invalid_utf8(std::string_view bytes);
// U3/U7: code points, an ill-formed subpart counting as one.
std::size_t count_code_points(std::string_view bytes);

// Calls fn(code_point, byte_offset) for each code point in order (U3 for ill-formed bytes).
template <class Fn>
void for_each_code_point(std::string_view bytes, Fn&& fn) {
  for (std::size_t i = 0; i < bytes.size();) {
    const Decoded d = decode_at(bytes, i);
    fn(d.value, i);
    i += d.length;
  }
}

// One decoded code point and the byte offset where it starts.
struct CodePoint {
  char32_t value;
  std::uint32_t offset;
};
std::vector<CodePoint> decode_utf8(std::string_view bytes);

// Valid UTF-8 for display: each ill-formed subpart and each NUL becomes U+FFFD (U3).
std::string sanitize_utf8(std::string_view bytes);
// Appends cp as UTF-8; a surrogate or a value above U+10FFFF appends U+FFFD.
void append_utf8(std::string& out, char32_t cp);

// Length of the longest prefix of `bytes` that ends on a complete UTF-8 sequence. Used to hold
// back a sequence split across input events.
std::size_t complete_utf8_prefix(std::string_view bytes);

// Byte offset of the code point before/after `offset` in valid UTF-8 (clamped to [0, size]).
std::size_t prev_code_point(std::string_view valid_utf8, std::size_t offset);
std::size_t next_code_point(std::string_view valid_utf8, std::size_t offset);

// UTF-16 copy of valid UTF-8 for ICU, with the byte offset of each UTF-16 unit.
struct Utf16Text {
  std::u16string units;
  std::vector<std::uint32_t> byte_offset;  // size units.size() + 1
};
Utf16Text to_utf16(std::string_view valid_utf8);

// [CHARACTERS] ----------------------------------------------------------------------------------

bool is_control(char32_t cp);        // U4
bool is_bidi_control(char32_t cp);   // U5
bool is_invisible(char32_t cp);      // U6: Default_Ignorable_Code_Point
bool is_letter_or_digit(char32_t cp);  // general category L or N
bool is_mark(char32_t cp);           // general category M (Mn, Mc, Me)
bool is_space(char32_t cp);          // Unicode White_Space (spaces, tabs, line breaks)

// U6: no letter or digit anywhere (also true for "").
bool is_blank(std::string_view text);
// Only invisible characters and white space, or "": nothing at all is drawn.
bool is_invisible_only(std::string_view text);

// [TEXT CHECK] ----------------------------------------------------------------------------------
// The one check of text a person reads (a name, a title, a form value, a directory field).
// check_text() looks, in this order, for: "" (blank); ill-formed UTF-8; a control character
// (U4) not listed in rules.allowed_controls; a bidi control (U5); more than max_code_points code
// points (U7); Burmese in the Zawgyi encoding; no letter or digit (blank, U6). The first finding
// wins; offset and code_point say where (for blank and too_long: 0).

enum class TextProblem { none, blank, invalid_utf8, control, bidi_control, too_long, zawgyi };

struct TextRules {
  std::size_t max_code_points = SIZE_MAX;
  std::string_view allowed_controls = {};  // e.g. "\n\t" for a multi-line body
  bool check_zawgyi = true;
};

struct TextCheck {
  TextProblem problem = TextProblem::none;
  std::size_t offset = 0;    // byte offset of the offending character
  char32_t code_point = 0;   // the offending character (U+FFFD for ill-formed bytes)
  explicit operator bool() const { return problem != TextProblem::none; }
};

TextCheck check_text(std::string_view text, const TextRules& rules = {});
// "U+202E" for a code point (at least four hex digits).
std::string code_point_name(char32_t cp);

// [SCRIPTS] -------------------------------------------------------------------------------------

// ICU's Script of one code point (USCRIPT_COMMON for invalid values).
UScriptCode script_of(char32_t cp);
// U8: true when some code point of `text` belongs to `script`.
bool has_script(std::string_view text, UScriptCode script);
// U8: the script most code points of `text` belong to (the first one on a tie); USCRIPT_COMMON
// when none belongs to any.
UScriptCode dominant_script(std::string_view text);

// [ZAWGYI] --------------------------------------------------------------------------------------
// Zawgyi is a font hack that reuses Myanmar code points with other meanings and stores text in
// visual order; many phones in Myanmar still type it. Detection (zawgyi_evidence()) counts
// patterns that are impossible in well-formed Unicode Burmese and patterns that are impossible
// in Zawgyi; text is flagged when the first outnumber the second:
//   Zawgyi: a code point in U+1060..U+1097 (Zawgyi's stacked and variant forms);
//           U+1031 (E vowel) not after a consonant or medial (Zawgyi types it first);
//           U+103B (Zawgyi's ya-yit, typed before the consonant) not after a consonant;
//           U+1039 not followed by a consonant (Zawgyi's asat; Unicode's stacker needs one);
//           U+1039 between two consonants that are no Pali stack (not of one row);
//           U+103A followed by a vowel sign or medial (Unicode's asat ends the syllable);
//           U+1036 before U+102F/U+1030 (the reverse of Unicode's order);
//           a vowel sign followed by a medial (Unicode puts medials first).
//   Unicode: kinzi (U+1004 U+103A U+1039); U+103E (Unicode's ha-medial, unused by Zawgyi);
//           a Pali stack (C U+1039 C of one row);
//           U+1031 followed by a non-consonant (Unicode stores it after its consonant).
// Text with no Myanmar code point is never Zawgyi. The conversions use ICU's "Zawgyi-my" and
// "my-Zawgyi" transliterators and return the input unchanged when ICU lacks them.

struct ZawgyiEvidence {
  int zawgyi = 0;
  int unicode = 0;
};

ZawgyiEvidence zawgyi_evidence(std::string_view utf8);
bool looks_like_zawgyi(std::string_view utf8);
std::string zawgyi_to_unicode(std::string_view utf8);
// For building test sets: Unicode Burmese to Zawgyi.
std::string unicode_to_zawgyi(std::string_view utf8);

// [FOLDING] -------------------------------------------------------------------------------------
// search_fold() turns what people type into what the stores index and compare:
//   - Unicode case folding (so "ÉMILE" and "émile" meet);
//   - diacritics stripped from Latin, Greek and Cyrillic letters ("Émile" → "emile",
//     "Nguyễn" → "nguyen") and Arabic harakat/tatweel removed (names are typed with or without
//     them); marks of other scripts (Khmer, Burmese vowel signs...) are kept: they are letters
//     there, and stripping them would merge different names;
//   - invisible characters (U6) are dropped, except ZWNJ/ZWJ, which change how a name is
//     written in some scripts;
//   - NFC; punctuation, symbols, controls and every kind of space become one ASCII space;
//     trimmed. Empty input gives "".
std::string search_fold(std::string_view utf8);

// search_fold() of the text transliterated to Latin with ICU, for comparing names typed in
// different scripts ("ဒါရာ" → "darrar", "دارا" → "dara", "ដារា" → "dara"). Khmer, which ICU 72
// has no transliterator for, goes through our own ICU rules first (a simplified UNGEGN-style
// romanization, fold.cpp), then "Any-Latin; Latin-ASCII" handles every other script.
std::string latin_fold(std::string_view utf8);

// The key two names share when a person could not tell them apart on screen: search_fold()
// (case, Latin diacritics, invisible characters), then ICU's confusable skeleton (UTS #39,
// uspoof), folded again. "Sophea", "SOPHEA", "So\u200Bphea" and "Ѕорһеа" (Cyrillic letters)
// share one key; "Sophea" and "Sopheap" do not. For uniqueness checks, not for search:
// different real names can share a skeleton ("rn" and "m").
std::string confusable_key(std::string_view utf8);

}  // namespace kiosk::unicode
