// tests/unicode/unicode_test.cpp — kiosk_unicode's policy (unicode.h U1..U9), fact by fact.
#include "unicode/unicode.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace kiosk::unicode;

namespace {
std::string bytes(const char* s, std::size_t n) { return std::string(s, n); }
}  // namespace

TEST_CASE("NUL is valid UTF-8 and refused as a control character (U2)", "[unicode][utf8]") {
  const std::string nul = bytes("Dara\0Sok", 8);
  CHECK(is_valid_utf8(nul));
  CHECK(find_invalid_utf8(nul) == std::string_view::npos);
  CHECK(count_code_points(nul) == 8);
  CHECK(is_control(0));
  const TextCheck c = check_text(nul);
  CHECK(c.problem == TextProblem::control);
  CHECK(c.offset == 4);
  CHECK(c.code_point == 0);
  // Drawn text never holds a NUL (U3).
  CHECK(sanitize_utf8(nul) == "Dara\xEF\xBF\xBDSok");
  // Allowing line breaks does not allow NUL.
  TextRules body;
  body.allowed_controls = "\n\t";
  CHECK(check_text(nul, body).problem == TextProblem::control);
  CHECK(!check_text("Line one\n\tLine two", body));
}

TEST_CASE("ill-formed UTF-8: overlongs, surrogates, above U+10FFFF, truncated (U1, U3)",
          "[unicode][utf8]") {
  struct Case {
    std::string text;
    std::size_t first_bad;  // byte offset
    std::size_t code_points;
  };
  const Case cases[] = {
      {"\xC0\xAF", 0, 2},                    // overlong "/": C0 is never a lead byte
      {"a\xE0\x80\xAF", 1, 4},                // overlong in three bytes: E0 then 80, AF alone
      {"\xF0\x80\x80\xAF", 0, 4},             // overlong in four bytes
      {"ok\xED\xA0\x80", 2, 5},               // U+D800, a surrogate
      {"\xED\xBF\xBF", 0, 3},                 // U+DFFF
      {"\xF4\x90\x80\x80", 0, 4},             // U+110000
      {"\xF5\x80\x80\x80", 0, 4},             // F5 is never a lead byte
      {"Dara\xE1\x9E", 4, 5},                 // truncated at the end: one subpart
      {"\xE1\x9E" "a", 0, 2},                 // truncated before an ASCII letter
      {"\x80" "a", 0, 2},                     // stray continuation byte
      {"\xFF", 0, 1},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK_FALSE(is_valid_utf8(c.text));
    CHECK(find_invalid_utf8(c.text) == c.first_bad);
    CHECK(count_code_points(c.text) == c.code_points);
    CHECK(decode_utf8(c.text).size() == c.code_points);
    const std::string clean = sanitize_utf8(c.text);
    CHECK(is_valid_utf8(clean));
    const TextCheck t = check_text(c.text);
    CHECK(t.problem == TextProblem::invalid_utf8);
    CHECK(t.offset == c.first_bad);
  }
  // The maximal ill-formed subpart is one step: E1 9E (a Khmer letter cut short) is two bytes.
  const Decoded d = decode_at("\xE1\x9E" "a", 0);
  CHECK_FALSE(d.ok);
  CHECK(d.value == kReplacementChar);
  CHECK(d.length == 2);
  // The edges that are well-formed.
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  CHECK(decode_at("\xF4\x8F\xBF\xBF", 0).value == 0x10FFFF);
  CHECK(is_valid_utf8("\xEE\x80\x80"));      // U+E000, right after the surrogates
  CHECK(is_valid_utf8("\xC2\x80"));          // U+0080, the smallest two-byte form
  CHECK(is_valid_utf8(""));
}

