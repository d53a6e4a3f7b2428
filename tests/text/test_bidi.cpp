// tests/text/test_bidi.cpp — paragraph direction, visual order, alignment.
#include <catch2/catch.hpp>

#include <algorithm>

#include "test_support.h"
#include "text/pipeline.h"

namespace kt = kiosk::text;
using namespace text_test;

TEST_CASE("bidi levels: Latin digits inside Arabic are an LTR run", "[bidi]") {
  std::string text = "عام 2024";
  auto cps = kt::decode_utf8(text);
  auto bidi = kt::resolve_bidi(text, cps, kt::Direction::Rtl);
  CHECK(bidi.rtl);
  CHECK(bidi.levels[0] == 1);
  CHECK(bidi.levels[cps.size() - 1] == 2);
}

TEST_CASE("first strong character decides when the language does not", "[bidi]") {
  auto arabic = engine().layout("مرحبا hello", style("xx"), 0);
  CHECK(arabic->rtl);
  auto latin = engine().layout("hello مرحبا", style("xx"), 0);
  CHECK_FALSE(latin->rtl);
  CHECK(engine().layout("hello", style("ar"), 0)->rtl);  // the language wins when it has a direction
}

TEST_CASE("visual order of Arabic with Latin digits", "[bidi]") {
  const std::string text = "عام 2024 رائع";
  auto layout = engine().layout(text, style("ar"), 0);
  REQUIRE(layout->lines.size() == 1);
  std::vector<unsigned> starts = visual_cluster_starts(*layout);
  // Left to right on screen: رائع (last word), " ", 2 0 2 4, " ", عام (first word).
  const auto d = static_cast<unsigned>(text.find("2024"));
  auto pos = [&](unsigned offset) {
    return std::find(starts.begin(), starts.end(), offset) - starts.begin();
  };
  CHECK(pos(d) < pos(d + 1));
  CHECK(pos(d + 1) < pos(d + 2));
  CHECK(pos(d + 2) < pos(d + 3));
  CHECK(pos(static_cast<unsigned>(text.find("رائع"))) < pos(d));
  CHECK(pos(d + 3) < pos(0));
  // Arabic letters run right to left: the first letter is the rightmost cluster.
  CHECK(starts.back() == 0);
}

TEST_CASE("visual order of an Arabic word inside English", "[bidi]") {
  const std::string text = "I like العلوم a lot";
  auto layout = engine().layout(text, style("en"), 0);
  std::vector<unsigned> starts = visual_cluster_starts(*layout);
  const auto a = static_cast<unsigned>(text.find("العلوم"));
  const auto b = static_cast<unsigned>(a + std::string("العلوم").size());
  std::vector<unsigned> arabic, latin;
  for (unsigned s : starts) (s >= a && s < b ? arabic : latin).push_back(s);
  CHECK(std::is_sorted(latin.begin(), latin.end()));
  CHECK(std::is_sorted(arabic.rbegin(), arabic.rend()));
  CHECK(arabic.size() >= 2);
}

TEST_CASE("alignment follows the direction: Start is right in Arabic", "[bidi][layout]") {
  const float box = 500;
  auto ar = engine().layout("مرحبا", style("ar"), box);
  CHECK(ar->lines[0].x + ar->lines[0].width == Approx(box));
  auto en = engine().layout("Hello", style("en"), box);
  CHECK(en->lines[0].x == 0);
  kt::Style end = style("ar");
  end.align = kt::Align::End;
  CHECK(engine().layout("مرحبا", end, box)->lines[0].x == 0);
  kt::Style center = style("en");
  center.align = kt::Align::Center;
  auto c = engine().layout("Hello", center, box);
  CHECK(c->lines[0].x == Approx(std::floor((box - c->lines[0].width) / 2)));
}
