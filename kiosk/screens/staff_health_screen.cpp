// Health (issue 14 item 4, issue 12 items 3 and 4): how the kiosk is doing, in the staff
// language — the problems staff must act on first (core/health.h H2), then disk, store, the
// full integrity check (on demand, on its own thread: H1), records not yet sent, last receipt
// and backup, uptime, memory, power, the content pack, the PIN pad and the version.
// The report is read on entering and after a check ends — never every frame.
#include "kiosk_sync.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiosk::screens {
namespace {

std::string bytes_text(const ScreenContext& ctx, std::int64_t bytes) {
  if (bytes < 0) return std::string(ctx.staff_tr("health.power.unknown").text);
  const std::string_view lang = ctx.staff->lang();
  const kiosk::text::Digits digits = pack_digits(ctx);
  if (bytes >= (std::int64_t{1} << 30))
    return staff_text(ctx, "health.gigabytes", "n",
                      kiosk::text::format_decimal(static_cast<double>(bytes) / static_cast<double>(std::int64_t{1} << 30),
                                                  1, lang, digits));
  return staff_text(ctx, "health.megabytes", "n",
                    kiosk::text::format_decimal(static_cast<double>(bytes) / static_cast<double>(1 << 20), 1, lang, digits));
}

class StaffHealthScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-health"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    refresh(ctx);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width();
    if (!begin_staff_screen(ui, ctx)) return;
    if (!m_loaded) refresh(ctx);
    // The check runs on its own thread: look again four times a second until it ends.
    if (m_health.integrity == "running") {
      if (ctx.staff->integrity_result && ctx.staff->integrity_result() != "running") refresh(ctx);
      ui.wake_at(ui.now_ms() + 250);
    }
    // The exact count of people not yet sent comes from the sync worker (health.h H4): taken when
    // its refresh has ended, "Checking…" until then.
    if (m_counting && ctx.staff->sync) {
      const sync::SyncWorker::Snapshot snap = ctx.staff->sync->snapshot();
      if (!snap.running && snap.status) {
        m_health.people_pending = snap.status->people_pending;
        m_counting = false;
      } else if (!snap.running && !snap.status_error.empty()) {
        m_counting = false;  // the store could not be read: "Not known"
      } else {
        ui.wake_at(ui.now_ms() + 100);
      }
    }
    const std::string_view lang = ctx.staff->lang();
    const auto& th = ui.theme();

    // Problems first (H2), each on its own line in red; or one line saying all is well.
    float y = 150;
    const std::vector<std::string> problems = core::health_problems(m_health, m_today);
    if (problems.empty()) {
      ui.register_id("health.ok", ui.mirror({60, y, w - 120, 50}));
      staff_label(ui, ui.mirror({60, y, w - 120, 50}), ctx.staff_tr("health.all_ok").text, lang, 30, th.accent, true);
      y += 64;
    }
    for (const std::string& key : problems) {
      ui.register_id("health.problem." + key.substr(key.rfind('.') + 1), ui.mirror({60, y, w - 120, 76}));
      staff_label(ui, ui.mirror({60, y, w - 120, 76}), ctx.staff_tr(key).text, lang, 28, th.danger, true);
      y += 84;
    }
    y += 10;

