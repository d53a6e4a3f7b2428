// Sync (issue 9, item 4): staff send the kiosk's records to headquarters over the network ("Send
// now") or on a USB stick ("Export to USB"), and load what headquarters gives back on a stick
// ("Import from headquarters": its receipt-*.rkr receipts and its *.rkd packages with the
// organization directory, events, settings and staff accounts). The screen says whether the
// kiosk is enrolled, how many people headquarters has not yet confirmed, and when the last
// receipt came; after a package, what it brought.
//
// The work is sync::SyncWorker's (sync/kiosk_sync.h), on its own thread with its own store
// connection: this screen only calls start() and snapshot(), so no frame waits for the network,
// a stick or the crypto.
//
//   idle ──Send now──────────────────────────────> running(send) ───────────> outcome
//    ├───Export to USB──> pick a folder ──tap────> running(export_usb) ─────> outcome
//    └───Import from HQ─> pick a file ────tap────> running(import_receipt) ─> outcome
//   enter() and "Look again" ────────────────────> running(refresh): the counts, no outcome
//
// While a job runs the three actions are disabled (drawn dimmed, registered as "<id>.disabled")
// and the screen asks to be woken every kPollMs to move the progress bar; after the last frame
// of a job nothing is rendered until the next touch. Folders and receipt files are looked for on
// entry and on "Look again", never per frame (a USB stick can be slow to list).
#include "import_files.h"
#include "kiosk_sync.h"
#include "screens.h"
#include "staff_widgets.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>

namespace kiosk::screens {
namespace {

using Job = kiosk::sync::SyncWorker::Job;
constexpr double kPollMs = 50;           // progress redraws while a job runs (20 per second)
constexpr std::size_t kFilesShown = 3;   // exported file names listed under the outcome

// Where "Export to USB" may write: StaffServices::export_dirs that exist, then every stick, i.e.
// every mount point (a folder on another device than the folder holding it) one or two levels
// below an import dir (/media/<user>/<stick>, /run/media/<user>/<stick>, /mnt/<stick>).
std::vector<std::string> usb_folders(const StaffServices& staff) {
  namespace fs = std::filesystem;
  auto device = [](const fs::path& p, dev_t* dev) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
    *dev = st.st_dev;
    return true;
  };
  std::vector<std::string> out, sticks;
  dev_t dev = 0;
  for (const std::string& d : staff.export_dirs)
    if (device(d, &dev)) out.push_back(d);
  auto mounts_below = [&](const fs::path& dir, dev_t dir_dev, int depth, auto& self) -> void {
    std::error_code ec;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
      dev_t sub = 0;
      if (it->is_symlink(ec) || !device(it->path(), &sub)) continue;
      if (sub != dir_dev) sticks.push_back(it->path().string());
      else if (depth < 2) self(it->path(), sub, depth + 1, self);
    }
  };
  for (const std::string& root : staff.import_dirs)
    if (device(root, &dev)) mounts_below(root, dev, 1, mounts_below);
  std::sort(sticks.begin(), sticks.end());
  for (const std::string& s : sticks)
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  return out;
}

class SyncScreen final : public Screen {
 public:
  std::string_view name() const override { return "sync"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_mode = Mode::actions;
    m_action = Job::none;
    if (!ctx.staff || !ctx.staff->sync) return;
    const Snapshot snap = ctx.staff->sync->snapshot();
    if (snap.running && snap.job != Job::refresh) m_action = snap.job;  // still busy since a visit before
    rescan(ctx);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    if (!begin_staff_screen(ui, ctx)) return;
    draw_staff_header(ui, ctx, "sync", "sync.title");
    if (!ctx.staff->sync) {  // impossible in the app, which always makes the worker
      paragraph(ui, 150, ctx.staff_tr("sync.status.error"), ui.theme().danger);
      return;
    }
    const Snapshot snap = ctx.staff->sync->snapshot();
    float y = draw_status(ui, ctx, snap, 150) + 24;
    y = draw_actions(ui, ctx, snap.running, y) + 30;
    if (snap.running && snap.job != Job::refresh) draw_progress(ui, ctx, snap, y);
    else if (m_mode != Mode::actions) draw_picker(ui, ctx, y);
    else if (m_action != Job::none && snap.outcome) draw_outcome(ui, ctx, *snap.outcome, y);
    if (snap.running) ui.wake_at(ui.now_ms() + kPollMs);  // keep drawing until the job is done
    if (ui.gestures().tap) ui.request_frame();          // a tap may have changed what is shown
  }

