// tests/text/test_caret.cpp — caret stops at shaped clusters, visual arrows, editing.
#include <catch2/catch.hpp>

#include "test_support.h"
#include "text/edit_buffer.h"
#include "text/utf8.h"

namespace kt = kiosk::text;
using namespace text_test;

namespace {

std::vector<std::uint32_t> walk(const kt::Layout& layout, std::uint32_t from, int direction) {
  std::vector<std::uint32_t> seen{from};
  kt::CaretPos pos{from, UINT32_MAX};
  for (int i = 0; i < 200; ++i) {
    kt::CaretPos next = kt::move_visual(layout, pos, direction);
    if (next.offset == pos.offset) break;
    pos = next;
    seen.push_back(pos.offset);
  }
  return seen;
}

}  // namespace

TEST_CASE("caret stops are shaped-cluster edges, not grapheme breaks", "[caret]") {
  const std::string syllable = "ស្ត្រី";  // grapheme breaks would split it after each coeng
  auto layout = engine().layout(syllable, style("km"), 0);
  auto stops = kt::visual_stops(*layout);
  REQUIRE(stops.size() == 2);
  CHECK(stops[0].offset == 0);
  CHECK(stops[1].offset == syllable.size());
  CHECK_FALSE(kt::is_caret_stop(*layout, 3));
  CHECK_FALSE(kt::is_caret_stop(*layout, 6));
}

TEST_CASE("arrows walk Khmer clusters left to right and back", "[caret]") {
  const std::string text = "ខ្ញុំស្រឡាញ់";
  auto layout = engine().layout(text, style("km"), 0);
  auto right = walk(*layout, 0, +1);
  CHECK(right.front() == 0);
  CHECK(right.back() == text.size());
  CHECK(std::is_sorted(right.begin(), right.end()));
  for (auto off : right) CHECK(kt::is_caret_stop(*layout, off));
  auto left = walk(*layout, static_cast<std::uint32_t>(text.size()), -1);
  std::reverse(left.begin(), left.end());
  CHECK(left == right);
  CHECK(right.size() < kt::decode_utf8(text).size());  // fewer stops than code points
}

TEST_CASE("arrows move visually in right-to-left and mixed text", "[caret][bidi]") {
  const std::string ar = "مرحبا";
  auto layout = engine().layout(ar, style("ar"), 0);
  // In Arabic the logical start is on the right: Left moves forward in the text.
  auto left = walk(*layout, 0, -1);
  CHECK(left.back() == ar.size());
  CHECK(std::is_sorted(left.begin(), left.end()));

  const std::string mixed = "abc مرحبا def";
  auto m = engine().layout(mixed, style("en"), 0);
  auto path = walk(*m, 0, +1);
  CHECK(path.back() == mixed.size());
  // Each step moves the caret to the right on screen.
  kt::CaretPos pos{0, UINT32_MAX};
  float x = kt::caret_rect(*m, pos).x;
  for (int i = 0; i < 40; ++i) {
    kt::CaretPos next = kt::move_visual(*m, pos, +1);
    if (next.offset == pos.offset && next.index == pos.index) break;
    float nx = kt::caret_rect(*m, next).x;
    CHECK(nx >= x);
    x = nx;
    pos = next;
  }
  CHECK(pos.offset == mixed.size());
}

TEST_CASE("backspace removes one code point; delete removes one cluster", "[caret][edit]") {
  kt::EditBuffer buf;
  buf.insert("ក្មេង");
  buf.backspace();
  CHECK(buf.text() == "ក្មេ");
  buf.backspace();
  CHECK(buf.text() == "ក្ម");
  buf.backspace();
  CHECK(buf.text() == "ក្");
  buf.set_text("ស្ត្រីក");
  auto layout = engine().layout(buf.text(), style("km"), 0);
  buf.move_home(false);
  buf.delete_forward(*layout);
  CHECK(buf.text() == "ក");
}

TEST_CASE("text input arriving in pieces that split UTF-8 sequences", "[edit]") {
  const std::string text = "ខ្ញុំស្រឡាញ់ مرحبا 中文";
  for (std::size_t piece : {1u, 2u, 5u, 32u}) {
    kt::EditBuffer buf;
    for (std::size_t i = 0; i < text.size(); i += piece) buf.insert_input_piece(text.substr(i, piece));
    CHECK(buf.text() == text);
  }
}

TEST_CASE("max length, selection, paste, click", "[edit]") {
  kt::EditBuffer buf(5);
  buf.insert("ខ្ញុំស្រឡាញ់");
  CHECK(buf.code_points() == 5);
  CHECK(kt::is_valid_utf8(buf.text()));
  buf.select_all();
  CHECK(buf.selected_text() == buf.text());
  buf.insert("ab");
  CHECK(buf.text() == "ab");
  buf.move_home(false);
  buf.set_caret(1, true);
  CHECK(buf.selected_text() == "a");
  buf.backspace();
  CHECK(buf.text() == "b");
  auto layout = engine().layout("hello", style("en"), 0);
  kt::EditBuffer h;
  h.set_text("hello");
  h.click(*layout, 1000.0f, 5.0f, false);
  CHECK(h.caret() == 5);
  h.click(*layout, -10.0f, 5.0f, false);
  CHECK(h.caret() == 0);
}

TEST_CASE("Zawgyi input is flagged and converted", "[edit][zawgyi]") {
  kt::EditBuffer buf;
  buf.insert("ေက်းဇူးတင္ပါတယ္");  // Zawgyi for "thank you"
  CHECK(buf.looks_zawgyi());
  buf.convert_zawgyi_to_unicode();
  CHECK(buf.text() == "ကျေးဇူးတင်ပါတယ်");
  CHECK_FALSE(buf.looks_zawgyi());
}

TEST_CASE("a typed space at the end of a field has a caret stop after it", "[caret][edit]") {
  kt::Style field = style("en");
  field.keep_trailing_spaces = true;
  kt::EditBuffer buf;
  buf.insert("hi ");
  auto layout = engine().layout(buf.text(), field, 0);
  const float after_space = buf.caret_rect(*layout).x;
  buf.backspace();
  auto shorter = engine().layout(buf.text(), field, 0);
  CHECK(after_space > buf.caret_rect(*shorter).x + 3.0f);
  // Labels drop trailing spaces, so centred labels stay centred.
  kt::Style label = style("en");
  label.align = kt::Align::Center;
  CHECK(engine().layout("Hello ", label, 300)->lines[0].x == engine().layout("Hello", label, 300)->lines[0].x);
}
