// Exhibit: the illustration (pinch or tap to zoom, drag to pan), the article with kinetic scroll,
// "did you know" facts and the quiz with feedback. Swiping sideways moves to the next or
// previous exhibit (mirrored for right-to-left languages). Switching language keeps the reader's
// place (same exhibit, same relative scroll position).
#include "screens.h"
#include "log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiosk::screens {

// Quiz answers after the choice: darker than the accent so white text keeps 4.5:1 on them.
constexpr ImU32 kRightColor = IM_COL32(30, 120, 70, 255);
constexpr ImU32 kWrongColor = IM_COL32(170, 56, 48, 255);

void ExhibitScreen::enter(ScreenContext& ctx) {
  if (ctx.session.resuming && m_loaded_id == ctx.session.exhibit) return;  // language switch
  m_loaded_id.clear();
  load(ctx);
}

void ExhibitScreen::exit(ScreenContext& ctx, std::string_view to) {
  if (to != "language") leave(ctx, ctx.now_ms);
}

void ExhibitScreen::leave(ScreenContext& ctx, double now_ms) {
  if (!m_loaded_id.empty() && ctx.visits && m_opened_ms >= 0)
    ctx.visits->record(m_loaded_id, m_lang, VisitRecorder::Event::DwellSeconds,
                       std::max(0.0, (now_ms - m_opened_ms) / 1000.0));
  m_opened_ms = -1;
}

void ExhibitScreen::load(ScreenContext& ctx) {
  const auto& list = ctx.pack.exhibits;
  m_index = 0;
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].id == ctx.session.exhibit) m_index = i;
  if (list.empty()) return;
  std::vector<std::string> errors;
  m_exhibit = content::Exhibit{};
  if (!content::load_exhibit(list[m_index], ctx.pack.languages, &m_exhibit, &errors)) {
    for (const auto& e : errors) log::warn(e);
  }
  // Numbers in the article in the pack's digits (pack.toml digits = "native"), once per opening.
  for (auto& [text_lang, t] : m_exhibit.texts) {
    auto local = [&](std::string& s) { s = digits_text(ctx, s, text_lang); };
    local(t.title);
    local(t.summary);
    for (std::string& p : t.paragraphs) local(p);
    for (std::string& f : t.facts) local(f);
    for (content::QuizQuestion& q : t.quiz) {
      local(q.question);
      for (std::string& o : q.options) local(o);
      local(q.explanation);
    }
  }
  m_loaded_id = list[m_index].id;
  ctx.session.exhibit = m_loaded_id;
  m_scroll = ui::KineticScroll();
  m_answers.assign(8, -1);
  m_reveal_question = -1;
  m_reveal_offset = -1;
  m_zoom = 1.0f;
  m_center = {0.5f, 0.5f};
  m_axis = Axis::None;
  m_swipe_dx = 0;
  m_opened_ms = -1;  // set on the first frame (the screen's clock lives in ui)
  m_lang.clear();
  m_warm_atlas = true;
}

void ExhibitScreen::step_exhibit(ScreenContext& ctx, int delta, double now_ms) {
  const auto& list = ctx.pack.exhibits;
  if (list.size() < 2) return;
  leave(ctx, now_ms);
  const size_t n = list.size();
  ctx.session.exhibit = list[(m_index + n + static_cast<size_t>(delta + static_cast<int>(n))) % n].id;
  load(ctx);
}

ui::Rect ExhibitScreen::picture_rect(float w, float h) {
  constexpr float top = 136, margin = 40;
  return w > h ? ui::Rect{margin, top, w * 0.42f, h - top - margin} : ui::Rect{margin, top, w - 2 * margin, h * 0.3f};
}

void ExhibitScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  const std::string_view lang = ctx.language();
  const bool rtl = ui::is_rtl_language(lang);
  ui.set_rtl(rtl);
  if (m_loaded_id != ctx.session.exhibit) load(ctx);
  const content::ExhibitText* text = m_exhibit.text(lang, ctx.pack.default_language);
  if (m_opened_ms < 0) {
    m_opened_ms = ui.now_ms();
    if (ctx.visits && text) ctx.visits->record(m_loaded_id, lang, VisitRecorder::Event::Opened, 1);
  }
  // A language switch in place: keep the reader's relative position in the article.
  if (!m_lang.empty() && m_lang != lang && m_content_h > 0) {
    m_keep_fraction = m_scroll.offset() / m_content_h;
    m_warm_atlas = true;
  }
  m_lang = std::string(lang);

  const float w = ui.width(), h = ui.height();
  const ui::Theme& th = ui.theme();
  ui.fill({0, 0, w, h}, th.background);
  const float top = 136, margin = 40;
  const bool landscape = w > h;
  const ui::Rect image_rect = landscape ? ui.mirror(picture_rect(w, h)) : picture_rect(w, h);
  const ui::Rect view = landscape ? ui.mirror({w * 0.42f + 2 * margin, top, w * 0.58f - 3 * margin, h - top})
                                  : ui::Rect{margin, image_rect.y + image_rect.h + 24, w - 2 * margin,
                                             h - (image_rect.y + image_rect.h + 24)};

  handle_gestures(ui, ctx, image_rect, view, rtl);
  // A swipe may have loaded another exhibit: take its text afresh (the old one is gone).
  text = m_exhibit.text(lang, ctx.pack.default_language);

  // The illustration, shifted with the finger while swiping.
  ui::Rect img = image_rect;
  img.x += m_swipe_dx;
  ui.image(img, m_exhibit.image_path, 1.0f, m_zoom, m_center, m_zoom > 1.01f);  // whole at 1x: never cropped
  ui.register_id("exhibit.image", image_rect);
  if (m_zoom > 1.01f) ui.register_id("exhibit.zoomed", image_rect);  // lets tests see the zoom

  // The article.
  ImDrawList* dl = ui.draw_list();
  dl->PushClipRect(ui.px({view.x, view.y}), ui.px({view.x + view.w, view.y + view.h}), true);
  ui.set_input_clip(view);
  float y = view.y + 8 - m_scroll.offset();
  const bool warm = m_warm_atlas;
  m_warm_atlas = false;
  const float x = view.x + m_swipe_dx, cw = view.w - 16;
  auto block = [&](std::string_view s, float size, bool bold, ImU32 color, float gap_after) {
    ui::TextStyle st;
    st.lang = text ? std::string_view(text->lang) : lang;
    st.size = size;
    st.bold = bold;
    const float bh = ui.text_height(s, st, cw);
    // The first frame of an exhibit draws every block (clipped away) so all its glyphs are
    // rasterized while it opens, not in the middle of a scroll.
    if (warm || (y + bh > view.y && y < view.y + view.h)) ui.label({x, y, cw, bh}, s, st, color);
    y += bh + gap_after;
  };
  auto heading = [&](std::string_view key) {
    auto t = ctx.tr(key);
    ui::TextStyle st;
    st.lang = t.lang;
    st.size = 38;
    st.bold = true;
    const float bh = ui.text_height(t.text, st, cw);
    ui.label({x, y, cw, bh}, t.text, st, th.accent_ink);
    y += bh + 16;
  };
  if (text) {
    block(text->title, 54, true, th.text, 12);
    block(text->summary, 32, false, th.text_muted, 28);
    for (const std::string& p : text->paragraphs) block(p, 30, false, th.text, 20);
    y += 16;
    heading("exhibit.facts");
    for (const std::string& f : text->facts) {
      ui::TextStyle st;
      st.lang = text->lang;
      st.size = 29;
      const float bh = ui.text_height(f, st, cw - 48);
      ui.fill({x, y, cw, bh + 36}, th.surface, th.corner);
      ui.fill({rtl ? x + cw - 8 : x, y, 8, bh + 36}, th.accent, 4);
      ui.label({x + 24, y + 18, cw - 48, bh}, f, st, th.text);
      y += bh + 36 + 16;
    }
    y += 20;
    heading("exhibit.quiz");
    draw_quiz(ui, ctx, *text, x, cw, &y, view);
    auto credit = ctx.tr("exhibit.credit");
    block(std::string(credit.text) + " " + m_exhibit.image_credit, 22, false, th.text_muted, 40);
  }
  ui.clear_input_clip();
  dl->PopClipRect();

  const float content_h = y + m_scroll.offset() - view.y;
  m_content_h = content_h;
  m_scroll.set_extent(content_h - view.h);
  if (m_keep_fraction >= 0) {
    m_scroll.set_offset(m_keep_fraction * content_h);
    m_keep_fraction = -1;
  }
  if (m_reveal_offset >= 0) {  // an answer's verdict, scrolled into view
    if (m_reveal_offset > m_scroll.offset()) m_scroll.set_offset(m_reveal_offset);
    m_reveal_offset = -1;
    ui.request_frame();
  }

  // Header on top: back, title bar controls.
  ui.fill({0, 0, w, top - 8}, th.background);
  auto back = ctx.tr("common.back");
  const std::string back_label = std::string(rtl ? "\xE2\x86\x92 " : "\xE2\x86\x90 ") + std::string(back.text);
  // As wide as its label needs on one line (isiXhosa "Buyela emva", Khmer at large text), up
  // to the accessibility toggles.
  ui::TextStyle bs;
  bs.lang = back.lang;
  bs.size = 32;
  const float back_w = std::clamp(ui.text_width(back_label, bs) + 48, 260.0f, w - 548 - 128 - 16);
  if (ui.button("exhibit.back", ui.mirror({128, 24, back_w, 80}), back_label, back.lang,
                ui::ButtonKind::Quiet, 32))
    ctx.go("home");
  draw_access_toggles(ui, ctx);
  draw_language_button(ui, ctx, "exhibit");
  draw_corner_logo(ui, ctx);
}

