// tests/text/test_format.cpp — numbers and dates through ICU, native or Latin digits.
#include <catch2/catch.hpp>

#include "text/locale_format.h"

namespace kt = kiosk::text;

TEST_CASE("numbers in native and Latin digits", "[format]") {
  CHECK(kt::format_integer(1234567, "en", kt::Digits::Native) == "1,234,567");
  CHECK(kt::format_integer(2024, "km", kt::Digits::Native) == "២.០២៤");
  CHECK(kt::format_integer(2024, "km", kt::Digits::Latin).find("2") != std::string::npos);
  CHECK(kt::format_integer(2024, "my", kt::Digits::Native) == "၂,၀၂၄");
  std::string ar = kt::format_integer(1500, "ar", kt::Digits::Native);
  CHECK(ar.find("١") != std::string::npos);
  CHECK(ar.find("٥٠٠") != std::string::npos);
  CHECK(kt::format_integer(1500, "ar", kt::Digits::Latin).find("500") != std::string::npos);
  CHECK(kt::format_decimal(3.5, 1, "en", kt::Digits::Latin) == "3.5");
}

TEST_CASE("dates in the language's own words", "[format]") {
  CHECK(kt::format_date(2026, 11, 29, "en", kt::Digits::Latin) == "November 29, 2026");
  std::string km = kt::format_date(2026, 11, 29, "km", kt::Digits::Native);
  CHECK(km.find("២០២៦") != std::string::npos);
  CHECK(km.find("វិច្ឆិកា") != std::string::npos);  // November
  std::string ar = kt::format_date(2026, 11, 29, "ar", kt::Digits::Native);
  CHECK(ar.find("٢٠٢٦") != std::string::npos);
  CHECK(kt::format_date(2026, 11, 29, "ar", kt::Digits::Latin).find("2026") != std::string::npos);
  CHECK(kt::format_date(2026, 11, 29, "zh", kt::Digits::Native).find("2026年11月29日") != std::string::npos);
  CHECK(kt::icu_locale_id("my", kt::Digits::Native) == "my@numbers=mymr");
}

TEST_CASE("digits inside prose follow the pack's digits", "[format]") {
  using kt::localize_digits;
  using kt::Digits;
  CHECK(localize_digits("150 million km, 8 planets", "km", Digits::Native) == "១៥០ million km, ៨ planets");
  CHECK(localize_digits("ပြီး 2026 ခုနှစ်", "my", Digits::Native) == "ပြီး ၂၀၂၆ ခုနှစ်");
  CHECK(localize_digits("عام 1969", "ar", Digits::Native) == "عام ١٩٦٩");
  CHECK(localize_digits("8 planets", "km", Digits::Latin) == "8 planets");
  CHECK(localize_digits("8 planets", "en", Digits::Native) == "8 planets");  // no native digits
  CHECK(localize_digits("no digits", "ar", Digits::Native) == "no digits");
}
