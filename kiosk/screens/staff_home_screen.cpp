// Staff home: who is signed in, the current event, and the staff tasks. Reached after a PIN.
// Every staff screen returns here; "Lock" ends the session and gives the kiosk back to visitors.
#include "screens.h"

namespace kiosk::screens {
namespace {

class StaffHomeScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-home"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_event_name.clear();
    if (!ctx.staff) return;
    if (auto id = ctx.staff->registry.current_event_id())
      if (auto ev = ctx.staff->registry.event(*id)) m_event_name = ev->name;
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width(), h = ui.height();
    ui.fill({0, 0, w, h}, IM_COL32(22, 26, 34, 255));
    if (!ctx.staff || !ctx.staff->session) {
      ctx.go("staff-pin");
      return;
    }
    const auto& th = ui.theme();
    auto hello = ctx.staff_tr("staff.home.signed_in");
    ui::TextStyle ts;
    ts.lang = hello.lang;
    ts.size = 40;
    ts.bold = true;
    ui.label({60, 40, w - 420, 60}, std::string(hello.text) + " " + ctx.staff->session->staff().name,
             ts, th.text);
    auto ev_label = ctx.staff_tr("staff.home.current_event");
    ts.size = 30;
    ts.bold = false;
    ts.lang = ev_label.lang;
    auto none = ctx.staff_tr("staff.home.no_event");
    ui.label({60, 110, w - 120, 50},
             std::string(ev_label.text) + " " + (m_event_name.empty() ? std::string(none.text) : m_event_name),
             ts, m_event_name.empty() ? th.danger : th.text_muted);

    auto lock = ctx.staff_tr("staff.home.lock");
    if (ui.button("staff.lock", {w - 320, 36, 260, 84}, lock.text, lock.lang, ui::ButtonKind::Quiet, 32)) {
      ctx.staff->session->end();
      ctx.staff->session.reset();
      ctx.go("attract");
      return;
    }

    struct Entry { const char* id; const char* key; const char* screen; bool needs_event; };
    const Entry entries[] = {
        {"staff.register", "staff.home.register", "register", true},
        {"staff.people", "staff.home.people", "people", false},
        {"staff.events", "staff.home.events", "events", false},
        {"staff.summary", "staff.home.summary", "summary", true},
    };
    const bool landscape = w > h;
    const int cols = landscape ? 2 : 1;
    const float gap = 30, top = 200;
    const float bw = (w - 120 - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float bh = 150;
    for (int i = 0; i < 4; ++i) {
      const ui::Rect r{60 + static_cast<float>(i % cols) * (bw + gap),
                       top + static_cast<float>(i / cols) * (bh + gap), bw, bh};
      auto label = ctx.staff_tr(entries[i].key);
      const bool enabled = !entries[i].needs_event || !m_event_name.empty();
      if (ui.button(entries[i].id, r, label.text, label.lang,
                    i == 0 ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, 40)) {
        ctx.go(enabled ? entries[i].screen : "events");  // no event yet: choose one first
      }
    }
  }

 private:
  std::string m_event_name;
};

}  // namespace

std::unique_ptr<Screen> make_staff_home_screen() { return std::make_unique<StaffHomeScreen>(); }

}  // namespace kiosk::screens
