// tests/keyboard/input_method_test.cpp — Chinese input through the real engines (librime with
// Debian's luna_pinyin data, zinnia with the tegaki simplified Chinese model) and the real
// pinyin and handwriting layouts of content/keyboards, driven as the on-screen keyboard drives
// them (KeyboardController): keyboard_logic.h rules 8-11 and input_method.h I1-I4.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "support.h"
#include "text/edit_buffer.h"

using namespace kiosk::ui;
using kiosk::text::EditBuffer;

namespace {

struct Board {
  KeyboardController kb{kbtest::library(), &kbtest::inputs()};
  EditBuffer buffer;
  double now = 0;
  explicit Board(std::vector<std::string> layouts) {
    kbtest::inputs();  // the engines first (REQUIREs inside)
    REQUIRE(kb.set_allowed(layouts));
  }
  Board& tap(std::string_view letters) {
    for (char c : letters) {
      now += 1000;
      const std::string name(1, c);
      INFO("key " << name);
      REQUIRE(kb.press_name(name == "'" ? "apostrophe" : name, buffer, now));
    }
    return *this;
  }
  Board& key(std::string_view name) {
    now += 1000;
    REQUIRE(kb.press_name(name, buffer, now));
    REQUIRE(kbtest::handwriting().wait_idle());  // a backspace re-classifies (H5)
    return *this;
  }
  // Chooses the candidate `text` on the current page (REQUIREd to be there).
  KeyPress choose(std::string_view text) {
    auto i = kb.find_candidate(text);
    INFO("candidates: " << joined());
    REQUIRE(i.has_value());
    return kb.choose(*i, buffer);
  }
  std::string joined() const {
    std::string s;
    if (InputMethod* im = kb.input())
      for (const auto& c : im->candidates()) s += c + " ";
    return s;
  }
  // A stroke through points given in thousandths of the pad.
  Board& stroke(std::initializer_list<std::pair<int, int>> points) {
    InkStroke s;
    for (auto [x, y] : points) s.push_back({static_cast<float>(x) / 1000.0f, static_cast<float>(y) / 1000.0f});
    REQUIRE(kb.add_stroke(s));
    REQUIRE(kbtest::handwriting().wait_idle());  // H5: classified on the engine's worker
    return *this;
  }
};

}  // namespace

TEST_CASE("input/pinyin: zhang offers 张; only the chosen character reaches the field", "[input]") {
  Board b({"pinyin", "latin"});
  b.tap("zhang");
  CHECK(b.buffer.text().empty());  // rule 8: letters are composed, not stored
  REQUIRE(b.kb.input() != nullptr);
  CHECK(b.kb.input()->composition() == "zhang");
  const KeyPress p = b.choose("张");
  CHECK(p.changed);
  CHECK(b.buffer.text() == "张");
  CHECK_FALSE(b.kb.input()->composing());
  CHECK(b.kb.input()->candidates().empty());
}

TEST_CASE("input/pinyin: a two-syllable name is chosen a character at a time", "[input]") {
  Board b({"pinyin"});
  b.tap("wangfang");
  const KeyPress first = b.choose("王");
  CHECK_FALSE(first.changed);  // "fang" still waits for its character
  CHECK(b.buffer.text().empty());
  CHECK(b.kb.input()->composing());
  const KeyPress second = b.choose("芳");
  CHECK(second.changed);
  CHECK(b.buffer.text() == "王芳");
}

TEST_CASE("input/pinyin: space takes the first candidate, backspace edits letters first", "[input]") {
  Board b({"pinyin"});
  b.tap("lix");
  b.key("backspace");  // removes the x, not anything stored
  CHECK(b.kb.input()->composition() == "li");
  const std::string first = b.kb.input()->candidates().at(0);
  b.key("space");
  CHECK(b.buffer.text() == first);
  b.key("backspace");  // nothing composed: now the field loses its character
  CHECK(b.buffer.text().empty());
  b.key("space");  // nothing composed: a plain space
  CHECK(b.buffer.text() == " ");
}

TEST_CASE("input/pinyin: done, a switch and a non-letter key store the best reading first", "[input]") {
  {
    Board b({"pinyin", "latin"});
    b.tap("zhang");
    KeyPress p;
    REQUIRE(b.kb.press_name("done", b.buffer, 1e6, &p));
    CHECK(p.done);
    CHECK(b.buffer.text() == "张");
  }
  {
    Board b({"pinyin", "latin"});
    b.tap("li");
    const std::string first = b.kb.input()->candidates().at(0);
    b.key("switch");
    CHECK(b.kb.layout()->name == "latin");
    CHECK(b.buffer.text() == first);
    b.tap("a");
    CHECK(b.buffer.text() == first + "a");
  }
  {
    Board b({"pinyin"});
    b.tap("yue").key("middle-dot").tap("han");
    CHECK(b.buffer.text().rfind("·") != std::string::npos);
    CHECK(b.buffer.text().find("·") > 0);  // the reading of "yue" came first
  }
}