void ExhibitScreen::handle_gestures(ui::Ui& ui, ScreenContext& ctx, const ui::Rect& image_rect,
                                    const ui::Rect& view, bool rtl) {
  const ui::GestureFrame& g = ui.gestures();
  const float w = ui.width();
  if (g.pinching && image_rect.contains(g.press_pos)) {
    m_axis = Axis::Pan;
    m_zoom = std::clamp(m_zoom * g.pinch_scale, 1.0f, 4.0f);
  }
  if (g.dragging && m_axis == Axis::None) {
    const float ax = std::fabs(g.drag_delta.x), ay = std::fabs(g.drag_delta.y);
    if (m_zoom > 1.0f && image_rect.contains(g.press_pos)) m_axis = Axis::Pan;
    else if (ax > ay * 1.3f) m_axis = Axis::Swipe;
    else if (view.contains(g.press_pos) || image_rect.contains(g.press_pos)) m_axis = Axis::Scroll;
  }
  if (g.dragging) {
    if (m_axis == Axis::Scroll) m_scroll.drag(g.drag_delta.y);
    if (m_axis == Axis::Swipe) m_swipe_dx += g.drag_delta.x;
    if (m_axis == Axis::Pan) {
      m_center.x -= g.drag_delta.x / (image_rect.w * m_zoom);
      m_center.y -= g.drag_delta.y / (image_rect.h * m_zoom);
      m_center.x = std::clamp(m_center.x, 0.0f, 1.0f);
      m_center.y = std::clamp(m_center.y, 0.0f, 1.0f);
    }
  }
  if (g.released) {
    if (m_axis == Axis::Scroll) m_scroll.release(g.release_velocity.y);
    if (m_axis == Axis::Swipe) {
      const float dx = m_swipe_dx;
      const bool far = std::fabs(dx) > w * 0.15f || std::fabs(g.release_velocity.x) > 900;
      m_swipe_dx = 0;
      m_axis = Axis::None;
      if (far) {
        // Finger moving toward the start side reveals what comes next in reading order.
        const bool to_left = dx < 0;
        step_exhibit(ctx, (to_left != rtl) ? +1 : -1, ui.now_ms());
        return;
      }
    }
    m_axis = Axis::None;
  }
  // A tap on the picture toggles a 2x zoom around the tapped point (pinch needs two fingers).
  if (g.tap && image_rect.contains(*g.tap) && ui.tapped(image_rect)) {
    if (m_zoom > 1.0f) {
      m_zoom = 1.0f;
      m_center = {0.5f, 0.5f};
    } else {
      m_zoom = 2.0f;
      m_center = {(g.tap->x - image_rect.x) / image_rect.w, (g.tap->y - image_rect.y) / image_rect.h};
    }
  }
  const double dt = m_last_ms < 0 ? 0 : (ui.now_ms() - m_last_ms) / 1000.0;
  m_last_ms = ui.now_ms();
  if (m_scroll.step(std::min(dt, 0.05))) ui.request_frame();
}

// A tick (right) or a cross (wrong) in a ring, drawn in r: the quiz's marks do not depend on
// a font having the symbols.
void ExhibitScreen::draw_mark(ui::Ui& ui, ui::Rect r, bool right, ImU32 color) {
  ImDrawList* dl = ui.draw_list();
  const float s = ui.scale(), k = std::min(r.w, r.h);
  const ImVec2 c = ui.px(r.center());
  dl->AddCircle(c, k * 0.5f * s, color, 32, 3 * s);
  if (right) {
    const ImVec2 pts[3] = {ImVec2(c.x - k * 0.24f * s, c.y), ImVec2(c.x - k * 0.06f * s, c.y + k * 0.18f * s),
                           ImVec2(c.x + k * 0.26f * s, c.y - k * 0.2f * s)};
    dl->AddPolyline(pts, 3, color, 0, 4 * s);
  } else {
    const float d = k * 0.2f * s;
    dl->AddLine(ImVec2(c.x - d, c.y - d), ImVec2(c.x + d, c.y + d), color, 4 * s);
    dl->AddLine(ImVec2(c.x - d, c.y + d), ImVec2(c.x + d, c.y - d), color, 4 * s);
  }
}

