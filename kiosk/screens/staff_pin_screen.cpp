// Staff sign-in, reached by the hidden long press on the corner logo: pick your name, type your
// PIN. The check, the lockout after five wrong PINs (growing delays, survives restarts) and the
// audit are core's (StaffDirectory::verify_pin). While the pad is locked, a supervisor's PIN may
// unlock it, one try per lock (supervisor_unlock, staff.h L5). Staff UI is in the staff language.
//
// The argon2id comparison (~80 ms) runs on a thread of its own (staff.h P1-P3): OK writes the
// attempt (P1) and starts the comparison; the frames that follow show "Checking…", keep the PIN
// pad still, and settle the attempt (P3) once the answer is there. Leaving the screen meanwhile
// waits for that one comparison and drops it: the attempt stays counted as failed.
#include "screens.h"
#include "log.h"
#include "staff_widgets.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <optional>

namespace kiosk::screens {
namespace {

class StaffPinScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-pin"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    drop_check();
    m_pin.clear();
    m_message.clear();
    m_staff_id.clear();
    m_staff.clear();
    m_scroll = ui::KineticScroll();
    m_last_ms = -1;
    if (ctx.staff) m_staff = ctx.staff->directory.list();
    if (m_staff.size() == 1) m_staff_id = m_staff[0].id;
  }

