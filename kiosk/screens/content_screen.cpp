// Content (issue 16, supervisors): new content packs from a USB stick. The screen shows the pack
// the kiosk runs and the one kept for rollback, lists the pack files (*.rkp, made by `hq pack
// build`) on the sticks with what each would change, checks one (copy into a staging folder with
// a progress bar, headquarters' signature, every hash, the tour, the content checker) and then
// installs it, or rolls back to the previous pack with one tap.
//
//   enter / Look again ──> running(scan) ──> list of offers (version, languages, exhibits +/~/−)
//   tap an offer ──> running(check) [progress] ──ok──> verdict + changes + Install ──> running(install)
//                                     └─refused──> the reason, in the staff language
//   Roll back ──> running(rollback) ──> outcome
//
// The work is sync::PackWorker's (sync/pack_worker.h), on its own thread: this screen only calls
// start() and snapshot(). After an install or a rollback the app loads the new pack
// (App::reload_pack_if_switched), so visitors see it from the next screen they open.
// Widget ids: content.back, content.rescan, content.rollback(.disabled), content.file.N,
// content.install, content.progress, content.message.<catalog key>.
#include "pack_worker.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>

namespace kiosk::screens {
namespace {

using Job = kiosk::sync::PackWorker::Job;
using Snapshot = kiosk::sync::PackWorker::Snapshot;
constexpr double kPollMs = 50;

// A pack's version (its build time, unix seconds) as the kiosk's local date and time, to the
// second (two builds of one day differ), in the staff language and the pack's digits.
std::string version_text(const ScreenContext& ctx, std::int64_t v) {
  return kiosk::text::format_date_time(v, ctx.staff->lang(), pack_digits(ctx), kiosk::text::DateLength::Medium, true);
}

std::string words(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "—" : s;
}

class ContentScreen final : public Screen {
 public:
  std::string_view name() const override { return "content"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_started = Job::none;
    if (ctx.staff && ctx.staff->packs) ctx.staff->packs->start(Job::scan);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    if (!begin_staff_screen(ui, ctx)) return;
    draw_staff_header(ui, ctx, "content", "content.title");
    if (!ctx.staff->packs) return;  // impossible in the app, which always makes the worker
    const Snapshot snap = ctx.staff->packs->snapshot();
    float y = draw_installed(ui, ctx, snap, 140) + 24;
    if (snap.running && snap.job != Job::scan) draw_progress(ui, ctx, snap, y);
    else if (m_started == Job::check && snap.checked && !snap.running) draw_verdict(ui, ctx, snap, y);
    else draw_offers(ui, ctx, snap, y);
    if (snap.running) ui.wake_at(ui.now_ms() + kPollMs);
    if (ui.gestures().tap) ui.request_frame();
  }

 private:
  static float paragraph(ui::Ui& ui, float y, std::string_view text, std::string_view lang, ImU32 color,
                         float size = 28, bool bold = false, float right = 60) {
    ui::TextStyle ts = staff_style(lang, size, bold);
    ts.align = align(ui, lang);
    const float w = ui.width() - 60 - right, h = ui.text_height(text, ts, w);
    ui.label(ui.mirror({60, y, w, h}), text, ts, color);
    return h;
  }

