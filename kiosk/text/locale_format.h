// kiosk/text/locale_format.h — numbers and dates in the visitor's language, through ICU.
//
// Contract:
//  - Digits::Native uses the language's own digits where it has them (Arabic-Indic for ar,
//    Khmer for km, Myanmar for my); Digits::Latin forces 0-9. A content pack chooses.
//  - Dates are Gregorian, in the language's own month names and order.
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
// Text with every run of ASCII digits written in the language's own digits (ICU's numbering
// system for the language: Khmer ០-៩, Myanmar ၀-၉, Arabic-Indic ٠-٩), for numbers inside
// prose (an exhibit article's "150 million km"). Digits::Latin, or a language without native
// digits, returns the text unchanged. Separators are left as written.
std::string localize_digits(std::string_view text, std::string_view lang, Digits digits);
// The ICU locale id used for a language and digit choice ("km@numbers=khmr").
std::string icu_locale_id(std::string_view lang, Digits digits);

}  // namespace kiosk::text
