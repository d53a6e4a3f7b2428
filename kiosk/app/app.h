// kiosk/app/app.h — the kiosk application: window, loop, router, idle reset, harness.
//
// Where each job lives (each with its contract in its header):
//   app.cpp            start-up: config, store, pack, form, services, window (and the dispatch
//                      to the administrative commands, admin_commands.h C1-C5)
//   loop.cpp           the loop below (render on demand, timers, frame cost, screen switches)
//   input.h/.cpp       SDL events -> gestures, text and editing keys (I1-I6)
//   harness.cpp        the script harness on a virtual clock (script.h for the language)
//   health_report.h    the Health report shared by the screen and `kiosk --health`
//   admin_commands.h   the command-line tools, one file per group (admin_tool.h)
//
// Design note: render on demand (loop.cpp).
//  1. When nothing moves, the loop blocks in SDL_WaitEvent(Timeout): zero frames while idle.
//  2. A frame is rendered when input arrived, a timer fell due (idle reset, long press, a
//     screen's wake_at()) or the previous frame asked for another (something animates).
//  3. While animating, frames are paced to ~60 Hz even without vsync (Xvfb, offscreen).
//  4. In script mode the clock is virtual: `wait 90000` takes no real time, and the same
//     decisions (2) decide which frames are rendered, so tests see what a person would.
//  5. An idle wait is capped at platform::kIdleWakeMs: each wake-up (and each frame) pets the
//     systemd watchdog (service_notify.h) and looks for a stop request; nothing is rendered.
//
// Stopping: SIGTERM and SIGINT end every loop mode (live, script, screenshot, benchmarks) through
// its normal exit (stop_signals.h), logged by finish() as "stopped by SIGTERM, exit 0". A window
// close request (SDL_QUIT: Alt+F4 in a window manager) ends only a windowed kiosk; in kiosk mode
// (fullscreen) it is logged and ignored, and no key quits (Escape does nothing here).
//
// Idle reset: a visitor screen untouched for idle_timeout_s returns to Attract and forgets the
// language and anything half-entered (the session is replaced); a staff screen does the same
// after staff_session_idle_s. Both come from the settings in effect (StaffServices::settings):
// the config file's values unless a supervisor changed them on the settings screen.
#pragma once

#include "config.h"
#include "gesture.h"
#include "handwriting_input.h"
#include "pack.h"
#include "platform.h"
#include "router.h"
#include "screen.h"
#include "script.h"
#include "soak_metrics.h"
#include "form_schema.h"
#include "health.h"
#include "health_report.h"
#include "input.h"
#include "instance_lock.h"
#include "pack_guard.h"
#include "people_queries.h"
#include "pinyin_input.h"
#include "registry.h"
#include "settings.h"
#include "staff.h"
#include "store.h"
#include "visit_stats.h"
#include "text_draw.h"
#include "ui.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

union SDL_Event;

