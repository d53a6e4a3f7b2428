// Staff PIN pad, reached by the hidden long-press on the corner logo. Staff UI is in the staff
// language (English until staff accounts carry a language). PIN verification arrives with staff
// accounts (issue 5); until then "Sign in" says that no accounts exist.
#include "screens.h"

#include <algorithm>

namespace kiosk::screens {

void StaffPinScreen::enter(ScreenContext&) {
  m_pin.clear();
  m_message_key.clear();
}

void StaffPinScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  constexpr size_t kMaxPin = 8;
  const std::string_view staff_lang = "en";
  const float w = ui.width(), h = ui.height();
  ui.fill({0, 0, w, h}, IM_COL32(22, 26, 34, 255));
  auto title = ctx.pack.strings.get(staff_lang, "staff.pin.title");
  ui::TextStyle ts;
  ts.lang = title.lang;
  ts.size = 44;
  ts.bold = true;
  ts.align = ui::TextAlign::Center;
  ui.label({40, 40, w - 80, 70}, title.text, ts, ui.theme().text);

  // PIN dots: how many digits are typed, never the digits.
  const float dot_y = 150;
  const float dots_w = static_cast<float>(kMaxPin) * 44;
  for (size_t i = 0; i < kMaxPin; ++i) {
    const ImVec2 c = ui.px({w * 0.5f - dots_w * 0.5f + 22 + static_cast<float>(i) * 44, dot_y});
    if (i < m_pin.size())
      ui.draw_list()->AddCircleFilled(c, 12 * ui.scale(), ui.theme().accent);
    else
      ui.draw_list()->AddCircle(c, 12 * ui.scale(), ui.theme().text_muted, 24, 2 * ui.scale());
  }

  // 3x4 keypad, phone layout; the same in every direction (digits are not mirrored).
  const float key = std::min(150.0f, (h - 420) / 4.0f - 16);
  const float gap = 18;
  const float pad_w = 3 * key + 2 * gap;
  const float x0 = (w - pad_w) * 0.5f, y0 = 200;
  const char* labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
  for (int i = 0; i < 12; ++i) {
    const ui::Rect r{x0 + static_cast<float>(i % 3) * (key + gap),
                     y0 + static_cast<float>(i / 3) * (key + gap), key, key};
    const std::string id = std::string("pin.") + labels[i];
    if (i == 9) {
      auto clear = ctx.pack.strings.get(staff_lang, "staff.pin.clear");
      if (ui.button(id, r, clear.text, clear.lang, ui::ButtonKind::Quiet, 30)) m_pin.clear();
    } else if (i == 11) {
      if (ui.button(id, r, "\xE2\x8C\xAB", "en", ui::ButtonKind::Quiet, 44) && !m_pin.empty())
        m_pin.pop_back();
    } else if (ui.button(id, r, labels[i], "en", ui::ButtonKind::Normal, 56) &&
               m_pin.size() < kMaxPin) {
      m_pin += labels[i];
      m_message_key.clear();
    }
  }

  const float by = y0 + 4 * (key + gap) + 10;
  auto cancel = ctx.pack.strings.get(staff_lang, "staff.pin.cancel");
  auto ok = ctx.pack.strings.get(staff_lang, "staff.pin.ok");
  if (ui.button("pin.cancel", {x0, by, (pad_w - gap) * 0.5f, 90}, cancel.text, cancel.lang,
                ui::ButtonKind::Quiet, 34))
    ctx.go("attract");
  if (ui.button("pin.ok", {x0 + (pad_w + gap) * 0.5f, by, (pad_w - gap) * 0.5f, 90}, ok.text,
                ok.lang, ui::ButtonKind::Primary, 34) &&
      !m_pin.empty()) {
    m_message_key = "staff.pin.not_ready";
    m_pin.clear();
  }
  if (!m_message_key.empty()) {
    auto msg = ctx.pack.strings.get(staff_lang, m_message_key);
    ui::TextStyle ms;
    ms.lang = msg.lang;
    ms.size = 32;
    ms.align = ui::TextAlign::Center;
    ui.label({40, by + 110, w - 80, 60}, msg.text, ms, ui.theme().danger);
  }
}

}  // namespace kiosk::screens
