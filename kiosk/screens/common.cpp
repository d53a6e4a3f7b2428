#include "screen.h"

#include <ctime>

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
  dl->AddCircleFilled(c, 9 * s, ui.theme().accent_ink);
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
    dl->PathStroke(ui.theme().accent_ink, 0, 5 * s);
  }
  if (fired) ctx.go("staff-pin");
}

void draw_language_button(ui::Ui& ui, ScreenContext& ctx, std::string_view from) {
  const ui::Rect r = ui.mirror({ui.width() - 300, 24, 276, 80});
  auto name = ctx.pack.strings.get(ctx.language(), "language.name");
  if (ui.button("visitor.language", r, name.text, name.lang, ui::ButtonKind::Quiet, 30))
  {
    ctx.session.return_to = std::string(from);
    ctx.go("language");
  }
}

}  // namespace kiosk::screens

namespace kiosk::screens {

void draw_access_toggles(ui::Ui& ui, ScreenContext& ctx) {
  const ui::Rect big = ui.mirror({ui.width() - 300 - 24 - 96, 24, 96, 80});
  const ui::Rect contrast = ui.mirror({ui.width() - 300 - 24 - 96 - 16 - 96, 24, 96, 80});
  if (ui.button("visitor.large-text", big, ctx.session.large_text ? "A\xE2\x88\x92" : "A+", "en",
                ctx.session.large_text ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet, 34))
    ctx.session.large_text = !ctx.session.large_text;
  const bool on = ctx.session.high_contrast;
  if (ui.button("visitor.contrast", contrast, "", "en",
                on ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet))
    ctx.session.high_contrast = !ctx.session.high_contrast;
  // The contrast icon: a circle half filled.
  const ImVec2 c = ui.px(contrast.center());
  const float r = 20 * ui.scale();
  const ImU32 col = on ? ui.theme().accent_text : ui.theme().text;
  ui.draw_list()->AddCircle(c, r, col, 32, 3 * ui.scale());
  ui.draw_list()->PathArcTo(c, r, -1.5707963f, 1.5707963f, 16);
  ui.draw_list()->PathFillConvex(col);
}

}  // namespace kiosk::screens

namespace kiosk::screens {

std::string StaffServices::today() const {
  const std::time_t t = static_cast<std::time_t>(store.now_ms() / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

kiosk::text::Digits pack_digits(const ScreenContext& ctx) {
  return ctx.pack.digits == "native" ? kiosk::text::Digits::Native : kiosk::text::Digits::Latin;
}

std::string number_text(const ScreenContext& ctx, std::int64_t value, std::string_view lang) {
  return kiosk::text::format_integer(value, lang, pack_digits(ctx));
}

std::string digits_text(const ScreenContext& ctx, std::string_view text, std::string_view lang) {
  return kiosk::text::localize_digits(text, lang, pack_digits(ctx));
}

std::string date_text(const ScreenContext& ctx, std::string_view iso_day, std::string_view lang,
                      kiosk::text::DateLength length) {
  const std::string shown = kiosk::text::format_iso_date(iso_day, lang, pack_digits(ctx), length);
  return shown == iso_day ? digits_text(ctx, shown, lang) : shown;
}

std::string date_time_text(const ScreenContext& ctx, std::string_view iso_utc, std::string_view lang) {
  const std::string shown = kiosk::text::format_iso_date_time(iso_utc, lang, pack_digits(ctx));
  return shown == iso_utc ? digits_text(ctx, shown, lang) : shown;
}

std::string date_time_text(const ScreenContext& ctx, std::int64_t unix_seconds, std::string_view lang) {
  return kiosk::text::format_date_time(unix_seconds, lang, pack_digits(ctx));
}

}  // namespace kiosk::screens