namespace kiosk::app {

struct Config;
// The kiosk's SQLite store file in the configured data directory.
std::string store_path(const Config& config);

struct Options {
  std::string config_path;   // empty: XDG default if present, else built-in defaults
  std::string pack_override;
  std::string data_dir_override;
  int windowed_w = 0, windowed_h = 0;  // --windowed WxH
  bool force_fullscreen = false;
  std::string screenshot_path;  // --screenshot: render the first screen, save, exit
  std::string script_path;      // --script: run the harness script, exit 0 on success
  bool exit_after_first_frame = false;  // benchmark: print first_frame_ms and exit
  int bench_frames = 0;                 // benchmark: render N warm frames, print CPU stats
  bool frame_stats = false;  // --frame-stats: after a script, print the UI CPU cost of its frames
  bool layout_audit = false;  // --layout-audit: audit every script step's frame (layout_audit.h)
  // --script-loop SECONDS: run the script in real time, again and again, for that long (the soak,
  // harness.cpp "Real time"); --script-pace MS: real time after each input command there;
  // --metrics FILE: a resource sample every 10 s (--metrics-every S) of such a run (soak_metrics.h).
  double script_loop_s = 0;
  double script_pace_ms = 1500;
  std::string metrics_path;
  double metrics_every_s = 10;  // --metrics-every S
  std::string add_staff_name;  // --add-staff NAME: create a staff account (PIN on stdin), exit
  std::string add_staff_role = "staff";
  std::string set_pin_name;  // --set-pin NAME: a new PIN (stdin) for that account, exit
  std::string import_organizations;  // --import-organizations FILE.csv: load the HQ directory, exit
  bool health = false;               // --health: print the health report (JSON), exit (health.cpp)
  // Backups (backup_commands.cpp): --backup DIR (encrypted to headquarters; an unenrolled kiosk
  // refuses unless --backup-unencrypted DIR), --restore FILE into --data-dir (asks to type
  // RESTORE on stdin unless --yes).
  std::string backup_dir;
  bool backup_unencrypted = false;
  std::string restore_file;
  bool assume_yes = false;
  // Sync for technicians (sync_commands.cpp); no display and no content pack needed.
  std::string enroll_file;        // --enroll FILE: load headquarters' enrollment file, exit
  bool sync_now = false;          // --sync-now: send pending bundles over HTTP, exit
  std::string export_bundle_dir;  // --export-bundle DIR: write pending bundles to DIR, exit
  std::string import_receipt;     // --import-receipt FILE|DIR: apply headquarters' receipt, exit
  std::string import_downlink;    // --import-downlink FILE|DIR: apply headquarters' package, exit
  // Content packs (pack_commands.cpp): a signed pack file from headquarters, or the previous pack.
  std::string install_pack;  // --install-pack FILE
  bool rollback_pack = false;  // --rollback-pack
};

class App {
 public:
  explicit App(Options options);
  ~App();
  int run();  // the process exit code

 private:
  bool init(std::string* error);
  double now() const;
  void handle_event(const SDL_Event& e);
  void render_frame(bool capture, std::vector<unsigned char>* pixels);
  double next_deadline() const;  // < 0: none
  double idle_timeout_s(const screens::Screen& screen) const;
  void check_timers();
  int run_live();
  void open_log();
  int finish(int code);  // logs how the kiosk stopped, returns code
  int run_bench();
  void maybe_scheduled_backup(double now_ms);    // [backup] in the config, looked at on Attract
  bool init_store(std::string* error);
  bool open_window(std::string* error);  // window, GL context and ImGui
  struct Prepared {  // made on the pack thread while the window opens (init)
    PackToRun pack;
    std::unique_ptr<ui::TextRenderer> text;
  };
  static std::unique_ptr<ui::TextRenderer> prepare_text(const PackToRun& pack, float width, bool landscape);
  void reload_pack_if_switched();  // after an install or rollback on the Content screen
  screens::ScreenContext context();
  // [harness] harness.cpp
  int run_script();
  bool run_command(const ScriptCommand& c, const std::string& script_dir, std::string* error);
  bool wait_screen_idle(std::string* error);  // script.h S5
  void advance(double ms);  // virtual time passes; frames rendered as the live loop would
  void advance_real(double ms);  // --script-loop: real time passes, as in the live loop
  void pace(double ms);          // --script-loop: a visitor's pause after an input command
  void sample_metrics();         // --metrics: a sample when one is due (soak_metrics.h)
  void push_pointer(bool finger, int type, ui::Point logical);
  void push_finger_event(bool finger, int type, ui::Point logical, long long finger_id);
  bool resolve_target(const ScriptCommand& c, ui::Point* p, std::string* error) const;
  // The last frame's rectangle of widget `id`; false with "no widget '@id' on screen ..." if none.
  bool widget_on_screen(const std::string& id, ui::Rect* r, std::string* error) const;
  bool save_screenshot(const std::string& path, std::string* error);
  // The layout audit's findings on the last frame, each line naming screen, language and scale.
  // With keys (screen, language, scale and the finding without its measurements) when asked.
  std::vector<std::string> audit_findings(std::vector<std::string>* keys = nullptr);

