// Attract: what an untouched kiosk shows. The invitation cycles through the tour's languages
// every few seconds; between changes nothing moves, so nothing is rendered (ui.wake_at).
#include "screens.h"

#include <cmath>

namespace kiosk::screens {

void AttractScreen::enter(ScreenContext&) { m_started_ms = -1; }

void AttractScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  constexpr double kCycleMs = 4000;
  if (m_started_ms < 0) m_started_ms = ui.now_ms();
  const auto& langs = ctx.pack.languages;
  const size_t step = static_cast<size_t>((ui.now_ms() - m_started_ms) / kCycleMs);
  const std::string& lang = langs[step % langs.size()];
  ui.wake_at(m_started_ms + static_cast<double>(step + 1) * kCycleMs);

  const float w = ui.width(), h = ui.height();
  ui.fill({0, 0, w, h}, ui.theme().background);
  // A sun-and-orbit motif: drawn, not an image, so it is crisp at every scale.
  ImDrawList* dl = ui.draw_list();
  const ImVec2 c = ui.px({w * 0.5f, h * 0.36f});
  const float s = ui.scale();
  for (int i = 3; i >= 1; --i)
    dl->AddCircle(c, static_cast<float>(i) * 90.0f * s, IM_COL32(90, 130, 180, 120), 96, 3 * s);
  dl->AddCircleFilled(c, 60 * s, ui.theme().accent, 64);
  dl->AddCircleFilled(ImVec2(c.x + 180 * s, c.y), 18 * s, IM_COL32(96, 200, 160, 255));
  dl->AddCircleFilled(ImVec2(c.x - 190 * s, c.y + 200 * s), 12 * s, IM_COL32(230, 110, 90, 255));

  auto title = ctx.pack.strings.get(lang, "attract.title");
  auto touch = ctx.pack.strings.get(lang, "attract.touch");
  ui::TextStyle ts;
  ts.lang = title.lang;
  ts.size = 72;
  ts.bold = true;
  ts.align = ui::TextAlign::Center;
  ui.label({60, h * 0.36f + 320, w - 120, 200}, title.text, ts, ui.theme().text);
  ts.lang = touch.lang;
  ts.size = 52;
  ts.bold = false;
  ui.label({60, h * 0.36f + 460, w - 120, 160}, touch.text, ts, ui.theme().accent);

  draw_corner_logo(ui, ctx);
  if (ui.tapped({0, 0, w, h})) ctx.go("language");
}

}  // namespace kiosk::screens
