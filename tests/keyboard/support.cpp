// tests/keyboard/support.cpp — see support.h.
#include "support.h"

#include <catch2/catch.hpp>

#include <cstdio>

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

}  // namespace kbtest
