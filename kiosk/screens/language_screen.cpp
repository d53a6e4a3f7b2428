// Language picker: one big button per language of the tour, each named in its own script.
#include "screens.h"

#include <algorithm>
#include <cmath>

namespace kiosk::screens {

void LanguageScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  const float w = ui.width(), h = ui.height();
  ui.fill({0, 0, w, h}, ui.theme().background);
  auto choose = ctx.tr("language.choose");
  ui::TextStyle ts;
  ts.lang = choose.lang;
  ts.size = 56;
  ts.bold = true;
  ts.align = ui::TextAlign::Center;
  const float title_h = ui.text_height(choose.text, ts, w - 280);
  ui.label({140, 40, w - 280, title_h}, choose.text, ts, ui.theme().text);

  const auto& langs = ctx.pack.languages;
  const int n = static_cast<int>(langs.size());
  const int cols = w > h ? (n > 4 ? 4 : n) : 2;
  const int rows = (n + cols - 1) / cols;
  const float gap = 28, top = std::max(200.0f, 40 + title_h + 40), margin = 60;
  const float bw = (w - 2 * margin - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  // The buttons take the height there is, up to a size a hand finds at once, and the block sits
  // in the middle of the space below the title: no half-empty screen at 1280x800 or in portrait.
  const float avail = h - top - margin;
  const float bh = std::min(w > h ? 260.0f : 360.0f,
                            (avail - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows));
  const float block_h = static_cast<float>(rows) * bh + gap * static_cast<float>(rows - 1);
  const float y0 = top + std::max(0.0f, (avail - block_h) * 0.5f);
  for (int i = 0; i < n; ++i) {
    const int row = i / cols, col = i % cols;
    ui::Rect r{margin + static_cast<float>(col) * (bw + gap),
               y0 + static_cast<float>(row) * (bh + gap), bw, bh};
    r = ui.mirror(r);  // Arabic readers scan from the right: first language top-right
    auto name = ctx.pack.strings.get(langs[i], "language.name");
    const bool current = langs[i] == ctx.session.language;
    if (ui.button("lang." + langs[i], r, name.text, name.lang,
                  current ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, 48)) {
      ctx.session.language = langs[i];
      // Back where the visitor was (an exhibit keeps its place), or on to Home.
      const bool back = !ctx.session.return_to.empty();
      ctx.go(back ? ctx.session.return_to : std::string("home"));
      ctx.session.resuming = back;
      ctx.session.return_to.clear();
    }
  }
  draw_corner_logo(ui, ctx);
}

}  // namespace kiosk::screens
