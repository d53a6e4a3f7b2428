// Events (issue 5, item 2): pick the current event, or — supervisors only — create one.
//
// Two modes: the list (Registry::events(), newest first, the current one marked) and the creation
// form. The form checks every field before saving and shows each error under its field, in the
// staff language; "Saved" appears only after Registry::create_event() committed. Picking an event
// stores it as the current one (Registry::set_current_event), which registrations then use.
#include "event_rules.h"
#include "keyboard.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>
#include <array>

namespace kiosk::screens {
namespace {

constexpr const auto& kActivities = core::kEventActivities;  // event_rules.h E4
enum Field : std::size_t { kName, kVenue, kCity, kCountry, kStart, kEnd, kFieldCount };
constexpr std::array<const char*, kFieldCount> kFieldIds = {"name", "venue", "city",
                                                            "country", "start", "end"};

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

class EventsScreen final : public Screen {
 public:
  std::string_view name() const override { return "events"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_form_open = false;
    m_message_key.clear();
    m_scroll = ui::KineticScroll();
    m_last_ms = -1;
    reload(ctx);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width();
    if (!begin_staff_screen(ui, ctx)) return;
    if (m_form_open) draw_form(ui, ctx); else draw_list(ui, ctx);
    // Header last: the list scrolls under it.
    ui.fill({0, 0, w, 130}, kStaffBackground);
    auto back = ctx.staff_tr("common.back");
    if (ui.button("events.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32)) {
      if (m_form_open) m_form_open = false; else ctx.go("staff-home");
    }
    // The title takes the new-event button's room when the form hides it, and the message's line
    // when there is none (two lines in a narrow portrait header).
    const float title_w = m_form_open ? w - 400 : w - 780, title_h = m_message_key.empty() ? 104 : 66;
    text(ui, ctx, ui.mirror({340, 22, title_w, title_h}), m_form_open ? "events.new_title" : "events.title", 44,
         ui.theme().text, true);
    if (!m_message_key.empty())
      text(ui, ctx, ui.mirror({340, 88, w - 780, 38}), m_message_key, 26, m_message_error ? ui.theme().danger : ui.theme().accent);
    if (!m_form_open && ctx.staff->session->is_supervisor()) {
      auto label = ctx.staff_tr("events.new");
      if (ui.button("events.new", ui.mirror({w - 420, 30, 380, 84}), label.text, label.lang, ui::ButtonKind::Primary, 32))
        open_form(ctx);
    }
    if (ui.gestures().tap) ui.request_frame();  // a tap may have changed what is shown: redraw
  }

 private:
  void text(ui::Ui& ui, ScreenContext& ctx, ui::Rect r, std::string_view key, float size, ImU32 color, bool bold = false) {
    auto s = ctx.staff_tr(key);
    ui::TextStyle ts;
    ts.lang = s.lang;
    ts.size = size;
    ts.bold = bold;
    ui.label_centered(r, s.text, ts, color);
  }

  void reload(ScreenContext& ctx) {
    m_events.clear();
    m_current.clear();
    if (!ctx.staff) return;
    m_events = ctx.staff->registry.events();
    m_current = ctx.staff->registry.current_event_id().value_or("");
  }

  void draw_list(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width(), h = ui.height(), top = 150, gap = 16;
    // Portrait rows stack the place over the dates (side by side they would not fit).
    const bool stacked = w - 520 < 900;
    const float row_h = stacked ? 160 : 120;
    if (ui.focused_id().rfind("events.field.", 0) == 0) ui.focus("");  // the form was closed
    float y = top;
    if (!ctx.staff->session->is_supervisor()) {
      text(ui, ctx, ui.mirror({60, top, w - 120, 50}), "events.supervisor_only", 28, ui.theme().text_muted);
      y += 60;
    }
    if (m_events.empty()) {
      text(ui, ctx, ui.mirror({60, y, w - 120, 60}), "events.none", 32, ui.theme().text_muted);
      return;
    }
    const ui::Rect area{0, y, w, h - y};
    const float content_h = static_cast<float>(m_events.size()) * (row_h + gap);
    scroll_staff_list(ui, m_scroll, area, content_h, &m_last_ms);

    ui.draw_list()->PushClipRect(ui.px({0, y}), ui.px({w, h}), true);
    ui.set_input_clip(area);
    bool picked = false;  // reload after the loop: reload() replaces m_events, which ev refers to
    for (std::size_t i = 0; i < m_events.size(); ++i) {
      const auto& ev = m_events[i];
      const ui::Rect r = ui.mirror({60, y + static_cast<float>(i) * (row_h + gap) - m_scroll.offset(), w - 120, row_h});
      if (r.y > h || r.y + r.h < y) continue;
      const bool current = ev.id == m_current;
      if (ui.button("events.pick." + std::to_string(i), r, "", "en",
                    current ? ui::ButtonKind::Primary : ui::ButtonKind::Normal)) {
        auto res = ctx.staff->registry.set_current_event(ev.id);
        m_message_error = !res.ok();
        m_message_key = res.ok() ? "events.current_set" : core::store_error_key(res.error);
        picked = true;
      }
      const ImU32 fg = current ? ui.theme().accent_text : ui.theme().text;
      ui::TextStyle ts;
      ts.lang = script_lang(ev.name);  // aligned with the staff UI, whatever the name's direction
      ts.align = ui::is_rtl_language(ts.lang) != ui.rtl() ? ui::TextAlign::End : ui::TextAlign::Start;
      ts.size = 34;
      ts.bold = true;
      ts.max_lines = 1;
      ui.label(ui.mirror({84, r.y + 14, w - 520, 48}), ev.name, ts, fg);
      // Place in its own script; the country code and the dates (in the staff language's words
      // and the pack's digits), each in its own box.
      const std::string place = ev.venue + (ev.city.empty() ? "" : ", " + ev.city);
      const std::string_view staff_lang = ctx.staff->lang();
      const std::string when = (ev.country.empty() ? "" : ev.country + "   ") + date_text(ctx, ev.start_date, staff_lang) +
                               " – " + date_text(ctx, ev.end_date, staff_lang);
      const float line_w = w - 520;
      ts.size = 26;
      ts.bold = false;
      ts.lang = script_lang(place);
      ts.align = ui::is_rtl_language(ts.lang) != ui.rtl() ? ui::TextAlign::End : ui::TextAlign::Start;
      const ui::Rect place_r = stacked ? ui::Rect{84, r.y + 68, line_w, 40} : ui::Rect{84, r.y + 68, line_w * 0.56f, 40};
      const ui::Rect when_r = stacked ? ui::Rect{84, r.y + 110, line_w, 40}
                                      : ui::Rect{84 + line_w * 0.6f, r.y + 68, line_w * 0.4f, 40};
      ui.label(ui.mirror(place_r), place, ts, current ? fg : ui.theme().text_muted);
      ts.lang = staff_lang;
      ts.align = align(ui, staff_lang);
      ui.label(ui.mirror(when_r), when, ts, current ? fg : ui.theme().text_muted);
      if (current) text(ui, ctx, ui.mirror({w - 420, r.y, 330, row_h}), "events.current", 30, fg, true);
    }
    ui.clear_input_clip();
    ui.draw_list()->PopClipRect();
    if (picked) reload(ctx);
  }

  void open_form(ScreenContext& ctx) {
    m_form_open = true;
    m_message_key.clear();
    for (auto& f : m_fields) f.set_text("");
    m_fields[kStart].set_text(ctx.staff->today());
    m_fields[kEnd].set_text(ctx.staff->today());
    m_errors.fill({});
    m_activity_error.clear();
    m_activities.fill(false);
  }

  // The form, moved up while the keyboard is open so that the focused field stays above it;
  // anything the keyboard covers is not drawn (so it cannot take the keyboard's taps).
  void draw_form(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width(), h = ui.height();
    const bool two_cols = w > h;
    const float col_w = two_cols ? (w - 160) / 2 : w - 120;
    // Rows as tall as this language's labels and errors need (lh above a field, eh below it).
    float lh = 36, eh = 36;
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      const auto label = ctx.staff_tr(std::string("events.field.") + kFieldIds[i]);
      lh = std::max(lh, ui.text_height(label.text, staff_style(label.lang, 26), col_w) + 4);
      if (m_errors[i].empty()) continue;
      const auto error = ctx.staff_tr(m_errors[i]);
      eh = std::max(eh, ui.text_height(error.text, staff_style(error.lang, 24), col_w) + 4);
    }
    const float block = lh + 82 + eh + 14;
    std::size_t focused = kFieldCount;
    for (std::size_t i = 0; i < kFieldCount; ++i)
      if (ui.focused_id() == std::string("events.field.") + kFieldIds[i]) focused = i;
    if (!m_keyboard.field().empty() && (focused == kFieldCount || m_keyboard.field() != ui.focused_id()))
      for (std::size_t i = 0; i < kFieldCount; ++i)
        if (m_keyboard.field() == std::string("events.field.") + kFieldIds[i]) m_keyboard.commit(m_fields[i]);
    const float kb_h = focused < kFieldCount ? std::clamp(h * 0.4f, 360.0f, 600.0f) : 0.0f, kb_top = h - kb_h;
    const auto row_of = [&](std::size_t i) { return two_cols ? i % 3 : i; };
    const float shift = focused < kFieldCount
        ? std::max(0.0f, 150 + static_cast<float>(row_of(focused)) * block + 160 - kb_top) : 0.0f;
    const auto visible = [&](float y) { return y >= 130 && y + 60 < kb_top; };
    ui.set_input_clip({0, 130, w, kb_top - 130});
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      const std::size_t col = two_cols ? i / 3 : 0, row = row_of(i);
      const float x = 60 + static_cast<float>(col) * (col_w + 40), y = 150 - shift + static_cast<float>(row) * block;
      if (!visible(y + lh + 2)) continue;
      const std::string id = std::string("events.field.") + kFieldIds[i];
      text(ui, ctx, ui.mirror({x, y, col_w, lh}), std::string("events.field.") + kFieldIds[i], 26, ui.theme().text_muted);
      const bool date = i == kStart || i == kEnd;
      const std::string_view lang = date || i == kCountry ? std::string_view("en") : script_lang(m_fields[i].text());
      if (ui.text_field(id, ui.mirror({x, y + lh + 2, col_w, 78}), m_fields[i], lang, date ? "YYYY-MM-DD" : "", 32))
        m_errors[i].clear();
      if (!m_errors[i].empty() && y + lh + 82 + eh <= kb_top) {
        ui.register_id("events.error." + std::string(kFieldIds[i]), ui.mirror({x, y + lh + 82, col_w, eh}));
        text(ui, ctx, ui.mirror({x, y + lh + 82, col_w, eh}), m_errors[i], 24, ui.theme().danger);
      }
    }
    float y = 150 - shift + block * (two_cols ? 3.0f : 6.0f);
    if (visible(y + 40)) text(ui, ctx, ui.mirror({60, y, w - 120, lh}), "events.field.activities", 26, ui.theme().text_muted);
    const float chip_w = two_cols ? 360 : (w - 150) / 2;
    for (std::size_t i = 0; i < kActivities.size(); ++i) {
      const std::size_t col = two_cols ? i : i % 2, row = two_cols ? 0 : i / 2;
      const ui::Rect r{60 + static_cast<float>(col) * (chip_w + 30), y + lh + 4 + static_cast<float>(row) * 100, chip_w, 84};
      if (!visible(r.y)) continue;
      auto label = ctx.staff_tr(std::string("events.activity.") + kActivities[i]);
      if (ui.button(std::string("events.activity.") + kActivities[i], ui.mirror(r), label.text, label.lang,
                    m_activities[i] ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet, 28)) {
        m_activities[i] = !m_activities[i];
        m_activity_error.clear();
      }
    }
    y += lh + 4 + (two_cols ? 100.0f : 200.0f);
    if (!m_activity_error.empty() && visible(y)) {
      const auto error = ctx.staff_tr(m_activity_error);
      const float ah = std::max(36.0f, ui.text_height(error.text, staff_style(error.lang, 24), w - 120) + 4);
      ui.register_id("events.error.activities", ui.mirror({60, y, w - 120, ah}));
      text(ui, ctx, ui.mirror({60, y, w - 120, ah}), m_activity_error, 24, ui.theme().danger);
      y += ah - 36;
    }
    auto save = ctx.staff_tr("events.save");
    auto cancel = ctx.staff_tr("events.cancel");
    if (visible(y + 40)) {
      if (ui.button("events.save", ui.mirror({w - 420, y + 40, 360, 90}), save.text, save.lang, ui::ButtonKind::Primary, 34))
        this->save(ctx);
      if (ui.button("events.cancel", ui.mirror({w - 800, y + 40, 340, 90}), cancel.text, cancel.lang, ui::ButtonKind::Quiet, 34))
        m_form_open = false;
    }
    ui.clear_input_clip();
    if (focused < kFieldCount) {
      const std::vector<std::string> layouts = focused == kStart || focused == kEnd ? std::vector<std::string>{"numeric"}
                                               : focused == kCountry ? std::vector<std::string>{"latin"}
                                                                     : search_layouts(ctx.pack.default_language);
      m_keyboard.draw(ui, ctx, {0, kb_top, w, kb_h}, std::string("events.field.") + kFieldIds[focused], m_fields[focused], layouts);
    }
  }