TEST_CASE("code points are counted alike in every script (U7)", "[unicode][count]") {
  CHECK(count_code_points("ស្រី") == 4);        // Khmer: letter, coeng, letter, vowel sign
  CHECK(count_code_points("မြန်မာ") == 6);      // Burmese
  CHECK(count_code_points("مُحَمَّد") == 8);     // Arabic with harakat
  CHECK(count_code_points("👍🏽") == 2);          // emoji + skin tone
  CHECK(count_code_points("👨‍👩‍👧") == 5);       // a ZWJ family
  CHECK(count_code_points("Dara") == 4);
  CHECK(count_code_points("") == 0);
  // for_each_code_point gives each code point with its byte offset.
  std::vector<std::pair<char32_t, std::size_t>> seen;
  for_each_code_point("aស😀", [&](char32_t cp, std::size_t at) { seen.emplace_back(cp, at); });
  CHECK(seen == std::vector<std::pair<char32_t, std::size_t>>{{U'a', 0}, {0x179F, 1}, {0x1F600, 4}});
}

TEST_CASE("invisible-only and blank text (U6)", "[unicode][invisible]") {
  for (const char* s : {"\u200B", "\u2060\uFEFF", " \u200B ", "\u200D\u200C", "\u200E\u200F", ""}) {
    INFO(s);
    CHECK(is_invisible_only(s));
    CHECK(is_blank(s));
    CHECK(check_text(s).problem == TextProblem::blank);
  }
  CHECK(is_blank("?! -"));
  CHECK_FALSE(is_invisible_only("?! -"));
  CHECK(check_text("?! -").problem == TextProblem::blank);
  CHECK_FALSE(is_blank("a\u200B"));
  CHECK_FALSE(is_blank("٣"));  // an Arabic-Indic digit is readable
  CHECK(is_invisible(0x200B));
  CHECK(is_invisible(0xFEFF));
  CHECK(is_invisible(0x00AD));
  CHECK_FALSE(is_invisible(U'a'));
  CHECK_FALSE(is_invisible(0x17D2));  // Khmer coeng is a visible sign, not invisible
}

TEST_CASE("bidi controls reorder text and are refused, bidi marks are only invisible (U5)",
          "[unicode][bidi]") {
  for (char32_t cp : {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}) {
    INFO(code_point_name(cp));
    CHECK(is_bidi_control(cp));
    std::string s = "Dara";
    append_utf8(s, cp);
    const TextCheck c = check_text(s);
    CHECK(c.problem == TextProblem::bidi_control);
    CHECK(c.offset == 4);
    CHECK(c.code_point == cp);
  }
  for (char32_t cp : {0x200E, 0x200F, 0x061C}) {
    CHECK_FALSE(is_bidi_control(cp));
    CHECK(is_invisible(cp));
  }
  CHECK(!check_text("\u200Fداوود"));  // an RLM before an Arabic name is harmless
  CHECK(code_point_name(0x202E) == "U+202E");
  CHECK(code_point_name(0x1F600) == "U+1F600");
}

TEST_CASE("control characters are general category Cc, C1 included (U4)", "[unicode][control]") {
  for (char32_t cp : {0x00, 0x09, 0x0A, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F}) CHECK(is_control(cp));
  for (char32_t cp : {0x20, 0xA0, 0x200B, 0x2028}) CHECK_FALSE(is_control(cp));
  CHECK(check_text("Dara\u0085Sok").problem == TextProblem::control);
  // allowed_controls lists ASCII controls only: a C1 control cannot be let through by accident.
  TextRules rules;
  rules.allowed_controls = "\n\x85";
  CHECK(check_text("Dara\u0085Sok", rules).problem == TextProblem::control);
}

