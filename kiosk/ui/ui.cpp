#include "ui.h"

#include <algorithm>
#include <cstdint>

#include "text/text_engine.h"

namespace kiosk::ui {

void Ui::begin_frame(int pixel_w, int pixel_h, float scale, double now_ms, ImDrawList* list) {
  m_scale = scale;
  m_width = static_cast<float>(pixel_w) / scale;
  m_height = static_cast<float>(pixel_h) / scale;
  m_now = now_ms;
  m_list = list;
  m_clear_color = kDefaultClear;
  m_wants_frame = false;
  m_wake = -1;
  m_tap_taken = false;
  if (const GestureFrame& g = gestures(); g.tap && g.press_ms < m_hold_until) {
    const float dx = g.press_pos.x - m_hold_at.x, dy = g.press_pos.y - m_hold_at.y;
    m_tap_taken = dx * dx + dy * dy < 60.0f * 60.0f;  // swallowed: the rest of a double tap
  }
  m_focused_field = nullptr;
  m_input_clip = {-1e9f, -1e9f, 2e9f, 2e9f};
  m_widgets.clear();
  if (m_audit) m_audit->begin_frame(m_width, m_height);
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

namespace {
AuditRect audit_rect(const Rect& r) { return {r.x, r.y, r.w, r.h}; }
}  // namespace

Rect Ui::draw_clip() const {
  if (!m_list) return {0, 0, m_width, m_height};
  const ImVec2 a = m_list->GetClipRectMin(), b = m_list->GetClipRectMax();
  return {a.x / m_scale, a.y / m_scale, (b.x - a.x) / m_scale, (b.y - a.y) / m_scale};
}

void Ui::register_widget(std::string_view id, Rect r, bool interactive) {
  m_widgets[std::string(id)] = r;
  if (!m_audit) return;
  AuditWidget w;
  w.id = std::string(id);
  w.rect = audit_rect(r);
  w.visible = intersect(intersect(w.rect, audit_rect(draw_clip())), audit_rect(m_input_clip));
  w.interactive = interactive;
  w.order = m_audit->next_order();
  m_audit->record_widget(std::move(w));
}

bool Ui::widget_rect(std::string_view id, Rect* out) const {
  auto it = m_last_widgets.find(id);
  if (it == m_last_widgets.end()) return false;
  *out = it->second;
  return true;
}

void Ui::fill(Rect r, ImU32 color, float rounding) {
  const auto covers = [this](Rect c) {  // the window, give or take rounding of the scale
    return c.x <= 0.01f && c.y <= 0.01f && c.x + c.w >= m_width - 0.01f && c.y + c.h >= m_height - 0.01f;
  };
  const bool whole_window = covers(r) && covers(draw_clip());
  if (whole_window && rounding <= 0 && (color >> IM_COL32_A_SHIFT) == 0xFF && m_list->VtxBuffer.Size == 0)
    m_clear_color = color;  // nothing is under it: the window is cleared with it instead (contract)
  else
    m_list->AddRectFilled(px({r.x, r.y}), px({r.x + r.w, r.y + r.h}), color, rounding * m_scale);
  if (m_audit && (color >> 24) != 0) {
    AuditFill f;
    f.rect = intersect(audit_rect(r), audit_rect(draw_clip()));
    f.color = color;
    f.card = rounding > 0 && r.w * r.h < 0.6f * m_width * m_height;
    f.order = m_audit->next_order();
    m_audit->record_fill(f);
  }
}

float Ui::text_height(std::string_view text, TextStyle style, float width) {
  style.size *= m_scale * m_text_scale;
  return m_text.measure(text, style, width * m_scale).y / m_scale;
}

TextStyle Ui::fit(std::string_view text, TextStyle style, Rect r) {
  const float wanted = style.size;
  const float floor = wanted * 0.8f / m_text_scale;  // 80% of the normal size, at any text scale
  for (;;) {
    TextStyle px_style = style;
    px_style.size *= m_scale * m_text_scale;
    auto layout = m_text.place(text, px_style, r.w * m_scale).layout;
    const bool fits = !layout->truncated && layout->width <= r.w * m_scale + 0.5f &&
                      layout->height <= r.h * m_scale + 0.5f;
    if (fits || style.size * 0.94f < floor) return style;
    style.size *= 0.94f;
  }
}

float Ui::text_width(std::string_view text, TextStyle style) {
  style.size *= m_scale * m_text_scale;
  return m_text.measure(text, style, 0).x / m_scale;
}

// Every label fits its box (fit(): at most a little smaller); what cannot fit is drawn anyway and
// the layout audit reports it.
void Ui::label(Rect r, std::string_view text, TextStyle style, ImU32 color) {
  draw_label(r, r, text, fit(text, style, r), color);
}

void Ui::label_centered(Rect r, std::string_view text, TextStyle style, ImU32 color) {
  style = fit(text, style, r);
  float h = text_height(text, style, r.w);
  draw_label(r, {r.x, r.y + std::max(0.0f, (r.h - h) * 0.5f), r.w, h}, text, style, color);
}

void Ui::draw_label(Rect box, Rect placed, std::string_view text, TextStyle style, ImU32 color) {
  style.size *= m_scale * m_text_scale;
  m_text.draw(m_list, px({placed.x, placed.y}), placed.w * m_scale, text, style, color);
  if (m_audit) audit_text(box, placed, text, style, color);
}

// The audit's record of one label: where its lines really are (what draw() drew), whether it
// was cut, and whether its last line is a lone cluster that a narrower wrap would have mended.
void Ui::audit_text(Rect box, Rect placed, std::string_view text, const TextStyle& px_style, ImU32 color) {
  namespace kt = kiosk::text;
  kt::TextEngine& engine = m_text.engine();
  const float wrap = placed.w * m_scale;
  const kt::Style es = to_engine_style(px_style);
  const TextRenderer::Placed drawn = m_text.place(text, px_style, wrap);
  const kt::Layout& layout = *drawn.layout;
  AuditText t;
  t.text = std::string(text);
  t.lang = std::string(px_style.lang);
  t.box = audit_rect(box);
  float x0 = 0, x1 = 0;
  bool first = true;
  for (const kt::LayoutLine& line : layout.lines) {
    if (line.width <= 0) continue;
    x0 = first ? line.x : std::min(x0, line.x);
    x1 = first ? line.x + line.width : std::max(x1, line.x + line.width);
    first = false;
  }
  t.ink = {placed.x + (drawn.dx + x0) / m_scale, placed.y, (x1 - x0) / m_scale, layout.height / m_scale};
  t.clip = audit_rect(draw_clip());
  t.container = m_container_id;
  t.container_rect = audit_rect(m_container_rect);
  t.pressed_fill = m_container_pressed;
  t.color = color;
  t.order = m_audit->next_order();
  t.truncated = layout.truncated;
  t.ellipsis_ok = px_style.ellipsis_ok;
  t.lines = static_cast<int>(layout.lines.size());
  t.size = px_style.size / m_scale;
  t.full_height = layout.height / m_scale;
  if (layout.truncated) {
    kt::Style all = es;
    all.max_lines = 0;
    t.full_height = engine.layout(text, all, wrap)->height / m_scale;
  }
  t.last_line_clusters = last_line_clusters(layout);
  t.lone_fragments = lone_fragments(layout);
  t.better_break = better_break(engine, text, es, wrap, layout) > 0;
  m_audit->record_text(std::move(t));
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
  const ImU32 pressed_bg = kind == ButtonKind::Primary ? m_theme.accent_pressed : m_theme.surface_pressed;
  if (pressed_here) bg = pressed_bg;
  fill(r, bg, m_theme.corner);
  if (kind == ButtonKind::Quiet)
    m_list->AddRect(px({r.x, r.y}), px({r.x + r.w, r.y + r.h}), m_theme.text_muted,
                    m_theme.corner * m_scale, 0, 2.0f * m_scale);
  TextStyle style;
  style.lang = lang;
  style.size = text_size;
  style.align = TextAlign::Center;
  style.max_lines = 0;  // a label that cannot fit even smaller overflows, and the audit says so
  const float pad = 16.0f;
  m_container_id = std::string(id);
  m_container_rect = r;
  m_container_pressed = pressed_bg;
  const Rect inner{r.x + pad, r.y + 4, r.w - 2 * pad, r.h - 8};
  label_centered(inner, label_text, style, fg);
  m_container_id.clear();
  m_container_pressed = 0;
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
  m_theme.accent_pressed = pressed_colour(m_theme.accent, m_theme.accent_text);
  if (m_audit) m_audit->set_background(m_theme.background);
}

// A Primary button held down: its accent moved 35% of the way away from its text's colour
// (toward white under dark text, toward black under white text), so the press shows in the
// tour's own hue and the label reads better, never worse, than at rest.
ImU32 Ui::pressed_colour(ImU32 accent, ImU32 text) {
  auto ch = [](ImU32 c, int shift) { return static_cast<int>((c >> shift) & 0xFF); };
  const int text_light = ch(text, 0) * 2126 + ch(text, 8) * 7152 + ch(text, 16) * 722;
  const int target = text_light > 127 * 10000 ? 0 : 255;
  ImU32 out = accent & 0xFF000000u;
  for (int shift : {0, 8, 16}) {
    const int c = ch(accent, shift);
    out |= static_cast<ImU32>(c + (target - c) * 35 / 100) << shift;
  }
  return out;
}

void Ui::clear_pack_accent() {
  m_has_pack_accent = false;
  rebuild_theme();
}

void Ui::thumbnail(Rect r, const std::string& path) {
  draw_image(r, m_images ? m_images->thumbnail(path) : nullptr, 1.0f, 1.0f, {0.5f, 0.5f}, true);
}

void Ui::image(Rect r, const std::string& path, float alpha, float zoom, Point center_uv,
               bool cover) {
  if (!m_images) return draw_image(r, nullptr, alpha, zoom, center_uv, cover);
  const std::string sized = ImageCache::fitted_key(path, r.w * m_scale, r.h * m_scale, cover);
  const Image* img = nullptr;
  if (zoom > 1.01f) {
    img = m_images->get(path);
    if (!img || img->failed) {
      const Image* stand_in = m_images->get(sized);
      if (stand_in && !stand_in->failed) {
        request_frame();  // the full picture is still decoding
        img = stand_in;
      }
    }
  } else {
    img = m_images->get(sized);
  }
  draw_image(r, img, alpha, zoom, center_uv, cover);
}

void Ui::prefetch_image(Rect r, const std::string& path, bool cover, bool keep_pixels) {
  if (m_images) m_images->prefetch(ImageCache::fitted_key(path, r.w * m_scale, r.h * m_scale, cover), keep_pixels);
}

void Ui::draw_image(Rect r, const Image* img, float alpha, float zoom, Point center_uv, bool cover) {
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
  if (m_audit) {
    AuditFill f;
    f.rect = intersect(audit_rect(dst), audit_rect(draw_clip()));
    f.image = true;
    f.order = m_audit->next_order();
    m_audit->record_fill(f);
  }
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
  if (m_audit) {
    // Only the contrast of what a field shows is judged (layout_audit.h, 7): it scrolls its text.
    AuditFill f;
    f.rect = intersect(audit_rect(r), audit_rect(draw_clip()));
    f.color = colors.background;
    f.order = m_audit->next_order();
    m_audit->record_fill(f);
    const bool empty = field.text().empty();
    if (!empty || !placeholder.empty()) {
      AuditText t;
      t.text = empty ? std::string(placeholder) : field.text();
      t.lang = std::string(lang);
      t.box = t.ink = t.clip = f.rect;
      t.color = empty ? colors.placeholder : colors.text;
      t.contrast_only = true;
      t.order = m_audit->next_order();
      m_audit->record_text(std::move(t));
    }
  }
  return field.text() != before;
}

}  // namespace kiosk::ui
