// kiosk/text/locale_format.h — numbers and dates in the visitor's language, through ICU.
//
// Contract:
//  - Digits::Native uses the language's own digits where it has them (Arabic-Indic for ar,
//    Khmer for km, Myanmar for my); Digits::Latin forces 0-9. A content pack chooses.
//  - Dates are Gregorian, in the language's own month names and order; a date alone is a
//    calendar day (no time zone), a date with a time is shown in the kiosk's local time.
//  - On any ICU failure the result is the plain Latin-digit rendering, never an empty string.
//  - Formatters are created per call (cheap enough for labels; cache the string if it is per frame).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::text {

enum class Digits { Native, Latin };
enum class DateLength { Short, Medium, Long };

std::string format_integer(std::int64_t value, std::string_view lang, Digits digits);
std::string format_decimal(double value, int fraction_digits, std::string_view lang, Digits digits);
std::string format_date(int year, int month, int day, std::string_view lang, Digits digits,
                        DateLength length = DateLength::Long);
// A moment (unix seconds) as a date and a short time of day in the kiosk's local time zone (ICU's
// default, from TZ / /etc/localtime), in the language's own pattern, month names and digits.
// seconds: the time of day with its seconds (a pack's version). The fallback is
// "YYYY-MM-DD HH:MM[:SS]" in local time.
std::string format_date_time(std::int64_t unix_seconds, std::string_view lang, Digits digits,
                             DateLength length = DateLength::Medium, bool seconds = false);
// "YYYY-MM-DD" (anything after the tenth character is ignored) as format_date(); the text as it
// is when it is not such a date (a value staff typed is never hidden).
std::string format_iso_date(std::string_view iso, std::string_view lang, Digits digits,
                            DateLength length = DateLength::Medium);
// "YYYY-MM-DDTHH:MM:SS..." in UTC (as the store writes times) as format_date_time(); the text as
// it is when it does not parse.
std::string format_iso_date_time(std::string_view iso, std::string_view lang, Digits digits,
                                 DateLength length = DateLength::Medium);
// Text with every run of ASCII digits written in the language's own digits (ICU's numbering
// system for the language: Khmer ០-៩, Myanmar ၀-၉, Arabic-Indic ٠-٩), for numbers inside
// prose (an exhibit article's "150 million km"). Digits::Latin, or a language without native
// digits, returns the text unchanged. Separators are left as written.
std::string localize_digits(std::string_view text, std::string_view lang, Digits digits);
// The ICU locale id used for a language and digit choice ("km@numbers=khmr").
std::string icu_locale_id(std::string_view lang, Digits digits);

}  // namespace kiosk::text
