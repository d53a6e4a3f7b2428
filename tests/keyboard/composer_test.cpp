// tests/keyboard/composer_test.cpp — KeyboardComposer on raw key outputs: Unicode order, held
// pre-base vowels and joiners, marks that never start a word, backspace, external edits.
#include <catch2/catch.hpp>

#include "support.h"
#include "text/edit_buffer.h"

using namespace kiosk::ui;
using kbtest::describe;
using kbtest::utf8;
using kiosk::text::EditBuffer;

namespace {

struct Typist {
  EditBuffer buffer;
  KeyboardComposer composer;
  Typist& operator<<(std::string_view output) {
    composer.type(buffer, output);
    return *this;
  }
  Typist& back() {
    composer.backspace(buffer);
    return *this;
  }
  std::string text() const { return describe(buffer.text()); }
};

}  // namespace

TEST_CASE("composer/Burmese vowel e typed before its consonant is stored after it", "[composer]") {
  Typist t;
  CHECK(t.composer.type(t.buffer, "ေ") == ComposeResult::Held);
  CHECK(t.buffer.text().empty());
  CHECK(t.composer.preview() == "ေ");
  t << "က" << "ာ";
  CHECK(t.text() == describe(utf8({0x1000, 0x1031, 0x102C})));
  CHECK_FALSE(t.composer.has_held());
}

TEST_CASE("composer/Burmese medial ra and vowel e typed first, in either order", "[composer]") {
  const std::string kyaw = utf8({0x1000, 0x103C, 0x1031, 0x102C});  // ကြော
  Typist a;
  a << "ေ" << "ြ" << "က" << "ာ";
  CHECK(a.text() == describe(kyaw));
  Typist b;
  b << "ြ" << "ေ" << "က" << "ာ";
  CHECK(b.text() == describe(kyaw));
  Typist c;  // preview is in storage order
  c << "ေ" << "ြ";
  CHECK(c.composer.preview() == utf8({0x103C, 0x1031}));
}

TEST_CASE("composer/a Burmese medial typed after the stored vowel e goes before it", "[composer]") {
  Typist t;
  t << "ေ" << "က" << "ျ" << "ာ";  // ကျော
  CHECK(t.text() == describe(utf8({0x1000, 0x103B, 0x1031, 0x102C})));
  Typist u;
  u << "ေ" << "မ" << "ြ" << "ှ" << "ွ";
  CHECK(u.text() == describe(utf8({0x1019, 0x103C, 0x103D, 0x103E, 0x1031})));
}

TEST_CASE("composer/a held vowel e attaches to the syllable before when a mark follows", "[composer]") {
  Typist t;  // logical typing in visual mode: က ေ ာ
  t << "က" << "ေ" << "ာ";
  CHECK(t.text() == describe(utf8({0x1000, 0x1031, 0x102C})));
  Typist u;  // ကလေး typed logically: the visarga attaches the held ေ to လ
  u << "က" << "လ" << "ေ" << "း";
  CHECK(u.text() == describe(utf8({0x1000, 0x101C, 0x1031, 0x1038})));
}

TEST_CASE("composer/logical pre-base order attaches vowel e to the consonant before", "[composer]") {
  Typist t;
  t.composer.set_prebase_order(PreBaseOrder::Logical);
  t << "မ" << "ေ" << "မ" << "ေ";
  CHECK(t.text() == describe(utf8({0x1019, 0x1031, 0x1019, 0x1031})));
  Typist u;  // at the start of a word it is still held
  u.composer.set_prebase_order(PreBaseOrder::Logical);
  u << "ေ" << "မ";
  CHECK(u.text() == describe(utf8({0x1019, 0x1031})));
}

TEST_CASE("composer/backspace clears a held pre-base vowel before the text", "[composer]") {
  Typist t;
  t << "က" << "ေ";
  CHECK(t.composer.backspace(t.buffer) == ComposeResult::Removed);
  CHECK_FALSE(t.composer.has_held());
  CHECK(t.text() == describe("က"));
  t.back();
  CHECK(t.buffer.text().empty());
  CHECK(t.composer.backspace(t.buffer) == ComposeResult::Ignored);
}

TEST_CASE("composer/a held vowel e with nothing to attach to is dropped at a space", "[composer]") {
  Typist t;
  t << "ေ" << " ";
  CHECK(t.text() == describe(" "));
  Typist u;
  u << "ေ";
  CHECK_FALSE(u.composer.commit(u.buffer));
  CHECK(u.buffer.text().empty());
  CHECK_FALSE(u.composer.has_held());
  Typist v;
  v << "မ" << "ေ";
  CHECK(v.composer.commit(v.buffer));
  CHECK(v.text() == describe(utf8({0x1019, 0x1031})));
}

TEST_CASE("composer/Burmese dot below typed after asat is stored before it (NFC)", "[composer]") {
  Typist t;
  t << "င" << "်" << "့";
  CHECK(t.text() == describe(utf8({0x1004, 0x1037, 0x103A})));
}

