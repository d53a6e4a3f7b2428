// Labels' line breaks (kiosk/ui/text_draw.h): a lone last cluster and a word broken after its
// first cluster are mended by a narrower wrap when one keeps the number of lines. The case is the
// Content screen's Burmese status line, where "ပြကွက်" (exhibits) was split as "ပြ|ကွက်".
#include "text_draw.h"

#include "text/text_engine.h"

#include <catch2/catch.hpp>

namespace kt = kiosk::text;

namespace {

kt::Style burmese() {
  kt::Style s;
  s.lang = "my";
  s.size = 28;
  s.bold = true;
  return s;
}

// The widest wrap at which the text's first line ends in "ပြ", cut from "ပြကွက်".
float width_splitting_exhibits(kt::TextEngine& engine, const std::string& text) {
  const std::string head = "\xE1\x80\x95\xE1\x80\xBC";  // ပြ
  for (float w = 1400; w > 300; w -= 2) {
    auto l = engine.layout(text, burmese(), w);
    if (l->lines.size() != 2) continue;
    const kt::LayoutLine& first = l->lines[0];
    if (l->text.compare(first.end - head.size(), head.size(), head) == 0 && first.next == first.end) return w;
  }
  return 0;
}

}  // namespace

TEST_CASE("a word broken after its first cluster is a lone fragment, mended by a narrower wrap", "[line_breaks]") {
  kt::TextEngine engine;
  const std::string text =
      "ယခုပြသနေသည်- demo၊ ဗားရှင်း 2026-12-04 16:41:07 — ဘာသာစကား en, km, my, ar, zh, zu, xh, af၊ ပြကွက် 12 ခု";
  const float w = width_splitting_exhibits(engine, text);
  REQUIRE(w > 0);
  auto split = engine.layout(text, burmese(), w);
  CHECK(kiosk::ui::lone_fragments(*split) == 1);
  CHECK(kiosk::ui::last_line_clusters(*split) > 1);  // not the old orphan rule's case
  const float better = kiosk::ui::better_break(engine, text, burmese(), w, *split);
  REQUIRE(better > 0);
  auto mended = engine.layout(text, burmese(), better);
  CHECK(mended->lines.size() == split->lines.size());
  CHECK(kiosk::ui::lone_fragments(*mended) == 0);
}

TEST_CASE("words broken at spaces, and a line that is one word, are not fragments", "[line_breaks]") {
  kt::TextEngine engine;
  kt::Style s;
  s.lang = "en";
  s.size = 28;
  auto spaced = engine.layout("Send the records to headquarters now", s, 200);
  REQUIRE(spaced->lines.size() >= 2);
  CHECK(kiosk::ui::lone_fragments(*spaced) == 0);
  auto long_word = engine.layout("Supercalifragilisticexpialidocious", s, 120);  // broken inside, no space
  CHECK(kiosk::ui::lone_fragments(*long_word) == 0);
}
