// tests/text/test_robustness.cpp — bad input: invalid UTF-8, missing fonts, missing glyphs, huge text.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "test_support.h"
#include "text/utf8.h"

namespace kt = kiosk::text;
using namespace text_test;

TEST_CASE("invalid UTF-8 becomes U+FFFD, one per maximal ill-formed subpart", "[utf8]") {
  const std::string R = "\xEF\xBF\xBD";
  CHECK(kt::sanitize_utf8("ok") == "ok");
  CHECK(kt::sanitize_utf8("\xC3\x28") == R + "(");
  CHECK(kt::sanitize_utf8("a\xE1\x9E") == "a" + R);             // truncated Khmer letter
  CHECK(kt::sanitize_utf8("\xC0\xAF") == R + R);                // overlong
  CHECK(kt::sanitize_utf8("\xED\xA0\x80") == R + R + R);        // surrogate
  CHECK(kt::sanitize_utf8("\xF4\x90\x80\x80") == R + R + R + R);  // above U+10FFFF
  CHECK(kt::sanitize_utf8(std::string("a\0b", 3)) == "a" + R + "b");
  CHECK(kt::sanitize_utf8("\x80\x80") == R + R);
}

TEST_CASE("laying out random bytes never crashes and yields valid text", "[utf8][layout]") {
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 64);
  const char* langs[] = {"km", "my", "ar", "en", "zh"};
  for (int i = 0; i < 300; ++i) {
    std::string s;
    int n = len(rng);
    for (int k = 0; k < n; ++k) s.push_back(static_cast<char>(byte(rng)));
    auto layout = engine().layout(s, style(langs[i % 5]), 200);
    CHECK(kt::is_valid_utf8(layout->text));
  }
  auto bad = engine().layout("\xE1\x9E\x80\xFF\xE1\x9E", style("km"), 0);
  CHECK(bad->text == "\xE1\x9E\x80\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("a missing font file falls back with a logged warning", "[fonts]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "kiosk-text-fonts-latin-only";
  fs::create_directories(dir);
  fs::copy_file("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", dir / "NotoSans-Regular.ttf",
                fs::copy_options::overwrite_existing);
  std::vector<std::string> log;
  kt::EngineConfig config;
  config.fonts.search_dirs = {dir.string()};
  config.fonts.log = [&](std::string_view m) { log.emplace_back(m); };
  kt::TextEngine e(config);
  auto layout = e.layout("Hello ខ្មែរ", style("km"), 0);
  CHECK(!layout->glyphs.empty());
  bool warned = false;
  for (const auto& m : log) warned = warned || m.find("NotoSansKhmer-Regular.ttf") != std::string::npos;
  CHECK(warned);
  // Latin still renders with real glyphs.
  CHECK(layout->glyphs[0].glyph != 0);
  fs::remove_all(dir);
}

TEST_CASE("a code point no font has is a visible box naming it", "[fonts]") {
  kt::TextEngine e;
  e.begin_frame();
  auto layout = e.layout("ཀ", style("en"), 0);  // Tibetan: none of the kiosk's fonts
  REQUIRE(layout->glyphs.size() == 1);
  CHECK(layout->glyphs[0].face == kt::kPlaceholderFace);  // "U+0F40" in a box (placeholder.h)
  CHECK(layout->glyphs[0].glyph == 0x0F40u);
  CHECK(layout->width > 1.0f);
  std::vector<kt::GlyphQuad> quads;
  e.quads(*layout, 0, 0, quads);
  REQUIRE(quads.size() == 1);
  CHECK(quads[0].x1 - quads[0].x0 > 2.0f);
  CHECK(quads[0].y1 - quads[0].y0 > 5.0f);
}

TEST_CASE("control characters draw nothing, not boxes", "[layout]") {
  kt::TextEngine e;
  e.begin_frame();
  auto layout = e.layout("a\tb\x01" "c", style("en"), 0);
  std::vector<kt::GlyphQuad> quads;
  e.quads(*layout, 0, 0, quads);
  CHECK(quads.size() == 3);
}

TEST_CASE("very long text is cut to a bound, with a warning", "[layout]") {
  std::vector<std::string> log;
  kt::EngineConfig config;
  config.max_text_bytes = 16 * 1024;
  config.fonts.log = [&](std::string_view m) { log.emplace_back(m); };
  kt::TextEngine e(config);
  std::string huge;
  while (huge.size() < 1000 * 1000) huge += "ខ្ញុំស្រឡាញ់ភាសាខ្មែរ ";
  auto layout = e.layout(huge, style("km"), 600);
  CHECK(layout->text.size() <= 16 * 1024);
  CHECK(kt::is_valid_utf8(layout->text));
  CHECK(log.size() == 1);
}
