// kiosk/text/edit_buffer.h — the logic of an editable text field, with no widget attached.
//
// The buffer is logical UTF-8 (always valid; input is sanitized). The caret and the selection
// anchor are byte offsets at caret stops of the current layout. Visual operations (arrows,
// clicks, Delete) take the Layout of text() as the widget currently shows it — lay it out with
// TextEngine::layout(text(), style, width) each frame (a cache hit unless the text changed),
// with style.keep_trailing_spaces = true so a typed space at the end has a caret stop after it.
//
// Contract:
//  - insert() (on-screen keyboard, paste) replaces the selection and keeps at most
//    max_code_points code points, cutting the inserted text at a code point edge.
//  - insert_input_piece() is for SDL_TEXTINPUT events, which arrive in pieces of at most 32
//    bytes: a UTF-8 sequence split across pieces is held back until it completes.
//  - backspace() removes the selection, or exactly one code point before the caret (so a typo in
//    a Khmer stack can be fixed without retyping the syllable).
//  - delete_forward() removes the selection, or the whole cluster after the caret.
//  - move_visual(-1/+1) moves one caret stop left/right on screen (visual order in mixed text).
//  - revision() changes whenever text() changes.
//  - Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "caret.h"
#include "layout.h"

namespace kiosk::text {

class EditBuffer {
 public:
  explicit EditBuffer(std::size_t max_code_points = 256);

  const std::string& text() const { return m_text; }
  void set_text(std::string_view utf8);
  std::uint64_t revision() const { return m_revision; }

  std::uint32_t caret() const { return m_caret.offset; }
  CaretPos caret_pos() const { return m_caret; }
  std::uint32_t anchor() const { return m_anchor; }
  bool has_selection() const { return m_anchor != m_caret.offset; }
  std::pair<std::uint32_t, std::uint32_t> selection() const;  // ordered [begin, end)
  std::string selected_text() const;

  void insert(std::string_view utf8);
  void insert_input_piece(std::string_view piece);
  void backspace();
  void delete_forward(const Layout& layout);
  void move_visual(const Layout& layout, int direction, bool extend);
  void move_home(bool extend);
  void move_end(bool extend);
  void select_all();
  void set_caret(std::uint32_t offset, bool extend);
  void click(const Layout& layout, float x, float y, bool extend);
  // After the layout changed (new text, new width): move a caret that is not at a stop to one.
  void snap(const Layout& layout);
  CaretRect caret_rect(const Layout& layout) const;

  std::size_t max_code_points() const { return m_max_code_points; }
  std::size_t code_points() const;

  // Burmese typed in Zawgyi: flagged for the widget to offer a conversion.
  bool looks_zawgyi() const;
  void convert_zawgyi_to_unicode();

 private:
  void erase(std::uint32_t begin, std::uint32_t end);
  void changed();

  std::string m_text;
  std::string m_pending;  // incomplete UTF-8 from the last input piece
  CaretPos m_caret;
  std::uint32_t m_anchor = 0;
  std::size_t m_max_code_points;
  std::uint64_t m_revision = 0;
};

}  // namespace kiosk::text
