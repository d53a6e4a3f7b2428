#include "staff_widgets.h"

#include <algorithm>

namespace kiosk::screens {

// The first Khmer, Burmese, Arabic or CJK character wins; otherwise Latin ("en").
std::string_view script_lang(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE1 && (b1 == 0x9E || b1 == 0x9F)) return "km";  // U+1780..U+17FF
    if (b0 == 0xE1 && (b1 == 0x80 || b1 == 0x81 || b1 == 0x82)) return "my";  // U+1000..U+109F
    if (b0 >= 0xD8 && b0 <= 0xDB) return "ar";  // U+0600..U+06FF
    if (b0 >= 0xE4 && b0 <= 0xE9) return "zh";  // CJK
  }
  return "en";
}

// "given family", or "family given" where the family name customarily comes first.
std::string full_name(const std::string& given, const std::string& family, std::string_view lang) {
  if (given.empty() || family.empty()) return given + family;
  const bool family_first = lang == "km" || lang == "zh";
  return family_first ? family + " " + given : given + " " + family;
}

// The staff's likely script first, then the other scripts of the tours.
std::vector<std::string> search_layouts(std::string_view pack_lang) {
  std::vector<std::string> out = {"latin", "khmer", "burmese", "arabic"};
  const std::string first = pack_lang == "km" ? "khmer" : pack_lang == "my" ? "burmese"
                            : pack_lang == "ar" ? "arabic" : "latin";
  std::rotate(out.begin(), std::find(out.begin(), out.end(), first), std::find(out.begin(), out.end(), first) + 1);
  return out;
}

// Every cell of the list lines up with the staff UI's direction, whatever its text's direction.
ui::TextAlign align(const ui::Ui& ui, std::string_view lang) {
  return ui::is_rtl_language(lang) != ui.rtl() ? ui::TextAlign::End : ui::TextAlign::Start;
}

}  // namespace kiosk::screens
