// kiosk/text/language.h — what the engine knows about each kiosk language.
//
// Contract: language_info() never fails; an unknown code gets Latin fonts, a direction taken
// from the first strong character, and the code itself as the HarfBuzz/ICU language tag.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::text {

// Which family of faces a language reads first. Order matters: it is the fallback order.
// Symbols (Noto Sans Symbols 2) and Extra (DejaVu Sans: arrows, math, box drawing, ⌫, many
// scripts' odds and ends) come before the CJK collection so that a stray symbol never opens it.
enum class FontFamily : int { Latin = 0, Khmer, Myanmar, Arabic, Symbols, Extra, Cjk, Count };

enum class Direction { Ltr, Rtl, FirstStrong };

struct LanguageInfo {
  std::string code;        // normalised code as given: "km", "ar", ...
  std::string tag;         // BCP 47 tag for HarfBuzz and ICU ("zh-Hans" for zh)
  FontFamily family;       // primary font family
  Direction direction;     // paragraph direction
  std::string native_digits;  // ICU numbering system for native digits ("khmr"), "" if Latin
};

LanguageInfo language_info(std::string_view code);

}  // namespace kiosk::text