  // The event as typed (trimmed; the country in upper case, as it is saved).
  core::EventInfo typed() const {
    core::EventInfo ev;
    ev.name = trimmed(m_fields[kName].text());
    ev.venue = trimmed(m_fields[kVenue].text());
    ev.city = trimmed(m_fields[kCity].text());
    ev.country = trimmed(m_fields[kCountry].text());
    ev.start_date = trimmed(m_fields[kStart].text());
    ev.end_date = trimmed(m_fields[kEnd].text());
    for (std::size_t i = 0; i < core::kEventActivities.size(); ++i)
      if (m_activities[i]) ev.activity_types.emplace_back(core::kEventActivities[i]);
    return ev;
  }

  // The store's rules (core/event_rules.h E1-E4) and what this screen requires on top (E6); fills
  // the error beside each field. True when all pass.
  bool check() {
    const core::EventInfo ev = typed();
    m_errors.fill({});
    m_activity_error.clear();
    for (const core::EventProblem& p : core::check_event(ev)) {
      std::string& slot = p.field == core::EventField::activities ? m_activity_error : m_errors[field_of(p.field)];
      if (slot.empty()) slot = p.key;
    }
    if (m_errors[kVenue].empty() && ev.venue.empty()) m_errors[kVenue] = "events.error.required";  // E6
    if (m_errors[kCity].empty() && ev.city.empty()) m_errors[kCity] = "events.error.required";
    if (m_activity_error.empty() && ev.activity_types.empty()) m_activity_error = "events.error.activities";
    return m_activity_error.empty() &&
           std::all_of(m_errors.begin(), m_errors.end(), [](const std::string& e) { return e.empty(); });
  }