  // The pack running and the one kept for rollback, with the Roll back button. Returns the bottom.
  float draw_installed(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) {
    const auto& th = ui.theme();
    const std::string_view lang = ctx.staff->lang();
    const float bw = 340;
    float top = y;
    std::string text;
    if (snap.current) {
      const auto& d = snap.current->description;
      text = with_param(with_param(with_param(staff_text(ctx, "content.current", "version", version_text(ctx, d.version)),
                                              "pack", d.pack_id),
                                   "languages", words(d.languages)),
                        "exhibits", std::to_string(d.exhibits.size()));
    } else {
      text = ctx.staff_tr(snap.running ? "content.working.scan" : "content.none_current").text;
    }
    y += paragraph(ui, y, text, lang, th.text, 28, true, 60 + bw + 30) + 10;
    const std::string prev = snap.previous ? staff_text(ctx, "content.previous", "version",
                                                        version_text(ctx, snap.previous->description.version))
                                           : std::string(ctx.staff_tr("content.no_previous").text);
    y += paragraph(ui, y, prev, lang, th.text_muted, 24, false, 60 + bw + 30);
    const ui::Rect r = ui.mirror({w_of(ui) - 60 - bw, top, bw, 96});
    const auto label = ctx.staff_tr("content.rollback");
    if (!snap.previous || snap.running) {
      draw_disabled_button(ui, "content.rollback", r, label, 30);
    } else if (ui.button("content.rollback", r, label.text, label.lang, ui::ButtonKind::Normal, 30)) {
      start(ctx, Job::rollback);
    }
    if (!ctx.staff->pack_warning_key.empty())
      y += 12 + paragraph(ui, y + 12, ctx.staff_tr(ctx.staff->pack_warning_key).text, lang, th.danger, 24);
    return std::max(y, top + 96);
  }

  static float w_of(const ui::Ui& ui) { return ui.width(); }

  void draw_progress(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) {
    const char* key = snap.job == Job::check ? "content.working.check" : "content.working.switch";
    y += paragraph(ui, y, ctx.staff_tr(key).text, ctx.staff->lang(), ui.theme().text) + 16;
    draw_staff_progress(ui, "content.progress", y, snap.progress);
  }

  // The last outcome, in the staff language, with the technical reason under it. Returns height.
  float draw_outcome(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) const {
    if (!snap.outcome || m_started == Job::none || m_started == Job::scan) return 0;
    const bool ok = snap.outcome->ok();
    const std::string key = ok ? (m_started == Job::rollback ? "content.rolled_back" : "content.installed")
                               : kiosk::sync::pack_code_key(snap.outcome->code);
    ui.register_id("content.message." + key, ui.mirror({60, y, ui.width() - 120, 40}));
    float h = paragraph(ui, y, ctx.staff_tr(key).text, ctx.staff->lang(), ok ? ui.theme().accent : ui.theme().danger,
                        30, true) + 8;
    if (!ok) h += paragraph(ui, y + h, first_lines(snap.outcome->detail, 3), "en", ui.theme().text_muted, 20) + 8;
    return h + 16;
  }

  static std::string first_lines(const std::string& s, int n) {
    std::size_t at = 0;
    for (int i = 0; i < n && at != std::string::npos; ++i) at = s.find('\n', at == 0 ? 0 : at + 1);
    return at == std::string::npos ? s : s.substr(0, at);
  }

  // What the checked pack would change, the checker's verdict, and Install.
  void draw_verdict(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) {
    const auto& th = ui.theme();
    const std::string_view lang = ctx.staff->lang();
    const kiosk::sync::PackOffer& o = *snap.checked;
    y += paragraph(ui, y, o.name, "en", th.text, 30, true) + 10;
    ui.register_id("content.verdict", ui.mirror({60, y, ui.width() - 120, 40}));
    y += paragraph(ui, y, staff_text(ctx, "content.verdict.ok", "warnings", std::to_string(snap.checker_warnings)),
                   lang, th.accent, 28, true) + 12;
    const auto& d = o.diff;
    const std::string version = d.version_before ? version_text(ctx, d.version_before) : "—";
    y += paragraph(ui, y, with_param(staff_text(ctx, "content.change.version", "before", version), "after",
                                     version_text(ctx, d.version_after)), lang, th.text) + 8;
    y += paragraph(ui, y, with_param(staff_text(ctx, "content.change.languages", "before", words(d.languages_before)),
                                     "after", words(d.languages_after)), lang, th.text) + 8;
    y += paragraph(ui, y, staff_text(ctx, "content.change.added", "list", words(d.added)), lang, th.text) + 8;
    y += paragraph(ui, y, staff_text(ctx, "content.change.changed", "list", words(d.changed)), lang, th.text) + 8;
    y += paragraph(ui, y, staff_text(ctx, "content.change.removed", "list", words(d.removed)), lang, th.text) + 20;
    const float bw = 360, gap = 30;
    const auto install = ctx.staff_tr("content.install");
    if (ui.button("content.install", ui.mirror({60, y, bw, 96}), install.text, install.lang, ui::ButtonKind::Primary, 32))
      start(ctx, Job::install);
    const auto cancel = ctx.staff_tr("content.rescan");
    if (ui.button("content.rescan", ui.mirror({60 + bw + gap, y, bw, 96}), cancel.text, cancel.lang,
                  ui::ButtonKind::Quiet, 30))
      start(ctx, Job::scan);
  }

