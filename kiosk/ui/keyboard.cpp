// kiosk/ui/keyboard.cpp — see keyboard.h. Layout of keys, taps, the long-press popup and
// backspace repeat; what a key does is KeyboardController's business (keyboard_logic.cpp).
#include "keyboard.h"

#include <algorithm>
#include <cmath>

#include "text/edit_buffer.h"

namespace kiosk::ui {

bool OnScreenKeyboard::set_layouts(const std::vector<std::string>& names) {
  m_popup = nullptr;
  m_stroke.clear();
  m_stroking = false;
  return m_controller.set_allowed(names);
}

bool OnScreenKeyboard::select(std::string_view name, text::EditBuffer* buffer) {
  m_popup = nullptr;
  return m_controller.select(name, buffer);
}

std::string OnScreenKeyboard::layout_name() const {
  const KeyboardLayout* l = m_controller.layout();
  return l ? l->name : std::string();
}

namespace {

float row_units(const std::vector<KeyDef>& row) {
  float units = 0;
  for (const KeyDef& k : row) units += k.width;
  return units;
}

float max_row_units(const KeyboardLayout& layout) {
  float units = 1;
  for (const auto& row : layout.rows) units = std::max(units, row_units(row));
  return units;
}

}  // namespace

int OnScreenKeyboard::extra_rows() const {
  const KeyboardLayout* l = m_controller.layout();
  return l && l->has_candidates() ? 1 + l->pad_rows : 0;
}

Rect OnScreenKeyboard::min_size() const {
  const KeyboardLayout* l = m_controller.layout();
  if (!l) return {};
  return {0, 0, max_row_units(*l) * (kMinKey + kGap),
          static_cast<float>(l->rows.size() + static_cast<std::size_t>(extra_rows())) * (kMinKey + kGap)};
}

std::vector<OnScreenKeyboard::PlacedKey> OnScreenKeyboard::place(Rect rect) const {
  std::vector<PlacedKey> out;
  const KeyboardLayout* l = m_controller.layout();
  if (!l || l->rows.empty()) return out;
  const float row_h = rect.h / static_cast<float>(l->rows.size() + static_cast<std::size_t>(extra_rows()));
  const float top = rect.y + row_h * static_cast<float>(extra_rows());  // bar and pad above
  // Keys are as wide as the widest row allows, but not much wider than tall (a digit pad in a
  // full-width rect stays a pad); rows are centred.
  const float unit = std::min(rect.w / max_row_units(*l), row_h * 1.6f);
  // Rule 11: a switch key with nowhere to go gives its room to the row's space key, else to ✓.
  const bool no_switch = m_controller.next_layout() == nullptr;
  for (std::size_t i = 0; i < l->rows.size(); ++i) {
    const auto& row = l->rows[i];
    float spare = 0;
    const KeyDef* heir = nullptr;
    if (no_switch) {
      for (const KeyDef& key : row) {
        if (key.action == KeyAction::Switch) spare = key.width;
        if (key.action == KeyAction::Space || (key.action == KeyAction::Done && !heir)) heir = &key;
      }
      if (!heir) spare = 0;  // nothing to grow: the row keeps its shape (the slot stays empty)
    }
    float x = rect.x + (rect.w - row_units(row) * unit) * 0.5f;
    const float y = top + static_cast<float>(i) * row_h;
    for (const KeyDef& key : row) {
      if (no_switch && spare > 0 && key.action == KeyAction::Switch) continue;
      const float width = (key.width + (&key == heir ? spare : 0.0f)) * unit;
      out.push_back({&key, {x + kGap * 0.5f, y + kGap * 0.5f, width - kGap, row_h - kGap}});
      x += width;
    }
  }
  return out;
}

std::string OnScreenKeyboard::key_id(const KeyFace& face) const {
  return "kbd." + layout_name() + "." + face.name;
}

float OnScreenKeyboard::label_size(Ui& ui, const Rect& r, std::string_view label,
                                   std::string_view lang) const {
  float size = std::clamp(std::min(r.h, r.w) * 0.42f, 20.0f, 44.0f);
  // Ui::button keeps 16 units of padding on each side; shrink a long label ("ABC", "+123")
  // to one line rather than let it wrap.
  const float room = r.w - 2 * 16.0f - 4.0f;
  TextStyle style;
  style.lang = lang;
  style.size = size * ui.scale() * ui.text_scale();
  const float width = ui.text().measure(label, style, 0).x / ui.scale();  // as drawn, logical
  if (width > room && room > 0) size = std::max(14.0f, size * room / width);
  return size;
}

void OnScreenKeyboard::apply(const KeyPress& p, KeyboardEvent* ev) {
  ev->changed = ev->changed || p.changed;
  ev->done = ev->done || p.done;
}

KeyboardEvent OnScreenKeyboard::draw(Ui& ui, Rect rect, text::EditBuffer& buffer) {
  KeyboardEvent ev;
  if (!m_controller.layout()) return ev;
  ui.fill(rect, IM_COL32(8, 18, 32, 255));
  const bool popup_was_open = m_popup != nullptr;  // keys are inert under an open popup
  m_tapped = nullptr;
  if (const KeyboardLayout* l = m_controller.layout(); l->has_candidates()) {
    const float row_h = rect.h / static_cast<float>(l->rows.size() + static_cast<std::size_t>(extra_rows()));
    draw_candidates(ui, {rect.x, rect.y, rect.w, row_h}, buffer, &ev);
    if (l->pad_rows > 0)
      draw_pad(ui, {rect.x, rect.y + row_h, rect.w, row_h * static_cast<float>(l->pad_rows)});
  }
  for (const PlacedKey& k : place(rect)) draw_key(ui, k, !popup_was_open, buffer, &ev);
  if (m_popup) draw_popup(ui, buffer, &ev);
  // The tapped key acts after every key is drawn, so one frame shows one layout and one shift.
  if (m_tapped) {
    if (m_tapped->action == KeyAction::Switch) m_popup = nullptr;
    apply(m_controller.press(*m_tapped, buffer, ui.now_ms()), &ev);
  }
  // The field above was drawn before this press: show its result (and the new layer) next frame.
  if (m_tapped || ev.changed || popup_was_open != (m_popup != nullptr)) ui.request_frame();
  return ev;
}

void OnScreenKeyboard::draw_candidates(Ui& ui, Rect bar, text::EditBuffer& buffer, KeyboardEvent* ev) {
  InputMethod* im = m_controller.input();
  if (!im) return;
  const Theme& theme = ui.theme();
  ui.fill(bar, IM_COL32(14, 28, 46, 255));
  const std::string name = layout_name();
  const float h = bar.h - kGap, y = bar.y + kGap * 0.5f;
  const float size = std::clamp(h * 0.5f, 20.0f, 40.0f);
  float x = bar.x + kGap;
  float end = bar.x + bar.w - kGap;
  // Page buttons at the end, so the candidates never push them off the bar.
  const float page_w = std::max(kMinKey, h);
  if (im->has_next_page()) {
    end -= page_w + kGap;
    if (ui.button("kbd." + name + ".next", {end + kGap, y, page_w, h}, "›", "en", ButtonKind::Normal, size)) {
      im->page(+1);
      ui.request_frame();
    }
  }
  if (im->has_previous_page()) {
    end -= page_w + kGap;
    if (ui.button("kbd." + name + ".prev", {end + kGap, y, page_w, h}, "‹", "en", ButtonKind::Normal, size)) {
      im->page(-1);
      ui.request_frame();
    }
  }
  // What is being composed ("zhang wei"), then the candidates, the first lit (space and ✓ take it).
  std::string composed = im->composition();
  if (!im->ready() && im->composing()) composed += " …";
  if (!composed.empty()) {
    TextStyle style;
    style.lang = "zh";
    style.size = size * 0.8f;
    const float w = std::min(ui.text_width(composed, style) + 8, (end - x) * 0.4f);
    ui.label_centered({x, y, w, h}, composed, style, theme.text_muted);
    x += w + kGap;
  }
  if (im->busy()) ui.wake_at(ui.now_ms() + 8);  // handwriting classifies on its worker (H5)
  const std::vector<std::string> candidates = im->candidates();  // a choice below refreshes them
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    TextStyle style;
    style.lang = "zh";
    style.size = size;
    const float w = std::max(kMinKey, ui.text_width(candidates[i], style) + 2 * 16.0f + 8);
    if (x + w > end) break;  // the rest waits for the next page
    const Rect r{x, y, w, h};
    if (ui.button("kbd." + name + ".cand." + candidates[i], r, candidates[i], "zh",
                  i == 0 ? ButtonKind::Primary : ButtonKind::Normal, size)) {
      apply(m_controller.choose(i, buffer), ev);
      ui.request_frame();
      break;
    }
    x += w + kGap;
  }
}

