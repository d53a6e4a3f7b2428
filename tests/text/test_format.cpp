// tests/text/test_format.cpp — numbers and dates through ICU, native or Latin digits.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

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

TEST_CASE("ISO dates and moments as staff screens show them", "[format]") {
  using kt::Digits;
  // A calendar day: no time zone moves it.
  CHECK(kt::format_iso_date("2026-11-29", "en", Digits::Latin) == "Nov 29, 2026");
  CHECK(kt::format_iso_date("2026-11-29T23:59:59.000Z", "en", Digits::Latin) == "Nov 29, 2026");
  const std::string km = kt::format_iso_date("2026-11-29", "km", Digits::Native);
  CHECK(km.find("២០២៦") != std::string::npos);
  CHECK(km.find("2026") == std::string::npos);
  const std::string my = kt::format_iso_date("2026-11-29", "my", Digits::Native);
  CHECK(my.find("၂၀၂၆") != std::string::npos);
  CHECK(my.find("၂၉") != std::string::npos);
  const std::string ar = kt::format_iso_date("2026-11-29", "ar", Digits::Native);
  CHECK(ar.find("٢٠٢٦") != std::string::npos);
  CHECK(ar.find("٢٩") != std::string::npos);
  // Not a date: shown as it is (what staff typed is never hidden).
  CHECK(kt::format_iso_date("2026-02-30", "en", Digits::Latin) == "2026-02-30");
  CHECK(kt::format_iso_date("soon", "km", Digits::Native) == "soon");
  CHECK(kt::format_iso_date("", "ar", Digits::Native).empty());

  // A moment: in the kiosk's local time zone (TZ), with the time of day.
  setenv("TZ", "Asia/Phnom_Penh", 1);  // UTC+7, no daylight saving
  tzset();
  const std::string en = kt::format_iso_date_time("2026-12-04T14:20:00.000Z", "en", Digits::Latin);
  CHECK(en.find("Dec 4, 2026") != std::string::npos);
  CHECK(en.find("9:20") != std::string::npos);  // 21:20 local, "9:20 PM"
  const std::string km_t = kt::format_iso_date_time("2026-12-04T14:20:00.000Z", "km", Digits::Native);
  CHECK(km_t.find("២០២៦") != std::string::npos);
  CHECK(km_t.find("២០") != std::string::npos);
  CHECK(km_t.find_first_of("0123456789") == std::string::npos);
  const std::string ar_t = kt::format_date_time(1764858000, "ar", Digits::Native);  // 2025-12-04 14:20 UTC
  CHECK(ar_t.find("٢٠٢٥") != std::string::npos);
  CHECK(ar_t.find_first_of("0123456789") == std::string::npos);
  CHECK(kt::format_iso_date_time("2026-12-04 14:20", "en", Digits::Latin) == "2026-12-04 14:20");
  unsetenv("TZ");
  tzset();
}
