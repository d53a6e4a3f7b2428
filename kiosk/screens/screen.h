// kiosk/screens/screen.h — the one interface every screen implements, and what a screen may use.
//
// A screen is a small state machine that draws itself through kiosk::ui and reads or changes
// the world only through ScreenContext (the pack, the visitor session, navigation). Screens
// never talk to SDL, OpenGL or SQLite.
//
// Contract:
//  - enter() is called each time the router shows the screen (state left over from a previous
//    visit must be reset there, unless session.resuming says a language switch brought the
//    visitor back); exit() when it is left; draw() once per rendered frame while it is current.
//  - To move on, a screen calls ctx.go("name"); the router switches after the frame.
//  - Visitor screens (visitor() == true) are reset to Attract after the idle timeout; staff
//    screens after the staff session timeout.
#pragma once

#include "form_schema.h"
#include "health.h"
#include "pack.h"
#include "people_queries.h"
#include "registry.h"
#include "settings.h"
#include "staff.h"
#include "keyboard.h"
#include "ui.h"
#include "text/locale_format.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::sync {
class SyncWorker;  // sync/kiosk_sync.h
class PackWorker;  // sync/pack_worker.h
}  // namespace kiosk::sync

namespace kiosk::screens {

// What a visitor has chosen; forgotten on idle reset.
struct Session {
  std::string language;
  std::string exhibit;      // the exhibit being (or last) viewed
  bool large_text = false;  // visitor chose bigger text
  bool high_contrast = false;
  std::string return_to;    // the screen the language picker returns to
  bool resuming = false;    // re-entering a screen after a language switch: keep its place
};

// Anonymous visit analytics: the screens report, the app stores (kiosk/core). No personal data.
class VisitRecorder {
 public:
  virtual ~VisitRecorder() = default;
  enum class Event { Opened, DwellSeconds, QuizRight, QuizWrong };
  virtual void record(std::string_view exhibit, std::string_view lang, Event event,
                      double value) = 0;
};

struct Settings {
  double staff_long_press_ms = 3000;
};

// What staff screens use: the store's repositories and the signed-in staff session. Owned by the
// app; screens call these (each mutation is one transaction that returns after COMMIT) and never
// touch SQLite themselves.
// The settings screen saves through settings_store and then replaces `settings`; the app reads
// `settings` for its idle timers every frame, so a change applies at once.
struct StaffServices {
  core::Store& store;
  core::Registry& registry;
  core::PeopleQueries& people;
  core::StaffDirectory& directory;
  core::SettingsStore& settings_store;
  const core::FormSchema& form;
  core::KioskSettings defaults;               // from the config file
  core::KioskSettings settings;               // in effect: defaults + what a supervisor saved
  std::optional<core::StaffSession> session;  // set by the PIN screen, cleared on lock/idle
  std::string selected_person;                // the person screen shows this participant id
  // The on-screen keyboard layouts (content/keyboards), loaded once for every staff screen by
  // staff_keyboards() (staff_widgets.h); null until first needed.
  std::shared_ptr<const ui::KeyboardLibrary> keyboards;
  // Where the organization directory screen looks for organizations*.csv: the removable media
  // mount points and <data_dir>/import.
  std::vector<std::string> import_dirs;
  // Sync to headquarters (the Sync screen): the app's one worker, which runs sync jobs on its own
  // thread and store connection; screens only start() jobs and read snapshot(). Null in tools.
  kiosk::sync::SyncWorker* sync = nullptr;
  // Folders "Export to USB" offers besides the sticks mounted under import_dirs: <data_dir>/import
  // (a technician copies from there; the end-to-end tests use it as their stick).
  std::vector<std::string> export_dirs;
  // The Health screen (core/health.h): the report (reads the store, statvfs, /proc: call it on
  // entering a screen or on a tap, not every frame), and the full integrity check, which runs on
  // its own thread (the report's `integrity` says "running" until it ends). Empty in tools.
  std::function<core::Health(core::PendingCount)> health;  // H4: `any` for the staff home
  std::function<void()> start_integrity_check;
  std::function<std::string()> integrity_result;  // cheap: "not_run", "running", "ok" or a problem
  // The store file, for work a screen runs on its own connection (core/store_job.h). Empty in tools.
  std::string store_file;
  // Content packs (the Content screen): the app's worker that lists pack files on sticks, checks
  // and installs one, or rolls back; null in tools.
  kiosk::sync::PackWorker* packs = nullptr;
  // Where the keyboard layouts are: beside the configured pack folder (the app finds it; the pack itself
  // runs from the kiosk's copy in the data directory, which holds content only). Empty: beside
  // the pack.
  std::string keyboards_dir;
  // Why the kiosk runs its last good pack (kiosk/app/pack_guard.h G1), for the staff home screen:
  // the catalog key of the heading, and the checker's lines (English, file:line). Empty: all is well.
  std::string pack_warning_key, pack_warning;
  // The input methods keyboards may use (Chinese pinyin and handwriting), owned by the app; null
  // in tools, and then the layouts that need them are not offered.
  const ui::InputMethodSet* input_methods = nullptr;
  std::string today() const;                  // "YYYY-MM-DD" from the store's clock
  // Staff UI language (catalog fallback: English).
  const std::string& lang() const { return settings.staff_lang; }
  std::int64_t session_idle_ms() const { return std::int64_t{settings.staff_lock_s} * 1000; }
};

struct ScreenContext {
  const content::Pack& pack;
  Session& session;
  const Settings& settings;
  VisitRecorder* visits = nullptr;  // may be null (tests, tools)
  StaffServices* staff = nullptr;   // null when the kiosk has no store (never in the app)
  double now_ms = 0;
  std::string next;  // set by go()