void OnScreenKeyboard::draw_pad(Ui& ui, Rect area) {
  const Theme& theme = ui.theme();
  const float side = std::min(area.w, area.h) - kGap;
  const Rect pad{area.x + (area.w - side) * 0.5f, area.y + kGap * 0.5f, side, side};
  ui.register_id("kbd." + layout_name() + ".pad", pad);
  ui.fill(pad, IM_COL32(236, 240, 246, 255), theme.corner);
  ImDrawList* dl = ui.draw_list();
  const ImU32 guide = IM_COL32(190, 198, 210, 255);
  const float s = ui.scale();
  dl->AddLine(ui.px({pad.x + side * 0.5f, pad.y + 12}), ui.px({pad.x + side * 0.5f, pad.y + side - 12}), guide, 2 * s);
  dl->AddLine(ui.px({pad.x + 12, pad.y + side * 0.5f}), ui.px({pad.x + side - 12, pad.y + side * 0.5f}), guide, 2 * s);

  // Collect the stroke under the finger: it starts on the pad and ends when the finger lifts.
  const GestureFrame& g = ui.gestures();
  auto fraction = [&](Point p) { return InkPoint{(p.x - pad.x) / side, (p.y - pad.y) / side}; };
  if (g.down && pad.contains(g.press_pos)) {
    if (!m_stroking) {
      m_stroking = true;
      m_stroke = {fraction(g.press_pos)};
    }
    const InkPoint p = fraction(g.pos);
    if (std::abs(p.x - m_stroke.back().x) + std::abs(p.y - m_stroke.back().y) > 0.004f) m_stroke.push_back(p);
    ui.request_frame();
  } else if (m_stroking) {
    const InkPoint p = fraction(g.pos);
    if (std::abs(p.x - m_stroke.back().x) + std::abs(p.y - m_stroke.back().y) > 0.004f) m_stroke.push_back(p);
    m_controller.add_stroke(m_stroke);
    m_stroke.clear();
    m_stroking = false;
    ui.request_frame();
  }

  auto draw_stroke = [&](const InkStroke& stroke) {
    std::vector<ImVec2> pts;
    for (const InkPoint& p : stroke) pts.push_back(ui.px({pad.x + p.x * side, pad.y + p.y * side}));
    const ImU32 ink = IM_COL32(16, 22, 34, 255);
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], 5 * s, ink);
    else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), ink, ImDrawFlags_None, 8 * s);
  };
  if (InputMethod* im = m_controller.input())
    for (const InkStroke& stroke : im->ink()) draw_stroke(stroke);
  if (m_stroking) draw_stroke(m_stroke);
}

