// kiosk/unicode/zawgyi.cpp — the [ZAWGYI] section of unicode.h (the heuristic is described there).
#include "unicode.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

namespace kiosk::unicode {
namespace {

bool is_consonant(char32_t c) { return (c >= 0x1000 && c <= 0x102A) || c == 0x103F || c == 0x104E; }
bool is_medial(char32_t c) { return c >= 0x103B && c <= 0x103E; }
bool is_vowel_sign(char32_t c) { return (c >= 0x102B && c <= 0x1032) || c == 0x1036; }

// Pali stacks in Unicode (C1 U+1039 C2) pair consonants of one row (varga), or a consonant with
// itself. Zawgyi's U+1039 is an asat and sits between any two consonants.
int varga(char32_t c) {
  if (c >= 0x1000 && c <= 0x1004) return 0;
  if (c >= 0x1005 && c <= 0x100A) return 1;
  if (c >= 0x100B && c <= 0x100F) return 2;
  if (c >= 0x1010 && c <= 0x1014) return 3;
  if (c >= 0x1015 && c <= 0x1019) return 4;
  return -1;
}
bool is_pali_stack(char32_t upper, char32_t lower) {
  if (upper == lower) return true;
  int v = varga(upper);
  return v >= 0 && v == varga(lower);
}

std::string transliterate(std::string_view utf8, const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance(icu::UnicodeString(id, -1, US_INV), UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) return std::string(utf8);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  t->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace

ZawgyiEvidence zawgyi_evidence(std::string_view utf8) {
  ZawgyiEvidence e;
  std::vector<CodePoint> cps = decode_utf8(utf8);
  auto at = [&](std::size_t i) -> char32_t { return i < cps.size() ? cps[i].value : 0; };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i].value;
    char32_t prev = i > 0 ? at(i - 1) : 0;
    char32_t next = at(i + 1);
    if (c >= 0x1060 && c <= 0x1097) e.zawgyi += 2;
    if (c == 0x1031) {
      if (!is_consonant(prev) && !is_medial(prev)) ++e.zawgyi;
      if (next != 0 && !is_consonant(next) && next != 0x103B) ++e.unicode;
      if (next == 0) ++e.unicode;
    }
    if (c == 0x103B && !is_consonant(prev)) ++e.zawgyi;
    if (c == 0x1039 && !is_consonant(next)) ++e.zawgyi;
    if (c == 0x1039 && is_consonant(prev) && is_consonant(next) && prev != 0x1004) {
      if (is_pali_stack(prev, next)) {
        ++e.unicode;
      } else {
        ++e.zawgyi;
      }
    }
    // Unicode's asat ends a syllable: no vowel sign or medial may follow it. Zawgyi's U+103A is
    // the ya-pin medial, which vowels follow.
    if (c == 0x103A && (is_vowel_sign(next) || is_medial(next))) ++e.zawgyi;
    // Unicode stores U+102F/U+1030 before U+1036; Zawgyi text often has the reverse.
    if (c == 0x1036 && (next == 0x102F || next == 0x1030)) ++e.zawgyi;
    if (is_vowel_sign(c) && is_medial(next)) ++e.zawgyi;
    if (c == 0x1004 && next == 0x103A && at(i + 2) == 0x1039) e.unicode += 2;
    if (c == 0x103E) ++e.unicode;
  }
  return e;
}

bool looks_like_zawgyi(std::string_view utf8) {
  ZawgyiEvidence e = zawgyi_evidence(utf8);
  return e.zawgyi > e.unicode;
}

std::string zawgyi_to_unicode(std::string_view utf8) { return transliterate(utf8, "Zawgyi-my"); }
std::string unicode_to_zawgyi(std::string_view utf8) { return transliterate(utf8, "my-Zawgyi"); }

}  // namespace kiosk::unicode
