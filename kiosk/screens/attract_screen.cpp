// Attract: what an untouched kiosk shows. Exhibit pictures cross-fade and the invitation cycles
// through the tour's languages. Between fades nothing moves and nothing is rendered (wake_at).
// A fade is five frames over one second every 20 s: soft enough to look calm, and cheap enough
// that an untouched kiosk stays under 1% of a core even on software OpenGL (BENCHMARKS.md).
#include "screens.h"

#include <algorithm>
#include <cmath>

namespace kiosk::screens {

void AttractScreen::enter(ScreenContext&) { m_started_ms = -1; }

void AttractScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  constexpr double kSlideMs = 20000, kFadeMs = 1000, kFadeFrameMs = 200;
  if (m_started_ms < 0) m_started_ms = ui.now_ms();
  const double t = ui.now_ms() - m_started_ms;
  const auto& langs = ctx.pack.languages;
  const size_t slide = static_cast<size_t>(t / kSlideMs);
  const double into = t - static_cast<double>(slide) * kSlideMs;
  // The loader refuses a pack without languages; should one get here anyway, English (the
  // catalog's last fallback) rather than a division by zero.
  const std::string lang = langs.empty() ? std::string("en") : langs[slide % langs.size()];
  constexpr double kPrefetchMs = 1500;  // decode the next picture this long before its fade
  const bool fading = slide > 0 && into < kFadeMs;
  const bool prefetch = into >= kSlideMs - kPrefetchMs;
  const double next_slide = m_started_ms + static_cast<double>(slide + 1) * kSlideMs;
  if (fading) ui.wake_at(ui.now_ms() + kFadeFrameMs);
  else ui.wake_at(prefetch ? next_slide : next_slide - kPrefetchMs);

  const float w = ui.width(), h = ui.height();
  ui.fill({0, 0, w, h}, ui.theme().background);
  const auto& exhibits = ctx.pack.exhibits;
  const bool landscape = w > h;
  // The invitation is measured first (a title may take two lines in one language and one in
  // the next); the picture takes what is left, and portrait centres picture and text together.
  auto title = ctx.pack.strings.get(lang, "attract.title");
  auto touch = ctx.pack.strings.get(lang, "attract.touch");
  ui::TextStyle ts;
  ts.lang = title.lang;
  ts.size = landscape ? 64 : 72;
  ts.bold = true;
  ts.align = ui::TextAlign::Center;
  ui::TextStyle tt = ts;
  tt.lang = touch.lang;
  tt.size = landscape ? 48 : 56;
  tt.bold = false;
  const float title_h = ui.text_height(title.text, ts, w - 120);
  const float touch_h = ui.text_height(touch.text, tt, w - 120);
  const float text_h = 30 + title_h + 20 + touch_h;
  const float room = h - 2 * (landscape ? 60.0f : 160.0f) - text_h;
  const float ph = std::max(120.0f, std::min(landscape ? h * 0.62f : h * 0.5f, room));
  const float pw = std::min(w - 160, ph * 1.5f);
  const float block_top = landscape ? 60.0f : std::max(160.0f, (h - ph - text_h) * 0.5f);
  const ui::Rect picture{(w - pw) * 0.5f, block_top, pw, ph};
  if (!exhibits.empty()) {
    auto path = [&](size_t i) { return exhibits[i % exhibits.size()].folder + "/illustration.png"; };
    if (fading) {
      const float a = static_cast<float>(into / kFadeMs);
      ui.image(picture, path(slide - 1), 1.0f - a);
      ui.image(picture, path(slide), a);
    } else {
      ui.image(picture, path(slide));
    }
    // Only the pictures on screen are kept; the next one is decoded just before its fade.
    if (prefetch) ui.image_info(path(slide + 1));
  }

  const float ty = picture.y + picture.h + 30;
  ui.label({60, ty, w - 120, title_h}, title.text, ts, ui.theme().text);
  ui.label({60, ty + title_h + 20, w - 120, touch_h}, touch.text, tt, ui.theme().accent_ink);

  draw_corner_logo(ui, ctx);
  if (ui.tapped({0, 0, w, h})) ctx.go("language");
}

}  // namespace kiosk::screens
