// kiosk/ui/text_field.h — an editable single-line text field drawn with the text engine.
//
// All editing logic (UTF-8 buffer, caret stops at shaped clusters, visual arrows, Backspace by
// code point, selection, max length, Zawgyi) lives in kiosk::text::EditBuffer and is tested
// without a window; this widget only routes input to it and draws it.
//
// Contract:
//  - draw() once per frame while the field is on screen. When focused it consumes ImGui's queued
//    text input (SDL_TEXTINPUT arrives through ImGui_ImplSDL2_ProcessEvent) and the editing keys
//    (arrows, Home, End, Backspace, Delete, Ctrl+A/C/X/V). It returns true when the text changed.
//  - Pointer input comes from the kiosk's gesture layer, not ImGui's mouse: call tap() with the
//    tapped point (pixels) after hit-testing the field's rectangle; it focuses and places the caret.
//  - The on-screen keyboard calls insert() / backspace() / move() directly.
//  - Keys and text: by default the field polls ImGui (its key state and its queued characters).
//    ImGui 1.86 has no input event queue, so a key pressed and released within one frame (the
//    test harness does that) is invisible to polling, and its 16-bit ImWchar drops characters
//    beyond U+FFFF. An app that routes SDL_KEYDOWN / SDL_TEXTINPUT itself calls key() and
//    text_input() and set_poll_imgui(false) instead.
//  - The caret does not blink (the kiosk renders on demand; a blinking caret would cost frames).
//  - Not thread-safe; UI thread only.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/edit_buffer.h"
#include "text_draw.h"

namespace kiosk::ui {

// Editing keys, for callers that route key events themselves (see TextField::key()).
enum class FieldKey { Left, Right, Home, End, Backspace, Delete, SelectAll, Copy, Cut, Paste };

struct TextFieldColors {
  ImU32 background = IM_COL32(255, 255, 255, 255);
  ImU32 frame = IM_COL32(120, 140, 170, 255);
  ImU32 frame_focused = IM_COL32(255, 196, 61, 255);
  ImU32 text = IM_COL32(20, 24, 32, 255);
  ImU32 placeholder = IM_COL32(96, 104, 116, 255);  // 5.6:1 on the white field
  ImU32 selection = IM_COL32(120, 170, 255, 110);
  ImU32 caret = IM_COL32(20, 24, 32, 255);
};

class TextField {
 public:
  explicit TextField(std::size_t max_code_points = 256);

  // Draws the field in `rect_min`..`rect_max` (pixels). `style.lang` sets direction and fonts.
  bool draw(TextRenderer& renderer, ImDrawList* list, ImVec2 rect_min, ImVec2 rect_max,
            const TextStyle& style, std::string_view placeholder = {},
            const TextFieldColors& colors = {});

  // Pointer: focus and put the caret at `pixel` (extend: move the selection end instead).
  void tap(ImVec2 pixel, bool extend = false);
  void set_focused(bool focused) { m_focused = focused; }
  bool focused() const { return m_focused; }

  // On-screen keyboard.
  void insert(std::string_view utf8) { m_buffer.insert(utf8); }
  void backspace() { m_buffer.backspace(); }
  void move(int direction);  // visual: -1 left, +1 right
  void key(FieldKey key, bool shift = false);
  // One SDL_TEXTINPUT piece (at most 32 bytes; a UTF-8 sequence split across pieces is held back).
  void text_input(std::string_view piece) { m_buffer.insert_input_piece(piece); }
  void set_poll_imgui(bool poll) { m_poll_imgui = poll; }

  const std::string& text() const { return m_buffer.text(); }
  void set_text(std::string_view utf8) { m_buffer.set_text(utf8); }
  kiosk::text::EditBuffer& buffer() { return m_buffer; }

  // Burmese typed in Zawgyi: the screen offers convert_zawgyi() when this is true.
  bool zawgyi_suspected() const { return m_buffer.looks_zawgyi(); }
  void convert_zawgyi() { m_buffer.convert_zawgyi_to_unicode(); }

 private:
  void handle_keys();
  void apply(FieldKey key, bool shift, const kiosk::text::Layout& layout);

  kiosk::text::EditBuffer m_buffer;
  bool m_focused = false;
  bool m_poll_imgui = true;
  bool m_has_tap = false;
  bool m_tap_extend = false;
  ImVec2 m_tap{0, 0};
  std::vector<std::pair<FieldKey, bool>> m_pending_keys;  // key, shift
  float m_scroll = 0;  // pixels the text is shifted left (or right, in RTL) to show the caret
};

}  // namespace kiosk::ui
