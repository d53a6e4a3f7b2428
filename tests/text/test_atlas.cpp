// tests/text/test_atlas.cpp — the glyph atlas grows, evicts the least recently used, stays bounded.
#include <catch2/catch.hpp>

#include <vector>

#include "test_support.h"
#include "text/glyph_atlas.h"

namespace kt = kiosk::text;
using namespace text_test;

namespace {
const std::vector<std::uint8_t> kInk(18 * 18, 200);
kt::GlyphKey key(std::uint32_t glyph) { return {0, glyph, 28 * 64, 0}; }
}  // namespace

TEST_CASE("the atlas grows page by page up to its limit", "[atlas]") {
  kt::GlyphAtlas atlas({64, 3});
  CHECK(atlas.pages().empty());
  // 64 px pages, 18 px glyphs (20 with padding): 3 shelves of 3 glyphs = 9 glyphs a page.
  std::uint32_t g = 0;
  for (; g < 9; ++g) REQUIRE(atlas.insert(key(g), 18, 18, 18, kInk.data(), 0, 18));
  CHECK(atlas.pages().size() == 1);
  REQUIRE(atlas.insert(key(g++), 18, 18, 18, kInk.data(), 0, 18));
  CHECK(atlas.pages().size() == 2);
  for (; g < 27; ++g) REQUIRE(atlas.insert(key(g), 18, 18, 18, kInk.data(), 0, 18));
  CHECK(atlas.pages().size() == 3);
  CHECK(atlas.stats().bytes == 3u * 64u * 64u);
  CHECK(atlas.stats().evicted_glyphs == 0);
  // Coverage landed where the slot says.
  const kt::AtlasSlot* s = atlas.find(key(5));
  REQUIRE(s);
  CHECK(atlas.pages()[s->page].pixels[static_cast<std::size_t>(s->y) * 64u + s->x] == 200);
}

TEST_CASE("a full atlas evicts the least recently used shelf, never this frame's glyphs", "[atlas]") {
  kt::GlyphAtlas atlas({64, 1});
  for (std::uint32_t g = 0; g < 9; ++g) REQUIRE(atlas.insert(key(g), 18, 18, 18, kInk.data(), 0, 18));
  // Frame 2: use glyphs of the 2nd and 3rd shelves; the 1st shelf (glyphs 0-2) is oldest.
  atlas.begin_frame();
  for (std::uint32_t g = 3; g < 9; ++g) REQUIRE(atlas.find(key(g)));
  const kt::AtlasSlot* fresh = atlas.insert(key(100), 18, 18, 18, kInk.data(), 0, 18);
  REQUIRE(fresh);
  CHECK(atlas.stats().evicted_shelves == 1);
  CHECK(atlas.find(key(0)) == nullptr);
  CHECK(atlas.find(key(1)) == nullptr);
  for (std::uint32_t g = 3; g < 9; ++g) CHECK(atlas.find(key(g)) != nullptr);
  // Everything in use this frame and no room: the glyph is dropped, nothing is evicted.
  REQUIRE(atlas.insert(key(101), 18, 18, 18, kInk.data(), 0, 18));
  REQUIRE(atlas.insert(key(102), 18, 18, 18, kInk.data(), 0, 18));
  CHECK(atlas.insert(key(103), 18, 18, 18, kInk.data(), 0, 18) == nullptr);
  CHECK(atlas.stats().dropped == 1);
  CHECK(atlas.stats().evicted_shelves == 1);
  // Next frame it fits again by evicting.
  atlas.begin_frame();
  CHECK(atlas.insert(key(103), 18, 18, 18, kInk.data(), 0, 18) != nullptr);
  CHECK(atlas.stats().bytes == 64u * 64u);
}

TEST_CASE("a glyph taller than any free shelf gets adjacent old shelves joined", "[atlas]") {
  kt::GlyphAtlas atlas({64, 1});
  for (std::uint32_t g = 0; g < 9; ++g) REQUIRE(atlas.insert(key(g), 18, 18, 18, kInk.data(), 0, 18));
  atlas.begin_frame();
  REQUIRE(atlas.find(key(8)));  // the third shelf is in use this frame
  const std::vector<std::uint8_t> tall(30 * 36, 255);
  const kt::AtlasSlot* slot = atlas.insert(key(200), 30, 36, 30, tall.data(), 0, 36);
  REQUIRE(slot);
  CHECK(slot->h == 36);
  CHECK(atlas.find(key(8)) != nullptr);  // this frame's glyph survived
  CHECK(atlas.find(key(0)) == nullptr);
  CHECK(atlas.find(key(3)) == nullptr);
  // The joined shelf is reused like any other afterwards.
  atlas.begin_frame();
  CHECK(atlas.insert(key(201), 18, 18, 18, kInk.data(), 0, 18) != nullptr);
}

TEST_CASE("dirty rows are reported once for upload", "[atlas]") {
  kt::GlyphAtlas atlas({64, 1});
  atlas.insert(key(1), 18, 18, 18, kInk.data(), 0, 18);
  int y0 = 0, y1 = 0;
  REQUIRE(atlas.take_dirty(0, &y0, &y1));
  CHECK(y0 <= 1);
  CHECK(y1 >= 19);
  CHECK_FALSE(atlas.take_dirty(0, &y0, &y1));
}

TEST_CASE("rendering many sizes through a small atlas stays bounded", "[atlas]") {
  kt::EngineConfig config;
  config.atlas = {256, 2};
  kt::TextEngine e(config);
  std::vector<kt::GlyphQuad> quads;
  for (int frame = 0; frame < 30; ++frame) {
    e.begin_frame();
    quads.clear();
    auto layout = e.layout("ខ្ញុំស្រឡាញ់ភាសាខ្មែរ Science 科学", style("km", 14.0f + static_cast<float>(frame)), 0);
    e.quads(*layout, 0, 0, quads);
    CHECK(!quads.empty());
  }
  auto s = e.stats().atlas;
  CHECK(s.pages <= 2);
  CHECK(s.bytes <= 2u * 256u * 256u);
  CHECK(s.evicted_glyphs > 0);
}
