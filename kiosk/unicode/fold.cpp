// kiosk/unicode/fold.cpp — the [FOLDING] section of unicode.h: search keys, Latin keys and the
// confusable skeleton (ICU normalization, transliteration and uspoof).
#include "unicode.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <memory>

namespace kiosk::unicode {
namespace {

bool strips_marks(UScriptCode script) {
  return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC;
}

bool is_arabic_harakah(UChar32 c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640;  // + tatweel
}

}  // namespace

std::string search_fold(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  s.foldCase();
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(utf8);  // impossible with a working ICU data file
  icu::UnicodeString d = nfd->normalize(s, status);
  icu::UnicodeString out;
  UScriptCode base_script = USCRIPT_COMMON;
  bool pending_space = false;
  for (int32_t i = 0; i < d.length(); i = d.moveIndex32(i, 1)) {
    const UChar32 c = d.char32At(i);
    const int8_t type = u_charType(c);
    const bool is_mark = type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
                         type == U_ENCLOSING_MARK;
    if (is_mark) {
      if (type == U_NON_SPACING_MARK && strips_marks(base_script)) continue;
      if (is_arabic_harakah(c)) continue;
      out.append(c);
      continue;
    }
    if (is_arabic_harakah(c)) continue;
    const bool keep = u_isalnum(c) || c == 0x200C || c == 0x200D;  // ZWNJ/ZWJ shape names
    // Other invisible characters (U+200B, U+2060, U+FEFF, bidi marks...) are nothing a person
    // sees: "So\u200Bphea" is "Sophea", not two words.
    if (!keep && is_invisible(static_cast<char32_t>(c))) continue;
    if (!keep) {
      pending_space = !out.isEmpty();
      base_script = USCRIPT_COMMON;
      continue;
    }
    if (pending_space) {
      out.append(static_cast<UChar>(' '));
      pending_space = false;
    }
    base_script = uscript_getScript(c, &status);
    if (U_FAILURE(status)) {
      status = U_ZERO_ERROR;
      base_script = USCRIPT_COMMON;
    }
    out.append(c);
  }
  icu::UnicodeString composed = nfc->normalize(out, status);
  std::string result;
  composed.toUTF8String(result);
  return result;
}

// Khmer in Latin letters, for comparing names across scripts (ICU 72 has no Khmer-Latin). A
// simplified UNGEGN-style romanization: consonants as their usual spelling in names, an inherent
// "a" when a consonant is directly followed by another (not after a subscript or a bantoc),
// vowels as written in common name spellings, signs dropped. "ដារា" > "dara", "ចាន់ថា" >
// "chantha", "វណ្ណា" > "vanna", "សុខ" > "sokh" (close enough to "Sok" for the review queue's
// consonant skeleton). Applied before ICU's Any-Latin, which handles every other script.
constexpr const char16_t* kKhmerLatinRules =
    u"$c = [\\u1780-\\u17A2];"
    // Vowel combinations first, then single vowels, the nikahit, visarga and the signs.
    u"\\u17BB\\u17C6>om; \\u17B6\\u17C6>am; \\u17B7\\u17C7>eh; \\u17BB\\u17C7>oh; \\u17C1\\u17C7>eh;"
    u"\\u17C4\\u17C7>oh; \\u17B6\\u17C7>ah;"
    u"\\u17B6>a; \\u17B7>e; \\u17B8>ei; \\u17B9>oe; \\u17BA>eu; \\u17BB>o; \\u17BC>ou; \\u17BD>uo;"
    u"\\u17BE>aeu; \\u17BF>oea; \\u17C0>ie; \\u17C1>e; \\u17C2>ae; \\u17C3>ai; \\u17C4>ao; \\u17C5>au;"
    u"\\u17C6>am; \\u17C7>ah; \\u17C8>a; [\\u17C9-\\u17D3]>; [\\u17D4-\\u17DA]>' ';"
    u"\\u17A3>a; \\u17A4>a; \\u17A5>e; \\u17A6>ei; \\u17A7>o; \\u17A8>ou; \\u17A9>ou; \\u17AA>au;"
    u"\\u17AB>rue; \\u17AC>rue; \\u17AD>lue; \\u17AE>lue; \\u17AF>ae; \\u17B0>ai; \\u17B1>ao;"
    u"\\u17B2>ao; \\u17B3>au;"
    // Each consonant: with the inherent vowel directly before another consonant, else bare.
    u"\\u1780 } $c>ka; \\u1780>k; \\u1781 } $c>kha; \\u1781>kh; \\u1782 } $c>ka; \\u1782>k;"
    u"\\u1783 } $c>kha; \\u1783>kh; \\u1784 } $c>nga; \\u1784>ng; \\u1785 } $c>cha; \\u1785>ch;"
    u"\\u1786 } $c>chha; \\u1786>chh; \\u1787 } $c>cha; \\u1787>ch; \\u1788 } $c>chha; \\u1788>chh;"
    u"\\u1789 } $c>nha; \\u1789>nh; \\u178A } $c>da; \\u178A>d; \\u178B } $c>tha; \\u178B>th;"
    u"\\u178C } $c>da; \\u178C>d; \\u178D } $c>tha; \\u178D>th; \\u178E } $c>na; \\u178E>n;"
    u"\\u178F } $c>ta; \\u178F>t; \\u1790 } $c>tha; \\u1790>th; \\u1791 } $c>ta; \\u1791>t;"
    u"\\u1792 } $c>tha; \\u1792>th; \\u1793 } $c>na; \\u1793>n; \\u1794 } $c>ba; \\u1794>b;"
    u"\\u1795 } $c>pha; \\u1795>ph; \\u1796 } $c>pa; \\u1796>p; \\u1797 } $c>pha; \\u1797>ph;"
    u"\\u1798 } $c>ma; \\u1798>m; \\u1799 } $c>ya; \\u1799>y; \\u179A } $c>ra; \\u179A>r;"
    u"\\u179B } $c>la; \\u179B>l; \\u179C } $c>va; \\u179C>v; \\u179D } $c>sa; \\u179D>s;"
    u"\\u179E } $c>sa; \\u179E>s; \\u179F } $c>sa; \\u179F>s; \\u17A0 } $c>ha; \\u17A0>h;"
    u"\\u17A1 } $c>la; \\u17A1>l; \\u17A2 } $c>a; \\u17A2>;";

std::string latin_fold(std::string_view utf8) {
  // One transliterator per thread: building one costs milliseconds, and ICU's are not
  // thread-safe to share.
  thread_local std::unique_ptr<icu::Transliterator> to_latin = [] {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse{};
    icu::UnicodeString rules(kKhmerLatinRules);
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
        "Khmer-Latin/roadshow", rules + u"::Any-Latin; ::Latin-ASCII;", UTRANS_FORWARD, parse, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  // Plain ASCII is Latin already (and most names at headquarters are): no transliteration.
  if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return search_fold(utf8);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (to_latin) to_latin->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return search_fold(out);
}

std::string confusable_key(std::string_view utf8) {
  // One checker per thread (ICU's are not thread-safe to share); the skeleton alone is used, so
  // the checks configured do not matter.
  thread_local std::unique_ptr<USpoofChecker, void (*)(USpoofChecker*)> checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* sc = uspoof_open(&status);
    if (U_FAILURE(status)) sc = nullptr;
    return std::unique_ptr<USpoofChecker, void (*)(USpoofChecker*)>(sc, [](USpoofChecker* p) {
      if (p) uspoof_close(p);
    });
  }();
  const std::string folded = search_fold(utf8);
  if (!checker || folded.empty()) return folded;  // impossible with a working ICU data file
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(folded), skeleton;
  uspoof_getSkeletonUnicodeString(checker.get(), 0, in, skeleton, &status);
  if (U_FAILURE(status)) return folded;
  // The skeleton of a folded name can hold capitals again ("l" and "I" share one prototype);
  // fold it once more so every spelling of a name meets.
  std::string s;
  skeleton.toUTF8String(s);
  return search_fold(s);
}

}  // namespace kiosk::unicode