void OnScreenKeyboard::draw_key(Ui& ui, const PlacedKey& k, bool interactive,
                                text::EditBuffer& buffer, KeyboardEvent* ev) {
  const KeyDef& key = *k.key;
  const Rect& r = k.rect;
  const Theme& theme = ui.theme();
  const KeyFace& face = key.face(m_controller.shifted());
  std::string_view label = face.label;
  std::string_view lang = m_controller.layout()->lang;
  ButtonKind kind = ButtonKind::Normal;
  switch (key.action) {
    case KeyAction::Switch: {
      const KeyboardLayout* next = m_controller.next_layout();
      if (!next) {  // the field allows one layout: an empty slot keeps the rows' shape
        ui.fill(r, IM_COL32(20, 38, 62, 255), theme.corner);
        return;
      }
      label = next->switch_label;
      lang = next->lang;
      break;
    }
    case KeyAction::Shift:
      if (m_controller.shifted()) kind = ButtonKind::Primary;
      break;
    case KeyAction::Done: kind = ButtonKind::Primary; break;
    case KeyAction::Text:
      if (m_controller.composer().is_held(face.output)) kind = ButtonKind::Primary;
      break;
    case KeyAction::Space:
    case KeyAction::Backspace: break;
  }
  const float size = label_size(ui, r, label, lang);

  if (!interactive) {
    const bool lit = kind == ButtonKind::Primary;
    ui.fill(r, lit ? theme.accent : theme.surface, theme.corner);
    TextStyle style;
    style.lang = lang;
    style.size = size;
    style.align = TextAlign::Center;
    style.max_lines = 2;
    ui.label_centered({r.x + 8, r.y, r.w - 16, r.h}, label, style, lit ? theme.accent_text : theme.text);
    return;
  }

  const bool tapped = ui.button(key_id(face), r, label, lang, kind, size);
  if (key.action == KeyAction::Shift && m_controller.shift() == ShiftState::Locked)
    ui.fill({r.x + r.w * 0.3f, r.y + r.h - 14, r.w * 0.4f, 5}, theme.accent_text, 2);

  const GestureFrame& g = ui.gestures();
  const bool held_here = g.down && !g.dragging && r.contains(g.press_pos) && r.contains(g.pos);
  const double now = ui.now_ms();
  if (held_here && !face.extras.empty()) {
    if (g.held_ms >= kLongPressMs) {
      m_popup = &key;
      m_popup_key = r;
      m_popup_pressing = true;
      m_popup_hover = -1;
      ui.request_frame();
    } else {
      ui.wake_at(now + (kLongPressMs - g.held_ms));
    }
  }
  if (key.action == KeyAction::Backspace) {
    if (held_here && g.held_ms >= kRepeatDelayMs) {
      if (m_next_repeat < 0 || now >= m_next_repeat) {
        apply(m_controller.press(key, buffer, now), ev);
        m_repeated = true;
        m_next_repeat = now + kRepeatEveryMs;
      }
      ui.wake_at(m_next_repeat);
    } else if (held_here) {
      ui.wake_at(now + (kRepeatDelayMs - g.held_ms));
    }
  }
  // The release of a repeating backspace is not one more backspace.
  if (tapped && !(key.action == KeyAction::Backspace && m_repeated)) m_tapped = &key;
  if (key.action == KeyAction::Backspace && !g.down) {
    m_repeated = false;
    m_next_repeat = -1;
  }
}