TEST_CASE("input/pinyin: pages turn and a new field drops what was composed", "[input]") {
  Board b({"pinyin"});
  b.tap("shi");
  InputMethod* im = b.kb.input();
  REQUIRE(im->has_next_page());
  const std::vector<std::string> page1 = im->candidates();
  b.kb.page(+1);
  CHECK(im->has_previous_page());
  CHECK(im->candidates() != page1);
  b.kb.page(-1);
  CHECK(im->candidates() == page1);
  REQUIRE(b.kb.set_allowed({"pinyin"}));  // another field got focus (I1)
  CHECK_FALSE(im->composing());
  CHECK(b.buffer.text().empty());
}

TEST_CASE("input/pinyin: names typed are not learnt into librime's files", "[input]") {
  Board b({"pinyin"});
  b.tap("zhangwei");
  b.choose("张");
  b.choose("伟");
  CHECK(b.buffer.text() == "张伟");
  namespace fs = std::filesystem;
  for (const auto& e : fs::recursive_directory_iterator(kbtest::pinyin_user_dir())) {
    INFO(e.path().string());
    CHECK(e.path().string().find("userdb") == std::string::npos);
    CHECK(e.path().extension() != ".txt");
  }
}

TEST_CASE("input/pinyin: a second librime in the process is refused, and not offered", "[input]") {
  kbtest::pinyin();
  PinyinOptions o;
  o.user_data_dir = kbtest::pinyin_user_dir() + "-second";
  PinyinInput second(o);
  CHECK_FALSE(second.wait_ready());
  CHECK_FALSE(second.problem().empty());
  InputMethodSet set;
  set.add("pinyin", &second);
  KeyboardController kb(kbtest::library(), &set);
  CHECK_FALSE(kb.set_allowed({"pinyin"}));
  REQUIRE(kb.set_allowed({"pinyin", "latin"}));  // rule 10: the others still work
  CHECK(kb.layout()->name == "latin");
}

TEST_CASE("input/handwriting: the strokes of 十 and 人 give those characters", "[input]") {
  Board b({"handwriting", "latin"});
  b.stroke({{150, 500}, {500, 500}, {850, 500}});  // 一, left to right
  b.stroke({{500, 150}, {500, 500}, {500, 850}});  // 丨, top to bottom
  CHECK(b.buffer.text().empty());
  REQUIRE_FALSE(b.kb.input()->candidates().empty());
  CHECK(b.kb.input()->candidates().front() == "十");
  CHECK(b.kb.input()->ink().size() == 2);
  b.key("space");
  CHECK(b.buffer.text() == "十");
  CHECK(b.kb.input()->ink().empty());  // H4: the pad is empty for the next character

  b.stroke({{500, 150}, {470, 350}, {400, 600}, {250, 850}});  // 丿
  b.stroke({{480, 420}, {600, 650}, {800, 850}});              // 乀
  const KeyPress p = b.choose("人");
  CHECK(p.changed);
  CHECK(b.buffer.text() == "十人");
}

TEST_CASE("input/handwriting: backspace takes back a stroke before a character", "[input]") {
  Board b({"handwriting"});
  b.stroke({{150, 500}, {850, 500}});
  b.stroke({{500, 150}, {500, 850}});
  b.key("backspace");
  CHECK(b.kb.input()->ink().size() == 1);
  CHECK(b.kb.input()->candidates().front() != "十");
  b.key("backspace");
  CHECK_FALSE(b.kb.input()->composing());
  CHECK(b.kb.input()->candidates().empty());
  b.buffer.set_text("王");
  b.buffer.set_caret(static_cast<std::uint32_t>(b.buffer.text().size()), false);
  b.key("backspace");  // no strokes: the field's turn
  CHECK(b.buffer.text().empty());
}

TEST_CASE("input/handwriting: points outside the pad are clamped, empty strokes refused", "[input]") {
  HandwritingInput& h = kbtest::handwriting();
  h.clear();
  CHECK_FALSE(h.add_stroke({}));
  CHECK(h.add_stroke({{-3.0f, 0.5f}, {7.0f, 0.5f}}));
  for (const InkPoint& p : h.ink().front()) {
    CHECK(p.x >= 0.0f);
    CHECK(p.x <= 1.0f);
  }
  h.clear();
}

TEST_CASE("input/handwriting: a missing model is reported and its layout not offered", "[input]") {
  HandwritingOptions o;
  o.model = "/nonexistent/handwriting-zh_CN.model";
  HandwritingInput missing(o);
  CHECK_FALSE(missing.ready());
  CHECK(missing.problem().find("/nonexistent/handwriting-zh_CN.model") != std::string::npos);
  InputMethodSet set;
  set.add("handwriting", &missing);
  KeyboardController kb(kbtest::library(), &set);
  CHECK_FALSE(kb.set_allowed({"handwriting"}));
  CHECK(kb.set_allowed({"handwriting", "latin"}));
  KeyboardController none(kbtest::library());  // no input methods at all (tools)
  CHECK_FALSE(none.set_allowed({"pinyin", "handwriting"}));
}

