// tests/keyboard/typing_test.cpp — key sequences tapped by name (the widget ids' last part) on
// the real layouts through KeyboardController: exact code points for every layout, shift,
// layout switching, long-press extras, and a random sweep that checks the stored-text invariants.
#include <catch2/catch.hpp>

#include <random>

#include "support.h"
#include "text/edit_buffer.h"

using namespace kiosk::ui;
using kbtest::describe;
using kbtest::utf8;
using kiosk::text::EditBuffer;

namespace {

struct Board {
  KeyboardController kb;
  EditBuffer buffer;
  double now = 0;
  // `inputs`: the real Chinese input methods (each test process then deploys librime, ~1 s).
  explicit Board(std::vector<std::string> layouts, const InputMethodSet* inputs = nullptr)
      : kb(kbtest::library(), inputs) {
    REQUIRE(kb.set_allowed(layouts));
  }
  // Taps keys by name, one second apart (no accidental double taps).
  Board& tap(std::initializer_list<std::string_view> names) {
    for (auto n : names) {
      INFO("key " << n << " on " << kb.layout()->name);
      now += 1000;
      REQUIRE(kb.press_name(n, buffer, now));
    }
    return *this;
  }
  Board& extra(std::string_view name, std::size_t index) {
    const KeyDef* k = kb.find_key(name);
    REQUIRE(k);
    const KeyFace& f = k->face(kb.shifted());
    REQUIRE(index < f.extras.size());
    kb.press_extra(f.extras[index], buffer);
    return *this;
  }
  std::string text() const { return describe(buffer.text()); }
};

}  // namespace

TEST_CASE("typing/latin: letters, one-shot shift, locked shift, space", "[typing]") {
  Board b({"latin"});
  b.tap({"shift", "T", "h", "a", "n", "d", "i", "space", "shift", "M"});  // shifted names are capitals
  CHECK(b.buffer.text() == "Thandi M");
  CHECK(b.kb.shift() == ShiftState::Off);
  Board c({"latin"});
  c.kb.press_name("shift", c.buffer, 100);
  c.kb.press_name("shift", c.buffer, 300);  // double tap locks
  CHECK(c.kb.shift() == ShiftState::Locked);
  c.tap({"N", "O", "shift", "m"});
  CHECK(c.buffer.text() == "NOm");
}

TEST_CASE("typing/latin: long-press extras give Afrikaans letters", "[typing]") {
  Board b({"latin"});
  b.tap({"r"}).extra("e", 0).tap({"n", "space", "s"}).extra("e", 2).tap({"n"}).extra("o", 2);
  CHECK(b.buffer.text() == "rén sên" "ô");
  Board c({"latin"});
  c.tap({"shift"}).extra("E", 3);  // shifted extras are capitals; shift ends after one
  c.tap({"apostrophe", "n"});
  CHECK(c.buffer.text() == "Ë'n");
}

TEST_CASE("typing/arabic: lam-alef inserts U+0644 U+0627", "[typing]") {
  Board b({"arabic"});
  b.tap({"lam_alef"});
  CHECK(b.text() == describe(utf8({0x0644, 0x0627})));
}

TEST_CASE("typing/arabic: a name, hamza forms and harakat from shift", "[typing]") {
  Board b({"arabic"});
  b.tap({"meem", "hah", "meem", "dal", "space", "shift", "alef_hamza_above", "hah", "meem", "dal"});
  CHECK(b.text() == describe("محمد أحمد"));
  Board c({"arabic"});
  c.tap({"shift", "fatha"});  // a haraka never starts a word
  CHECK(c.buffer.text().empty());
  c.tap({"beh", "shift", "fatha", "shift", "lam_alef_hamza_above"});
  CHECK(c.text() == describe(utf8({0x0628, 0x064E, 0x0644, 0x0623})));
}

TEST_CASE("typing/khmer: coeng key makes a subscript", "[typing]") {
  Board b({"khmer"});
  b.tap({"ka", "coeng", "mo"});
  CHECK(b.text() == describe(utf8({0x1780, 0x17D2, 0x1798})));  // ក្ម
}