std::vector<Rect> OnScreenKeyboard::popup_cells(const Ui& ui) const {
  std::vector<Rect> cells;
  const KeyFace& face = m_popup->face(m_controller.shifted());
  const std::size_t n = face.extras.size();
  if (n == 0) return cells;
  const float cw = std::max(kMinKey + kGap, m_popup_key.w + kGap);
  const float ch = std::max(kMinKey + kGap, m_popup_key.h + kGap);
  const auto per_row = static_cast<std::size_t>(
      std::max(1.0f, std::floor((ui.width() - 2 * kGap) / cw)));
  const std::size_t rows = (n + per_row - 1) / per_row;
  const float total_w = static_cast<float>(std::min(n, per_row)) * cw;
  const float x0 = std::clamp(m_popup_key.center().x - total_w * 0.5f, kGap,
                              std::max(kGap, ui.width() - kGap - total_w));
  float y0 = m_popup_key.y - static_cast<float>(rows) * ch - kGap;
  if (y0 < 0) y0 = m_popup_key.y + m_popup_key.h + kGap;  // no room above: below the key
  for (std::size_t i = 0; i < n; ++i)
    cells.push_back({x0 + static_cast<float>(i % per_row) * cw + kGap * 0.5f,
                     y0 + static_cast<float>(i / per_row) * ch + kGap * 0.5f, cw - kGap, ch - kGap});
  return cells;
}

