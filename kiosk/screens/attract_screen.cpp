// Attract: what an untouched kiosk shows. Exhibit pictures cross-fade and the invitation cycles
// through the tour's languages. Between fades nothing moves and nothing is rendered (wake_at).
// A fade is three frames (a third, two thirds, whole) over one second every 20 s, and nothing
// else is rendered in a slide (one frame 1.5 s after the start prepares the pictures): a full-screen frame costs about 25 ms of CPU on software OpenGL,
// so the loop stays under 0.5% of a core (issue 15 item 4, BENCHMARKS.md). The next picture is
// read on the worker right after a fade, without a frame of its own (ImageCache I2), from a copy
// at this size made once (no PNG decode after the first loop).
#include "screens.h"

#include "text/text_engine.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace kiosk::screens {

void AttractScreen::enter(ScreenContext&) { m_started_ms = -1; }

ui::TextStyle AttractScreen::title_style(std::string_view lang, bool landscape) {
  ui::TextStyle s;
  s.lang = lang;
  s.size = landscape ? 64 : 72;
  s.bold = true;
  s.align = ui::TextAlign::Center;
  return s;
}

ui::TextStyle AttractScreen::touch_style(std::string_view lang, bool landscape) {
  ui::TextStyle s = title_style(lang, landscape);
  s.size = landscape ? 48 : 56;
  s.bold = false;
  return s;
}

void AttractScreen::prepare_first_slide(ui::TextRenderer& text, const content::Pack& pack, float width,
                                        bool landscape) {
  if (pack.languages.empty()) return;
  const std::string& lang = pack.languages.front();
  const auto title = pack.strings.get(lang, "attract.title"), touch = pack.strings.get(lang, "attract.touch");
  std::vector<text::GlyphQuad> glyphs;
  for (const auto& [line, style] : {std::pair{title, title_style(title.lang, landscape)},
                                    std::pair{touch, touch_style(touch.lang, landscape)}}) {
    const ui::TextRenderer::Placed placed = text.place(line.text, style, width - 120);
    if (placed.layout) text.engine().quads(*placed.layout, 0, 0, glyphs);  // into the atlas
  }
}

void AttractScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  constexpr double kSlideMs = 20000, kFadeMs = 1000, kFadeSteps = 3, kStepMs = kFadeMs / kFadeSteps;
  if (m_started_ms < 0) m_started_ms = ui.now_ms();
  const double t = ui.now_ms() - m_started_ms;
  const auto& langs = ctx.pack.languages;
  const size_t slide = static_cast<size_t>(t / kSlideMs);
  const double into = t - static_cast<double>(slide) * kSlideMs;
  // The loader refuses a pack without languages; should one get here anyway, English (the
  // catalog's last fallback) rather than a division by zero.
  const std::string lang = langs.empty() ? std::string("en") : langs[slide % langs.size()];
  const bool fading = slide > 0 && into < kFadeMs;
  const double step = std::floor((into + 0.5) / kStepMs);  // half a millisecond of clock rounding
  const double slide_start = m_started_ms + static_cast<double>(slide) * kSlideMs;
  // The fade's frames fall on its steps (a frame at the slide's very start would show the old
  // picture again); after it, the next frame is the next slide's first step.
  // The pictures are prepared (below) from one frame kSettleMs after the start, not in the first
  // frame: that one is the kiosk's start to first frame, and the next slide's caption would load
  // another script's fonts into it.
  constexpr double kSettleMs = 1500;
  const bool settled = t >= kSettleMs;
  if (fading) ui.wake_at(slide_start + (step + 1) * kStepMs);
  else if (!settled) ui.wake_at(m_started_ms + kSettleMs);
  else ui.wake_at(slide_start + kSlideMs + kStepMs);

  const float w = ui.width(), h = ui.height();
  ui.fill({0, 0, w, h}, ui.theme().background);
  const auto& exhibits = ctx.pack.exhibits;
  const bool landscape = w > h;
  // The invitation is measured first (a title may take two lines in one language and one in
  // the next); the picture takes what is left, and portrait centres picture and text together.
  struct Slide {
    content::Catalog::Lookup title, touch;
    ui::TextStyle ts, tt;
    float title_h = 0, touch_h = 0;
    ui::Rect picture;
  };
  auto layout = [&](const std::string& in_lang) {
    Slide s{ctx.pack.strings.get(in_lang, "attract.title"), ctx.pack.strings.get(in_lang, "attract.touch"), {}, {}, 0, 0, {}};
    s.ts = title_style(s.title.lang, landscape);
    s.tt = touch_style(s.touch.lang, landscape);
    s.title_h = ui.text_height(s.title.text, s.ts, w - 120);
    s.touch_h = ui.text_height(s.touch.text, s.tt, w - 120);
    const float text_h = 30 + s.title_h + 20 + s.touch_h;
    const float room = h - 2 * (landscape ? 60.0f : 160.0f) - text_h;
    const float ph = std::max(120.0f, std::min(landscape ? h * 0.62f : h * 0.5f, room));
    const float pw = std::min(w - 160, ph * 1.5f);
    const float block_top = landscape ? 60.0f : std::max(160.0f, (h - ph - text_h) * 0.5f);
    s.picture = {(w - pw) * 0.5f, block_top, pw, ph};
    return s;
  };
  const Slide now = layout(lang);
  const ui::Rect& picture = now.picture;
  if (!exhibits.empty()) {
    auto path = [&](size_t i) { return exhibits[i % exhibits.size()].image; };
    if (fading) {
      const float a = static_cast<float>(step / kFadeSteps);
      ui.image(picture, path(slide - 1), 1.0f - a);
      ui.image(picture, path(slide), a);
    } else {
      ui.image(picture, path(slide));
    }
    // Only the pictures on screen are kept as textures. The next one is read (from its copy at
    // this size, ImageCache I2) on the worker after this fade, without a frame of its own, and
    // uploaded by the next fade's first frame.
    // Every picture's copy at this size is made once, on the worker, while the loop is idle (a
    // file read at each later fade instead of a PNG decode; it persists across restarts).
    if (settled)
      for (size_t i = 0; i < exhibits.size(); ++i) ui.prefetch_image(picture, path(i), true, false);
    if (settled && !fading) {
      const std::string next_lang = langs.empty() ? std::string("en") : langs[(slide + 1) % langs.size()];
      ui.prefetch_image(layout(next_lang).picture, path(slide + 1), true, true);
    }
  }

  const auto& title = now.title;
  const auto& touch = now.touch;
  const auto& ts = now.ts;
  const auto& tt = now.tt;
  const float title_h = now.title_h, touch_h = now.touch_h;
  const float ty = picture.y + picture.h + 30;
  ui.label({60, ty, w - 120, title_h}, title.text, ts, ui.theme().text);
  ui.label({60, ty + title_h + 20, w - 120, touch_h}, touch.text, tt, ui.theme().accent_ink);

  draw_corner_logo(ui, ctx);
  if (ui.tapped({0, 0, w, h})) ctx.go("language");
}

}  // namespace kiosk::screens
