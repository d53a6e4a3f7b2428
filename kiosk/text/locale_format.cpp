// kiosk/text/locale_format.cpp — ICU NumberFormat / DateFormat with a numbering-system keyword.
#include "locale_format.h"

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/gregocal.h>
#include <unicode/numfmt.h>
#include <unicode/numsys.h>
#include <unicode/unistr.h>

#include <cstdio>
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

std::string format_date(int year, int month, int day, std::string_view lang, Digits digits,
                        DateLength length) {
  char fallback[32];
  std::snprintf(fallback, sizeof fallback, "%04d-%02d-%02d", year, month, day);
  UErrorCode status = U_ZERO_ERROR;
  std::string id = icu_locale_id(lang, digits) + ";calendar=gregorian";
  icu::Locale locale(id.c_str());
  icu::DateFormat::EStyle style = length == DateLength::Short    ? icu::DateFormat::kShort
                                  : length == DateLength::Medium ? icu::DateFormat::kMedium
                                                                 : icu::DateFormat::kLong;
  std::unique_ptr<icu::DateFormat> f(icu::DateFormat::createDateInstance(style, locale));
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