 private:
  using Snapshot = kiosk::sync::SyncWorker::Snapshot;
  enum class Mode { actions, pick_folder, pick_backup, pick_receipt };

  // Text across the screen at y, wrapped to as many lines as it needs; returns its height.
  static float paragraph(ui::Ui& ui, float y, std::string_view text, std::string_view lang, ImU32 color,
                         float size = 30, bool bold = false) {
    ui::TextStyle ts = staff_style(lang, size, bold);
    ts.align = align(ui, lang);
    const float w = ui.width() - 120, h = ui.text_height(text, ts, w);
    ui.label(ui.mirror({60, y, w, h}), text, ts, color);
    return h;
  }
  static float paragraph(ui::Ui& ui, float y, const content::Catalog::Lookup& s, ImU32 color, float size = 30,
                         bool bold = false) {
    return paragraph(ui, y, s.text, s.lang, color, size, bold);
  }

  // Enrolled as whom, people not yet confirmed, the last receipt. Returns the bottom.
  static float draw_status(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) {
    const auto& th = ui.theme();
    const std::string_view lang = ctx.staff->lang();
    const ui::Rect first = ui.mirror({60, y, ui.width() - 120, 40});
    if (!snap.status) {  // not read yet (the first refresh runs), or the store could not be read
      const bool failed = !snap.running && !snap.status_error.empty();
      if (failed) ui.register_id("sync.status.error", first);
      return y + paragraph(ui, y, ctx.staff_tr(failed ? "sync.status.error" : "sync.working.refresh"),
                           failed ? th.danger : th.text_muted);
    }
    const kiosk::sync::SyncStatus& s = *snap.status;
    ui.register_id(s.enrolled ? "sync.status.enrolled" : "sync.status.not_enrolled", first);
    if (s.enrolled) {
      const std::string device = s.device_name.empty() ? s.hq_device_id : s.device_name;
      y += paragraph(ui, y, with_param(staff_text(ctx, "sync.enrolled", "device", device), "tour", s.tour), lang,
                     th.text, 30, true) + 12;
    } else {
      y += paragraph(ui, y, ctx.staff_tr("sync.not_enrolled"), th.danger) + 12;
    }
    if (s.people_pending == 0) y += paragraph(ui, y, ctx.staff_tr("sync.pending_none"), th.text_muted) + 12;
    else y += paragraph(ui, y, staff_text(ctx, "sync.pending", "n", number_text(ctx, s.people_pending, lang)), lang, th.text) + 12;
    const std::string when = s.last_receipt_at.empty() ? std::string(ctx.staff_tr("sync.never").text)
                                                       : date_time_text(ctx, s.last_receipt_at, lang);
    return y + paragraph(ui, y, staff_text(ctx, "sync.last_receipt", "when", when), lang, th.text_muted, 28);
  }

