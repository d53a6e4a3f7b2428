#include "ui.h"

#include <algorithm>
#include <cstdint>

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
  m_focused_field = nullptr;
  m_input_clip = {-1e9f, -1e9f, 2e9f, 2e9f};
  m_widgets.clear();
}

void Ui::end_frame() {
  m_text_pieces.clear();  // input for a field that is not on screen is dropped
  m_keys.clear();
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
  style.size *= m_scale * m_text_scale;
  return m_text.measure(text, style, width * m_scale).y / m_scale;
}

float Ui::text_width(std::string_view text, TextStyle style) {
  style.size *= m_scale * m_text_scale;
  return m_text.measure(text, style, 0).x / m_scale;
}

void Ui::label(Rect r, std::string_view text, TextStyle style, ImU32 color) {
  style.size *= m_scale * m_text_scale;
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
  if (g.tap && !m_tap_taken && r.contains(*g.tap) && r.contains(g.press_pos) &&
      m_input_clip.contains(*g.tap)) {
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

void Ui::set_high_contrast(bool on) {
  m_high_contrast = on;
  rebuild_theme();
}

void Ui::set_pack_accent(Accent normal, Accent high_contrast) {
  m_has_pack_accent = true;
  m_pack_accent = normal;
  m_pack_accent_hc = high_contrast;
  rebuild_theme();
}

void Ui::use_pack_accent(bool on) {
  if (on == m_use_pack_accent) return;
  m_use_pack_accent = on;
  rebuild_theme();
}

void Ui::rebuild_theme() {
  const bool on = m_high_contrast;
  m_theme = Theme{};
  if (on) {
    m_theme.background = IM_COL32(0, 0, 0, 255);
    m_theme.surface = IM_COL32(0, 0, 0, 255);
    m_theme.surface_pressed = IM_COL32(60, 60, 60, 255);
    m_theme.accent = IM_COL32(255, 230, 0, 255);
    m_theme.accent_text = IM_COL32(0, 0, 0, 255);
    m_theme.text = IM_COL32(255, 255, 255, 255);
    m_theme.text_muted = IM_COL32(255, 255, 255, 255);
    m_theme.danger = IM_COL32(255, 120, 120, 255);
    m_theme.accent_ink = m_theme.accent;
  }
  if (m_has_pack_accent && m_use_pack_accent) {
    const Accent& a = on ? m_pack_accent_hc : m_pack_accent;
    m_theme.accent = a.accent;
    m_theme.accent_text = a.accent_text;
    m_theme.accent_ink = a.accent_ink;
  }
}

void Ui::thumbnail(Rect r, const std::string& path) { image(r, "thumb:" + path); }

void Ui::image(Rect r, const std::string& path, float alpha, float zoom, Point center_uv,
               bool cover) {
  const Image* img = m_images ? m_images->get(path) : nullptr;
  const ImU32 tint = IM_COL32(255, 255, 255, static_cast<int>(alpha * 255.0f));
  if (!img || img->failed || img->width <= 0) {
    // Placeholder: a calm panel while decoding; crossed when the image cannot be shown.
    fill(r, IM_COL32(40, 62, 94, static_cast<int>(alpha * 255.0f)), m_theme.corner);
    if (img && img->failed) {
      m_list->AddLine(px({r.x, r.y}), px({r.x + r.w, r.y + r.h}), m_theme.text_muted, 2 * m_scale);
      m_list->AddLine(px({r.x + r.w, r.y}), px({r.x, r.y + r.h}), m_theme.text_muted, 2 * m_scale);
    } else {
      request_frame();  // keep going until the worker delivers it
    }
    return;
  }
  const float ia = static_cast<float>(img->width) / static_cast<float>(img->height);
  const float ra = r.w / r.h;
  Rect dst = r;
  float su = 1.0f, sv = 1.0f;  // fraction of the image shown on each axis
  if (cover) {
    if (ia > ra) su = ra / ia; else sv = ia / ra;
  } else if (ia > ra) {
    dst.h = r.w / ia;
    dst.y += (r.h - dst.h) * 0.5f;
  } else {
    dst.w = r.h * ia;
    dst.x += (r.w - dst.w) * 0.5f;
  }
  su /= zoom;
  sv /= zoom;
  auto clamp_center = [](float c, float span) {
    return std::clamp(c, span * 0.5f, 1.0f - span * 0.5f);
  };
  const float cu = clamp_center(center_uv.x, su), cv = clamp_center(center_uv.y, sv);
  const ImTextureID tex = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(img->texture));
  m_list->AddImageRounded(tex, px({dst.x, dst.y}), px({dst.x + dst.w, dst.y + dst.h}),
                          ImVec2(cu - su * 0.5f, cv - sv * 0.5f),
                          ImVec2(cu + su * 0.5f, cv + sv * 0.5f), tint, m_theme.corner * m_scale);
}

bool Ui::tapped(Rect r) const {
  const GestureFrame& g = gestures();
  return g.tap && !m_tap_taken && r.contains(*g.tap) && m_input_clip.contains(*g.tap);
}

}  // namespace kiosk::ui

namespace kiosk::ui {

bool Ui::text_field(std::string_view id, Rect r, TextField& field, std::string_view lang,
                    std::string_view placeholder, float text_size) {
  register_widget(id, r);
  field.set_poll_imgui(false);
  const GestureFrame& g = gestures();
  if (g.tap && !m_tap_taken && r.contains(*g.tap) && r.contains(g.press_pos) &&
      m_input_clip.contains(*g.tap)) {
    m_tap_taken = true;
    m_focused_id = std::string(id);
    field.tap(px(*g.tap));
  }
  const bool focused = m_focused_id == id;
  field.set_focused(focused);
  const std::string before = field.text();
  if (focused) {
    m_focused_field = &field;
    for (const std::string& piece : m_text_pieces) field.text_input(piece);
    for (const auto& [key, shift] : m_keys) field.key(key, shift);
    m_text_pieces.clear();
    m_keys.clear();
  }
  TextStyle style;
  style.lang = lang;
  style.size = text_size * m_scale * m_text_scale;
  TextFieldColors colors;
  if (m_high_contrast) colors.frame = IM_COL32(255, 255, 255, 255);
  field.draw(m_text, m_list, px({r.x, r.y}), px({r.x + r.w, r.y + r.h}), style, placeholder, colors);
  return field.text() != before;
}

}  // namespace kiosk::ui
