// kiosk/app/app.cpp — start-up (app.h: where each job lives): configuration, store, pack, form,
// services and window; then the loop mode the options ask for, or an administrative command.
#include "app.h"

#include "admin_commands.h"
#include "instance_lock.h"
#include "kiosk_sync.h"
#include "log.h"
#include "pack_guard.h"
#include "pack_theme.h"
#include "pack_worker.h"
#include "screens.h"
#include "service_notify.h"
#include "stop_signals.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <future>

namespace kiosk::app {

App::App(Options options) : m_options(std::move(options)) {}

App::~App() {
  if (m_window) {
    m_images.reset();  // GL textures: before the context goes
    m_text.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
  }
}

double App::now() const {
  return m_virtual_clock ? m_virtual_now : platform::monotonic_ms() - m_start_ms;
}

bool App::init(std::string* error) {
  m_start_ms = platform::monotonic_ms();
  m_virtual_clock = (!m_options.script_path.empty() && m_options.script_loop_s <= 0) ||
                    !m_options.screenshot_path.empty();

  // Configuration: an explicit --config must exist; the defaults are optional.
  std::string config_path;
  if (!resolve_config(m_options, &m_config, &config_path, error)) return false;
  if (m_options.windowed_w > 0) m_config.fullscreen = false;
  if (m_options.force_fullscreen) m_config.fullscreen = true;
  if (m_config.pack_path.empty()) {
    *error = "no content pack: set [kiosk] pack in " +
             (config_path.empty() ? platform::default_config_path() : config_path) +
             " or pass --pack DIR";
    return false;
  }

  // One kiosk per data folder (instance_lock.h K1, K2), before anything in it is touched.
  if (!platform::ensure_writable_dir(m_config.data_dir, error) || !m_instance_lock.acquire(m_config.data_dir, error))
    return false;
  // Only a pack the checker passes is run; a refused one falls back to the last good pack.
  // It runs the kiosk's own copy of it, never the configured folder (pack_guard.h). Chosen and
  // loaded on a thread while the store opens and the window starts (start to first frame).
  // The text engine is made on that thread too, after the pack: its fonts, ICU's line breaker and
  // the first slide's lines, which the first frame would otherwise make (prepare_text()).
  // The window's logical width as the config asks for it (a fullscreen one: 1920 wide, landscape).
  const float width = m_options.windowed_w > 0 ? static_cast<float>(m_options.windowed_w) : 1920.0f;
  const bool landscape = m_options.windowed_w <= 0 || m_options.windowed_w > m_options.windowed_h;
  auto pack_to_run = std::async(std::launch::async, [pack_path = m_config.pack_path, data_dir = m_config.data_dir,
                                                     width, landscape] {
    Prepared p{load_pack_to_run(pack_path, data_dir), nullptr};
    p.text = prepare_text(p.pack, width, landscape);
    return p;
  });
  // Data before display: a kiosk that cannot store registrations must not pretend to run.
  if (!init_store(error)) return false;
  open_log();
  if (!open_window(error)) return false;
  Prepared prepared = pack_to_run.get();
  PackToRun& loaded = prepared.pack;
  m_text = std::move(prepared.text);
  m_text->use_for_imgui_font();  // one texture format for everything drawn (text_draw.h)
  m_images = std::make_unique<ui::ImageCache>(64u << 20, m_config.data_dir + "/thumbnails");
  m_ui = std::make_unique<ui::Ui>(*m_text, m_gestures);
  m_ui->set_images(m_images.get());
  m_pack_choice = loaded.choice;
  if (!loaded.ok) {
    *error = loaded.error;
    return false;
  }
  if (m_pack_choice.fell_back) log::warn(m_pack_choice.warning);
  m_pack = std::move(loaded.pack);

  // The registration form of this tour (data, not code): <forms_dir>/<pack id>.toml or default.
  std::string forms_dir = m_config.forms_dir;
  if (forms_dir.empty()) forms_dir = (std::filesystem::path(m_config.pack_path) / "../../forms").lexically_normal().string();
  m_form = core::FormSchema::load_for_tour(forms_dir, m_pack.id, error);
  if (!m_form) return false;
  // Settings: the config file's values are the defaults; what a supervisor saved wins.
  core::KioskSettings defaults;
  defaults.kiosk_name = "Kiosk " + m_store->device_id().substr(0, 4);
  defaults.staff_lang = m_config.staff_language;
  if (!m_pack.strings.has_language(defaults.staff_lang) && defaults.staff_lang != "en") {
    std::string known = "en";
    for (const std::string& l : m_pack.languages)
      if (l != "en") known += ", " + l;
    *error = "key 'staff.language': '" + defaults.staff_lang + "' is not a language of the pack '" +
             m_pack.id + "' (" + known + ")";
    return false;
  }
  defaults.staff_lock_s = static_cast<int>(m_config.staff_session_idle_s);
  defaults.visitor_reset_s = static_cast<int>(m_config.idle_timeout_s);
  m_staff = std::make_unique<screens::StaffServices>(screens::StaffServices{
      *m_store, *m_registry, *m_people, *m_directory, *m_settings_store, *m_form, defaults,
      m_settings_store->load(defaults), std::nullopt, {}, nullptr, platform::removable_media_roots(),
      /*sync, below*/ nullptr, /*export_dirs*/ {m_config.data_dir + "/import"},
      /*health and the integrity check, below*/ {}, {}, {}, store_path(m_config),
      /*packs, keyboards_dir, pack_warning_key, pack_warning: below*/ nullptr, {}, {}, {}});
  m_staff->import_dirs.push_back(m_config.data_dir + "/import");
  std::error_code ec;
  for (const char* rel : {"/keyboards", "/../keyboards", "/../../keyboards"})  // data beside the configured pack
    if (m_staff->keyboards_dir.empty() && std::filesystem::is_directory(m_config.pack_path + rel, ec))
      m_staff->keyboards_dir = m_config.pack_path + rel;
  m_staff->pack_warning_key = m_pack_choice.warning_key;
  m_staff->pack_warning = m_pack_choice.warning;
  // Content packs from a stick (the Content screen): staged, checked and switched on their own
  // thread (sync/pack_worker.h); reload_pack_if_switched() shows the new pack.
  m_pack_worker = std::make_unique<sync::PackWorker>(store_path(m_config), m_config.data_dir + "/packs",
                                                     m_staff->import_dirs);
  m_staff->packs = m_pack_worker.get();
  // Chinese names: pinyin (librime deploys its schema on a worker the first time, about a
  // second, into the kiosk's own data folder) and handwriting (zinnia's model, milliseconds).
  // One that cannot work is reported here and its layout is not offered.
  ui::PinyinOptions pinyin;
  pinyin.user_data_dir = m_config.data_dir + "/input/rime";
  pinyin.start_now = false;  // both start with the second frame (render_frame, loop.cpp)
  m_pinyin = std::make_unique<ui::PinyinInput>(pinyin);
  ui::HandwritingOptions handwriting;
  handwriting.start_now = false;
  m_handwriting = std::make_unique<ui::HandwritingInput>(handwriting);
  if (!m_handwriting->problem().empty()) std::fprintf(stderr, "kiosk: %s\n", m_handwriting->problem().c_str());
  m_input_methods.add("pinyin", m_pinyin.get());
  m_input_methods.add("handwriting", m_handwriting.get());
  m_staff->input_methods = &m_input_methods;
  // Sync runs beside the UI with its own connection to the same store (WAL): it reads the change
  // log and writes the acknowledged mark, sync times and retention redactions, each in a short
  // transaction of its own (sync/kiosk_sync.h).
  m_sync = std::make_unique<sync::SyncWorker>(store_path(m_config), m_config.sync_url,
                                              m_config.retention_days);
  m_staff->sync = m_sync.get();
  m_staff->health = [this](core::PendingCount pending) {
    return collect_health(HealthSources{*m_store, m_config, m_pack, m_pack_choice, m_integrity.result(),
                                        (platform::monotonic_ms() - m_start_ms) / 1000.0, pending});
  };
  m_staff->start_integrity_check = [this] { m_integrity.start(store_path(m_config)); };
  m_staff->integrity_result = [this] { return m_integrity.result(); };

  apply_pack_theme(*m_ui, m_pack.theme);  // the tour's accent on visitor screens (pack.h T1-T3)

  m_settings.staff_long_press_ms = m_config.staff_long_press_s * 1000.0;
  m_gestures.set_long_press_ms(m_settings.staff_long_press_ms);
  screens::ScreenContext ctx = context();
  go("attract", ctx, "start");
  m_last_input_ms = now();
  log::info(std::string("started: kiosk ") + KIOSK_VERSION + ", pack '" + m_pack.id + "', " +
            (m_virtual_clock ? "harness" : m_config.fullscreen ? "kiosk mode" : "windowed") +
            ", video " + m_window->video_driver());
  return true;
}

// The log file beside the store (log.h). A log that cannot be opened is said on stderr and the
// kiosk runs on: losing diagnostics must not stop registrations.
void App::open_log() {
  std::string error;
  if (!log::open(m_config.data_dir, static_cast<std::uint64_t>(m_config.log_max_kib) * 1024, &error))
    log::warn(error);
}

// Every way out of a loop mode passes here, so the log always says how the kiosk ended.
int App::finish(int code) {
  if (platform::stop_requested()) {
    platform::service_stopping();
    log::info(std::string("stopped by ") + platform::stop_signal_name() + ", exit " + std::to_string(code));
  } else {
    log::info("stopped, exit " + std::to_string(code));
  }
  return code;
}

screens::ScreenContext App::context() {
  screens::ScreenContext ctx{m_pack, m_session, m_settings, m_visits.get(), m_staff.get(), now(), {}};
  return ctx;
}

namespace {

// Anonymous visit analytics into the store (core::VisitStats). A failed write is logged and
// dropped: analytics must never get in a visitor's way.
class StoreVisitRecorder final : public screens::VisitRecorder {
 public:
  explicit StoreVisitRecorder(core::Store& store) : m_store(store), m_stats(store) {}
  void record(std::string_view exhibit, std::string_view lang, Event event, double value) override {
    const std::time_t t = static_cast<std::time_t>(m_store.now_ms() / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char day[16];
    std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
    const core::VisitEvent e = event == Event::Opened      ? core::VisitEvent::opened
                               : event == Event::DwellSeconds ? core::VisitEvent::dwell
                               : event == Event::QuizRight  ? core::VisitEvent::quiz_right
                                                            : core::VisitEvent::quiz_wrong;
    auto r = m_stats.record_visit(day, std::string(exhibit), std::string(lang), e,
                                  static_cast<std::int64_t>(value + 0.5));
    if (!r.ok()) log::warn("visit not recorded: " + r.detail);
  }

 private:
  core::Store& m_store;
  core::VisitStats m_stats;
};

}  // namespace

// The window, its GL context, ImGui and the renderers: needs the config only.
bool App::open_window(std::string* error) {
  platform::WindowOptions wo;
  wo.fullscreen = m_config.fullscreen;
  if (m_options.windowed_w > 0) {
    wo.width = m_options.windowed_w;
    wo.height = m_options.windowed_h;
  }
  m_window = platform::Window::open(wo, error);
  if (!m_window) return false;

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // nothing of ImGui's is persisted on a kiosk
  ImGui_ImplSDL2_InitForOpenGL(m_window->sdl_window(), m_window->gl_context());
  ImGui_ImplOpenGL3_Init("#version 330 core");
  // The GL backend's shaders and font texture now, with the window: on software GL their compile
  // costs about 30 ms of CPU, which the first frame's NewFrame would otherwise carry (issue 15,
  // no frame over 16 ms). Start to first frame is the same either way.
  if (!ImGui_ImplOpenGL3_CreateDeviceObjects()) {
    *error = "cannot create the GL objects the interface draws with (shaders, font texture)";
    return false;
  }
  ImGui_ImplOpenGL3_DestroyFontsTexture();  // the text renderer makes it (init, use_for_imgui_font)
  return true;
}

// The text renderer, made off the UI thread while the window opens (no GL until a frame draws,
// text_draw.h): the fonts, ICU's line breaker and the first attract slide's lines cost the first
// frame 10-13 ms on this machine (issue 15, BENCHMARKS.md). Only this thread touches the renderer
// until the future hands it over.
std::unique_ptr<ui::TextRenderer> App::prepare_text(const PackToRun& pack, float width, bool landscape) {
  auto text = std::make_unique<ui::TextRenderer>(ui::TextConfig{});
  if (pack.ok) screens::AttractScreen::prepare_first_slide(*text, pack.pack, width, landscape);
  return text;
}

bool App::init_store(std::string* error) {
  // A large store is checked after open, while the visitor screens run (store.h invariant 9);
  // the harness waits for it so that scripts see the same store every run.
  m_store = open_kiosk_store(m_config, error, core::Store::OpenCheck::after_open);
  if (m_store && m_virtual_clock) {
    m_store->wait_open_check(60000);
    m_store->write_gate();  // store.h 9: passed, so writes outside a Transaction work too
  }
  if (!m_store) return false;
  m_registry = std::make_unique<core::Registry>(*m_store);
  m_people = std::make_unique<core::PeopleQueries>(*m_store);
  m_directory = std::make_unique<core::StaffDirectory>(*m_store);
  m_settings_store = std::make_unique<core::SettingsStore>(*m_store);
  m_visits = std::make_unique<StoreVisitRecorder>(*m_store);
  return true;
}

int App::run() {
  // The administrative commands need no window (admin_commands.h C1) and keep the default
  // signal action (C5); the loop modes end on SIGTERM/SIGINT through finish() (stop_signals.h).
  if (wants_admin_command(m_options)) return run_admin_command(m_options);
  platform::install_stop_signals();
  std::string error;
  if (!init(&error)) {
    log::error(error);
    return 1;
  }
  if (!m_options.script_path.empty()) return finish(run_script());
  if (!m_options.screenshot_path.empty()) {
    advance(0);
    if (!save_screenshot(m_options.screenshot_path, &error)) {
      log::error(error);
      return finish(1);
    }
    return finish(0);
  }
  if (m_options.exit_after_first_frame || m_options.bench_frames > 0) return finish(run_bench());
  return finish(run_live());
}

}  // namespace kiosk::app
