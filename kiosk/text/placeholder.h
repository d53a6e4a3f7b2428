// kiosk/text/placeholder.h — what is drawn for a character no font of the kiosk has (an emoji, a
// rare symbol): a box holding its code point, "U+1F600", instead of a font's blank .notdef box
// ("tofu") that tells nobody what was typed.
//
// Invariants:
//  1. needs_placeholder(cp) is true only for characters that are drawn: not controls, white
//     space or default-ignorables (ZWJ, variation selectors), which draw nothing anyway and stay
//     in the cluster of the character before them (an emoji with U+FE0F is one box).
//  2. The shaper (pipeline.cpp) takes a placeholder's advance and ink from placeholder_box() and
//     the rasterizer (text_engine.cpp) draws the box from the same function, so what is measured
//     (wrapping, the layout audit) is exactly what is drawn.
//  3. The label is ASCII hex in the regular Latin face at kLabelScale of the text size, measured
//     with HarfBuzz advances; measuring never changes FreeType's size state (the engine's cache of
//     it stays right), rasterizing does and says so.
//  4. A placeholder glyph in a Layout has face kPlaceholderFace and the code point as its glyph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "font_library.h"

namespace kiosk::text {

inline constexpr float kLabelScale = 0.5f;

// "U+1F600": at least four upper-case hex digits.
std::string placeholder_label(char32_t cp);
bool needs_placeholder(char32_t cp);

// Geometry of one placeholder at size64 (26.6 pixels per em), in 1/64 px.
struct PlaceholderBox {
  std::int32_t advance = 0;      // pen advance, margins included
  std::int32_t margin = 0;       // space before (and after) the box
  std::int32_t width = 0;        // the box itself
  std::int32_t top = 0;          // box top above the baseline
  std::int32_t bottom = 0;       // box bottom below the baseline
  std::int32_t label_size = 0;   // label text size
  std::int32_t label_width = 0;  // label advance
};
PlaceholderBox placeholder_box(FontLibrary& fonts, char32_t cp, std::int32_t size64);

// The placeholder's coverage bitmap: a box outline with the label inside. left/top place it
// relative to the pen position on the baseline (as FreeType bitmaps are placed). Leaves the
// Latin face's FreeType size changed (invariant 3).
struct PlaceholderBitmap {
  int width = 0, height = 0, left = 0, top = 0;
  std::vector<std::uint8_t> pixels;  // width × height coverage
};
PlaceholderBitmap rasterize_placeholder(FontLibrary& fonts, char32_t cp, std::int32_t size64);

}  // namespace kiosk::text
