// tests/text/test_placeholder.cpp — characters no font has (emoji, rare symbols) are drawn as a
// box naming their code point (placeholder.h), never as a font's blank .notdef box.
#include <catch2/catch.hpp>

#include <algorithm>

#include "test_support.h"
#include "text/placeholder.h"
#include "text/raster.h"

using namespace kiosk::text;
using text_test::engine;
using text_test::style;

namespace {

std::vector<const PlacedGlyph*> placeholders(const Layout& l) {
  std::vector<const PlacedGlyph*> out;
  for (const PlacedGlyph& g : l.glyphs)
    if (g.face == kPlaceholderFace) out.push_back(&g);
  return out;
}

}  // namespace

TEST_CASE("placeholder: labels name the code point", "[placeholder]") {
  CHECK(placeholder_label(0x1F600) == "U+1F600");
  CHECK(placeholder_label(0xE000) == "U+E000");
  CHECK(placeholder_label(0x10FFFD) == "U+10FFFD");
  CHECK(needs_placeholder(0x1F600));
  CHECK_FALSE(needs_placeholder(0xFE0F));  // variation selector: invisible
  CHECK_FALSE(needs_placeholder(0x200D));  // ZWJ
  CHECK_FALSE(needs_placeholder(0x09));
  CHECK_FALSE(needs_placeholder(0x3000));  // ideographic space
}

TEST_CASE("placeholder: an emoji in a name is one box with its code point, not .notdef", "[placeholder]") {
  // 🦁 U+1F981: no kiosk font has it (DejaVu Sans draws 😀 itself, as a plain outline).
  auto l = engine().layout("Dara 🦁 Sok", style("en"), 0);
  const auto boxes = placeholders(*l);
  REQUIRE(boxes.size() == 1);
  CHECK(boxes[0]->glyph == 0x1F981u);
  for (const PlacedGlyph& g : l->glyphs) CHECK(g.glyph != 0);  // no .notdef anywhere
  // The box is as wide as placeholder_box() says, and wider than the label at 0.5 em needs.
  const PlaceholderBox b = placeholder_box(engine().fonts(), 0x1F981, l->size64);
  CHECK(b.width > b.label_width);
  CHECK(b.advance > 28 * 64);  // "U+1F981" at 0.5 em is wider than one em
  auto plain = engine().layout("Dara  Sok", style("en"), 0);
  CHECK(l->width == Approx(plain->width + b.advance / 64.0).margin(0.01));
  // An emoji with its presentation selector is still one box, one cluster.
  auto vs = engine().layout("A🦁\uFE0FB", style("en"), 0);
  REQUIRE(placeholders(*vs).size() == 1);
  CHECK(vs->width == Approx(engine().layout("AB", style("en"), 0)->width + b.advance / 64.0).margin(0.01));
  auto seq = engine().layout("🦁\u200D🚀", style("en"), 0);  // a ZWJ sequence: two boxes, no third
  CHECK(placeholders(*seq).size() == 2);
}

TEST_CASE("placeholder: Khmer, Burmese, Arabic and Chinese keep their own glyphs", "[placeholder]") {
  for (auto [text, lang] : {std::pair{"សុខា", "km"}, {"မောင်", "my"}, {"دارا", "ar"}, {"张伟", "zh"}}) {
    INFO(lang);
    auto l = engine().layout(text, style(lang), 0);
    CHECK(placeholders(*l).empty());
  }
}

TEST_CASE("placeholder: in Arabic text the box sits in visual order", "[placeholder]") {
  auto l = engine().layout("دارا 🦁", style("ar"), 0);
  const auto boxes = placeholders(*l);
  REQUIRE(boxes.size() == 1);
  // Right to left: the emoji typed last is drawn leftmost.
  for (const PlacedGlyph& g : l->glyphs)
    if (g.face != kPlaceholderFace && g.face != kNoFace) CHECK(g.x > boxes[0]->x);
}

TEST_CASE("placeholder: the box wraps like a word and is drawn with its label inside", "[placeholder]") {
  const PlaceholderBox b = placeholder_box(engine().fonts(), 0x1F680, 28 * 64);
  auto l = engine().layout("🚀🚀🚀🚀", style("en"), static_cast<float>(b.advance / 64.0 * 2.5));
  CHECK(l->lines.size() == 2);
  CHECK(l->width <= b.advance / 64.0 * 2.5);

  engine().begin_frame();
  auto one = engine().layout("🦁", style("en", 40), 0);
  REQUIRE(placeholders(*one).size() == 1);
  const PlacedGlyph& g = *placeholders(*one)[0];
  const CoverageImage img = render_coverage(engine(), *one, 200, 80, 4, 4);
  const PlaceholderBitmap bm = rasterize_placeholder(engine().fonts(), 0x1F981, 40 * 64);
  REQUIRE(bm.width > 10);
  REQUIRE(bm.height > 10);
  auto px = [&](int x, int y) { return img.pixels[static_cast<std::size_t>(y) * 200 + static_cast<std::size_t>(x)]; };
  const int x0 = 4 + static_cast<int>(g.x) + bm.left;
  const int y0 = static_cast<int>(4 + g.y + 0.5f) - bm.top;
  // The outline: the box's corners are inked ...
  CHECK(px(x0, y0) > 200);
  CHECK(px(x0 + bm.width - 1, y0 + bm.height - 1) > 200);
  // ... and inside it the digits of U+1F981 (a blank box, as .notdef draws, has no ink there).
  int inner_ink = 0;
  for (int y = y0 + 3; y < y0 + bm.height - 3; ++y)
    for (int x = x0 + 3; x < x0 + bm.width - 3; ++x) inner_ink += px(x, y) > 128 ? 1 : 0;
  CHECK(inner_ink > 40);
  // Different code points, different labels: the ink differs.
  const PlaceholderBitmap other = rasterize_placeholder(engine().fonts(), 0x1F680, 40 * 64);
  CHECK(other.pixels != bm.pixels);
}