  // The three actions: one row in landscape, one under the other in portrait. Returns the bottom.
  float draw_actions(ui::Ui& ui, ScreenContext& ctx, bool busy, float y) {
    const float w = ui.width(), gap = 30, bh = 110;
    const bool row = w > ui.height();
    constexpr int kActions = 4;
    const float bw = row ? (w - 120 - (kActions - 1) * gap) / kActions : w - 120;
    struct Action { const char* id; const char* key; Mode mode; };
    const Action actions[kActions] = {{"sync.send", "sync.send", Mode::actions},
                                      {"sync.export", "sync.export", Mode::pick_folder},
                                      {"sync.import", "sync.import", Mode::pick_receipt},
                                      {"sync.backup", "sync.backup", Mode::pick_backup}};
    for (int i = 0; i < kActions; ++i) {
      const Action& a = actions[i];
      const ui::Rect r = ui.mirror(row ? ui::Rect{60 + static_cast<float>(i) * (bw + gap), y, bw, bh}
                                       : ui::Rect{60, y + static_cast<float>(i) * (bh + 20), bw, bh});
      const auto label = ctx.staff_tr(a.key);
      const float size = fitting_size(ui, label, r.w, bh, 34);
      if (busy) {  // disabled while a job runs
        draw_disabled_button(ui, a.id, r, label, size);
        continue;
      }
      const bool chosen = m_mode == a.mode;  // Send now stands out unless a list is open
      if (!ui.button(a.id, r, label.text, label.lang, chosen ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, size))
        continue;
      if (a.mode == Mode::actions) {
        start(ctx, Job::send, {});
      } else {
        m_mode = m_mode == a.mode ? Mode::actions : a.mode;  // the same button again closes the list
        m_action = Job::none;
      }
    }
    return row ? y + bh : y + kActions * bh + (kActions - 1) * 20;
  }

  // The largest size, up to `size`, at which the text fits a button w x h on at most two lines.
  static float fitting_size(ui::Ui& ui, const content::Catalog::Lookup& s, float w, float h, float size) {
    for (; size > 22; size -= 2) {
      const ui::TextStyle ts = staff_style(s.lang, size);
      const float one_line = ui.text_height("Ag", ts, 0);
      if (ui.text_height(s.text, ts, w - 32) <= std::min(h - 12, one_line * 2.5f)) break;
    }
    return size;
  }

  static void draw_progress(ui::Ui& ui, ScreenContext& ctx, const Snapshot& snap, float y) {
    const char* key = snap.job == Job::send         ? "sync.working.send"
                      : snap.job == Job::export_usb ? "sync.working.export"
                      : snap.job == Job::backup_usb ? "sync.working.backup"
                                                    : "sync.working.import";
    y += paragraph(ui, y, ctx.staff_tr(key), ui.theme().text) + 16;
    draw_staff_progress(ui, "sync.progress", y, snap.progress);
  }

  // What the last action came to, in plain words, then what it moved.
  void draw_outcome(ui::Ui& ui, ScreenContext& ctx, const kiosk::sync::SyncOutcome& o, float y) const {
    const std::string key = kiosk::sync::sync_code_key(o.code);
    const std::string_view lang = ctx.staff->lang();
    ui.register_id("sync.message." + key, ui.mirror({60, y, ui.width() - 120, 44}));
    y += paragraph(ui, y, ctx.staff_tr(key), o.ok() ? ui.theme().accent : ui.theme().danger, 32, true) + 14;
    if (o.code != kiosk::sync::SyncCode::ok) return;
    const std::string entries = std::to_string(o.entries);
    if (m_action == Job::send)
      y += paragraph(ui, y, with_param(staff_text(ctx, "sync.counts.sent", "bundles", std::to_string(o.bundles)),
                                       "entries", entries), lang, ui.theme().text, 28) + 10;
    if (m_action == Job::backup_usb)
      y += paragraph(ui, y, staff_text(ctx, "sync.counts.backup", "n", entries), lang, ui.theme().text, 28) + 10;
    if (m_action == Job::export_usb)
      y += paragraph(ui, y, with_param(staff_text(ctx, "sync.counts.written", "files", std::to_string(o.files.size())),
                                       "entries", entries), lang, ui.theme().text, 28) + 10;
    if (o.package_applied)
      y += paragraph(ui, y, with_param(with_param(staff_text(ctx, "sync.counts.package", "organizations",
                                                             std::to_string(o.package_organizations)),
                                                  "events", std::to_string(o.package_events)),
                                       "staff", std::to_string(o.package_staff)),
                     lang, ui.theme().text, 28) + 10;
    if (o.acked_after > o.acked_before)
      y += paragraph(ui, y, staff_text(ctx, "sync.counts.confirmed", "n", std::to_string(o.acked_after - o.acked_before)),
                     lang, ui.theme().text, 28) + 10;
    for (std::size_t i = 0; i < o.files.size() && i < kFilesShown; ++i)  // file names: Latin, never translated
      y += paragraph(ui, y, std::filesystem::path(o.files[i]).filename().string(), "en", ui.theme().text_muted, 24) + 4;
  }