void OnScreenKeyboard::draw_popup(Ui& ui, text::EditBuffer& buffer, KeyboardEvent* ev) {
  const KeyFace& face = m_popup->face(m_controller.shifted());
  const std::vector<Rect> cells = popup_cells(ui);
  if (cells.empty()) {
    m_popup = nullptr;
    return;
  }
  const Theme& theme = ui.theme();
  const GestureFrame& g = ui.gestures();
  const std::string_view lang = m_controller.layout()->lang;
  float size = 44.0f;
  for (const KeyExtra& x : face.extras) size = std::min(size, label_size(ui, cells.front(), x.label, lang));

  Rect panel = cells.front();
  for (const Rect& c : cells) {
    float right = std::max(panel.x + panel.w, c.x + c.w), bottom = std::max(panel.y + panel.h, c.y + c.h);
    panel.x = std::min(panel.x, c.x);
    panel.y = std::min(panel.y, c.y);
    panel.w = right - panel.x;
    panel.h = bottom - panel.y;
  }
  ui.fill({panel.x - kGap, panel.y - kGap, panel.w + 2 * kGap, panel.h + 2 * kGap},
          theme.text_muted, theme.corner + kGap);

  auto cell_at = [&](Point p) {  // the gaps between cells count for their neighbours
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const Rect& c = cells[i];
      if (Rect{c.x - kGap * 0.5f, c.y - kGap * 0.5f, c.w + kGap, c.h + kGap}.contains(p))
        return static_cast<int>(i);
    }
    return -1;
  };

  if (m_popup_pressing) {
    // The finger that opened the popup is still down (or lifted this frame): slide to choose.
    m_popup_hover = cell_at(g.pos);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const bool lit = static_cast<int>(i) == m_popup_hover;
      ui.fill(cells[i], lit ? theme.accent : theme.surface, theme.corner);
      TextStyle style;
      style.lang = lang;
      style.size = size;
      style.align = TextAlign::Center;
      ui.label_centered(cells[i], face.extras[i].label, style, lit ? theme.accent_text : theme.text);
    }
    if (!g.down) {
      m_popup_pressing = false;
      if (m_popup_hover >= 0) {
        apply(m_controller.press_extra(face.extras[static_cast<std::size_t>(m_popup_hover)], buffer), ev);
        m_popup = nullptr;
      } else if (!m_popup_key.contains(g.pos)) {
        m_popup = nullptr;  // lifted elsewhere: cancelled
      }  // lifted on the key itself: the popup stays for a tap
    }
    return;
  }

  // Tap mode: each extra is a button with its own widget id.
  const std::string base_id = key_id(face) + ".";
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (ui.button(base_id + std::to_string(i + 1), cells[i], face.extras[i].label, lang,
                  ButtonKind::Normal, size)) {
      apply(m_controller.press_extra(face.extras[i], buffer), ev);
      m_popup = nullptr;
      return;
    }
  }
  if (g.tap && cell_at(*g.tap) < 0) m_popup = nullptr;  // a tap anywhere else closes it
}

}  // namespace kiosk::ui
