// tests/fuzz/keyboard_layout_fuzz.cpp — an on-screen keyboard layout (kiosk/ui/keyboard_logic.h
// parse_keyboard_layout, content/keyboards/*.toml).
// Checks: a refusal appends at least one "file:line: message"; an accepted layout has rows.
#include "fuzz_target.h"
#include "keyboard_logic.h"

#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> errors;
  const auto layout = kiosk::ui::parse_keyboard_layout(text, "fuzz.toml", &errors);
  if (!layout) fuzz_check(!errors.empty(), "a refused layout says why");
  return 0;
}
