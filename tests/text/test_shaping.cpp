// tests/text/test_shaping.cpp — shaping equals HarfBuzz's own hb-shape over a corpus.
#include <catch2/catch.hpp>

#include "shaping_corpus.h"
#include "test_support.h"
#include "text/pipeline.h"

namespace kt = kiosk::text;
using namespace text_test;

namespace {

std::string engine_shape(const ShapingCase& c) {
  kt::FontLibrary fonts(kt::FontConfig{});
  kt::FaceId face = fonts.add_face_file(c.font, c.face_index);
  REQUIRE(face != kt::kNoFace);
  auto scale = c.size ? static_cast<std::int32_t>(c.size)
                      : static_cast<std::int32_t>(hb_face_get_upem(fonts.hb_face(face)));
  return kt::shape_like_hb_shape(fonts, face, scale, c.text);
}

std::string hb_shape_command(const ShapingCase& c, const std::string& text_file) {
  std::string cmd = "hb-shape --no-glyph-names --face-index=" + std::to_string(c.face_index);
  if (c.size) cmd += " --font-size=" + std::to_string(c.size);
  return cmd + " '" + c.font + "' --text-file='" + text_file + "'";
}

}  // namespace

TEST_CASE("shaping matches the checked-in hb-shape corpus (Khmer, Burmese, Arabic, Chinese, isiZulu)", "[shaping]") {
  for (const ShapingCase& c : kShapingCorpus) {
    INFO(c.name);
    CHECK(engine_shape(c) == c.expected);
  }
}

TEST_CASE("shaping matches hb-shape run live", "[shaping]") {
  if (!have_program("hb-shape")) {
    WARN("hb-shape not installed; the checked-in corpus still ran");
    return;
  }
  for (const ShapingCase& c : kShapingCorpus) {
    INFO(c.name);
    std::string file = temp_file(std::string(c.text) + "\n");
    bool ok = false;
    std::string live = run(hb_shape_command(c, file), &ok);
    std::remove(file.c_str());
    REQUIRE(ok);
    CHECK(engine_shape(c) == live);
  }
}

TEST_CASE("kiosk-text shape prints byte for byte what hb-shape prints", "[shaping][cli]") {
  for (const ShapingCase& c : kShapingCorpus) {
    INFO(c.name);
    std::string file = temp_file(c.text);
    std::string cmd = std::string(KIOSK_TEXT_CLI) + " shape --font '" + c.font + "' --face-index " +
                      std::to_string(c.face_index) + (c.size ? " --size " + std::to_string(c.size) : "") +
                      " \"$(cat '" + file + "')\"";
    bool ok = false;
    std::string out = run(cmd, &ok);
    std::remove(file.c_str());
    REQUIRE(ok);
    CHECK(out == c.expected);
  }
}

TEST_CASE("the layout pipeline picks the language's face and shapes like hb-shape", "[shaping]") {
  struct Case {
    const char* lang;
    const char* corpus_name;
  };
  const Case cases[] = {{"km", "khmer sentence"},      {"km", "khmer pre-base vowel"},
                        {"my", "burmese kinzi"},       {"my", "burmese asat and medials"},
                        {"ar", "arabic sentence"},     {"ar", "arabic harakat"},
                        {"zh", "chinese"},             {"zu", "isizulu"}};
  for (const Case& k : cases) {
    const ShapingCase* c = nullptr;
    for (const ShapingCase& s : kShapingCorpus)
      if (std::string(s.name) == k.corpus_name) c = &s;
    REQUIRE(c != nullptr);
    INFO(k.corpus_name);
    auto layout = engine().layout(c->text, style(k.lang), 0);
    REQUIRE(layout->lines.size() == 1);
    std::vector<unsigned> ids;
    for (const auto& g : layout->glyphs) ids.push_back(g.glyph);
    CHECK(ids == glyph_ids(c->expected));
    for (const auto& g : layout->glyphs) CHECK(engine().fonts().face_path(g.face) == c->font);
  }
}

TEST_CASE("Latin digits in Arabic are shaped left to right, not reversed as one buffer would", "[shaping][bidi]") {
  kt::FontLibrary fonts(kt::FontConfig{});
  kt::FaceId face = fonts.add_face_file("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf");
  REQUIRE(face != kt::kNoFace);
  std::string out = kt::shape_like_hb_shape(fonts, face, 1000, "عام 2024 رائع");
  // Visual order: the last word (leftmost), the digits 2-0-2-4 in reading order, the first word.
  CHECK(out ==
        "[9=12+531|1504=11+269|46=10+213|978=9+367|3=8+260|1380=4+572|1642=5+572|1380=6+572|353=7+572|"
        "3=3+260|769=2+484|47=1+291|10=0+503]");
  if (have_program("hb-shape")) {
    // The digits alone, shaped by hb-shape, are the same glyphs in the same order.
    bool ok = false;
    std::string digits = run("hb-shape --no-glyph-names /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf 2024", &ok);
    REQUIRE(ok);
    CHECK(digits == "[1380=0+572|1642=1+572|1380=2+572|353=3+572]");
  }
}

TEST_CASE("shaping at a pixel size uses the same scale as the rasterizer", "[shaping]") {
  kt::Style s = style("km", 28);
  auto layout = engine().layout("ក្មេង", s, 0);
  CHECK(layout->size64 == 28 * 64);
  // Advances at 28 px are the font-unit advances scaled by 28/1000 (Noto Sans Khmer: 1000 upem).
  float expected = (288 + 636 + 635) * 28.0f / 1000.0f;
  CHECK(layout->width == Approx(expected).margin(0.1));
}
