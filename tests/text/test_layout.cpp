// tests/text/test_layout.cpp — caches, metrics from ink, ellipsis, measuring, weights, CJK loading.
#include <catch2/catch.hpp>

#include <set>

#include "test_support.h"

namespace kt = kiosk::text;
using namespace text_test;

TEST_CASE("a repeated layout is a cache hit that shapes nothing", "[cache]") {
  kt::TextEngine e;
  const std::string text = "ខ្ញុំស្រឡាញ់ភាសាខ្មែរណាស់។ កុមារទាំងអស់ចូលរៀន";
  auto first = e.layout(text, style("km"), 300);
  auto shaped = e.stats().runs_shaped;
  auto again = e.layout(text, style("km"), 300);
  CHECK(first.get() == again.get());
  CHECK(e.stats().runs_shaped == shaped);
  CHECK(e.stats().layout_hits == 1);
  // A new width lays out again but reuses the shaped runs.
  auto narrower = e.layout(text, style("km"), 200);
  CHECK(narrower.get() != first.get());
  CHECK(e.stats().runs_shaped == shaped);
}

TEST_CASE("caches are bounded", "[cache]") {
  kt::EngineConfig config;
  config.layout_cache_entries = 8;
  config.shape_cache_entries = 16;
  kt::TextEngine e(config);
  for (int i = 0; i < 200; ++i) e.layout("label " + std::to_string(i), style("en"), 0);
  CHECK(e.stats().layout_cache_size <= 8);
  CHECK(e.stats().shape_cache_size <= 16);

  // By bytes too: big paragraphs push each other out long before the entry count is reached.
  kt::EngineConfig small;
  small.layout_cache_bytes = 256 * 1024;
  kt::TextEngine f(small);
  std::string big;
  while (big.size() < 20000) big += "ខ្ញុំស្រឡាញ់ភាសាខ្មែរ ";
  for (int i = 0; i < 20; ++i) f.layout(big + std::to_string(i), style("km"), 600);
  CHECK(f.stats().layout_cache_bytes <= 256u * 1024u + 1024u * 1024u);  // one oversized entry may stay
  CHECK(f.stats().layout_cache_size < 20);
}

TEST_CASE("Khmer and Burmese stacks stay inside their line boxes (ink, not only metrics)", "[layout][metrics]") {
  struct Case {
    const char* lang;
    const char* text;
  };
  const Case cases[] = {
      {"km", "ស្ត្រី ក្ស្ត្រ ខ្ញុំ ព្រឹក្សា ញ្ញុំ ង្គ្រ"},
      {"my", "ကျွန်ုပ် ဂြိုဟ် ပုဂ္ဂိုလ် သမုဒ္ဒရာ ကြွှေ"},
      {"ar", "بِسْمِ اللَّهِ الرَّحْمَٰنِ"},
      {"en", "Ágþ Ýjq"},
  };
  for (const Case& c : cases) {
    INFO(c.lang);
    kt::TextEngine e;
    e.begin_frame();
    auto layout = e.layout(std::string(c.text) + " " + c.text, style(c.lang, 32), 180);
    REQUIRE(layout->lines.size() >= 2);
    std::vector<kt::GlyphQuad> quads;
    for (std::size_t li = 0; li < layout->lines.size(); ++li) {
      const auto& line = layout->lines[li];
      // Quads of this line's glyphs only.
      kt::Layout one = *layout;
      one.glyphs.assign(layout->glyphs.begin() + line.first_glyph,
                        layout->glyphs.begin() + line.first_glyph + line.glyph_count);
      quads.clear();
      e.quads(one, 0, 0, quads);
      for (const auto& q : quads) {
        CHECK(q.y0 >= line.top - 1.0f);
        CHECK(q.y1 <= line.top + line.height + 1.0f);
      }
    }
  }
}