TEST_CASE("composer/kinzi carries onto the next consonant", "[composer]") {
  Typist t;  // သင်္ချိုင်း
  t << "သ" << "င်္" << "ခ" << "ျ" << "ိ" << "ု" << "င" << "်" << "း";
  CHECK(t.text() == describe(utf8({0x101E, 0x1004, 0x103A, 0x1039, 0x1001, 0x103B, 0x102D, 0x102F,
                                   0x1004, 0x103A, 0x1038})));
}

TEST_CASE("composer/Khmer coeng makes the next consonant a subscript", "[composer]") {
  Typist t;
  t << "ក";
  CHECK(t.composer.type(t.buffer, "្") == ComposeResult::Held);
  CHECK(t.text() == describe("ក"));
  CHECK(t.composer.preview() == "្");
  t << "ម";
  CHECK(t.text() == describe(utf8({0x1780, 0x17D2, 0x1798})));
  Typist s;  // ស្ត្រី: two subscripts
  s << "ស" << "្" << "ត" << "្" << "រ" << "ី";
  CHECK(s.text() == describe(utf8({0x179F, 0x17D2, 0x178F, 0x17D2, 0x179A, 0x17B8})));
}

TEST_CASE("composer/a lone coeng or dependent vowel never starts a word", "[composer]") {
  Typist t;
  CHECK(t.composer.type(t.buffer, "្") == ComposeResult::Ignored);
  CHECK(t.composer.type(t.buffer, "ា") == ComposeResult::Ignored);
  CHECK(t.composer.type(t.buffer, "ាំ") == ComposeResult::Ignored);
  CHECK(t.buffer.text().empty());
  CHECK_FALSE(t.composer.has_held());
  t << "ក" << " ";
  CHECK(t.composer.type(t.buffer, "ុ") == ComposeResult::Ignored);
  CHECK(t.composer.type(t.buffer, "្") == ComposeResult::Ignored);
  CHECK(t.text() == describe("ក "));
  Typist m;
  CHECK(m.composer.type(m.buffer, "ျ") == ComposeResult::Ignored);
  CHECK(m.composer.type(m.buffer, "်") == ComposeResult::Ignored);
  CHECK(m.buffer.text().empty());
}

TEST_CASE("composer/a coeng followed by a vowel is dropped, the vowel kept", "[composer]") {
  Typist t;
  t << "ក" << "្" << "ា";
  CHECK(t.text() == describe(utf8({0x1780, 0x17B6})));
  Typist u;  // a Khmer coeng does not join a Burmese consonant
  u << "ក" << "្" << "က";
  CHECK(u.text() == describe(utf8({0x1780, 0x1000})));
}

TEST_CASE("composer/backspace after a subscript holds the coeng again", "[composer]") {
  Typist t;
  t << "ក" << "្" << "ម";
  t.back();
  CHECK(t.text() == describe("ក"));
  CHECK(t.composer.preview() == "្");
  t << "ល";
  CHECK(t.text() == describe(utf8({0x1780, 0x17D2, 0x179B})));
  t.back().back();  // the subscript, then the held coeng
  CHECK(t.text() == describe("ក"));
  CHECK_FALSE(t.composer.has_held());
}

TEST_CASE("composer/Arabic lam-alef inserts two code points and harakat need a letter", "[composer]") {
  Typist t;
  CHECK(t.composer.type(t.buffer, "َ") == ComposeResult::Ignored);
  t << "لا";
  CHECK(t.text() == describe(utf8({0x0644, 0x0627})));
  t << "ّ" << "َ";  // shadda then fatha on the alef
  CHECK(t.text() == describe(utf8({0x0644, 0x0627, 0x0651, 0x064E})));
  Typist u;
  u << "ب" << " ";
  CHECK(u.composer.type(u.buffer, "ُ") == ComposeResult::Ignored);
}

TEST_CASE("composer/dotted circles are never stored", "[composer]") {
  Typist t;
  t << "◌" << "ក" << "◌ា" << "◌";
  CHECK(t.text() == describe(utf8({0x1780, 0x17B6})));
}

TEST_CASE("composer/an edit behind its back drops what is held", "[composer]") {
  Typist t;
  t << "က" << "ေ";
  REQUIRE(t.composer.has_held());
  t.buffer.set_text("ABC");
  t << "မ";
  CHECK(t.text() == describe("ABCမ"));
  Typist u;
  u << "ခ" << "ေ";
  u.buffer.set_caret(0, false);  // a tap moved the caret
  u << "မ";
  CHECK(u.text() == describe("မခ"));
}

TEST_CASE("composer/typing replaces a selection and respects the buffer's length limit", "[composer]") {
  Typist t;
  t << "a" << "b" << "c";
  t.buffer.select_all();
  t << "ក";
  CHECK(t.text() == describe("ក"));
  KeyboardComposer c;
  EditBuffer small(2);
  c.type(small, "ေ");
  c.type(small, "က");
  c.type(small, "ာ");
  CHECK(describe(small.text()) == describe(utf8({0x1000, 0x1031})));
}