TEST_CASE("input/handwriting: the model is read on the worker, a stroke drawn meanwhile is kept", "[input]") {
  // H1: the constructor does not wait for zinnia; the first stroke can come before the model.
  HandwritingInput h;
  CHECK(h.problem().empty());
  REQUIRE(h.add_stroke({{0.15f, 0.5f}, {0.85f, 0.5f}}));  // 一
  REQUIRE(h.wait_idle());
  CHECK(h.ready());
  CHECK_FALSE(h.candidates().empty());
  // A file that is there but is no zinnia model: said once the worker tried it, then refused.
  const auto bad = std::filesystem::temp_directory_path() / "kiosk-not-a-zinnia-model.model";
  {
    std::FILE* f = std::fopen(bad.c_str(), "wb");
    REQUIRE(f);
    std::fputs("this is not a handwriting model\n", f);
    std::fclose(f);
  }
  HandwritingOptions o;
  o.model = bad.string();
  HandwritingInput broken(o);
  CHECK_FALSE(broken.wait_ready());
  CHECK(broken.problem().find(bad.string()) != std::string::npos);
  CHECK_FALSE(broken.add_stroke({{0.15f, 0.5f}, {0.85f, 0.5f}}));
  InputMethodSet set;
  set.add("handwriting", &broken);
  KeyboardController kb(kbtest::library(), &set);
  CHECK_FALSE(kb.set_allowed({"handwriting"}));
  std::filesystem::remove(bad);
}

TEST_CASE("input/layout files: input, pad_rows and the switch key are checked", "[input][errors]") {
  auto errors = [](const std::string& toml) {
    std::vector<std::string> e;
    CHECK_FALSE(parse_keyboard_layout(toml, "bad.toml", &e).has_value());
    return e;
  };
  auto has = [](const std::vector<std::string>& e, const std::string& prefix, const std::string& what) {
    for (const auto& s : e)
      if (s.rfind(prefix, 0) == 0 && s.find(what) != std::string::npos) return true;
    for (const auto& s : e) UNSCOPED_INFO(s);
    return false;
  };
  const std::string keys = "rows = [[{ output = \"a\" }, { action = \"switch\" }]]\n";
  CHECK(has(errors("name = \"x\"\nlang = \"zh\"\ninput = \"wubi\"\n" + keys), "bad.toml:3:", "'input'"));
  CHECK(has(errors("name = \"x\"\nlang = \"zh\"\ninput = \"handwriting\"\n" + keys), "bad.toml:1:",
            "pad_rows"));
  CHECK(has(errors("name = \"x\"\nlang = \"zh\"\ninput = \"handwriting\"\npad_rows = 9\n" + keys),
            "bad.toml:4:", "'pad_rows'"));
  CHECK(has(errors("name = \"x\"\nlang = \"en\"\npad_rows = 2\n" + keys), "bad.toml:3:", "handwriting"));
  CHECK(has(errors("name = \"x\"\nlang = \"en\"\nrows = [[{ output = \"a\" }]]\n"), "bad.toml:3:",
            "switch"));
  CHECK(has(errors("name = \"x\"\nlang = \"en\"\nrows = [[{ action = \"switch\" }, { action = \"switch\", "
                   "name = \"s2\" }]]\n"),
            "bad.toml:3:", "exactly one"));
  std::vector<std::string> e;
  CHECK(parse_keyboard_layout("name = \"x\"\nlang = \"zh\"\ninput = \"handwriting\"\npad_rows = 3\n" + keys,
                              "ok.toml", &e)
            .has_value());
  CHECK(e.empty());
}

TEST_CASE("input/handwriting: a stroke returns at once; zinnia classifies on the engine's worker", "[input]") {
  // H5: the worker is held inside its classification; the caller (the UI thread) is not.
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::thread::id classified_on;
  HandwritingOptions o;
  o.before_classify = [&] {
    std::unique_lock<std::mutex> lock(m);
    classified_on = std::this_thread::get_id();
    cv.wait(lock, [&] { return release; });
  };
  HandwritingInput h(o);
  REQUIRE(h.wait_ready());
  REQUIRE(h.add_stroke({{0.15f, 0.5f}, {0.85f, 0.5f}}));  // 一; returns with the worker held
  CHECK(h.busy());
  CHECK(h.candidates().empty());
  REQUIRE(h.add_stroke({{0.5f, 0.15f}, {0.5f, 0.85f}}));  // 丨: queued behind the held one
  CHECK(h.ink().size() == 2);
  CHECK_FALSE(h.wait_idle(50));  // still held
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  REQUIRE(h.wait_idle());
  CHECK_FALSE(h.busy());
  CHECK(classified_on != std::this_thread::get_id());
  REQUIRE_FALSE(h.candidates().empty());
  CHECK(h.candidates().front() == "十");  // the latest strokes, not the first one alone
  CHECK(h.commit() == "十");
  CHECK(h.ink().empty());
}
