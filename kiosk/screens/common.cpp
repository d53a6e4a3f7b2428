#include "screen.h"

#include <cmath>

namespace kiosk::screens {

void draw_corner_logo(ui::Ui& ui, ScreenContext& ctx) {
  const ui::Rect r = ui.mirror({16, 16, 96, 96});  // the top start corner
  bool fired = false;
  float held = ui.long_press_area("staff.logo", r, &fired);
  ImDrawList* dl = ui.draw_list();
  const ImVec2 c = ui.px(r.center());
  const float s = ui.scale();
  // The logo: a small atom — nucleus and three orbits.
  dl->AddCircleFilled(c, 9 * s, ui.theme().accent);
  for (int i = 0; i < 3; ++i) {
    const float a = static_cast<float>(i) * 3.14159265f / 3.0f;
    const float ca = std::cos(a), sa = std::sin(a);
    ImVec2 pts[32];
    for (int k = 0; k < 32; ++k) {
      const float t = static_cast<float>(k) * 2.0f * 3.14159265f / 32.0f;
      const float x = 38 * std::cos(t), y = 14 * std::sin(t);
      pts[k] = ImVec2(c.x + (x * ca - y * sa) * s, c.y + (x * sa + y * ca) * s);
    }
    dl->AddPolyline(pts, 32, ui.theme().text_muted, ImDrawFlags_Closed, 2.5f * s);
  }
  // Held long enough to be deliberate: a ring fills toward the staff entry.
  if (held > 0.2f) {
    const float a0 = -1.5707963f;
    dl->PathArcTo(c, 46 * s, a0, a0 + 2.0f * 3.14159265f * held, 40);
    dl->PathStroke(ui.theme().accent, 0, 5 * s);
  }
  if (fired) ctx.go("staff-pin");
}

void draw_language_button(ui::Ui& ui, ScreenContext& ctx) {
  const ui::Rect r = ui.mirror({ui.width() - 300, 24, 276, 80});
  auto name = ctx.pack.strings.get(ctx.language(), "language.name");
  if (ui.button("visitor.language", r, name.text, name.lang, ui::ButtonKind::Quiet, 30))
    ctx.go("language");
}

}  // namespace kiosk::screens