  // The pack files found on the sticks, one button each: name, version, languages, exhibit changes.
  void draw_offers(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) {
    const auto& th = ui.theme();
    const float w = ui.width(), h = ui.height(), again_w = 340;
    y += draw_outcome(ui, ctx, snap, y);
    const bool scanning = snap.running && snap.job == Job::scan;
    const auto hint = ctx.staff_tr(scanning ? "content.working.scan" : snap.offers.empty() ? "content.none" : "content.pick");
    ui::TextStyle ts = staff_style(hint.lang, 28);
    ts.align = align(ui, hint.lang);
    const float hint_w = w - 150 - again_w, hint_h = std::max(84.0f, ui.text_height(hint.text, ts, hint_w));
    ui.label_centered(ui.mirror({60, y, hint_w, hint_h}), hint.text, ts, th.text_muted);
    const auto again = ctx.staff_tr("content.rescan");
    if (!snap.running && ui.button("content.rescan", ui.mirror({w - 60 - again_w, y, again_w, 84}), again.text,
                                   again.lang, ui::ButtonKind::Quiet, 30))
      start(ctx, Job::scan);
    y += hint_h + 20;
    if (scanning) return;
    const std::string_view lang = ctx.staff->lang();
    for (std::size_t i = 0; i < snap.offers.size(); ++i) {
      const kiosk::sync::PackOffer& o = snap.offers[i];
      std::string line;
      if (o.readable.ok()) {
        line = with_param(with_param(with_param(with_param(staff_text(ctx, "content.offer", "version",
                                                                      version_text(ctx, o.manifest.version)),
                                                           "languages", words(o.manifest.languages)),
                                                "added", std::to_string(o.diff.added.size())),
                                     "changed", std::to_string(o.diff.changed.size())),
                          "removed", std::to_string(o.diff.removed.size()));
      } else {
        line = ctx.staff_tr(kiosk::sync::pack_code_key(o.readable.code)).text;
      }
      ui::TextStyle ls = staff_style(lang, 24);
      ls.align = align(ui, lang);
      const float line_h = ui.text_height(line, ls, w - 180), item_h = 60 + line_h + 14;
      if (y + item_h > h) break;
      const std::string id = "content.file." + std::to_string(i);
      const ui::Rect r = ui.mirror({60, y, w - 120, item_h});
      bool tapped = false;
      if (o.readable.ok()) {
        tapped = ui.button(id, r, "", "en", ui::ButtonKind::Normal);
      } else {
        ui.register_id(id + ".refused", r);
        ui.fill(r, kDisabledFill, th.corner);
      }
      staff_label(ui, ui.mirror({90, y + 6, w - 180, 50}), o.name, "en", 30, th.text, true);
      ui.label(ui.mirror({90, y + 58, w - 180, line_h}), line, ls, o.readable.ok() ? th.text_muted : th.danger);
      if (tapped) start(ctx, Job::check, o.path);
      y += item_h + 14;
    }
  }

  void start(ScreenContext& ctx, Job job, std::string arg = {}) {
    if (ctx.staff->packs->start(job, std::move(arg))) m_started = job;
  }

  Job m_started = Job::none;  // the action started on this visit, whose outcome is shown
};

}  // namespace

std::unique_ptr<Screen> make_content_screen() { return std::make_unique<ContentScreen>(); }

}  // namespace kiosk::screens