TEST_CASE("typing/khmer: names with shift, vowels and two subscripts", "[typing]") {
  Board b({"khmer"});
  b.tap({"sa", "u", "kha", "aa"});  // សុខា
  CHECK(b.text() == describe("សុខា"));
  Board c({"khmer"});
  c.tap({"sa", "coeng", "ta", "coeng", "ro", "shift", "ii"});  // ស្ត្រី
  CHECK(c.text() == describe(utf8({0x179F, 0x17D2, 0x178F, 0x17D2, 0x179A, 0x17B8})));
  Board d({"khmer"});
  d.tap({"ca", "shift", "aam", "ro", "oe"});  // ចាំរើ: shift is one-shot
  CHECK(d.kb.shift() == ShiftState::Off);
  CHECK(d.text() == describe(utf8({0x1785, 0x17B6, 0x17C6, 0x179A, 0x17BE})));
}

TEST_CASE("typing/khmer: coeng or a vowel first stores nothing", "[typing]") {
  Board b({"khmer"});
  b.tap({"coeng", "aa", "e", "shift", "reahmuk"});
  CHECK(b.buffer.text().empty());
  b.tap({"ka", "coeng"});
  CHECK(b.kb.composer().preview() == "្");
  b.tap({"backspace"});
  CHECK(b.text() == describe("ក"));
}

TEST_CASE("typing/burmese: vowel e typed first is stored after its consonant", "[typing]") {
  Board b({"burmese"});
  b.tap({"vowel_e", "ka", "aa"});
  CHECK(b.text() == describe(utf8({0x1000, 0x1031, 0x102C})));  // ကော
}

TEST_CASE("typing/burmese: names with medials, kinzi and tones", "[typing]") {
  Board b({"burmese"});  // မြန်မာ typed as seen: ြ မ န ် မ ာ
  b.tap({"medial_ra", "ma", "na", "asat", "ma", "aa"});
  CHECK(b.text() == describe(utf8({0x1019, 0x103C, 0x1014, 0x103A, 0x1019, 0x102C})));
  Board c({"burmese"});  // ကျော်ကျော်: ေ က ျ ာ ် twice
  c.tap({"vowel_e", "ka", "medial_ya", "aa", "asat", "vowel_e", "ka", "medial_ya", "aa", "asat"});
  const std::string kyaw = utf8({0x1000, 0x103B, 0x1031, 0x102C, 0x103A});
  CHECK(c.text() == describe(kyaw + kyaw));
  Board d({"burmese"});  // သင်္ချိုင်း with the kinzi key (shift, top row)
  d.tap({"sa", "shift", "kinzi", "kha", "medial_ya", "i", "u", "nga", "asat", "visarga"});
  CHECK(d.text() == describe(utf8({0x101E, 0x1004, 0x103A, 0x1039, 0x1001, 0x103B, 0x102D,
                                   0x102F, 0x1004, 0x103A, 0x1038})));
  Board e({"burmese"});  // kinzi from a long press on nga
  e.tap({"sa"}).extra("nga", 0).tap({"kha"});
  CHECK(e.text() == describe(utf8({0x101E, 0x1004, 0x103A, 0x1039, 0x1001})));
  Board f({"burmese"});  // ရွှေ: ေ ရ ွ ှ (medials typed after the held/stored ေ)
  f.tap({"vowel_e", "ra", "shift", "medial_wa", "shift", "medial_ha"});
  CHECK(f.text() == describe(utf8({0x101B, 0x103D, 0x103E, 0x1031})));
}

TEST_CASE("typing/burmese: backspace clears the held vowel e first", "[typing]") {
  Board b({"burmese"});
  b.tap({"ka", "vowel_e"});
  CHECK(b.kb.composer().preview() == "ေ");
  b.tap({"backspace"});
  CHECK(b.kb.composer().preview().empty());
  CHECK(b.text() == describe("က"));
  b.tap({"backspace"});
  CHECK(b.buffer.text().empty());
}

TEST_CASE("typing/numeric and phone", "[typing]") {
  Board b({"numeric"});
  b.tap({"2", "0", "1", "2"});
  CHECK(b.buffer.text() == "2012");
  Board p({"phone"});
  p.tap({"plus", "8", "5", "5", "space", "1", "2", "backspace", "3"});
  CHECK(p.buffer.text() == "+855 13");
}

TEST_CASE("typing/the switch key cycles the allowed layouts and commits held text", "[typing]") {
  Board b({"burmese", "latin", "numeric"});
  CHECK(b.kb.layout()->name == "burmese");
  CHECK(b.kb.next_layout()->name == "latin");
  b.tap({"ma", "vowel_e", "switch"});  // ေ attaches to မ when leaving
  CHECK(b.text() == describe(utf8({0x1019, 0x1031})));
  CHECK(b.kb.layout()->name == "latin");
  b.tap({"switch"});
  CHECK(b.kb.layout()->name == "numeric");
  b.tap({"switch"});
  CHECK(b.kb.layout()->name == "burmese");
  Board one({"phone", "nonexistent"});
  CHECK(one.kb.allowed().size() == 1);
  CHECK(one.kb.next_layout() == nullptr);
  one.tap({"switch"});
  CHECK(one.kb.layout()->name == "phone");
}

