// Staff home: who is signed in, the current event, and the staff tasks. Reached after a PIN.
// Every staff screen returns here; "Lock" ends the session and gives the kiosk back to visitors.
// A red band under the event shows the worst health problem (core/health.h H2); it opens Health.
// When that problem is the content pack (kiosk/app/pack_guard.h G1), the band says which of the
// pack guard's cases it is and shows the checker's first lines (file:line), so staff see why.
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>

namespace kiosk::screens {
namespace {

constexpr ImU32 kProblemBand = IM_COL32(176, 40, 32, 255);

class StaffHomeScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-home"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_event_name.clear();
    m_problem.clear();
    if (!ctx.staff) return;
    // core/health.h H2: the worst problem staff must act on, in their language (Health has all).
    if (ctx.staff->health) {
      const auto problems = core::health_problems(ctx.staff->health(core::PendingCount::any),
                                                 ctx.staff->store.now_iso());
      if (!problems.empty()) m_problem = problems.front();
    }
    if (auto id = ctx.staff->registry.current_event_id())
      if (auto ev = ctx.staff->registry.event(*id)) m_event_name = ev->name;
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width(), h = ui.height();
    if (!begin_staff_screen(ui, ctx)) return;
    const auto& th = ui.theme();
    auto hello = ctx.staff_tr("staff.home.signed_in");
    ui::TextStyle ts;
    ts.lang = hello.lang;
    ts.size = 40;
    ts.bold = true;
    ts.align = align(ui, ts.lang);
    ui.label(ui.mirror({60, 40, w - 420, 60}), std::string(hello.text) + " " + ctx.staff->session->staff().name,
             ts, th.text);
    auto ev_label = ctx.staff_tr("staff.home.current_event");
    ts.size = 30;
    ts.bold = false;
    ts.lang = ev_label.lang;
    ts.align = align(ui, ts.lang);
    auto none = ctx.staff_tr("staff.home.no_event");
    ui.label(ui.mirror({60, 110, w - 120, 50}),
             std::string(ev_label.text) + " " + (m_event_name.empty() ? std::string(none.text) : m_event_name),
             ts, m_event_name.empty() ? th.danger : th.text_muted);

    float band_bottom = 226;
    if (m_problem == "health.problem.pack_refused" && !ctx.staff->pack_warning_key.empty()) {
      band_bottom = draw_pack_warning(ui, ctx, 162);
      if (ui.tapped(ui.mirror({60, 162, w - 120, band_bottom - 162}))) {
        ctx.go("staff-health");
        return;
      }
    } else if (!m_problem.empty()) {  // a tap opens the Health screen
      const ui::Rect band = ui.mirror({60, 162, w - 120, 64});
      ui.fill(band, kProblemBand, 10);  // white text on it at 6.6:1 (th.danger is for text)
      ui.register_id("staff.home.problem." + m_problem.substr(m_problem.rfind('.') + 1), band);
      staff_label(ui, {band.x + 20, band.y, band.w - 40, band.h}, ctx.staff_tr(m_problem).text, ctx.staff->lang(), 26,
                  IM_COL32(255, 255, 255, 255), true);
      if (ui.tapped(band)) {
        ctx.go("staff-health");
        return;
      }
    }

    auto lock = ctx.staff_tr("staff.home.lock");
    if (ui.button("staff.lock", ui.mirror({w - 320, 36, 260, 84}), lock.text, lock.lang, ui::ButtonKind::Quiet, 32)) {
      ctx.staff->session->end();
      ctx.staff->session.reset();
      ctx.go("attract");
      return;
    }

    struct Entry { const char* id; const char* key; const char* screen; bool needs_event; bool supervisor; };
    const Entry entries[] = {
        {"staff.register", "staff.home.register", "register", true, false},
        {"staff.people", "staff.home.people", "people", false, false},
        {"staff.events", "staff.home.events", "events", false, false},
        {"staff.summary", "staff.home.summary", "summary", true, false},
        {"staff.sync", "staff.home.sync", "sync", false, false},
        {"staff.accounts", "staff.home.accounts", "staff-accounts", false, true},
        {"staff.settings", "staff.home.settings", "staff-settings", false, false},
        {"staff.directory", "staff.home.directory", "staff-directory", false, true},
        {"staff.health", "staff.home.health", "staff-health", false, false},
        {"staff.content", "staff.home.content", "content", false, true},
    };
    const bool supervisor = ctx.staff->session->is_supervisor();
    const bool landscape = w > h;
    const int cols = landscape ? 3 : 1;
    const float gap = 30, top = std::max(250.0f, band_bottom + 24);
    int shown = 0;
    for (const Entry& e : entries) shown += !e.supervisor || supervisor;
    const int rows = (shown + cols - 1) / cols;
    const float bw = (w - 120 - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float bh = std::min(landscape ? 170.0f : 140.0f,
                              (h - top - 30 - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows));
    int slot = 0;
    for (const Entry& e : entries) {
      if (e.supervisor && !supervisor) continue;
      const ui::Rect r{60 + static_cast<float>(slot % cols) * (bw + gap),
                       top + static_cast<float>(slot / cols) * (bh + gap), bw, bh};
      auto label = ctx.staff_tr(e.key);
      const bool enabled = !e.needs_event || !m_event_name.empty();
      if (ui.button(e.id, ui.mirror(r), label.text, label.lang,
                    slot == 0 ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, 40)) {
        ctx.go(enabled ? e.screen : "events");  // no event yet: choose one first
      }
      ++slot;
    }
  }

 private:
  // The pack guard's warning (G1) as the health band: its heading in the staff language, then the
  // first of the checker's lines (English, file:line). Registered as the band and as
  // "staff.pack_warning". Returns its bottom edge.
  static float draw_pack_warning(ui::Ui& ui, ScreenContext& ctx, float y) {
    const float w = ui.width() - 120;
    const auto heading = ctx.staff_tr(ctx.staff->pack_warning_key);
    ui::TextStyle hs = staff_style(heading.lang, 26, true);
    hs.align = align(ui, heading.lang);
    std::string lines;
    std::size_t at = 0;
    for (int n = 0; n < 3 && at < ctx.staff->pack_warning.size(); ++n) {
      std::size_t nl = ctx.staff->pack_warning.find('\n', at);
      if (nl == std::string::npos) nl = ctx.staff->pack_warning.size();
      lines += (lines.empty() ? "" : "\n") + ctx.staff->pack_warning.substr(at, nl - at);
      at = nl + 1;
    }
    ui::TextStyle ls = staff_style("en", 20);
    ls.align = align(ui, "en");
    const float hh = ui.text_height(heading.text, hs, w - 40), lh = ui.text_height(lines, ls, w - 40);
    const ui::Rect box = ui.mirror({60, y, w, hh + lh + 36});
    ui.register_id("staff.pack_warning", box);
    ui.register_id("staff.home.problem.pack_refused", box);
    ui.fill(box, kProblemBand, 10);
    ui.label(ui.mirror({80, y + 12, w - 40, hh}), heading.text, hs, IM_COL32(255, 255, 255, 255));
    ui.label(ui.mirror({80, y + 20 + hh, w - 40, lh}), lines, ls, IM_COL32(255, 235, 235, 255));
    return y + box.h;
  }

  std::string m_event_name;
  std::string m_problem;  // catalog key of the worst health problem, empty when none
};

}  // namespace

std::unique_ptr<Screen> make_staff_home_screen() { return std::make_unique<StaffHomeScreen>(); }

}  // namespace kiosk::screens
