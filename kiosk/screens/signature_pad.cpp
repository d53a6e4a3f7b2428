// kiosk/screens/signature_pad.cpp — see signature_pad.h.
#include "signature_pad.h"

#include <algorithm>

namespace kiosk::screens {

void SignaturePad::clear() {
  m_strokes.clear();
  m_capturing = false;
}

void SignaturePad::add_point(ui::Rect pad, ui::Point p) {
  const float fx = std::clamp((p.x - pad.x) / std::max(pad.w, 1.0f), 0.0f, 1.0f);
  const float fy = std::clamp((p.y - pad.y) / std::max(pad.h, 1.0f), 0.0f, 1.0f);
  const core::StrokePoint sp{static_cast<std::int32_t>(fx * static_cast<float>(kPadMax)),
                             static_cast<std::int32_t>(fy * static_cast<float>(kPadMax))};
  core::Stroke& s = m_strokes.back();
  if (s.empty() || !(s.back() == sp)) s.push_back(sp);
}

void SignaturePad::draw(ui::Ui& ui, std::string_view id, ui::Rect pad, ui::Rect clear_rect,
                        std::string_view clear_label, std::string_view clear_lang,
                        std::string_view hint, std::string_view hint_lang, bool enabled) {
  ui.register_id(id, pad);
  const ui::GestureFrame& g = ui.gestures();
  const bool started_here = enabled && pad.contains(g.press_pos) && !g.pinching;

  // [capture] The first frame of a press opens a stroke; every frame adds the finger's position;
  // a press and release within one frame (a tap) leaves a dot.
  if (g.down && started_here) {
    if (!m_capturing) {
      m_strokes.emplace_back();
      m_capturing = true;
      add_point(pad, g.press_pos);
    }
    add_point(pad, g.pos);
    ui.request_frame();
  } else if (m_capturing) {
    add_point(pad, g.pos);
    m_capturing = false;
  } else if (g.released && started_here) {
    m_strokes.emplace_back();
    add_point(pad, g.press_pos);
  }

  // [draw] paper, a baseline to sign on, the ink.
  ImDrawList* dl = ui.draw_list();
  ui.fill(pad, IM_COL32(250, 250, 246, 255), 12);
  const float s = ui.scale();
  const float base_y = pad.y + pad.h * 0.75f;
  dl->AddLine(ui.px({pad.x + 30, base_y}), ui.px({pad.x + pad.w - 30, base_y}),
              IM_COL32(170, 175, 185, 255), 2 * s);
  if (m_strokes.empty() && !hint.empty()) {
    ui::TextStyle ts;
    ts.lang = hint_lang;
    ts.size = 28;
    ts.align = ui::TextAlign::Center;
    ui.label_centered({pad.x + 20, pad.y, pad.w - 40, pad.h * 0.7f}, hint, ts,
                      IM_COL32(140, 146, 158, 255));
  }
  const ImU32 ink = IM_COL32(16, 32, 96, 255);
  constexpr float kMax = static_cast<float>(kPadMax);
  std::vector<ImVec2> pts;
  for (const core::Stroke& stroke : m_strokes) {
    pts.clear();
    for (const core::StrokePoint& p : stroke)
      pts.push_back(ui.px({pad.x + static_cast<float>(p.x) / kMax * pad.w,
                           pad.y + static_cast<float>(p.y) / kMax * pad.h}));
    if (pts.size() == 1)
      dl->AddCircleFilled(pts[0], 2.5f * s, ink);
    else
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), ink, ImDrawFlags_None, 4 * s);
  }

  const std::string clear_id = std::string(id) + ".clear";
  if (ui.button(clear_id, clear_rect, clear_label, clear_lang, ui::ButtonKind::Quiet, 28)) clear();
}

}  // namespace kiosk::screens