TEST_CASE("typing/done commits what is held and reports done", "[typing]") {
  Board b({"burmese"});
  b.tap({"ma", "vowel_e"});
  KeyPress p;
  REQUIRE(b.kb.press_name("done", b.buffer, 99999, &p));
  CHECK(p.done);
  CHECK(p.changed);
  CHECK(b.text() == describe(utf8({0x1019, 0x1031})));
}

// Random taps on every key of every layout (both layers, extras too): whatever people press,
// the stored text keeps the invariants of keyboard_logic.h.
TEST_CASE("typing/random taps keep the stored-text invariants in every layout", "[typing][sweep]") {
  std::mt19937 rng(20261129);
  for (const KeyboardLayout& layout : kbtest::library().layouts()) {
    INFO("layout " << layout.name);
    Board b({layout.name}, &kbtest::inputs());
    std::vector<const KeyDef*> keys;
    for (const auto& row : layout.rows)
      for (const KeyDef& k : row)
        if (k.action != KeyAction::Switch && k.action != KeyAction::Done) keys.push_back(&k);
    // Letters of the Chinese layouts go through librime (milliseconds each): fewer taps there.
    const int taps = layout.input.empty() ? 3000 : 600;
    for (int i = 0; i < taps; ++i) {
      const KeyDef* k = keys[rng() % keys.size()];
      if (k->action == KeyAction::Backspace && rng() % 3 != 0) continue;  // fewer backspaces
      const KeyFace& f = k->face(b.kb.shifted());
      if (!f.extras.empty() && rng() % 4 == 0) b.kb.press_extra(f.extras[rng() % f.extras.size()], b.buffer);
      else b.kb.press(*k, b.buffer, i * 1000.0);
      if (b.buffer.code_points() > 200) b.buffer.set_text("");
      auto cps = kbtest::cps(b.buffer.text());
      INFO("after " << i << " taps: " << describe(b.buffer.text()));
      REQUIRE(std::find(cps.begin(), cps.end(), 0x25CCu) == cps.end());
      for (std::size_t j = 0; j < cps.size(); ++j) {
        if (!is_combining_mark(cps[j])) continue;
        // A mark follows a letter or another mark: never the start of the text or a space.
        REQUIRE(j > 0);
        REQUIRE(cps[j - 1] != ' ');
        // A joiner is always followed by a consonant of its script.
        if (is_joiner(cps[j])) {
          REQUIRE(j + 1 < cps.size());
          REQUIRE(is_consonant(cps[j + 1]));
        }
      }
    }
  }
}

TEST_CASE("typing/shift: tap, late second tap, double tap, locked tap", "[typing]") {
  Board b({"khmer"});
  KeyboardController& kb = b.kb;
  kb.press_name("shift", b.buffer, 1000);
  CHECK(kb.shift() == ShiftState::Once);
  kb.press_name("shift", b.buffer, 3000);  // too late for a double tap: off again
  CHECK(kb.shift() == ShiftState::Off);
  kb.press_name("shift", b.buffer, 5000);
  kb.press_name("shift", b.buffer, 5200);
  CHECK(kb.shift() == ShiftState::Locked);
  b.tap({"ko", "ko"});  // stays shifted
  CHECK(b.text() == describe("គគ"));
  kb.press_name("shift", b.buffer, 99000);
  CHECK(kb.shift() == ShiftState::Off);
  CHECK(kb.find_key("ka") != nullptr);
  CHECK(kb.find_key("ko") == nullptr);  // the shift layer's names exist only while shifted
}

TEST_CASE("typing/selecting another layout commits a held coeng away", "[typing]") {
  Board b({"khmer", "latin"});
  b.tap({"ka", "coeng"});
  REQUIRE(b.kb.select("latin", &b.buffer));
  CHECK_FALSE(b.kb.composer().has_held());
  b.tap({"a"});
  CHECK(b.text() == describe("កa"));
  CHECK_FALSE(b.kb.select("arabic", &b.buffer));  // not allowed by this field
}
