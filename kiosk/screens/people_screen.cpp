// People (issue 5, item 6): find a person already on the kiosk by typing any part of a name, in
// any script. The search runs on every change of the field (PeopleQueries::search_people, under
// 10 ms a keystroke at 10,000 people); a result opens the person screen. Voided people never
// appear (the query leaves them out). The query survives a visit to a person and back, and is
// forgotten when staff leave for anywhere else.
#include "keyboard.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>

namespace kiosk::screens {
namespace {

constexpr int kMaxResults = 50;






class PeopleScreen final : public Screen {
 public:
  std::string_view name() const override { return "people"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_scroll = ui::KineticScroll();
    m_last_ms = -1;
    m_focus_pending = true;
    run_search(ctx);  // back from a person: their record may have changed (or been voided)
  }

  void exit(ScreenContext&, std::string_view to) override {
    if (to == "person") return;
    m_query.set_text("");
    m_hits.clear();
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width(), h = ui.height();
    if (!begin_staff_screen(ui, ctx)) return;
    if (m_focus_pending) {
      ui.focus("people.search");  // staff come here to type
      m_focus_pending = false;
    }
    if (!m_keyboard.field().empty() && ui.focused_id() != m_keyboard.field()) m_keyboard.commit(m_query);
    const bool typing = ui.focused_id() == "people.search";
    const float list_top = 270, kb_h = typing ? std::clamp(h * 0.4f, 360.0f, 600.0f) : 0.0f;
    draw_results(ui, ctx, {0, list_top, w, h - list_top - kb_h});

    ui.fill({0, 0, w, list_top}, kStaffBackground);
    auto back = ctx.staff_tr("common.back");
    if (ui.button("people.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32))
      ctx.go("staff-home");
    auto title = ctx.staff_tr("people.title");
    ui::TextStyle ts;
    ts.lang = title.lang;
    ts.size = 44;
    ts.bold = true;
    ui.label_centered(ui.mirror({340, 30, w - 400, 84}), title.text, ts, ui.theme().text);
    auto placeholder = ctx.staff_tr("people.search_placeholder");
    if (ui.text_field("people.search", ui.mirror({60, 140, w - 120, 96}), m_query,
                      script_lang(m_query.text()), placeholder.text, 38))
      run_search(ctx);
    if (typing && m_keyboard.draw(ui, ctx, {0, h - kb_h, w, kb_h}, "people.search", m_query,
                                  search_layouts(ctx.pack.default_language)))
      run_search(ctx);
    if (m_searched || ui.gestures().tap) ui.request_frame();  // the results above are from before
    m_searched = false;
  }

 private:
  void run_search(ScreenContext& ctx) {
    m_hits.clear();
    m_scroll.set_offset(0);
    m_searched = true;
    if (ctx.staff && !m_query.text().empty())
      m_hits = ctx.staff->people.search_people(m_query.text(), kMaxResults);
  }

  void draw_results(ui::Ui& ui, ScreenContext& ctx, ui::Rect area) {
    const float w = ui.width(), row_h = 112, gap = 12;
    ui::TextStyle ts;
    if (m_hits.empty()) {
      auto hint = ctx.staff_tr(m_query.text().empty() ? "people.hint" : "people.none");
      ts.lang = hint.lang;
      ts.size = 32;
      ui.label(ui.mirror({60, area.y + 10, w - 120, 60}), hint.text, ts, ui.theme().text_muted);
      return;
    }
    scroll_staff_list(ui, m_scroll, area, static_cast<float>(m_hits.size()) * (row_h + gap), &m_last_ms);

    auto born = ctx.staff_tr("people.born");
    ui.draw_list()->PushClipRect(ui.px({area.x, area.y}), ui.px({area.x + area.w, area.y + area.h}), true);
    ui.set_input_clip(area);
    for (std::size_t i = 0; i < m_hits.size(); ++i) {
      const core::PersonHit& p = m_hits[i];
      const float y = area.y + static_cast<float>(i) * (row_h + gap) - m_scroll.offset();
      if (y > area.y + area.h || y + row_h < area.y) continue;
      if (ui.button("people.result." + std::to_string(i), ui.mirror({60, y, w - 120, row_h}), "", "en")) {
        ctx.staff->selected_person = p.id;
        ctx.go("person");
      }
      // Line 1: the name in its own script, then in Latin letters. Line 2: birth year, school.
      const std::string_view native_lang = script_lang(p.given_name + p.family_name);
      const std::string native = full_name(p.given_name, p.family_name, native_lang);
      const std::string latin = full_name(p.given_name_latin, p.family_name_latin, "en");
      const float half = (w - 180) / 2;
      ts.size = 34;
      ts.bold = true;
      ts.max_lines = 1;
      ts.lang = native.empty() ? "en" : native_lang;
      ts.align = align(ui, ts.lang);
      ui.label(ui.mirror({90, y + 10, half, 52}), native.empty() ? latin : native, ts, ui.theme().text);
      ts.bold = false;
      ts.lang = "en";
      ts.align = align(ui, ts.lang);
      if (!native.empty()) ui.label(ui.mirror({90 + half, y + 14, half, 48}), latin, ts, ui.theme().text);
      ts.size = 26;
      ts.lang = born.lang;
      ts.align = align(ui, ts.lang);
      const std::string year = std::string(born.text) + " " + digits_text(ctx, std::to_string(p.birth_year), ctx.staff->lang());
      ui.label(ui.mirror({90, y + 66, 300, 40}), year, ts, ui.theme().text_muted);
      ts.lang = script_lang(p.organization_name);
      ts.align = align(ui, ts.lang);
      ui.label(ui.mirror({400, y + 66, w - 520, 40}), p.organization_name, ts, ui.theme().text_muted);
    }
    ui.clear_input_clip();
    ui.draw_list()->PopClipRect();
  }

  ui::TextField m_query{80};
  FieldKeyboard m_keyboard;
  std::vector<core::PersonHit> m_hits;
  ui::KineticScroll m_scroll;
  double m_last_ms = -1;
  bool m_focus_pending = true;
  bool m_searched = false;  // the query changed this frame
};

}  // namespace
std::unique_ptr<Screen> make_people_screen() { return std::make_unique<PeopleScreen>(); }
}  // namespace kiosk::screens
