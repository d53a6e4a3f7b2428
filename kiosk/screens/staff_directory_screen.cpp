// Organization directory (issue 5, item 3): until sync delivers it, headquarters' directory of
// schools and partners reaches the kiosk as organizations*.csv on a USB stick. A supervisor plugs
// the stick in, taps "Look again" and then the file; Registry::import_organizations_csv() loads
// it all or nothing. Refused files show their first errors (FILE:LINE: reason, as the core
// reports them) and change nothing; a loaded file shows how many organizations are new.
//
// The search for files (core::find_import_files over StaffServices::import_dirs) runs on entry
// and on "Look again", never per frame: a USB stick can be slow to list. The import itself runs
// on its own thread and store connection (core/store_job.h); the screen says "Loading…" meanwhile.
#include "import_files.h"
#include "store_job.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>

namespace kiosk::screens {
namespace {

constexpr std::size_t kErrorsShown = 4;

class StaffDirectoryScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-directory"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_message.clear();
    m_errors.clear();
    rescan(ctx);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    if (!begin_staff_screen(ui, ctx)) return;
    if (m_import.running()) {
      m_import_shown = false;
      ui.wake_at(ui.now_ms() + 100);  // look again until the import ends
    } else if (!m_import_shown) {
      m_import_shown = true;
      if (const auto r = m_import.result()) finish_load(ctx, *r);
    }
    const float w = ui.width(), h = ui.height();
    const std::string_view lang = ctx.staff->lang();
    const bool supervisor = ctx.staff->session->is_supervisor();
    auto back = ctx.staff_tr("common.back");
    if (ui.button("directory.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32))
      ctx.go("staff-home");
    staff_label(ui, ui.mirror({340, 22, w - 780, 104}), ctx.staff_tr("directory.title").text, lang, 44,
                ui.theme().text, true);
    auto again = ctx.staff_tr("directory.rescan");
    if (ui.button("directory.rescan", ui.mirror({w - 420, 30, 380, 84}), again.text, again.lang, ui::ButtonKind::Normal, 30))
      rescan(ctx);

    float y = 150;
    const std::string counts = with_param(with_param(std::string(ctx.staff_tr("directory.counts").text), "hq",
                                         number_text(ctx, m_counts.headquarters, lang)),
                                    "local", number_text(ctx, m_counts.local, lang));
    // Lines as tall as they need (isiZulu's counts take two lines in portrait).
    const float counts_h = std::max(44.0f, ui.text_height(counts, staff_style(lang, 30), w - 120) + 4);
    staff_label(ui, ui.mirror({60, y, w - 120, counts_h}), counts, lang, 30, ui.theme().text);
    y += counts_h + 12;
    if (!m_message.empty()) {
      const float mh = std::max(44.0f, ui.text_height(m_message, staff_style(lang, 30, true), w - 120) + 4);
      ui.register_id("directory.message." + m_message_key, ui.mirror({60, y, w - 120, mh}));
      staff_label(ui, ui.mirror({60, y, w - 120, mh}), m_message, lang, 30, m_errors.empty() ? ui.theme().accent
                                                                                               : ui.theme().danger, true);
      y += mh + 6;
    }
    for (std::size_t i = 0; i < m_errors.size() && i < kErrorsShown; ++i) {  // FILE:LINE: reason
      ui.register_id("directory.error." + std::to_string(i), ui.mirror({60, y, w - 120, 36}));
      staff_label(ui, ui.mirror({60, y, w - 120, 36}), m_errors[i], "en", 24, ui.theme().danger);
      y += 38;
    }
    if (m_errors.size() > kErrorsShown) {
      staff_label(ui, ui.mirror({60, y, w - 120, 36}),
                  staff_text(ctx, "directory.more_errors", "n", number_text(ctx, static_cast<std::int64_t>(m_errors.size() - kErrorsShown), lang)),
                  lang, 24, ui.theme().danger);
      y += 38;
    }
    y += 20;
    if (!supervisor) {
      staff_label(ui, ui.mirror({60, y, w - 120, 44}), ctx.staff_tr("directory.supervisor_only").text, lang, 28,
                  ui.theme().text_muted);
      return;
    }
    // The hint is a paragraph: as many lines as it needs.
    const auto hint = ctx.staff_tr(m_files.empty() ? "directory.none" : "directory.hint");
    ui::TextStyle hs = staff_style(hint.lang, 28);
    hs.align = align(ui, hint.lang);
    const float hint_h = std::max(80.0f, ui.text_height(hint.text, hs, w - 120));
    ui.label(ui.mirror({60, y, w - 120, hint_h}), hint.text, hs, ui.theme().text_muted);
    y += hint_h + 20;
    // One button per file found: its name, and where it is (the stick or the import folder).
    for (std::size_t i = 0; i < m_files.size() && y + 110 < h; ++i, y += 126) {
      const core::ImportFile& f = m_files[i];
      const ui::Rect r = ui.mirror({60, y, w - 120, 110});
      if (ui.button("directory.file." + std::to_string(i), r, "", "en", ui::ButtonKind::Normal)) {
        load(ctx, f);
        ui.wake_at(ui.now_ms() + 100);
      }
      staff_label(ui, ui.mirror({90, y + 8, w - 180, 50}), f.name, "en", 34, ui.theme().text, true);
      staff_label(ui, ui.mirror({90, y + 58, w - 180, 40}),
                  f.path + "   " + std::to_string((f.bytes + 1023) / 1024) + " KiB", "en", 24, ui.theme().text_muted);
    }
    if (ui.gestures().tap) ui.request_frame();  // a tap may have changed what is shown: redraw
  }

 private:
  void rescan(ScreenContext& ctx) {
    m_files.clear();
    if (!ctx.staff) return;
    m_files = core::find_import_files(ctx.staff->import_dirs, "organizations", ".csv");
    m_counts = ctx.staff->registry.organization_counts();
  }

  // The import reads, checks and writes up to 100,000 rows: on its own thread and connection
  // (store_job.h), so the screen keeps drawing; "loaded" shows only after its commit (J3).
  void load(ScreenContext& ctx, const core::ImportFile& file) {
    if (!ctx.staff->session->is_supervisor() || m_import.running()) return;
    const std::string path = file.path, staff_id = ctx.staff->session->staff().id;
    m_message_key = "directory.loading";
    m_message = std::string(ctx.staff_tr("directory.loading").text);
    m_errors.clear();
    // Shown when it ends: set here, not on seeing it run, because a small file can be checked
    // and refused before the next frame looks (the result was then never shown).
    m_import_shown = false;
    m_import.start(
        ctx.staff->store_file,
        [path, staff_id](core::Store& store) { return core::Registry(store).import_organizations_csv(path, staff_id); },
        [path](const std::string& error) {
          core::ImportReport r;
          r.errors.push_back(path + ":0: " + error);
          return r;
        });
  }

  void finish_load(ScreenContext& ctx, const core::ImportReport& r) {
    m_errors = r.errors;
    m_message_key = r.ok() ? "directory.loaded" : "directory.refused";
    m_message = r.ok() ? with_param(with_param(std::string(ctx.staff_tr("directory.loaded").text), "inserted", std::to_string(r.inserted)),
                              "updated", std::to_string(r.updated))
                       : std::string(ctx.staff_tr("directory.refused").text);
    m_counts = ctx.staff->registry.organization_counts();
  }

  core::StoreJob<core::ImportReport> m_import;
  bool m_import_shown = true;  // the finished import's report is on screen
  std::vector<core::ImportFile> m_files;
  core::Registry::OrganizationCounts m_counts;
  std::string m_message, m_message_key;
  std::vector<std::string> m_errors;  // the last refused file's FILE:LINE: reason lines
};

}  // namespace

std::unique_ptr<Screen> make_staff_directory_screen() { return std::make_unique<StaffDirectoryScreen>(); }

}  // namespace kiosk::screens
