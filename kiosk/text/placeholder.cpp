// kiosk/text/placeholder.cpp — see placeholder.h (invariants there).
#include "placeholder.h"

#include "unicode/unicode.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiosk::text {

std::string placeholder_label(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

bool needs_placeholder(char32_t cp) {  // invariant 1, in kiosk_unicode's words (unicode.h U4, U6)
  return !unicode::is_space(cp) && !unicode::is_control(cp) && !unicode::is_invisible(cp);
}

namespace {

FaceId label_face(FontLibrary& fonts) { return fonts.face_for(FontFamily::Latin, false); }

}  // namespace

PlaceholderBox placeholder_box(FontLibrary& fonts, char32_t cp, std::int32_t size64) {
  PlaceholderBox b;
  b.label_size = std::max<std::int32_t>(64 * 10, static_cast<std::int32_t>(std::lround(static_cast<float>(size64) * kLabelScale)));
  const FaceId face = label_face(fonts);
  if (face != kNoFace) {
    hb_font_t* font = fonts.hb_font(face, b.label_size);
    for (char ch : placeholder_label(cp)) {
      hb_codepoint_t glyph = 0;
      if (hb_font_get_nominal_glyph(font, static_cast<hb_codepoint_t>(ch), &glyph))
        b.label_width += hb_font_get_glyph_h_advance(font, glyph);
    }
  } else {
    b.label_width = size64;  // no Latin face at all: an empty box one em wide
  }
  const std::int32_t pad = std::max<std::int32_t>(64 * 2, size64 / 10);
  b.margin = std::max<std::int32_t>(64, size64 / 16);
  b.width = b.label_width + 2 * pad;
  b.advance = b.width + 2 * b.margin;
  b.top = static_cast<std::int32_t>(std::lround(size64 * 0.80));
  b.bottom = static_cast<std::int32_t>(std::lround(size64 * 0.12));
  return b;
}

PlaceholderBitmap rasterize_placeholder(FontLibrary& fonts, char32_t cp, std::int32_t size64) {
  const PlaceholderBox b = placeholder_box(fonts, cp, size64);
  PlaceholderBitmap bm;
  bm.width = std::max(3, static_cast<int>(std::ceil(b.width / 64.0)));
  bm.height = std::max(3, static_cast<int>(std::ceil((b.top + b.bottom) / 64.0)));
  bm.left = static_cast<int>(std::lround(b.margin / 64.0));
  bm.top = static_cast<int>(std::lround(b.top / 64.0));
  bm.pixels.assign(static_cast<std::size_t>(bm.width) * static_cast<std::size_t>(bm.height), 0);
  auto at = [&](int x, int y) -> std::uint8_t& {
    return bm.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(bm.width) + static_cast<std::size_t>(x)];
  };
  // The outline: about a twentieth of an em thick, at least one pixel.
  const int line = std::max(1, static_cast<int>(std::lround(size64 / 64.0 / 20.0)));
  for (int y = 0; y < bm.height; ++y)
    for (int x = 0; x < bm.width; ++x)
      if (x < line || y < line || x >= bm.width - line || y >= bm.height - line) at(x, y) = 255;

  const FaceId face = label_face(fonts);
  if (face == kNoFace) return bm;
  FT_Face ft = fonts.ft_face(face);
  if (FT_Set_Char_Size(ft, 0, b.label_size, 72, 72) != 0) return bm;
  hb_font_t* font = fonts.hb_font(face, b.label_size);
  // The label centred in the box; its digits are cap height, about 0.7 of the label size.
  double pen = (b.width - b.label_width) / 2.0 / 64.0;
  const double cap = b.label_size / 64.0 * 0.71;
  const int baseline = static_cast<int>(std::lround(bm.height / 2.0 + cap / 2.0));
  for (char ch : placeholder_label(cp)) {
    hb_codepoint_t glyph = 0;
    if (!hb_font_get_nominal_glyph(font, static_cast<hb_codepoint_t>(ch), &glyph)) continue;
    const double advance = hb_font_get_glyph_h_advance(font, glyph) / 64.0;
    if (FT_Load_Glyph(ft, glyph, FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_BITMAP) == 0 &&
        FT_Render_Glyph(ft->glyph, FT_RENDER_MODE_LIGHT) == 0 &&
        ft->glyph->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY) {
      const FT_Bitmap& g = ft->glyph->bitmap;
      const int x0 = static_cast<int>(std::lround(pen)) + ft->glyph->bitmap_left;
      const int y0 = baseline - ft->glyph->bitmap_top;
      for (int r = 0; r < static_cast<int>(g.rows); ++r)
        for (int c = 0; c < static_cast<int>(g.width); ++c) {
          const int x = x0 + c, y = y0 + r;
          if (x < 0 || y < 0 || x >= bm.width || y >= bm.height) continue;
          const std::uint8_t v = g.buffer[static_cast<std::ptrdiff_t>(r) * g.pitch + c];
          at(x, y) = std::max(at(x, y), v);
        }
    }
    pen += advance;
  }
  return bm;
}

}  // namespace kiosk::text
