// kiosk/text/locale_format.cpp — ICU NumberFormat / DateFormat with a numbering-system keyword.
#include "locale_format.h"

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/gregocal.h>
#include <unicode/numfmt.h>
#include <unicode/numsys.h>
#include <unicode/simpletz.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "language.h"

namespace kiosk::text {

std::string icu_locale_id(std::string_view lang, Digits digits) {
  LanguageInfo info = language_info(lang);
  std::string id = info.tag == "zh-Hans" ? "zh_Hans" : info.code.empty() ? "en" : info.code;
  if (digits == Digits::Latin || info.native_digits.empty()) return id + "@numbers=latn";
  return id + "@numbers=" + info.native_digits;
}

namespace {

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace

std::string localize_digits(std::string_view text, std::string_view lang, Digits digits) {
  if (digits == Digits::Latin || language_info(lang).native_digits.empty()) return std::string(text);
  if (text.find_first_of("0123456789") == std::string_view::npos) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(icu_locale_id(lang, digits).c_str());
  std::unique_ptr<icu::NumberingSystem> ns(icu::NumberingSystem::createInstance(locale, status));
  if (U_FAILURE(status) || !ns || ns->isAlgorithmic() || ns->getRadix() != 10) return std::string(text);
  const icu::UnicodeString native = ns->getDescription();  // the ten digits, 0 first
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    if (c >= '0' && c <= '9' && native.countChar32() == 10) {
      const UChar32 d = native.char32At(native.moveIndex32(0, c - '0'));
      icu::UnicodeString one(d);
      one.toUTF8String(out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string format_integer(std::int64_t value, std::string_view lang, Digits digits) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(icu_locale_id(lang, digits).c_str());
  std::unique_ptr<icu::NumberFormat> f(icu::NumberFormat::createInstance(locale, status));
  if (U_FAILURE(status) || !f) return std::to_string(value);
  icu::UnicodeString out;
  f->format(static_cast<int64_t>(value), out);
  return to_utf8(out);
}

std::string format_decimal(double value, int fraction_digits, std::string_view lang, Digits digits) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale(icu_locale_id(lang, digits).c_str());
  std::unique_ptr<icu::NumberFormat> f(icu::NumberFormat::createInstance(locale, status));
  if (U_FAILURE(status) || !f) return std::to_string(value);
  f->setMinimumFractionDigits(fraction_digits);
  f->setMaximumFractionDigits(fraction_digits);
  icu::UnicodeString out;
  f->format(value, out);
  return to_utf8(out);
}

namespace {

icu::DateFormat::EStyle date_style(DateLength length) {
  return length == DateLength::Short    ? icu::DateFormat::kShort
         : length == DateLength::Medium ? icu::DateFormat::kMedium
                                        : icu::DateFormat::kLong;
}

bool parse_digits(std::string_view s, std::size_t at, std::size_t n, int* out) {
  if (s.size() < at + n) return false;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// y-m-d from "YYYY-MM-DD..."; false for anything else (also a 31 February).
bool parse_iso_day(std::string_view iso, int* y, int* m, int* d) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return false;
  if (!parse_digits(iso, 0, 4, y) || !parse_digits(iso, 5, 2, m) || !parse_digits(iso, 8, 2, d)) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*m < 1 || *m > 12 || *d < 1 || *d > kDays[*m - 1]) return false;
  const bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  return !(*m == 2 && *d == 29 && !leap);
}

}  // namespace

std::string format_date_time(std::int64_t unix_seconds, std::string_view lang, Digits digits,
                             DateLength length, bool seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  localtime_r(&t, &local);
  char fallback[32];
  std::strftime(fallback, sizeof fallback, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &local);
  std::string id = icu_locale_id(lang, digits) + ";calendar=gregorian";
  icu::Locale locale(id.c_str());
  std::unique_ptr<icu::DateFormat> f(
      icu::DateFormat::createDateTimeInstance(date_style(length), seconds ? icu::DateFormat::kMedium : icu::DateFormat::kShort, locale));
  if (!f) return fallback;
  // The C library's local offset at that moment (ICU caches its own default zone at first use,
  // so a kiosk whose TZ is set later would disagree with the fallback and the log).
  f->adoptTimeZone(new icu::SimpleTimeZone(static_cast<std::int32_t>(local.tm_gmtoff * 1000), "local"));
  icu::UnicodeString out;
  f->format(static_cast<UDate>(unix_seconds) * 1000.0, out);
  return out.isEmpty() ? std::string(fallback) : to_utf8(out);
}

std::string format_iso_date(std::string_view iso, std::string_view lang, Digits digits, DateLength length) {
  int y = 0, m = 0, d = 0;
  if (!parse_iso_day(iso, &y, &m, &d)) return std::string(iso);
  return format_date(y, m, d, lang, digits, length);
}

std::string format_iso_date_time(std::string_view iso, std::string_view lang, Digits digits,
                                 DateLength length) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!parse_iso_day(iso, &y, &mo, &d) || iso.size() < 19 || iso[10] != 'T' || !parse_digits(iso, 11, 2, &h) ||
      !parse_digits(iso, 14, 2, &mi) || !parse_digits(iso, 17, 2, &s) || h > 23 || mi > 59 || s > 60)
    return std::string(iso);
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return format_date_time(static_cast<std::int64_t>(timegm(&tm)), lang, digits, length);
}

std::string format_date(int year, int month, int day, std::string_view lang, Digits digits,
                        DateLength length) {
  char fallback[32];
  std::snprintf(fallback, sizeof fallback, "%04d-%02d-%02d", year, month, day);
  UErrorCode status = U_ZERO_ERROR;
  std::string id = icu_locale_id(lang, digits) + ";calendar=gregorian";
  icu::Locale locale(id.c_str());
  std::unique_ptr<icu::DateFormat> f(icu::DateFormat::createDateInstance(date_style(length), locale));
  if (!f) return fallback;
  std::unique_ptr<icu::Calendar> cal(new icu::GregorianCalendar(status));
  if (U_FAILURE(status)) return fallback;
  cal->setTimeZone(*icu::TimeZone::getGMT());
  cal->clear();
  cal->set(year, month - 1, day, 12, 0, 0);
  UDate when = cal->getTime(status);
  if (U_FAILURE(status)) return fallback;
  f->setTimeZone(*icu::TimeZone::getGMT());
  icu::UnicodeString out;
  f->format(when, out);
  return out.isEmpty() ? std::string(fallback) : to_utf8(out);
}

}  // namespace kiosk::text