    const float label_w = std::min(420.0f, (w - 120) * 0.38f);
    const float value_x = 60 + label_w + 20, value_w = w - 60 - value_x;
    // reserve: room kept at the row's end for a button (the integrity check's).
    auto row = [&](const std::string& id, std::string_view key, const std::string& value, ImU32 color,
                   float reserve = 0) {
      // As tall as its label or value needs in this language and text size (isiZulu wraps).
      const std::string_view name = ctx.staff_tr(key).text;
      const float rh = std::max({56.0f, ui.text_height(name, staff_style(lang, 26), label_w) + 4,
                                 ui.text_height(value, staff_style(lang, 26), value_w - reserve) + 4});
      staff_label(ui, ui.mirror({60, y, label_w, rh}), name, lang, 26, th.text_muted);
      ui.register_id("health.value." + id, ui.mirror({value_x, y, value_w - reserve, rh}));
      staff_label(ui, ui.mirror({value_x, y, value_w - reserve, rh}), value, lang, 26, color);
      y += rh + 6;
    };
    const core::Health& h = m_health;
    std::string disk = std::string(ctx.staff_tr("health.power.unknown").text);
    if (h.disk_free_bytes >= 0)
      disk = with_param(with_param(std::string(ctx.staff_tr("health.disk.value").text), "free",
                                   bytes_text(ctx, h.disk_free_bytes)),
                        "total", bytes_text(ctx, h.disk_total_bytes));
    row("disk", "health.disk", disk, h.disk_free_bytes >= 0 && h.disk_free_bytes < core::kLowDiskBytes ? th.danger : th.text);
    row("store", "health.store",
        with_param(with_param(std::string(ctx.staff_tr("health.store.value").text), "size", bytes_text(ctx, h.store_bytes)),
                   "ms", number_text(ctx, static_cast<std::int64_t>(std::lround(h.open_check_ms)), lang)),
        th.text);
    std::string integrity;
    ImU32 integrity_color = th.text;
    if (h.integrity == "not_run" || h.integrity == "running" || h.integrity == "ok") {
      integrity = std::string(ctx.staff_tr("health.integrity." + h.integrity).text);
    } else {
      integrity = staff_text(ctx, "health.integrity.problem", "detail", h.integrity);
      integrity_color = th.danger;
    }
    const float check_y = y;
    // The value's widget id carries its state, so a test can tell which one shows.
    const char* integrity_state = h.integrity == "not_run" || h.integrity == "running" || h.integrity == "ok"
                                      ? h.integrity.c_str() : "problem";
    const bool can_check = h.integrity != "running" && ctx.staff->start_integrity_check;
    row(std::string("integrity.") + integrity_state, "health.integrity", integrity, integrity_color,
        can_check ? 320 : 0);
    if (can_check) {
      auto run = ctx.staff_tr("health.integrity.run");
      if (ui.button("health.check", ui.mirror({w - 360, check_y - 6, 300, 68}), run.text, run.lang,
                    ui::ButtonKind::Normal, 26)) {
        ctx.staff->start_integrity_check();
        refresh(ctx);
        ui.wake_at(ui.now_ms() + 250);  // the poll above runs from the next frame on
      }
    }
    row(m_counting ? "unsent.counting" : "unsent", "health.unsent",
        h.people_pending < 0 ? std::string(ctx.staff_tr(m_counting ? "sync.working.refresh" : "health.power.unknown").text)
                             : staff_text(ctx, "health.unsent.value", "n", number_text(ctx, h.people_pending, lang)),
        th.text);
    row("last_receipt", "health.last_receipt", when(ctx, h.last_receipt_at), th.text);
    row("last_backup", "health.last_backup", when(ctx, h.last_backup_at), th.text);
    if (h.uptime_s >= 0) {
      const long minutes = static_cast<long>(h.uptime_s / 60);
      row("uptime", "health.uptime",
          with_param(staff_text(ctx, "health.uptime.value", "h", number_text(ctx, minutes / 60, lang)), "m",
                     number_text(ctx, minutes % 60, lang)),
          th.text);
    }
    row("memory", "health.memory", bytes_text(ctx, h.rss_bytes), th.text);
    row("power", "health.power", power_text(ctx, h), h.power == "battery" && h.battery_percent >= 0 && h.battery_percent < 20 ? th.danger : th.text);
    row("pack", "health.pack",
        staff_text(ctx, h.pack_fell_back ? "health.pack.fell_back" : "health.pack.ok", "id", h.pack_id),
        h.pack_fell_back ? th.danger : th.text);
    std::string pad = std::string(ctx.staff_tr("health.pin_pad.open").text);
    const bool locked = h.pin_pad.remaining_ms > 0;
    if (locked)
      pad = staff_text(ctx, "health.pin_pad.locked", "s", number_text(ctx, (h.pin_pad.remaining_ms + 999) / 1000, lang));
    else if (h.pin_pad.failed_attempts > 0)
      pad = staff_text(ctx, "health.pin_pad.failed", "n", number_text(ctx, h.pin_pad.failed_attempts, lang));
    row(locked ? "pin_pad.locked" : h.pin_pad.failed_attempts > 0 ? "pin_pad.failed" : "pin_pad.open", "health.pin_pad",
        pad, locked ? th.danger : th.text);
    row("version", "health.version", h.version, th.text_muted);

    draw_staff_header(ui, ctx, "health", "health.title");  // the title has the whole row (Burmese wraps)
  }

 private:
  void refresh(ScreenContext& ctx) {
    if (!ctx.staff || !ctx.staff->health) return;
    // H4: never the exact count on the UI thread (0.7-0.9 s at 100,000 unsent people); the sync
    // worker counts on its own connection. Without one (never in the kiosk), count here.
    m_counting = ctx.staff->sync != nullptr;
    if (m_counting) ctx.staff->sync->start(sync::SyncWorker::Job::refresh);  // ignored while a job runs: its end refreshes too
    m_health = ctx.staff->health(m_counting ? core::PendingCount::any : core::PendingCount::exact);
    m_today = ctx.staff->store.now_iso();
    m_loaded = true;
  }

  static std::string when(const ScreenContext& ctx, const std::string& iso) {
    if (iso.empty()) return std::string(ctx.staff_tr("health.never").text);
    return date_time_text(ctx, iso, ctx.staff->lang());  // the kiosk's local time, like Sync
  }

  static std::string power_text(const ScreenContext& ctx, const core::Health& h) {
    const std::string percent = number_text(ctx, std::max(h.battery_percent, 0), ctx.staff->lang());
    if (h.power == "ac") return std::string(ctx.staff_tr("health.power.ac").text);
    if (h.power == "charged") return std::string(ctx.staff_tr("health.power.charged").text);
    if (h.power == "battery" && h.battery_percent >= 0) return staff_text(ctx, "health.power.battery", "percent", percent);
    if (h.power == "charging" && h.battery_percent >= 0) return staff_text(ctx, "health.power.charging", "percent", percent);
    return std::string(ctx.staff_tr("health.power.unknown").text);
  }

  core::Health m_health;
  std::string m_today;
  bool m_loaded = false;
  bool m_counting = false;  // waiting for the sync worker's count (H4)
};

}  // namespace

std::unique_ptr<Screen> make_staff_health_screen() { return std::make_unique<StaffHealthScreen>(); }

}  // namespace kiosk::screens