void ExhibitScreen::draw_quiz(ui::Ui& ui, ScreenContext& ctx, const content::ExhibitText& text,
                              float x, float cw, float* y, const ui::Rect& view) {
  const ui::Theme& th = ui.theme();
  for (size_t q = 0; q < text.quiz.size() && q < m_answers.size(); ++q) {
    const content::QuizQuestion& qq = text.quiz[q];
    ui::TextStyle st;
    st.lang = text.lang;
    st.size = 32;
    st.bold = true;
    const float qh = ui.text_height(qq.question, st, cw);
    ui.label({x, *y, cw, qh}, qq.question, st, th.text);
    *y += qh + 14;
    for (size_t o = 0; o < qq.options.size(); ++o) {
      ui::TextStyle os;
      os.lang = text.lang;
      os.size = 30;
      const float oh = std::max(76.0f, ui.text_height(qq.options[o], os, cw - 64) + 32);
      const ui::Rect r{x, *y, cw, oh};
      const std::string id = "quiz." + std::to_string(q) + "." + std::to_string(o);
      const int chosen = m_answers[q];
      if (chosen < 0) {
        const bool visible = r.y >= view.y && r.y + r.h <= view.y + view.h;
        if (ui.button(visible ? std::string_view(id) : std::string_view("quiz.hidden"), r,
                      qq.options[o], text.lang, ui::ButtonKind::Normal, 30) &&
            visible) {
          m_answers[q] = static_cast<int>(o);
          const bool right = static_cast<int>(o) == qq.answer;
          if (ctx.visits)
            ctx.visits->record(m_loaded_id, text.lang,
                               right ? VisitRecorder::Event::QuizRight : VisitRecorder::Event::QuizWrong, 1);
          m_reveal_question = static_cast<int>(q);
        }
      } else {
        // Right and wrong are told by a mark and by the verdict's words, not by colour alone:
        // a tick on the right answer, a cross on a wrong pick (both colours pass 4.5:1 with
        // the text).
        const bool right = static_cast<int>(o) == qq.answer;
        const bool picked = static_cast<int>(o) == chosen;
        const ImU32 bg = right ? kRightColor : picked ? kWrongColor : th.surface;
        ui.fill(r, bg, th.corner);
        ui::TextStyle ls = os;
        ls.align = ui::TextAlign::Center;
        ui.label_centered({r.x + 64, r.y, r.w - 128, r.h}, qq.options[o], ls, th.text);
        if (right || picked)
          draw_mark(ui, ui.mirror_within(r, {r.x + 12, r.y + r.h * 0.5f - 20, 40, 40}), right, th.text);
      }
      *y += oh + 12;
    }
    if (m_answers[q] >= 0) {
      const bool right = m_answers[q] == qq.answer;
      auto verdict = ctx.tr(right ? "quiz.right" : "quiz.wrong");
      ui::TextStyle vs;
      vs.lang = verdict.lang;
      vs.size = 32;
      vs.bold = true;
      const float vh = std::max(48.0f, ui.text_height(verdict.text, vs, cw - 64));
      const ImU32 vc = right ? IM_COL32(120, 220, 150, 255) : IM_COL32(255, 150, 130, 255);
      const ui::Rect vr{x, *y, cw, vh};
      draw_mark(ui, ui.mirror_within(vr, {x, *y + vh * 0.5f - 22, 44, 44}), right, vc);
      ui.label_centered(ui.mirror_within(vr, {x + 60, *y, cw - 64, vh}), verdict.text, vs, vc);
      // Registered only while wholly in view: tests see that the answer brought it there.
      if (vr.y >= view.y && vr.y + vr.h <= view.y + view.h)
        ui.register_id(right ? "quiz.verdict.right" : "quiz.verdict.wrong", vr);
      *y += vh + 8;
      ui::TextStyle es;
      es.lang = text.lang;
      es.size = 29;
      const float eh = ui.text_height(qq.explanation, es, cw);
      ui.label({x, *y, cw, eh}, qq.explanation, es, th.text);
      *y += eh + 12;
      if (m_reveal_question == static_cast<int>(q)) {
        // The verdict and its explanation, whole, above the view's bottom edge.
        m_reveal_offset = *y + m_scroll.offset() - view.y - view.h + 16;
        m_reveal_question = -1;
      }
    }
    *y += 28;
  }
}

}  // namespace kiosk::screens
