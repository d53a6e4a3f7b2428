#include "app.h"

#include "kiosk_sync.h"
#include "log.h"
#include "pack_guard.h"
#include "pack_worker.h"
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

namespace kiosk::app {

// The kiosk's SQLite store, opened by the UI thread and, with a second connection, by sync.
std::string store_path(const Config& config) { return config.data_dir + "/kiosk.sqlite3"; }

App::App(Options options) : m_options(std::move(options)) {}

// The configuration file to read: --config (which must exist), else the user's XDG file, else
// the system-wide one of the Debian package; empty when there is none (built-in defaults).
static std::string chosen_config_path(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  std::error_code ec;
  for (const std::string& p : {platform::default_config_path(), platform::system_config_path()})
    if (std::filesystem::exists(p, ec)) return p;
  return {};
}

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
  m_virtual_clock = !m_options.script_path.empty() || !m_options.screenshot_path.empty();

  // Configuration: an explicit --config must exist; the defaults are optional.
  const std::string config_path = chosen_config_path(m_options.config_path);
  if (!config_path.empty() && !load_config(config_path, &m_config, error)) return false;
  if (!m_options.pack_override.empty()) m_config.pack_path = m_options.pack_override;
  if (!m_options.data_dir_override.empty()) m_config.data_dir = m_options.data_dir_override;
  if (m_options.windowed_w > 0) m_config.fullscreen = false;
  if (m_options.force_fullscreen) m_config.fullscreen = true;
  if (m_config.data_dir.empty()) m_config.data_dir = platform::default_data_dir();
  if (m_config.pack_path.empty()) {
    *error = "no content pack: set [kiosk] pack in " +
             (config_path.empty() ? platform::default_config_path() : config_path) +
             " or pass --pack DIR";
    return false;
  }

  // Data before display: a kiosk that cannot store registrations must not pretend to run.
  if (!init_store(error)) return false;
  open_log();

  // Only a pack the checker passes is run; a refused one falls back to the last good pack.
  // It runs the kiosk's own copy of it, never the configured folder (pack_guard.h).
  if (!choose_pack(m_config.pack_path, m_config.data_dir, &m_pack_choice, error)) return false;
  if (m_pack_choice.fell_back) log::warn(m_pack_choice.warning);
  std::vector<std::string> pack_errors;
  if (!content::load_pack(m_pack_choice.path, &m_pack, &pack_errors)) {
    *error = "the content pack was refused:";
    for (const std::string& e : pack_errors) *error += "\n  " + e;
    return false;
  }

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
  m_pinyin = std::make_unique<ui::PinyinInput>(pinyin);
  m_handwriting = std::make_unique<ui::HandwritingInput>();
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
  m_staff->health = [this] { return collect_health(); };
  m_staff->start_integrity_check = [this] { m_integrity.start(store_path(m_config)); };
  m_staff->integrity_result = [this] { return m_integrity.result(); };

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
  m_text = std::make_unique<ui::TextRenderer>(ui::TextConfig{});
  m_images = std::make_unique<ui::ImageCache>(64u << 20, m_config.data_dir + "/thumbnails");
  m_ui = std::make_unique<ui::Ui>(*m_text, m_gestures);
  m_ui->set_images(m_images.get());
  // The tour's accent on visitor screens (pack.h T1-T3; the checker refused what fails 4.5:1).
  if (const content::ThemeColors normal = content::theme_colors(m_pack.theme, false); !normal.is_default) {
    const content::ThemeColors hc = content::theme_colors(m_pack.theme, true);
    auto col = [](std::uint32_t rgb) {
      return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255);
    };
    m_ui->set_pack_accent({col(normal.accent), col(normal.accent_text), col(normal.accent_ink)},
                          {col(hc.accent), col(hc.accent_text), col(hc.accent_ink)});
  }

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

// [frame cost] ----------------------------------------------------------------------------------

