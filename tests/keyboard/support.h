// tests/keyboard/support.h — helpers for the keyboard suite: code point lists for exact
// comparisons, and the real layouts of content/keyboards loaded once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "handwriting_input.h"
#include "keyboard_logic.h"
#include "pinyin_input.h"

namespace kbtest {

// Code points of valid UTF-8, for comparisons that show U+XXXX on failure.
std::vector<std::uint32_t> cps(std::string_view utf8);
// UTF-8 of a code point list.
std::string utf8(std::initializer_list<std::uint32_t> code_points);
// "U+1000 U+1031" for messages.
std::string describe(std::string_view utf8);

// Every layout of content/keyboards; REQUIREs that the folder loads without errors.
const kiosk::ui::KeyboardLibrary& library();

// The real input methods, once per process (librime can be set up only once): pinyin deployed
// into a fresh folder under the temp directory (REQUIREd ready), handwriting with Debian's model.
kiosk::ui::PinyinInput& pinyin();
kiosk::ui::HandwritingInput& handwriting();
const kiosk::ui::InputMethodSet& inputs();
// pinyin()'s user data folder.
std::string pinyin_user_dir();

}  // namespace kbtest