  void exit(ScreenContext&, std::string_view) override { drop_check(); }
  bool busy() const override { return m_attempt.has_value(); }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    if (m_attempt) {
      poll_check(ctx);
      if (!ctx.staff || !ctx.next.empty()) return;
    }
    const float w = ui.width(), h = ui.height();
    const auto& th = ui.theme();
    ui.fill({0, 0, w, h}, kStaffBackground);
    if (ctx.staff) ui.set_rtl(ui::is_rtl_language(ctx.staff->lang()));
    auto cancel = ctx.staff_tr("staff.pin.cancel");
    if (ui.button("pin.cancel", ui.mirror({40, 30, 240, 84}), cancel.text, cancel.lang, ui::ButtonKind::Quiet, 32)) {
      ctx.go("attract");
      return;
    }
    if (m_staff.empty()) {
      auto none = ctx.staff_tr("staff.pin.not_ready");
      ui::TextStyle ts;
      ts.lang = none.lang;
      ts.size = 36;
      ts.align = ui::TextAlign::Center;
      ui.label({80, h * 0.4f, w - 160, 200}, none.text, ts, th.text);
      return;
    }
    const bool landscape = w > h;
    auto title = ctx.staff_tr(m_staff_id.empty() ? "staff.pin.pick" : "staff.pin.title");
    ui::TextStyle ts;
    ts.lang = title.lang;
    ts.size = 40;
    ts.bold = true;
    ts.align = ui::TextAlign::Center;
    const float px0 = landscape ? w * 0.36f + 80 : 40;
    const float pw = landscape ? w - px0 - 40 : w - 80;
    // The title may wrap (Khmer and Burmese run long): what follows starts below however many lines.
    const float title_h = std::max(60.0f, ui.text_height(title.text, ts, pw));
    // Who is signing in: a column of names (start side in landscape; in portrait under the title,
    // down to the bottom until a name is picked, then above the pad, which needs kPadH), scrolled
    // by dragging when there are more accounts than rows.
    constexpr float kRow = 110, kPadH = 860;
    const float list_top = landscape ? 150 : 130 + title_h + 20;
    const float rows_h = kRow * static_cast<float>(m_staff.size()) - 16;
    const float picked_room = std::max(kRow - 16, h - list_top - 20 - kPadH);
    const float portrait_room = m_staff_id.empty() ? h - list_top - 40 : picked_room;
    const ui::Rect names = landscape ? ui::Rect{40, 150, w * 0.36f, h - 190}
                                     : ui::Rect{40, list_top, w - 80, std::max(kRow - 16, std::min(rows_h, portrait_room))};
    scroll_staff_list(ui, m_scroll, names, kRow * static_cast<float>(m_staff.size()) - 20, &m_last_ms);
    const ui::Rect clip = ui.mirror(names);
    ui.draw_list()->PushClipRect(ui.px({clip.x, clip.y}), ui.px({clip.x + clip.w, clip.y + clip.h}), true);
    ui.set_input_clip(clip);
    const std::string picked_before = m_staff_id;
    for (size_t i = 0; i < m_staff.size(); ++i) {
      const ui::Rect r{names.x, names.y + static_cast<float>(i) * kRow - m_scroll.offset(), names.w, kRow - 16};
      if (r.y + r.h < names.y || r.y > names.y + names.h) continue;
      const bool chosen = m_staff[i].id == m_staff_id;
      if (ui.button("staff.pick." + std::to_string(i), ui.mirror(r), m_staff[i].name, script_lang(m_staff[i].name),
                    chosen ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, 34)) {
        m_staff_id = m_staff[i].id;
        m_pin.clear();
      }
    }
    ui.clear_input_clip();
    ui.draw_list()->PopClipRect();
    if (!landscape && m_staff_id != picked_before) {
      // Portrait: picking a name shrinks the list to make room for the pad; the next frame lays
      // both out (drawn now, the pad would sit where the longer list ended), with the picked
      // name scrolled to the list's top so it stays in view.
      m_scroll.set_extent(rows_h - std::min(rows_h, picked_room) + 20);  // as scroll_staff_list will
      for (size_t i = 0; i < m_staff.size(); ++i)
        if (m_staff[i].id == m_staff_id) m_scroll.set_offset(static_cast<float>(i) * kRow);
      ui.request_frame();
      return;
    }
    const float py0 = landscape ? 40 : 130;
    ui.label(ui.mirror({px0, py0, pw, title_h}), title.text, ts, th.text);
    if (!m_staff_id.empty()) {
      const ui::Rect pad = ui.mirror({px0, 0, pw, 1});  // the pad's digits keep their order
      draw_pad(ui, ctx, pad.x, pw, landscape ? py0 + title_h + 20 : names.y + names.h + 20, h);
    }
  }

 private:
  void draw_pad(ui::Ui& ui, ScreenContext& ctx, float x0, float width, float y0, float h) {
    const auto& th = ui.theme();
    const float cx = x0 + width * 0.5f;
    draw_pin_dots(ui, cx, y0 + 10, m_pin.size());
    const float key = std::min(130.0f, (h - y0 - 240) / 4.0f - 14);
    const float gap = 16, pad_w = 3 * key + 2 * gap;
    const float kx = cx - pad_w * 0.5f, ky = y0 + 50;
    std::string still = m_pin;  // while a PIN is being checked, the pad takes no keys
    const float by = draw_pin_pad(ui, ctx, "pin", cx, ky, key, m_attempt ? still : m_pin);
    auto ok = ctx.staff_tr("staff.pin.ok");
    if (ui.button("pin.ok", {kx, by, pad_w, 90}, ok.text, ok.lang, ui::ButtonKind::Primary, 34) && !m_pin.empty() &&
        !m_attempt)
      start_check(ctx);
    if (m_attempt) ui.request_frame();  // poll the comparison
    // Under the pad: "Checking…" while the comparison runs, else the last outcome's message.
    const std::string_view said = m_attempt ? ctx.staff_tr("staff.pin.checking").text : std::string_view(m_message);
    if (!said.empty()) {
      ui::TextStyle ms;
      ms.lang = ctx.staff ? std::string_view(ctx.staff->lang()) : std::string_view("en");
      ms.size = 30;
      ms.align = ui::TextAlign::Center;
      ui.label({x0, by + 104, width, 170}, said, ms, m_attempt ? th.text : th.danger);
    }
  }

  // P1, then P2 on its own thread; a settled outcome (locked, unknown...) is shown at once.
  void start_check(ScreenContext& ctx) {
    // staff.h L5: while the pad is locked, a supervisor's PIN may unlock it (one try per lock).
    const bool locked = ctx.staff->directory.lockout().remaining_ms > 0;
    core::PinAttempt a = locked ? ctx.staff->directory.begin_unlock(m_staff_id, m_pin)
                                : ctx.staff->directory.begin_verify(m_staff_id, m_pin);
    m_pin.clear();
    if (!a.pending) return show(ctx, a.settled);
    m_check = std::async(std::launch::async, [a] { return a.matches(); });
    m_attempt = std::move(a);
    m_message.clear();
  }

  // P3 once the comparison has answered.
  void poll_check(ScreenContext& ctx) {
    if (m_check.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    const bool match = m_check.get();
    const core::PinAttempt a = std::move(*m_attempt);
    m_attempt.reset();
    if (ctx.staff) show(ctx, ctx.staff->directory.finish(a, match));
  }

  void drop_check() {
    if (m_check.valid()) m_check.wait();
    m_check = {};
    m_attempt.reset();
  }

  void show(ScreenContext& ctx, const core::PinCheck& r) {
    switch (r.outcome) {
      case core::PinOutcome::accepted:
        ctx.staff->session.emplace(r.staff, ctx.staff->session_idle_ms(), ctx.staff->store.now_ms());
        m_message.clear();
        ctx.go("staff-home");
        return;
      case core::PinOutcome::wrong_pin:
        m_message = std::string(ctx.staff_tr("staff.pin.wrong").text) + " " +
                    number_text(ctx, r.attempts_left, ctx.staff->lang());
        return;
      case core::PinOutcome::locked: {
        const long long secs = std::max<long long>(1, (r.locked_until_ms - ctx.staff->store.now_ms() + 999) / 1000);
        m_message = std::string(ctx.staff_tr("staff.pin.locked").text) + " " +
                    staff_text(ctx, "settings.seconds", "n", number_text(ctx, secs, ctx.staff->lang())) +  // "30 s", translated
                    "\n" + std::string(ctx.staff_tr("staff.pin.supervisor_hint").text);
        return;
      }
      case core::PinOutcome::not_supervisor:
        m_message = std::string(ctx.staff_tr("staff.pin.not_supervisor").text);
        return;
      default:
        m_message = std::string(ctx.staff_tr("staff.pin.error").text);
        log::error("PIN check failed: " + r.detail);
        return;
    }
  }

  std::vector<core::StaffMember> m_staff;
  std::string m_staff_id;
  std::string m_pin;
  std::string m_message;
  std::optional<core::PinAttempt> m_attempt;  // between P1 and P3
  std::future<bool> m_check;                  // P2
  ui::KineticScroll m_scroll;  // the names column
  double m_last_ms = -1;
};

}  // namespace

std::unique_ptr<Screen> make_staff_pin_screen() { return std::make_unique<StaffPinScreen>(); }

}  // namespace kiosk::screens