  // The folders (export) or the receipt files (import) found, one button each, under a hint and
  // "Look again".
  void draw_picker(ui::Ui& ui, ScreenContext& ctx, float y) {
    const float w = ui.width(), h = ui.height(), again_w = 340;
    const bool folders = m_mode == Mode::pick_folder || m_mode == Mode::pick_backup;
    const bool none = folders ? m_folders.empty() : m_receipts.empty();
    const auto hint = ctx.staff_tr(folders ? (none ? "sync.no_folder" : "sync.pick_folder")
                                           : (none ? "sync.no_receipt" : "sync.pick_receipt"));
    ui::TextStyle ts = staff_style(hint.lang, 28);
    ts.align = align(ui, hint.lang);
    const float hint_w = w - 150 - again_w, hint_h = std::max(84.0f, ui.text_height(hint.text, ts, hint_w));
    ui.label_centered(ui.mirror({60, y, hint_w, hint_h}), hint.text, ts, ui.theme().text_muted);
    const auto again = ctx.staff_tr("sync.rescan");
    if (ui.button("sync.rescan", ui.mirror({w - 60 - again_w, y, again_w, 84}), again.text, again.lang,
                  ui::ButtonKind::Quiet, fitting_size(ui, again, again_w, 84, 30)))
      rescan(ctx);
    y += hint_h + 24;
    // Each item: its name (a stick's label, a receipt's file name) and, below, where it is, as
    // many lines as that path needs.
    const std::size_t n = folders ? m_folders.size() : m_receipts.size();
    ui::TextStyle where_style = staff_style("en", 22);
    where_style.align = align(ui, "en");
    for (std::size_t i = 0; i < n; ++i) {
      const std::string path = folders ? m_folders[i] : m_receipts[i].path;
      const std::filesystem::path p(path);
      const std::string where = folders ? path : p.parent_path().string();
      const float where_h = ui.text_height(where, where_style, w - 180), item_h = 64 + where_h + 12;
      if (y + item_h > h) break;
      const std::string id = (folders ? "sync.folder." : "sync.receipt.") + std::to_string(i);
      const bool tapped = ui.button(id, ui.mirror({60, y, w - 120, item_h}), "", "en", ui::ButtonKind::Normal);
      staff_label(ui, ui.mirror({90, y + 8, w - 180, 52}), p.filename().string(), "en", 32, ui.theme().text, true);
      ui.label(ui.mirror({90, y + 64, w - 180, where_h}), where, where_style, ui.theme().text_muted);
      if (tapped)
        start(ctx, m_mode == Mode::pick_backup ? Job::backup_usb : folders ? Job::export_usb : Job::import_receipt, path);
      y += item_h + 16;
    }
  }

  void start(ScreenContext& ctx, Job job, std::string arg) {
    if (!ctx.staff->sync->start(job, std::move(arg))) return;  // one job at a time (the buttons say so)
    m_action = job;
    m_mode = Mode::actions;
  }

  // Looks for sticks and receipt files again and refreshes the counts (entry, "Look again").
  void rescan(ScreenContext& ctx) {
    m_folders = usb_folders(*ctx.staff);
    // Receipts and headquarters' packages (downlink.h): both come back from headquarters.
    m_receipts = core::find_import_files(ctx.staff->import_dirs, "receipt-", ".rkr");
    for (auto& f : core::find_import_files(ctx.staff->import_dirs, "", ".rkd")) m_receipts.push_back(std::move(f));
    ctx.staff->sync->start(Job::refresh);  // ignored while another job runs: it refreshes too
  }

  Mode m_mode = Mode::actions;
  Job m_action = Job::none;  // the action started on this visit, whose outcome is shown
  std::vector<std::string> m_folders;
  std::vector<core::ImportFile> m_receipts;
};

}  // namespace

std::unique_ptr<Screen> make_sync_screen() { return std::make_unique<SyncScreen>(); }

}  // namespace kiosk::screens
