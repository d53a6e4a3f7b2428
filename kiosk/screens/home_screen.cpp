// Home: the tour's exhibits as a grid of cards that scrolls with a finger (kinetic).
#include "screens.h"

#include <algorithm>

namespace kiosk::screens {

void HomeScreen::enter(ScreenContext&) {
  m_scroll = ui::KineticScroll();
  m_last_ms = -1;
}

ImU32 HomeScreen::category_color(std::string_view category) {
  if (category == "light") return IM_COL32(255, 196, 61, 255);
  if (category == "electricity") return IM_COL32(120, 170, 255, 255);
  if (category == "forces") return IM_COL32(240, 130, 80, 255);
  if (category == "sound") return IM_COL32(190, 130, 240, 255);
  if (category == "body") return IM_COL32(236, 96, 110, 255);
  if (category == "earth") return IM_COL32(80, 200, 150, 255);
  if (category == "space") return IM_COL32(150, 160, 230, 255);
  if (category == "energy") return IM_COL32(250, 150, 60, 255);
  return IM_COL32(160, 170, 190, 255);
}

void HomeScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  const float w = ui.width(), h = ui.height();
  ui.set_rtl(ui::is_rtl_language(ctx.language()));
  ui.fill({0, 0, w, h}, ui.theme().background);

  // The header: the title beside the corner logo and the controls when it fits there in two
  // lines, else on a row of its own under them (portrait, long titles, large text). Measured
  // first: the grid starts below whatever the header needs.
  auto title = ctx.tr("home.title");
  ui::TextStyle ts;
  ts.lang = title.lang;
  ts.size = 50;
  ts.bold = true;
  ts.align = ui::TextAlign::Start;
  const float controls_start = w - 300 - 24 - 96 - 16 - 96 - 24;  // draw_access_toggles' first edge
  const float beside_w = controls_start - 140;
  const float beside_h = beside_w > 240 ? ui.text_height(title.text, ts, beside_w) : 1e9f;
  ui::Rect title_rect{140, 20, beside_w, 130};
  if (beside_h > 130) {
    const float th = ui.text_height(title.text, ts, w - 96);
    title_rect = {48, 124, w - 96, th};
  }
  const float top = std::max(170.0f, title_rect.y + title_rect.h + 24);

  // The grid (it scrolls under the header). A card is its picture and a title button as tall
  // as the longest exhibit title needs in this language and text size (no title is cut).
  const float margin = 48, gap = 28;
  const int cols = w > h ? 4 : 2;
  const float cw = (w - 2 * margin - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  const auto& exhibits = ctx.pack.exhibits;
  float title_h = cw * 0.8f * 0.45f;
  for (const auto& e : exhibits) {
    std::string_view shown;
    ui::TextStyle bs;
    bs.size = 32;
    const std::string_view t = ctx.pack.title(e, ctx.language(), &shown);
    bs.lang = shown;
    title_h = std::max(title_h, ui.text_height(t, bs, cw - 32) + 24);
  }
  const float title_y = cw * 0.8f * 0.55f;  // where the title overlaps the picture's foot
  const float ch = title_y + title_h;
  const int rows = (static_cast<int>(exhibits.size()) + cols - 1) / cols;
  const float content_h = static_cast<float>(rows) * (ch + gap);
  m_scroll.set_extent(content_h - (h - top - margin));

  const ui::GestureFrame& g = ui.gestures();
  const ui::Rect grid_area{0, top, w, h - top};
  if (g.dragging && grid_area.contains(g.press_pos)) m_scroll.drag(g.drag_delta.y);
  if (g.released && grid_area.contains(g.press_pos)) m_scroll.release(g.release_velocity.y);
  const double dt = m_last_ms < 0 ? 0 : (ui.now_ms() - m_last_ms) / 1000.0;
  m_last_ms = ui.now_ms();
  const bool moving = m_scroll.step(std::min(dt, 0.05));
  if (moving) ui.request_frame();
  // While the grid is still, every exhibit's picture is made ready at the size the exhibit
  // screen draws it (ImageCache I2: a cached copy on disk, made once), so a tap opens it with
  // a file read instead of a decode. Not while a finger or the grid moves: the worker then
  // serves the thumbnails coming into view.
  if (!moving && !g.dragging)
    for (const auto& e : exhibits) ui.prefetch_image(ExhibitScreen::picture_rect(w, h), e.image, false, false);

  ImDrawList* dl = ui.draw_list();
  dl->PushClipRect(ui.px({0, top}), ui.px({w, h}), true);
  ui.set_input_clip(grid_area);
  for (size_t i = 0; i < exhibits.size(); ++i) {
    const int row = static_cast<int>(i) / cols, col = static_cast<int>(i) % cols;
    ui::Rect r{margin + static_cast<float>(col) * (cw + gap),
               top + 10 + static_cast<float>(row) * (ch + gap) - m_scroll.offset(), cw, ch};
    r = ui.mirror(r);
    if (r.y > h || r.y + r.h < top) continue;
    std::string_view shown;
    std::string_view card_title = ctx.pack.title(exhibits[i], ctx.language(), &shown);
    const ui::Rect picture{r.x, r.y, r.w, cw * 0.8f * 0.62f};
    ui.fill(picture, category_color(exhibits[i].category), ui.theme().corner);
    // Thumbnails are made from the illustration once and cached in the data directory.
    ui.thumbnail({picture.x + 6, picture.y + 6, picture.w - 12, picture.h - 6},
                 exhibits[i].image);
    // The category, as a coloured tag on the picture's start corner.
    auto cat = ctx.tr("category." + exhibits[i].category);
    ui::TextStyle cs;
    cs.lang = cat.lang;
    cs.size = 24;
    cs.bold = true;
    cs.max_lines = 1;
    const float tag_w = std::min(picture.w - 24, ui.text_width(cat.text, cs) + 28);
    const float tag_h = std::max(44.0f, ui.text_height(cat.text, cs, tag_w - 16) + 6);
    const ui::Rect tag = ui.mirror_within(picture, {picture.x + 12, picture.y + 12, tag_w, tag_h});
    ui.fill(tag, category_color(exhibits[i].category), 22);
    cs.align = ui::TextAlign::Center;
    ui.label_centered({tag.x + 8, tag.y, tag.w - 16, tag.h}, cat.text, cs, IM_COL32(20, 24, 32, 255));
    if (ui.button("home.exhibit." + exhibits[i].id, {r.x, r.y + title_y, r.w, title_h},
                  card_title, shown, ui::ButtonKind::Normal, 32) ||
        ui.tapped(picture)) {
      ctx.session.exhibit = exhibits[i].id;
      ctx.go("exhibit");
    }
  }
  ui.clear_input_clip();
  dl->PopClipRect();

  ui.fill({0, 0, w, top}, ui.theme().background);
  ui.label_centered(ui.mirror(title_rect), title.text, ts, ui.theme().text);
  draw_access_toggles(ui, ctx);
  draw_language_button(ui, ctx, "home");
  draw_corner_logo(ui, ctx);
}

}  // namespace kiosk::screens
