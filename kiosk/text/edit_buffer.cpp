// kiosk/text/edit_buffer.cpp — see edit_buffer.h.
#include "edit_buffer.h"

#include <algorithm>

#include "utf8.h"
#include "zawgyi.h"

namespace kiosk::text {
using unicode::count_code_points;

EditBuffer::EditBuffer(std::size_t max_code_points) : m_max_code_points(max_code_points) {}

void EditBuffer::changed() { ++m_revision; }

std::size_t EditBuffer::code_points() const { return count_code_points(m_text); }

void EditBuffer::set_text(std::string_view utf8) {
  m_text.clear();
  m_pending.clear();
  m_caret = {};
  m_anchor = 0;
  insert(utf8);
}

std::pair<std::uint32_t, std::uint32_t> EditBuffer::selection() const {
  return {std::min(m_anchor, m_caret.offset), std::max(m_anchor, m_caret.offset)};
}

std::string EditBuffer::selected_text() const {
  auto [b, e] = selection();
  return m_text.substr(b, e - b);
}

void EditBuffer::erase(std::uint32_t begin, std::uint32_t end) {
  if (begin >= end) return;
  m_text.erase(begin, end - begin);
  m_caret = {begin, UINT32_MAX};
  m_anchor = begin;
  changed();
}

void EditBuffer::insert(std::string_view utf8) {
  std::string clean = sanitize_utf8(utf8);
  if (has_selection()) {
    auto [b, e] = selection();
    erase(b, e);
  }
  std::size_t room = m_max_code_points > code_points() ? m_max_code_points - code_points() : 0;
  std::size_t cut = 0, n = 0;
  while (cut < clean.size() && n < room) {
    cut = next_code_point(clean, cut);
    ++n;
  }
  clean.resize(cut);
  if (clean.empty()) return;
  m_text.insert(m_caret.offset, clean);
  m_caret = {m_caret.offset + static_cast<std::uint32_t>(clean.size()), UINT32_MAX};
  m_anchor = m_caret.offset;
  changed();
}

void EditBuffer::insert_input_piece(std::string_view piece) {
  m_pending.append(piece);
  std::size_t complete = complete_utf8_prefix(m_pending);
  if (m_pending.size() - complete >= 4) complete = m_pending.size();  // garbage: let sanitize replace it
  std::string ready = m_pending.substr(0, complete);
  m_pending.erase(0, complete);
  insert(ready);
}

void EditBuffer::backspace() {
  if (has_selection()) {
    auto [b, e] = selection();
    erase(b, e);
    return;
  }
  if (m_caret.offset == 0) return;
  erase(static_cast<std::uint32_t>(prev_code_point(m_text, m_caret.offset)), m_caret.offset);
}

void EditBuffer::delete_forward(const Layout& layout) {
  if (has_selection()) {
    auto [b, e] = selection();
    erase(b, e);
    return;
  }
  if (m_caret.offset >= m_text.size()) return;
  erase(m_caret.offset, next_logical_stop(layout, m_caret.offset));
}

void EditBuffer::move_visual(const Layout& layout, int direction, bool extend) {
  if (has_selection() && !extend) {
    // Collapse to the selection's edge on that side of the screen.
    auto stops = visual_stops(layout);
    std::uint32_t a = resolve_stop(stops, {m_anchor, UINT32_MAX});
    std::uint32_t c = resolve_stop(stops, m_caret);
    bool caret_is_left = stops.empty() || stops[c].x <= stops[a].x;
    std::uint32_t pick = (direction < 0) == caret_is_left ? c : a;
    m_caret = stops.empty() ? CaretPos{} : CaretPos{stops[pick].offset, pick};
    m_anchor = m_caret.offset;
    return;
  }
  m_caret = kiosk::text::move_visual(layout, m_caret, direction);
  if (!extend) m_anchor = m_caret.offset;
}

void EditBuffer::move_home(bool extend) { set_caret(0, extend); }
void EditBuffer::move_end(bool extend) { set_caret(static_cast<std::uint32_t>(m_text.size()), extend); }

void EditBuffer::select_all() {
  m_anchor = 0;
  m_caret = {static_cast<std::uint32_t>(m_text.size()), UINT32_MAX};
}

void EditBuffer::set_caret(std::uint32_t offset, bool extend) {
  m_caret = {std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(m_text.size())), UINT32_MAX};
  if (!extend) m_anchor = m_caret.offset;
}

void EditBuffer::click(const Layout& layout, float x, float y, bool extend) {
  m_caret = hit_test(layout, x, y);
  if (!extend) m_anchor = m_caret.offset;
}

void EditBuffer::snap(const Layout& layout) {
  auto fix = [&](std::uint32_t off) {
    off = std::min<std::uint32_t>(off, static_cast<std::uint32_t>(m_text.size()));
    if (is_caret_stop(layout, off)) return off;
    return prev_logical_stop(layout, off);
  };
  std::uint32_t c = fix(m_caret.offset);
  if (c != m_caret.offset) m_caret = {c, UINT32_MAX};
  m_anchor = fix(m_anchor);
}

CaretRect EditBuffer::caret_rect(const Layout& layout) const { return kiosk::text::caret_rect(layout, m_caret); }

bool EditBuffer::looks_zawgyi() const { return looks_like_zawgyi(m_text); }

void EditBuffer::convert_zawgyi_to_unicode() {
  std::string converted = zawgyi_to_unicode(m_text);
  if (converted == m_text) return;
  set_text(converted);
  move_end(false);
}

}  // namespace kiosk::text
