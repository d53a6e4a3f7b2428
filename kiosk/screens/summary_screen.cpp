// Summary (issue 5, item 6): the current event at a glance for staff — how many people attended,
// how many of them have not yet reached headquarters, and counts by gender, age band, role and
// organization as bars. Read once on enter (PeopleQueries::event_summary: counts the store keeps,
// a few hundred rows whatever the number of people); nothing here writes. Counts never wrap.
#include "log.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>
#include <array>
#include <map>

namespace kiosk::screens {
namespace {

constexpr ImU32 kPanel = IM_COL32(32, 38, 50, 255);
constexpr ImU32 kBar = IM_COL32(96, 160, 240, 255);
constexpr std::size_t kMaxOrganizations = 8;  // the rest are summed into one row


// One bar of a panel: what is counted (already translated) and how many.
struct Row {
  std::string label, lang;
  int count = 0;
};

class SummaryScreen final : public Screen {
 public:
  std::string_view name() const override { return "summary"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_event_name.clear();
    m_event_start.clear();
    m_event_end.clear();
    m_summary = {};
    if (!ctx.staff) return;
    auto id = ctx.staff->registry.current_event_id();
    if (!id) return;
    if (auto ev = ctx.staff->registry.event(*id)) {
      m_event_name = ev->name;
      m_event_start = ev->start_date;
      m_event_end = ev->end_date;
    }
    m_summary = ctx.staff->people.event_summary(*id);
    if (!m_summary.ok()) log::warn(m_summary.detail);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width(), h = ui.height();
    if (!begin_staff_screen(ui, ctx)) return;
    auto back = ctx.staff_tr("common.back");
    if (ui.button("summary.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32))
      ctx.go("staff-home");
    label(ui, ui.mirror({340, 16, w - 400, 72}), ctx.staff_tr("summary.title"), 44, ui.theme().text, true);
    if (m_event_name.empty()) {
      label(ui, ui.mirror({60, 160, w - 120, 60}), ctx.staff_tr("summary.no_event"), 34, ui.theme().danger);
      return;
    }
    // The event's name, then its dates (staff language, pack digits) where the name leaves room:
    // written short when the medium form does not fit (Chinese in portrait), left out when neither does.
    const std::string_view lang = ctx.staff->lang();
    const float line_w = w - 400;
    std::string dates;
    float dates_w = 0;
    for (const auto length : {kiosk::text::DateLength::Medium, kiosk::text::DateLength::Short}) {
      dates = date_text(ctx, m_event_start, lang, length) + " – " + date_text(ctx, m_event_end, lang, length);
      dates_w = ui.text_width(dates, staff_style(lang, 26)) + 8;
      if (dates_w <= line_w * 0.45f) break;
      dates_w = 0;
    }
    const float name_w = std::min(ui.text_width(m_event_name, staff_style(script_lang(m_event_name), 30)) + 8,
                                  line_w - (dates_w > 0 ? dates_w + 24 : 0));
    label(ui, ui.mirror({340, 80, name_w, 44}), m_event_name, script_lang(m_event_name), 30, ui.theme().text_muted, false, 1);
    if (dates_w > 0) {
      ui.register_id("summary.dates", ui.mirror({340 + name_w + 24, 80, dates_w, 44}));
      label(ui, ui.mirror({340 + name_w + 24, 80, dates_w, 44}), dates, lang, 26, ui.theme().text_muted, false, 1);
    }
    if (!m_summary.ok()) {  // S7: a failed read is said, never shown as zero people
      // Its own words: the store's error keys speak of a save ("Not saved: ..."), this is a read.
      const auto said = ctx.staff_tr("summary.error");
      ui::TextStyle es = staff_style(said.lang, 34);
      const float eh = std::max(60.0f, ui.text_height(said.text, es, w - 120));
      ui.register_id("summary.error", ui.mirror({60, 160, w - 120, eh}));
      label(ui, ui.mirror({60, 160, w - 120, eh}), said.text, said.lang, 34, ui.theme().danger, false, 4);
      return;
    }

    // The two numbers staff ask first.
    const auto card = [&](const char* id, const char* key, int value, ImU32 color, float x) {
      const ui::Rect r{x, 150, (w - 150) / 2, 130};
      ui.register_id(id, ui.mirror(r));
      ui.fill(ui.mirror(r), kPanel, 16);
      // The number takes the width it needs (up to half the card), the caption the rest.
      const std::string shown = number_text(ctx, value, ctx.staff->lang());  // the pack's digits
      const float nw = std::clamp(number_width(ui, shown, 64), 110.0f, (r.w - 48) / 2);
      number(ui, ui.mirror({r.x + 24, r.y + 10, nw, 110}), shown, 64, color);
      label(ui, ui.mirror({r.x + nw + 44, r.y + 10, r.w - nw - 68, 110}), ctx.staff_tr(key), 30, ui.theme().text);
    };
    card("summary.participants", "summary.participants", m_summary.participants, ui.theme().text, 60);
    card("summary.not_sent", "summary.not_sent", m_summary.not_yet_sent,
         m_summary.not_yet_sent > 0 ? ui.theme().accent : ui.theme().text, 90 + (w - 150) / 2);
    if (m_summary.participants == 0) {
      label(ui, ui.mirror({60, 320, w - 120, 60}), ctx.staff_tr("summary.empty"), 32, ui.theme().text_muted);
      return;
    }

    std::array<std::pair<const char*, std::vector<Row>>, 4> panels{{
        {"summary.by_gender", values(ctx, "value.gender.", m_summary.by_gender)},
        {"summary.by_age", bands(ctx)},
        {"summary.by_role", values(ctx, "value.role.", m_summary.by_role)},
        {"summary.by_organization", organizations(ctx)}}};
    const bool landscape = w > h;
    const int cols = landscape ? 4 : 2;
    const float gap = 30, top = 310;
    const float pw = (w - 120 - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float ph = landscape ? h - top - 40 : (h - top - 40 - gap) / 2;
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const int c = static_cast<int>(i) % cols, r = static_cast<int>(i) / cols;
      draw_panel(ui, ctx, {60 + static_cast<float>(c) * (pw + gap), top + static_cast<float>(r) * (ph + gap), pw, ph},
                 panels[i].first, panels[i].second);
    }
  }

 private:
  static void label(ui::Ui& ui, ui::Rect r, std::string_view text, std::string_view lang, float size, ImU32 color,
                    bool bold = false, int max_lines = 2) {
    ui::TextStyle ts;
    ts.lang = lang;
    ts.size = size;
    ts.bold = bold;
    ts.max_lines = max_lines;
    // Aligned with the staff UI, whatever the text's own direction (an Arabic name in English UI).
    ts.align = ui::is_rtl_language(lang) != ui.rtl() ? ui::TextAlign::End : ui::TextAlign::Start;
    ui.label_centered(r, text, ts, color);
  }
  static void label(ui::Ui& ui, ui::Rect r, const content::Catalog::Lookup& s, float size, ImU32 color, bool bold = false) {
    label(ui, r, s.text, s.lang, size, color, bold);
  }

  // A count is never wrapped (issue 15 item 6: "1060" over "0" at 10,600): on one line, made
  // smaller when it does not fit its box.
  static ui::TextStyle number_style(const ui::Ui& ui, float size) {
    ui::TextStyle ts;
    ts.lang = "en";
    ts.size = size;
    ts.bold = true;
    ts.max_lines = 1;
    ts.align = ui.rtl() ? ui::TextAlign::End : ui::TextAlign::Start;
    return ts;
  }
  static float number_width(ui::Ui& ui, const std::string& shown, float size) {
    return ui.text_width(shown, number_style(ui, size));
  }
  static void number(ui::Ui& ui, ui::Rect r, const std::string& shown, float size, ImU32 color) {
    const float w = number_width(ui, shown, size);
    ui::TextStyle ts = number_style(ui, w > r.w ? size * r.w / w * 0.97f : size);
    ui.label_centered(r, shown, ts, color);
  }

  static std::vector<Row> values(ScreenContext& ctx, const std::string& prefix, const std::map<std::string, int>& counts) {
    std::vector<Row> rows;
    for (const auto& [value, n] : counts) {
      auto s = ctx.staff_tr(prefix + value);
      rows.push_back({std::string(s.text), std::string(s.lang), n});
    }
    return rows;
  }

  std::vector<Row> bands(ScreenContext& ctx) const {
    std::vector<Row> rows;
    for (const char* band : {"under_10", "10_12", "13_15", "16_17", "18_plus"}) {
      auto it = m_summary.by_age_band.find(band);
      auto s = ctx.staff_tr(std::string("summary.age_band.") + band);
      rows.push_back({std::string(s.text), std::string(s.lang), it == m_summary.by_age_band.end() ? 0 : it->second});
    }
    return rows;
  }

  // Largest first; beyond kMaxOrganizations one "other organizations" row.
  std::vector<Row> organizations(ScreenContext& ctx) const {
    std::vector<Row> rows;
    for (const auto& [org, n] : m_summary.by_organization) {
      if (org.empty()) {
        auto s = ctx.staff_tr("summary.no_organization");
        rows.push_back({std::string(s.text), std::string(s.lang), n});
      } else {
        rows.push_back({org, std::string(script_lang(org)), n});
      }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.count > b.count; });
    if (rows.size() > kMaxOrganizations) {
      int rest = 0;
      for (std::size_t i = kMaxOrganizations - 1; i < rows.size(); ++i) rest += rows[i].count;
      rows.resize(kMaxOrganizations - 1);
      auto s = ctx.staff_tr("summary.other_organizations");
      rows.push_back({std::string(s.text), std::string(s.lang), rest});
    }
    return rows;
  }

  // r is in start-to-end (unmirrored) coordinates; every piece is mirrored as it is drawn.
  void draw_panel(ui::Ui& ui, ScreenContext& ctx, ui::Rect r, const char* title, const std::vector<Row>& rows) {
    ui.fill(ui.mirror(r), kPanel, 16);
    // A title too long for one line (Burmese "school or organization") gets two, and the rows
    // start below it instead of under it.
    const auto t = ctx.staff_tr(title);
    ui::TextStyle ts;
    ts.lang = t.lang;
    ts.size = 30;
    ts.bold = true;
    const float title_h = ui.text_width(t.text, ts) > r.w - 40 ? 90 : 50;
    label(ui, ui.mirror({r.x + 20, r.y + 10, r.w - 40, title_h}), t, 30, ui.theme().text, true);
    const float top = r.y + title_h + 20;
    const float row_h = std::min(78.0f, (r.y + r.h - top - 10) / std::max<float>(1, static_cast<float>(rows.size())));
    const float total = static_cast<float>(std::max(1, m_summary.participants));
    float y = top;
    for (const Row& row : rows) {
      // One line above its bar (a second would run into the bar when many rows share a panel);
      // "10–12" and the count in the pack's digits. The count sits at the row's end, as wide as
      // it needs up to half the row ("101,800" at 100,000 people, smaller only beyond), the
      // label takes the rest.
      const std::string shown = number_text(ctx, row.count, ctx.staff->lang());
      const float nw = std::min(number_width(ui, shown, 26) + 4, (r.w - 40) / 2);
      label(ui, ui.mirror({r.x + 20, y, r.w - 50 - nw, row_h * 0.6f}), digits_text(ctx, row.label, row.lang), row.lang, 24,
            ui.theme().text, false, 1);
      number(ui, ui.mirror({r.x + r.w - 20 - nw, y, nw, row_h * 0.6f}), shown, 26, ui.theme().text);
      const float full = r.w - 40, bar_w = full * static_cast<float>(row.count) / total;
      ui.fill(ui.mirror({r.x + 20, y + row_h * 0.62f, full, 10}), IM_COL32(50, 58, 74, 255), 5);
      ui.fill(ui.mirror({r.x + 20, y + row_h * 0.62f, std::max(bar_w, 2.0f), 10}), kBar, 5);
      y += row_h;
    }
  }

  std::string m_event_name, m_event_start, m_event_end;
  core::EventSummary m_summary;
};

}  // namespace
std::unique_ptr<Screen> make_summary_screen() { return std::make_unique<SummaryScreen>(); }
}  // namespace kiosk::screens