  void go(std::string_view screen) { next = screen; }
  // UI string in the session language, with the catalog's fallback chain.
  content::Catalog::Lookup tr(std::string_view key) const {
    return pack.strings.get(language(), key);
  }
  // A staff UI string (staff language, then English).
  content::Catalog::Lookup staff_tr(std::string_view key) const {
    return pack.strings.get(staff ? std::string_view(staff->lang()) : std::string_view("en"), key);
  }
  std::string_view language() const {
    return session.language.empty() ? std::string_view(pack.default_language)
                                    : std::string_view(session.language);
  }
};

class Screen {
 public:
  virtual ~Screen() = default;
  virtual std::string_view name() const = 0;
  virtual bool visitor() const { return true; }
  virtual void enter(ScreenContext&) {}
  // Called when the router leaves this screen for `to` (also on idle reset).
  virtual void exit(ScreenContext&, std::string_view /*to*/) {}
  virtual void draw(ui::Ui& ui, ScreenContext& ctx) = 0;
  // True while work the person's last input started runs on a thread (the PIN comparison,
  // staff.h P2); the screen polls it in draw(). The script harness draws frames in real time
  // until it is false before the next command (script.h S5).
  virtual bool busy() const { return false; }
};

// Numbers in the pack's digits (pack.toml `digits`): with "native", ICU writes them in `lang`'s
// own digits (Khmer, Burmese, Arabic-Indic), on visitor and staff screens alike; "latin": 0-9.
// number_text() formats a count (with the language's grouping); digits_text() rewrites the digits
// inside a text (a year, a date, an article's "150 million km") without regrouping them.
kiosk::text::Digits pack_digits(const ScreenContext& ctx);
std::string number_text(const ScreenContext& ctx, std::int64_t value, std::string_view lang);
std::string digits_text(const ScreenContext& ctx, std::string_view text, std::string_view lang);
// Dates the same way, through ICU in `lang`'s own pattern and month names (locale_format.h):
// date_text() a calendar day "YYYY-MM-DD[...]" (an event's dates, a birth date, the day a person
// registered); date_time_text() a moment, stored as UTC "YYYY-MM-DDTHH:MM:SS..." or as unix
// seconds, shown in the kiosk's local time (receipts, backups, pack versions). Text that is not
// such a date is shown as it is, its digits in the pack's digits.
std::string date_text(const ScreenContext& ctx, std::string_view iso_day, std::string_view lang,
                      kiosk::text::DateLength length = kiosk::text::DateLength::Medium);
std::string date_time_text(const ScreenContext& ctx, std::string_view iso_utc, std::string_view lang);
std::string date_time_text(const ScreenContext& ctx, std::int64_t unix_seconds, std::string_view lang);

// Shared pieces of visitor screens.
// The corner logo; held for settings.staff_long_press_ms it opens the staff PIN pad.
void draw_corner_logo(ui::Ui& ui, ScreenContext& ctx);
// The language button (top end corner) that opens the picker; every visitor screen has one.
void draw_language_button(ui::Ui& ui, ScreenContext& ctx, std::string_view from);
// Large-text and high-contrast toggles, placed left (start side) of the language button.
void draw_access_toggles(ui::Ui& ui, ScreenContext& ctx);

}  // namespace kiosk::screens
