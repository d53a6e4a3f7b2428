#include "ui.h"

#include <algorithm>

namespace kiosk::ui {

void Ui::begin_frame(int pixel_w, int pixel_h, float scale, double now_ms, ImDrawList* list) {
  m_scale = scale;
  m_width = static_cast<float>(pixel_w) / scale;
  m_height = static_cast<float>(pixel_h) / scale;
  m_now = now_ms;
  m_list = list;
  m_wants_frame = false;
  m_wake = -1;
  m_tap_taken = false;
  m_widgets.clear();
}

void Ui::end_frame() {
  m_last_widgets.swap(m_widgets);
  m_list = nullptr;
}

void Ui::wake_at(double ms) {
  if (m_wake < 0 || ms < m_wake) m_wake = ms;
}

void Ui::register_widget(std::string_view id, Rect r) { m_widgets[std::string(id)] = r; }

bool Ui::widget_rect(std::string_view id, Rect* out) const {
  auto it = m_last_widgets.find(id);
  if (it == m_last_widgets.end()) return false;
  *out = it->second;
  return true;
}

void Ui::fill(Rect r, ImU32 color, float rounding) {
  m_list->AddRectFilled(px({r.x, r.y}), px({r.x + r.w, r.y + r.h}), color, rounding * m_scale);
}

float Ui::text_height(std::string_view text, TextStyle style, float width) {
  style.size *= m_scale;
  return m_text.measure(text, style, width * m_scale).y / m_scale;
}

void Ui::label(Rect r, std::string_view text, TextStyle style, ImU32 color) {
  style.size *= m_scale;
  m_text.draw(m_list, px({r.x, r.y}), r.w * m_scale, text, style, color);
}

void Ui::label_centered(Rect r, std::string_view text, TextStyle style, ImU32 color) {
  float h = text_height(text, style, r.w);
  label({r.x, r.y + std::max(0.0f, (r.h - h) * 0.5f), r.w, h}, text, style, color);
}

bool Ui::button(std::string_view id, Rect r, std::string_view label_text, std::string_view lang,
                ButtonKind kind, float text_size) {
  register_widget(id, r);
  const GestureFrame& g = gestures();
  const bool pressed_here = g.down && !g.dragging && r.contains(g.press_pos) && r.contains(g.pos);
  ImU32 bg = kind == ButtonKind::Primary ? m_theme.accent
             : kind == ButtonKind::Quiet ? IM_COL32(0, 0, 0, 0)
                                         : m_theme.surface;
  ImU32 fg = kind == ButtonKind::Primary ? m_theme.accent_text : m_theme.text;
  if (pressed_here) bg = kind == ButtonKind::Primary ? IM_COL32(255, 220, 130, 255) : m_theme.surface_pressed;
  fill(r, bg, m_theme.corner);
  if (kind == ButtonKind::Quiet)
    m_list->AddRect(px({r.x, r.y}), px({r.x + r.w, r.y + r.h}), m_theme.text_muted,
                    m_theme.corner * m_scale, 0, 2.0f * m_scale);
  TextStyle style;
  style.lang = lang;
  style.size = text_size;
  style.align = TextAlign::Center;
  style.max_lines = 2;
  const float pad = 16.0f;
  label_centered({r.x + pad, r.y, r.w - 2 * pad, r.h}, label_text, style, fg);
  if (g.tap && !m_tap_taken && r.contains(*g.tap) && r.contains(g.press_pos)) {
    m_tap_taken = true;
    return true;
  }
  return false;
}

float Ui::long_press_area(std::string_view id, Rect r, bool* fired) {
  register_widget(id, r);
  const GestureFrame& g = gestures();
  *fired = g.long_press.has_value() && r.contains(*g.long_press);
  if (*fired) m_tap_taken = true;
  if (g.down && !g.dragging && r.contains(g.press_pos) && g.held_ms > 0) {
    request_frame();  // the progress ring animates while held
    return std::min(1.0f, static_cast<float>(g.held_ms / m_gestures.long_press_ms()));
  }
  return 0.0f;
}

bool Ui::tapped(Rect r) const {
  const GestureFrame& g = gestures();
  return g.tap && !m_tap_taken && r.contains(*g.tap);
}

}  // namespace kiosk::ui