TEST_CASE("Khmer lines are taller than the font's declared descender allows", "[layout][metrics]") {
  kt::TextEngine e;
  auto plain = e.layout("កក", style("km", 32), 0);
  auto stacked = e.layout("ក្ស្ត្រ", style("km", 32), 0);
  CHECK(stacked->lines[0].descent >= plain->lines[0].descent);
}

TEST_CASE("ellipsis truncation", "[layout][ellipsis]") {
  kt::Style s = style("en");
  s.max_lines = 2;
  const std::string text = "The travelling science museum visits Cambodia, Myanmar, Egypt and South Africa every year.";
  auto layout = engine().layout(text, s, 220);
  REQUIRE(layout->lines.size() == 2);
  CHECK(layout->truncated);
  CHECK(layout->lines[1].ellipsized);
  CHECK(layout->lines[1].width <= 220.01f);
  CHECK(layout->lines[1].end < text.size());
  // Khmer on one line, right-to-left Arabic on one line.
  s.max_lines = 1;
  s.lang = "km";
  auto km = engine().layout("ខ្ញុំស្រឡាញ់ភាសាខ្មែរណាស់។ កុមារទាំងអស់ចូលរៀន", s, 150);
  CHECK(km->lines.size() == 1);
  CHECK(km->lines[0].width <= 150.01f);
  s.lang = "ar";
  auto ar = engine().layout("مرحبا بكم في المعرض العلمي المتنقل", s, 150);
  CHECK(ar->lines.size() == 1);
  CHECK(ar->lines[0].width <= 150.01f);
  // The ellipsis is at the visual end: the leftmost glyph in a right-to-left line.
  CHECK(ar->glyphs[ar->lines[0].first_glyph].cluster == ar->lines[0].end);
  // Short text is not cut.
  CHECK_FALSE(engine().layout("short", s, 150)->truncated);
}

TEST_CASE("measuring is laying out: same object, no rasterizing", "[layout]") {
  kt::TextEngine e;
  auto a = e.layout("Measure me", style("en"), 0);
  CHECK(e.stats().glyphs_rasterized == 0);
  CHECK(a->width > 0);
  CHECK(a->height > 0);
}

TEST_CASE("bold and headings use other faces and sizes", "[layout]") {
  kt::Style bold = style("km");
  bold.bold = true;
  auto b = engine().layout("សាលារៀន", bold, 0);
  auto r = engine().layout("សាលារៀន", style("km"), 0);
  CHECK(b->glyphs[0].face != r->glyphs[0].face);
  CHECK(engine().fonts().face_path(b->glyphs[0].face).find("Bold") != std::string::npos);
  auto heading = engine().layout("Science", style("en", 56), 0);
  auto body = engine().layout("Science", style("en", 28), 0);
  CHECK(heading->width == Approx(body->width * 2).epsilon(0.02));
}

TEST_CASE("the CJK collection loads on first use, Simplified Chinese face", "[fonts]") {
  kt::TextEngine e;
  e.layout("ខ្ញុំ مرحبا Hello ⌫", style("km"), 0);  // ⌫ comes from Noto Sans Symbols 2, not CJK
  CHECK_FALSE(e.fonts().is_family_loaded(kt::FontFamily::Cjk, false));
  auto zh = e.layout("科学", style("zh"), 0);
  CHECK(e.fonts().is_family_loaded(kt::FontFamily::Cjk, false));
  FT_Face face = e.fonts().ft_face(zh->glyphs[0].face);
  CHECK(std::string(face->family_name) == "Noto Sans CJK SC");
}

TEST_CASE("per code point fallback: each script in its own face", "[fonts]") {
  auto layout = engine().layout("Hi ខ្មែរ မြန်မာ عربي 中文", style("en"), 0);
  std::set<std::string> faces;
  for (const auto& g : layout->glyphs) faces.insert(engine().fonts().face_path(g.face));
  CHECK(faces.size() == 5);
  for (const auto& g : layout->glyphs) CHECK(g.glyph != 0);  // no .notdef
}
