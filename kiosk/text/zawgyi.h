// kiosk/text/zawgyi.h — telling Zawgyi-encoded Burmese from Unicode Burmese, and converting it.
//
// Zawgyi is a font hack that reuses Myanmar code points with other meanings and stores text in
// visual order. Many phones in Myanmar still type it. Detection (zawgyi_evidence()) counts
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
// Contract: pure functions; to_unicode_from_zawgyi() uses ICU's "Zawgyi-my" transliterator and
// returns the input unchanged when ICU lacks it. Input is sanitized UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::text {

struct ZawgyiEvidence {
  int zawgyi = 0;
  int unicode = 0;
};

ZawgyiEvidence zawgyi_evidence(std::string_view utf8);
bool looks_like_zawgyi(std::string_view utf8);
std::string zawgyi_to_unicode(std::string_view utf8);
// For building test sets: Unicode Burmese to Zawgyi with ICU's "my-Zawgyi".
std::string unicode_to_zawgyi(std::string_view utf8);

}  // namespace kiosk::text