TEST_CASE("the text check's order and length limit", "[unicode][check]") {
  TextRules sixty;
  sixty.max_code_points = 4;
  CHECK(!check_text("ស្រី", sixty));  // 4 code points, 12 bytes
  CHECK(check_text("ស្រីៗ", sixty).problem == TextProblem::too_long);
  // A control character is reported before the length.
  CHECK(check_text("\x1B[31mDara", sixty).problem == TextProblem::control);
  CHECK(check_text(unicode_to_zawgyi("မောင်မောင်")).problem == TextProblem::zawgyi);
  TextRules no_zawgyi;
  no_zawgyi.check_zawgyi = false;
  CHECK(!check_text(unicode_to_zawgyi("မောင်မောင်"), no_zawgyi));
  for (const char* good : {"Dara Sok", "ដារា សុខ", "မောင်မောင်", "مُحَمَّد", "Nguyễn Thị Ánh", "李明",
                           "Sipho Ndlovu", "O'Brien-Smith"}) {
    INFO(good);
    CHECK(!check_text(good));
  }
}

TEST_CASE("Cyrillic and other look-alikes share one confusable key (uspoof)", "[unicode][confusable]") {
  // "Ѕорһеа" is Cyrillic DZE, O, ER, SHHA, IE, A: it reads "Sophea", and folding alone keeps it apart.
  const std::string cyrillic = "\u0405\u043E\u0440\u04BB\u0435\u0430";
  CHECK(search_fold(cyrillic) != search_fold("Sophea"));
  CHECK(confusable_key(cyrillic) == confusable_key("Sophea"));
  CHECK(confusable_key("SO\u200BPHEA") == confusable_key("Sophea"));
  CHECK(confusable_key("Sophea") != confusable_key("Sopheap"));
  CHECK(confusable_key("раураl") == confusable_key("paypal"));  // Cyrillic р, а, у
  CHECK(confusable_key("\u200B").empty());
}

TEST_CASE("name folding: case, Latin marks, invisible characters, not other scripts' marks",
          "[unicode][fold]") {
  CHECK(search_fold("  Émile   DUPONT-Ñúñez ") == "emile dupont nunez");
  CHECK(search_fold("So\u200Bphea") == "sophea");
  CHECK(search_fold("ដារ៉ា") == "ដារ៉ា");
  CHECK(search_fold("مُحَمَّد") == "محمد");
  CHECK(search_fold(bytes("a\0b", 3)) == "a b");  // NUL folds like any control: a space
  CHECK(latin_fold("ដារា") == "dara");
  CHECK(latin_fold("دارا") == "dara");
}

TEST_CASE("scripts: has_script and dominant_script ignore Common and Inherited (U8)",
          "[unicode][script]") {
  CHECK(script_of(U'a') == USCRIPT_LATIN);
  CHECK(script_of(0x179F) == USCRIPT_KHMER);
  CHECK(script_of(U'7') == USCRIPT_COMMON);
  CHECK(has_script("မောင်", USCRIPT_MYANMAR));
  CHECK_FALSE(has_script("Dara 2026", USCRIPT_MYANMAR));
  CHECK_FALSE(has_script("123 ?!", USCRIPT_COMMON));
  CHECK(dominant_script("Dara ស្រី ដារា") == USCRIPT_KHMER);
  CHECK(dominant_script("Sok ដា") == USCRIPT_LATIN);
  CHECK(dominant_script("مُحَمَّد 12") == USCRIPT_ARABIC);
  CHECK(dominant_script("123 !?") == USCRIPT_COMMON);
  CHECK(dominant_script("") == USCRIPT_COMMON);
}

TEST_CASE("Zawgyi is told from Unicode Burmese, other scripts are never Zawgyi", "[unicode][zawgyi]") {
  const std::string unicode_burmese = "မြန်မာကျောင်း";
  const std::string zawgyi = unicode_to_zawgyi(unicode_burmese);
  REQUIRE(zawgyi != unicode_burmese);
  CHECK(looks_like_zawgyi(zawgyi));
  CHECK_FALSE(looks_like_zawgyi(unicode_burmese));
  CHECK(zawgyi_to_unicode(zawgyi) == unicode_burmese);
  CHECK_FALSE(looks_like_zawgyi("Dara Sok"));
  CHECK_FALSE(looks_like_zawgyi("ដារា"));
  CHECK_FALSE(looks_like_zawgyi("\xE1\x80"));  // a Myanmar sequence cut short
}
