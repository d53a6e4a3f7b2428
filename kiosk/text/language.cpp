// kiosk/text/language.cpp — the table behind language_info().
#include "language.h"

namespace kiosk::text {

LanguageInfo language_info(std::string_view code) {
  std::string c(code);
  auto base = c.substr(0, c.find_first_of("-_"));
  if (base == "km") return {c, "km", FontFamily::Khmer, Direction::Ltr, "khmr"};
  if (base == "my") return {c, "my", FontFamily::Myanmar, Direction::Ltr, "mymr"};
  if (base == "ar") return {c, c == "ar" ? "ar" : c, FontFamily::Arabic, Direction::Rtl, "arab"};
  if (base == "fa") return {c, "fa", FontFamily::Arabic, Direction::Rtl, "arabext"};
  if (base == "ur") return {c, "ur", FontFamily::Arabic, Direction::Rtl, "arabext"};
  if (base == "he") return {c, "he", FontFamily::Latin, Direction::Rtl, ""};
  if (base == "zh") return {c, "zh-Hans", FontFamily::Cjk, Direction::Ltr, ""};
  if (base == "ja") return {c, "ja", FontFamily::Cjk, Direction::Ltr, ""};
  if (base == "en" || base == "zu" || base == "xh" || base == "af" || base == "fr" ||
      base == "de" || base == "pt" || base == "es")
    return {c, c, FontFamily::Latin, Direction::Ltr, ""};
  return {c, c.empty() ? "und" : c, FontFamily::Latin, Direction::FirstStrong, ""};
}

}  // namespace kiosk::text