  Options m_options;
  Config m_config;
  platform::InstanceLock m_instance_lock;  // one kiosk per data folder (instance_lock.h)
  std::unique_ptr<platform::Window> m_window;
  std::unique_ptr<core::Store> m_store;
  std::unique_ptr<core::Registry> m_registry;
  std::unique_ptr<core::PeopleQueries> m_people;
  std::unique_ptr<core::StaffDirectory> m_directory;
  std::unique_ptr<core::SettingsStore> m_settings_store;
  std::optional<core::FormSchema> m_form;
  // Chinese input methods for the on-screen keyboard, declared before what uses them (screens
  // hold pointers) so they are destroyed after it. librime deploys on its own worker (P2).
  std::unique_ptr<ui::PinyinInput> m_pinyin;
  std::unique_ptr<ui::HandwritingInput> m_handwriting;
  ui::InputMethodSet m_input_methods;
  std::unique_ptr<screens::StaffServices> m_staff;
  std::unique_ptr<screens::VisitRecorder> m_visits;
  // The Sync screen's jobs, on the worker's own thread and store connection (made in init();
  // the command-line tools use sync::KioskSync directly, sync_commands.cpp).
  std::unique_ptr<sync::SyncWorker> m_sync;
  std::unique_ptr<sync::PackWorker> m_pack_worker;  // the Content screen's installs
  std::uint64_t m_pack_switches = 0;
  content::Pack m_pack;
  PackChoice m_pack_choice;         // which pack runs, and why (pack_guard.h)
  core::IntegrityJob m_integrity;   // the Health screen's full check, on its own thread
  std::unique_ptr<ui::TextRenderer> m_text;
  std::unique_ptr<ui::ImageCache> m_images;
  ui::GestureRecognizer m_gestures;
  InputTranslator m_input;  // SDL events -> gestures, text and keys (input.h)
  std::unique_ptr<ui::Ui> m_ui;
  Router m_router;
  screens::Session m_session;
  screens::Settings m_settings;

  bool m_virtual_clock = false;
  double m_virtual_now = 0;
  std::optional<ui::Point> m_held;  // the harness's finger held down by `press`
  double m_start_ms = 0;
  double m_last_input_ms = 0;
  double m_last_frame_ms = -1;
  int m_frames_pending = 1;
  long m_frames_rendered = 0;
  std::string m_drawn_screen;  // the screen the last frame drew (script.h S6)
  // [frame cost] A frame's cost is everything it triggers on the UI thread (DESIGN.md): its
  // draw (layout, widgets, store queries made while drawing) and the screen switch it asks for
  // (the old screen's exit(), the new one's enter() and whatever they read). A switch made
  // between frames (the idle reset) is charged to the next frame. GL work (Mesa) is excluded.
  struct FrameCost {
    double ui_cpu_us = 0, ui_wall_us = 0;
    std::string screen;  // the screen drawn
    std::string parts;   // what the cost was spent on, e.g. "draw staff-home 0.2 ms + enter summary 7.1 ms"
  };
  void go(std::string_view screen, screens::ScreenContext& ctx, const std::string& why);
  void add_frame_part(const std::string& what, double cpu_us, double wall_us);
  void print_frame_stats() const;
  double m_last_ui_cpu_us = 0;  // CPU of the last frame's UI work (benchmarks)
  bool m_open_check_logged = false;  // the store's after-open check (invariant 9) said in the log
  double m_backup_checked_ms = -1e18;  // when maybe_scheduled_backup last looked
  FrameCost m_pending_cost;          // work not yet charged to a frame (a switch between frames)
  std::vector<FrameCost> m_frame_log;  // every frame's cost, kept with --frame-stats
  bool m_quit = false;
  ui::LayoutAudit m_audit;                  // attached to m_ui while a script audits layouts
  std::vector<std::string> m_audit_log;     // --layout-audit: every finding of the script, once
  int m_script_pass = 0;                    // --script-loop: the pass running (1-based)
  SoakMetrics m_metrics;                    // --metrics
};

}  // namespace kiosk::app
