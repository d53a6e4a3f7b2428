// tests/keyboard/support.cpp — see support.h.
#include "support.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "text/utf8.h"

namespace kbtest {

std::vector<std::uint32_t> cps(std::string_view utf8_text) {
  std::vector<std::uint32_t> out;
  for (const auto& cp : kiosk::text::decode_utf8(utf8_text)) out.push_back(cp.value);
  return out;
}

std::string utf8(std::initializer_list<std::uint32_t> code_points) {
  std::string out;
  for (std::uint32_t cp : code_points) kiosk::text::append_utf8(out, cp);
  return out;
}

std::string describe(std::string_view utf8_text) {
  std::string out;
  for (std::uint32_t cp : cps(utf8_text)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%sU+%04X", out.empty() ? "" : " ", cp);
    out += buf;
  }
  return out.empty() ? "(empty)" : out;
}

const kiosk::ui::KeyboardLibrary& library() {
  static kiosk::ui::KeyboardLibrary lib;
  static bool loaded = false;
  if (!loaded) {
    std::vector<std::string> errors;
    lib.load_dir(KIOSK_KEYBOARD_DIR, &errors);
    for (const auto& e : errors) UNSCOPED_INFO(e);
    REQUIRE(errors.empty());
    loaded = true;
  }
  return lib;
}

std::string pinyin_user_dir() {
  static const std::string dir =
      (std::filesystem::temp_directory_path() / ("kbd_pinyin_" + std::to_string(::getpid()))).string();
  return dir;
}

kiosk::ui::PinyinInput& pinyin() {
  // Never destroyed: finalizing librime from a static destructor runs after librime's own
  // statics are gone (pinyin_input.h P6), so the suite's one engine lives until the process ends.
  static kiosk::ui::PinyinInput* p = nullptr;
  if (!p) {
    std::filesystem::remove_all(pinyin_user_dir());
    kiosk::ui::PinyinOptions o;
    o.user_data_dir = pinyin_user_dir();
    p = new kiosk::ui::PinyinInput(o);
    const bool ready = p->wait_ready();
    INFO(p->problem());
    REQUIRE(ready);
    std::printf("keyboard tests: librime deployed luna_pinyin_simp into a fresh folder in %.0f ms\n",
                p->prepare_ms());
  }
  return *p;
}

kiosk::ui::HandwritingInput& handwriting() {
  static kiosk::ui::HandwritingInput h;
  INFO(h.problem());
  REQUIRE(h.wait_ready());
  return h;
}

const kiosk::ui::InputMethodSet& inputs() {
  static kiosk::ui::InputMethodSet set;
  static bool made = false;
  if (!made) {
    set.add("pinyin", &pinyin());
    set.add("handwriting", &handwriting());
    made = true;
  }
  return set;
}

}  // namespace kbtest