  static std::size_t field_of(core::EventField f) {
    switch (f) {
      case core::EventField::name: return kName;
      case core::EventField::venue: return kVenue;
      case core::EventField::city: return kCity;
      case core::EventField::country: return kCountry;
      case core::EventField::start_date: return kStart;
      case core::EventField::end_date:
      case core::EventField::activities: break;
    }
    return kEnd;
  }

  void save(ScreenContext& ctx) {
    // Country codes are upper case; accept what was typed in lower case.
    std::string country = trimmed(m_fields[kCountry].text());
    if (country.size() == 2) {
      std::transform(country.begin(), country.end(), country.begin(),
                     [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
      m_fields[kCountry].set_text(country);
    }
    if (!check() || !ctx.staff->session->is_supervisor()) return;
    core::EventInfo ev = typed();
    ev.tour = ctx.staff->form.tour;
    auto res = ctx.staff->registry.create_event(ev, ctx.staff->session->staff().id);
    m_message_error = !res.ok();
    m_message_key = res.ok() ? "events.saved" : !res.rule.empty() ? res.rule : core::store_error_key(res.error);
    if (res.ok()) m_form_open = false;
    reload(ctx);
  }

  std::vector<core::EventInfo> m_events;
  std::string m_current;
  bool m_form_open = false;
  std::array<ui::TextField, kFieldCount> m_fields;
  FieldKeyboard m_keyboard;
  std::array<std::string, kFieldCount> m_errors;  // catalog keys, empty = no error
  std::array<bool, kActivities.size()> m_activities{};
  std::string m_activity_error;
  std::string m_message_key;
  bool m_message_error = false;
  ui::KineticScroll m_scroll;
  double m_last_ms = -1;
};

}  // namespace
std::unique_ptr<Screen> make_events_screen() { return std::make_unique<EventsScreen>(); }
}  // namespace kiosk::screens