void App::add_frame_part(const std::string& what, double cpu_us, double wall_us) {
  m_pending_cost.ui_cpu_us += cpu_us;
  m_pending_cost.ui_wall_us += wall_us;
  char ms[32];
  std::snprintf(ms, sizeof ms, " %.2f ms", cpu_us / 1000.0);
  m_pending_cost.parts += (m_pending_cost.parts.empty() ? "" : " + ") + what + ms;
}

// Every screen switch goes through here, so its cost (exit(), enter()) lands in a frame's.
void App::go(std::string_view screen, screens::ScreenContext& ctx, const std::string& why) {
  const std::string from(m_router.current().name());
  const double c0 = platform::thread_cpu_us(), w0 = platform::monotonic_ms();
  m_router.go(screen, ctx);
  add_frame_part("enter " + std::string(screen) + " (" + (why.empty() ? "" : why + ", ") + "from " +
                     from + ")",
                 platform::thread_cpu_us() - c0, (platform::monotonic_ms() - w0) * 1000.0);
}

void App::print_frame_stats() const {
  if (m_frame_log.empty()) return;
  std::vector<double> v;
  for (const FrameCost& f : m_frame_log) v.push_back(f.ui_cpu_us);
  std::sort(v.begin(), v.end());
  std::printf("frames=%zu ui_cpu_median_us=%.1f ui_cpu_p95_us=%.1f ui_cpu_max_us=%.1f\n", v.size(),
              v[v.size() / 2], v[v.size() * 95 / 100], v.back());
  // The worst frame and what it was spent on (issue 15 item 1); the wall time beside it shows
  // waiting (fsync, locks) that UI CPU does not.
  const auto worst = std::max_element(m_frame_log.begin(), m_frame_log.end(),
                                      [](const FrameCost& a, const FrameCost& b) { return a.ui_cpu_us < b.ui_cpu_us; });
  const auto slowest = std::max_element(m_frame_log.begin(), m_frame_log.end(),
                                        [](const FrameCost& a, const FrameCost& b) { return a.ui_wall_us < b.ui_wall_us; });
  std::printf("worst_frame: ui_cpu_us=%.1f ui_wall_us=%.1f screen=%s parts: %s\n", worst->ui_cpu_us,
              worst->ui_wall_us, worst->screen.c_str(), worst->parts.c_str());
  std::printf("slowest_frame: ui_wall_us=%.1f ui_cpu_us=%.1f screen=%s parts: %s\n", slowest->ui_wall_us,
              slowest->ui_cpu_us, slowest->screen.c_str(), slowest->parts.c_str());
  // The worst frame of each screen (first seen first), so one known cost (the PIN check) does
  // not hide the rest of a walk.
  std::vector<const FrameCost*> per_screen;
  for (const FrameCost& f : m_frame_log) {
    auto it = std::find_if(per_screen.begin(), per_screen.end(),
                           [&](const FrameCost* p) { return p->screen == f.screen; });
    if (it == per_screen.end()) per_screen.push_back(&f);
    else if (f.ui_cpu_us > (*it)->ui_cpu_us) *it = &f;
  }
  for (const FrameCost* f : per_screen)
    std::printf("screen_worst: %s ui_cpu_us=%.1f ui_wall_us=%.1f parts: %s\n", f->screen.c_str(),
                f->ui_cpu_us, f->ui_wall_us, f->parts.c_str());
  // Every frame over the 16 ms budget (UI CPU or wall), in order, to see where a walk stalls.
  for (std::size_t i = 0; i < m_frame_log.size(); ++i) {
    const FrameCost& f = m_frame_log[i];
    if (f.ui_cpu_us > 16000 || f.ui_wall_us > 16000)
      std::printf("frame_over_16ms: #%zu ui_cpu_us=%.1f ui_wall_us=%.1f screen=%s parts: %s\n", i,
                  f.ui_cpu_us, f.ui_wall_us, f.screen.c_str(), f.parts.c_str());
  }
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

bool App::init_store(std::string* error) {
  if (!platform::ensure_writable_dir(m_config.data_dir, error)) return false;
  // The first connection to the store: a damaged one is set aside (store.h invariant 8).
  m_store = core::Store::open(store_path(m_config), error, core::Store::OnDamage::set_aside);
  if (!m_store) return false;
  m_registry = std::make_unique<core::Registry>(*m_store);
  m_people = std::make_unique<core::PeopleQueries>(*m_store);
  m_directory = std::make_unique<core::StaffDirectory>(*m_store);
  m_settings_store = std::make_unique<core::SettingsStore>(*m_store);
  m_visits = std::make_unique<StoreVisitRecorder>(*m_store);
  return true;
}

bool App::open_store_for_tool(std::string* error) {
  return load_tool_config(error) && init_store(error);
}

bool App::load_tool_config(std::string* error) {
  const std::string config_path = chosen_config_path(m_options.config_path);
  if (!config_path.empty() && !load_config(config_path, &m_config, error)) return false;
  if (!m_options.data_dir_override.empty()) m_config.data_dir = m_options.data_dir_override;
  if (!m_options.pack_override.empty()) m_config.pack_path = m_options.pack_override;
  if (m_config.data_dir.empty()) m_config.data_dir = platform::default_data_dir();
  return true;
}

// `kiosk --import-organizations FILE.csv`: the organization directory headquarters provides, for
// a technician setting a kiosk up (staff use the Organization directory screen). Audited as done
// at the kiosk computer (staff.h A1), not as a person. All or nothing:
// every error is printed as FILE:LINE: reason and nothing is changed.
int App::run_import_organizations() {
  std::string error;
  if (!open_store_for_tool(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }
  const core::ImportReport r = m_registry->import_organizations_csv(m_options.import_organizations, core::kKioskComputer);
  for (const std::string& e : r.errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!r.ok()) {
    std::fprintf(stderr, "kiosk: nothing imported (%zu errors)\n", r.errors.size());
    return 1;
  }
  std::printf("imported %s: %d new, %d updated organizations\n", m_options.import_organizations.c_str(),
              r.inserted, r.updated);
  return 0;
}

// The PIN for --add-staff / --set-pin: the first line of standard input (so it is not in the
// shell history). False, with the reason printed, when there is none or it is not 4-8 digits.
static bool read_pin_from_stdin(const char* flag, std::string* pin) {
  char line[64] = {};
  if (!std::fgets(line, sizeof line, stdin)) {
    std::fprintf(stderr, "kiosk: %s reads the PIN from standard input; none given\n", flag);
    return false;
  }
  *pin = line;
  while (!pin->empty() && (pin->back() == '\n' || pin->back() == '\r')) pin->pop_back();
  if (!core::pin_format_ok(*pin)) {
    std::fprintf(stderr, "kiosk: the PIN must be 4 to 8 digits\n");
    return false;
  }
  return true;
}

// `kiosk --add-staff NAME [--role staff|supervisor]`, PIN on standard input. The first account
// must be a supervisor. Audited as done at the kiosk computer (staff.h rule A1), not as a person:
// whoever has the computer's keyboard is its administrator.
int App::run_add_staff() {
  std::string error, pin;
  if (!open_store_for_tool(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }
  if (!read_pin_from_stdin("--add-staff", &pin)) return 1;
  core::StaffRule rule = core::StaffRule::ok;
  auto r = m_directory->add_staff(m_options.add_staff_name, pin, m_options.add_staff_role,
                                  core::kKioskComputer, &rule);
  if (!r.ok()) {
    std::fprintf(stderr, "kiosk: cannot add staff '%s': %s (%s)\n", m_options.add_staff_name.c_str(),
                 rule != core::StaffRule::ok ? core::staff_rule_key(rule) : core::store_error_key(r.error),
                 r.detail.c_str());
    return 1;
  }
  std::printf("added %s '%s' (%s)\n", m_options.add_staff_role.c_str(),
              m_options.add_staff_name.c_str(), r.id.c_str());
  return 0;
}

// `kiosk --set-pin NAME`, new PIN on standard input: the way back when the only supervisor has
// forgotten their PIN, or the pad is locked (whoever has the kiosk computer's keyboard is its
// administrator). Audited as done at the kiosk computer (staff.h A1); a new PIN also opens a
// locked pad (staff.h L4).
int App::run_set_pin() {
  std::string error, pin;
  if (!open_store_for_tool(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }
  const auto who = m_directory->find_by_name(m_options.set_pin_name);
  if (!who) {
    std::fprintf(stderr, "kiosk: no staff account named '%s'\n", m_options.set_pin_name.c_str());
    return 1;
  }
  if (!read_pin_from_stdin("--set-pin", &pin)) return 1;
  core::StaffRule rule = core::StaffRule::ok;
  auto r = m_directory->set_pin(who->id, pin, core::kKioskComputer, &rule);
  if (!r.ok()) {
    std::fprintf(stderr, "kiosk: cannot set the PIN of '%s': %s (%s)\n", who->name.c_str(),
                 rule != core::StaffRule::ok ? core::staff_rule_key(rule) : core::store_error_key(r.error),
                 r.detail.c_str());
    return 1;
  }
  std::printf("new PIN set for '%s'\n", who->name.c_str());
  return 0;
}

int App::run() {
  if (!m_options.enroll_file.empty() || m_options.sync_now || !m_options.export_bundle_dir.empty() ||
      !m_options.import_receipt.empty() || !m_options.import_downlink.empty())
    return run_sync_command();
  if (!m_options.install_pack.empty() || m_options.rollback_pack) return run_pack_command();
  if (!m_options.add_staff_name.empty()) return run_add_staff();
  if (!m_options.import_organizations.empty()) return run_import_organizations();
  if (!m_options.set_pin_name.empty()) return run_set_pin();
  if (m_options.health) return run_health();
  if (!m_options.backup_dir.empty()) return run_backup();
  if (!m_options.restore_file.empty()) return run_restore();
  // The loop modes end on SIGTERM/SIGINT through finish() (stop_signals.h); one-shot tools above
  // keep the default action (their changes are single transactions).
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

// [input] ---------------------------------------------------------------------------------------

void App::handle_event(const SDL_Event& e) {
  int pw = 1, ph = 1, ww = 1, wh = 1;
  m_window->drawable_size(&pw, &ph);
  SDL_GetWindowSize(m_window->sdl_window(), &ww, &wh);
  const float scale = m_ui->scale() > 0 ? m_ui->scale() : 1.0f;
  auto from_window = [&](float x, float y) {  // window coordinates -> logical
    return ui::Point{x * static_cast<float>(pw) / static_cast<float>(ww) / scale,
                     y * static_cast<float>(ph) / static_cast<float>(wh) / scale};
  };
  auto from_normalized = [&](float x, float y) {
    return ui::Point{x * static_cast<float>(pw) / scale, y * static_cast<float>(ph) / scale};
  };
  const double t = now();
  bool input = true;
  switch (e.type) {
    case SDL_QUIT:
      // A close request (Alt+F4 in a window manager, a compositor closing the window). In kiosk
      // mode (fullscreen) nobody at the screen may end the kiosk: only SIGTERM/SIGINT stop it.
      if (m_config.fullscreen) log::info("window close request ignored (kiosk mode)");
      else m_quit = true;
      input = false;
      break;
    case SDL_FINGERDOWN: {
      const auto id = static_cast<long long>(e.tfinger.fingerId);
      if (m_pointer_finger < 0 && !m_mouse_down) {
        m_pointer_finger = id;
        m_gestures.pointer_down(from_normalized(e.tfinger.x, e.tfinger.y), t);
      } else if (m_pointer_finger >= 0 && m_second_finger < 0 && id != m_pointer_finger) {
        m_second_finger = id;
        m_gestures.second_down(from_normalized(e.tfinger.x, e.tfinger.y));
      }
      break;
    }
    case SDL_FINGERMOTION: {
      const auto id = static_cast<long long>(e.tfinger.fingerId);
      if (m_pointer_finger == id) m_gestures.pointer_move(from_normalized(e.tfinger.x, e.tfinger.y), t);
      else if (m_second_finger == id) m_gestures.second_move(from_normalized(e.tfinger.x, e.tfinger.y));
      break;
    }
    case SDL_FINGERUP: {
      const auto id = static_cast<long long>(e.tfinger.fingerId);
      if (m_second_finger == id) {
        m_gestures.second_up();
        m_second_finger = -1;
      } else if (m_pointer_finger == id) {
        m_gestures.pointer_up(from_normalized(e.tfinger.x, e.tfinger.y), t);
        m_pointer_finger = -1;
        m_second_finger = -1;
      }
      break;
    }
    case SDL_MOUSEBUTTONDOWN:
      if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) break;
      if (m_pointer_finger < 0) {
        m_mouse_down = true;
        m_gestures.pointer_down(from_window(static_cast<float>(e.button.x), static_cast<float>(e.button.y)), t);
      }
      break;
    case SDL_MOUSEMOTION:
      if (e.motion.which == SDL_TOUCH_MOUSEID) break;
      if (m_mouse_down || m_pointer_finger < 0)
        m_gestures.pointer_move(from_window(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y)), t);
      input = m_mouse_down;  // hovering is not "using the kiosk"
      break;
    case SDL_MOUSEBUTTONUP:
      if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) break;
      if (m_mouse_down) {
        m_mouse_down = false;
        m_gestures.pointer_up(from_window(static_cast<float>(e.button.x), static_cast<float>(e.button.y)), t);
      }
      break;
    case SDL_TEXTINPUT:
      m_ui->push_text_input(e.text.text);
      break;
    case SDL_KEYDOWN: {
      // Editing keys go to the focused text field (the on-screen keyboard bypasses this).
      const bool shift = (e.key.keysym.mod & KMOD_SHIFT) != 0;
      const bool ctrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
      switch (e.key.keysym.sym) {
        case SDLK_LEFT: m_ui->push_key(ui::FieldKey::Left, shift); break;
        case SDLK_RIGHT: m_ui->push_key(ui::FieldKey::Right, shift); break;
        case SDLK_HOME: m_ui->push_key(ui::FieldKey::Home, shift); break;
        case SDLK_END: m_ui->push_key(ui::FieldKey::End, shift); break;
        case SDLK_BACKSPACE: m_ui->push_key(ui::FieldKey::Backspace, shift); break;
        case SDLK_DELETE: m_ui->push_key(ui::FieldKey::Delete, shift); break;
        case SDLK_a: if (ctrl) m_ui->push_key(ui::FieldKey::SelectAll, false); break;
        case SDLK_c: if (ctrl) m_ui->push_key(ui::FieldKey::Copy, false); break;
        case SDLK_x: if (ctrl) m_ui->push_key(ui::FieldKey::Cut, false); break;
        case SDLK_v: if (ctrl) m_ui->push_key(ui::FieldKey::Paste, false); break;
        default: break;
      }
      break;
    }
    case SDL_KEYUP:
    case SDL_TEXTEDITING:
      break;
    case SDL_WINDOWEVENT:
      input = false;
      if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e.window.event == SDL_WINDOWEVENT_EXPOSED)
        m_frames_pending = std::max(m_frames_pending, 1);
      break;
    default: input = false; break;
  }
  if (input) {
    m_last_input_ms = t;
    m_frames_pending = std::max(m_frames_pending, 1);
  }
}

// [timers] --------------------------------------------------------------------------------------

// The settings in effect (a supervisor may change them while the kiosk runs).
double App::idle_timeout_s(const screens::Screen& screen) const {
  if (!m_staff) return screen.visitor() ? m_config.idle_timeout_s : m_config.staff_session_idle_s;
  return screen.visitor() ? m_staff->settings.visitor_reset_s : m_staff->settings.staff_lock_s;
}

double App::next_deadline() const {
  double d = -1;
  auto take = [&](double t) {
    if (t >= 0 && (d < 0 || t < d)) d = t;
  };
  const screens::Screen& screen = m_router.current();
  if (screen.name() != "attract") {
    const double timeout_s = idle_timeout_s(screen);
    take(m_last_input_ms + timeout_s * 1000.0);
  }
  const double t = now();
  const double lp = m_gestures.ms_until_long_press(t);
  if (lp >= 0) take(t + lp);
  take(m_ui->wake_time());
  return d;
}

void App::check_timers() {
  const double t = now();
  screens::Screen& screen = m_router.current();
  if (screen.name() != "attract") {
    const double timeout_s = idle_timeout_s(screen);
    if (t - m_last_input_ms >= timeout_s * 1000.0) {
      // Forget everything the visitor chose or typed: a new session, a fresh Attract.
      m_session = screens::Session{};
      if (m_staff) m_staff->session.reset();  // a staff session locks itself when left alone
      screens::ScreenContext ctx = context();
      go("attract", ctx, "idle reset");
      m_frames_pending = std::max(m_frames_pending, 1);
    }
  }
  if (screen.name() == "attract") maybe_scheduled_backup(t);
  const double wake = m_ui->wake_time();
  if (wake >= 0 && t >= wake) m_frames_pending = std::max(m_frames_pending, 1);
  if (m_images->loading()) m_frames_pending = std::max(m_frames_pending, 1);
  const double lp = m_gestures.ms_until_long_press(t);
  if (lp == 0) m_frames_pending = std::max(m_frames_pending, 1);
}

// [frame] ---------------------------------------------------------------------------------------

void App::render_frame(bool capture, std::vector<unsigned char>* pixels) {
  int pw = 0, ph = 0;
  m_window->drawable_size(&pw, &ph);
  const float scale = static_cast<float>(std::min(pw, ph)) / 1080.0f *
                      static_cast<float>(m_config.ui_scale);
  const double t = now();
  m_gestures.update(t);

  const double cpu0 = platform::thread_cpu_us(), wall0 = platform::monotonic_ms();
  const std::string drawn(m_router.current().name());
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGui::NewFrame();
  m_ui->begin_frame(pw, ph, scale, t, ImGui::GetBackgroundDrawList());
  m_ui->set_rtl(false);
  m_ui->set_text_scale(m_session.large_text ? 1.3f : 1.0f);
  if (m_ui->high_contrast() != m_session.high_contrast) m_ui->set_high_contrast(m_session.high_contrast);
  m_ui->use_pack_accent(m_router.current().visitor());
  screens::ScreenContext ctx = context();
  m_router.current().draw(*m_ui, ctx);
  m_ui->end_frame();
  m_text->end_frame();
  m_images->end_frame();
  ImGui::Render();
  add_frame_part("draw " + drawn, platform::thread_cpu_us() - cpu0,
                 (platform::monotonic_ms() - wall0) * 1000.0);
  glViewport(0, 0, pw, ph);
  glClearColor(0.05f, 0.1f, 0.18f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (capture) {
    pixels->resize(static_cast<size_t>(pw) * static_cast<size_t>(ph) * 4);
    m_window->read_pixels(pw, ph, pixels->data());
  }
  m_window->swap();
  const std::optional<ui::Point> tap = m_gestures.frame().tap;
  m_gestures.begin_frame();  // this frame consumed the taps and drags
  ++m_frames_rendered;
  if (m_frames_rendered == 1) platform::service_ready();  // READY=1 once the first frame is up
  platform::service_heartbeat(platform::monotonic_ms());  // real time, also under the harness
  m_last_frame_ms = t;

  m_frames_pending = std::max(0, m_frames_pending - 1);
  if (!ctx.next.empty()) {
    // A visitor's tap that changed the screen: its double tap's second half stops here.
    if (tap && m_router.current().visitor()) m_ui->hold_taps_near(*tap, t + 400);
    go(ctx.next, ctx, "");  // part of this frame's cost: the tap that asked for it was drawn here
    m_frames_pending = std::max(m_frames_pending, 1);
  }
  if (m_ui->wants_frame()) m_frames_pending = std::max(m_frames_pending, 1);
  reload_pack_if_switched();
  m_pending_cost.screen = drawn;
  m_last_ui_cpu_us = m_pending_cost.ui_cpu_us;
  if (m_options.frame_stats) m_frame_log.push_back(std::move(m_pending_cost));
  m_pending_cost = {};
}

// A pack installed or rolled back on the Content screen runs from the next frame: the new copy
// is loaded beside the old one and swapped in only when it loads (the copies never change in
// place, sync/pack_store.h P2, so the old one stays readable until then).
void App::reload_pack_if_switched() {
  if (!m_pack_worker || m_pack_worker->switches() == m_pack_switches) return;
  m_pack_switches = m_pack_worker->switches();
  std::string why;
  const auto current = sync::PackStore(m_config.data_dir + "/packs").current(&why);
  content::Pack fresh;
  std::vector<std::string> errors;
  if (!current || !content::load_pack(current->run_path, &fresh, &errors)) {
    std::fprintf(stderr, "kiosk: the new content pack could not be loaded; keeping the one shown: %s\n",
                 current ? (errors.empty() ? "" : errors.front().c_str()) : why.c_str());
    return;
  }
  m_pack = std::move(fresh);
  m_pack_choice = PackChoice{current->run_path, false, {}, {}};  // the Health screen's verdict too
  m_staff->pack_warning.clear();
  m_staff->pack_warning_key.clear();
  m_frames_pending = std::max(m_frames_pending, 1);
}

// [loops] ---------------------------------------------------------------------------------------

int App::run_live() {
  constexpr double kFrameMs = 1000.0 / 60.0;
  SDL_Event e;
  while (!m_quit && !platform::stop_requested()) {
    if (m_frames_pending == 0) {
      // Nothing to draw: sleep until input or the next timer (1: zero frames while idle), but
      // wake at least every kIdleWakeMs to pet the watchdog and see a stop request.
      const double deadline = next_deadline();
      double wait = platform::kIdleWakeMs;
      if (deadline >= 0) wait = std::min(wait, std::max(0.0, deadline - now()) + 1);
      const bool got = SDL_WaitEventTimeout(&e, static_cast<int>(wait)) == 1;
      platform::service_heartbeat(platform::monotonic_ms());
      if (got) handle_event(e);
    } else if (m_last_frame_ms >= 0 && now() - m_last_frame_ms < kFrameMs) {
      // Animating: pace to ~60 Hz (3) but stay responsive to input.
      const int wait = static_cast<int>(kFrameMs - (now() - m_last_frame_ms)) + 1;
      if (SDL_WaitEventTimeout(&e, wait) == 1) handle_event(e);
    }
    while (SDL_PollEvent(&e)) handle_event(e);
    if (m_quit || platform::stop_requested()) break;
    check_timers();
    if (m_frames_pending > 0 && (m_last_frame_ms < 0 || now() - m_last_frame_ms >= kFrameMs - 1))
      render_frame(false, nullptr);
  }
  return 0;
}

int App::run_bench() {
  // First frame: the time from entering main() to the first presented frame.
  render_frame(false, nullptr);
  glFinish();
  std::printf("first_frame_ms=%.2f\n", now());
  if (m_options.bench_frames > 0) {
    // Whole frame (including Mesa's software GL on this thread) and the kiosk's own UI work
    // (layout, text, widgets: NewFrame..Render) are reported separately.
    std::vector<double> cpu, ui_cpu;
    for (int i = 0; i < m_options.bench_frames && !platform::stop_requested(); ++i) {
      const double c0 = platform::thread_cpu_us();
      render_frame(false, nullptr);
      cpu.push_back(platform::thread_cpu_us() - c0);
      ui_cpu.push_back(m_last_ui_cpu_us);
    }
    if (cpu.empty()) return 0;  // stopped by a signal before the first measured frame
    std::sort(cpu.begin(), cpu.end());
    std::sort(ui_cpu.begin(), ui_cpu.end());
    std::printf("frame_cpu_median_us=%.1f\nframe_ui_cpu_median_us=%.1f\n", cpu[cpu.size() / 2],
                ui_cpu[ui_cpu.size() / 2]);
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace kiosk::app
