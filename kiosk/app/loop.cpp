// kiosk/app/loop.cpp — the kiosk's loop (app.h design note 1-5): events in, timers, frames on
// demand, each frame's cost (app.h [frame cost]), screen switches, the pack switch after an
// install, and the scheduled backup looked at on Attract. SDL events are translated by
// input.h; the harness (harness.cpp) drives the same functions on a virtual clock.
#include "app.h"

#include "kiosk_backup.h"
#include "log.h"
#include "pack_store.h"
#include "pack_theme.h"
#include "pack_worker.h"
#include "service_notify.h"
#include "stop_signals.h"
#include "kiosk_sync.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace kiosk::app {

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

// [input] ---------------------------------------------------------------------------------------

void App::handle_event(const SDL_Event& e) {
  WindowGeometry g;
  m_window->drawable_size(&g.drawable_w, &g.drawable_h);
  SDL_GetWindowSize(m_window->sdl_window(), &g.window_w, &g.window_h);
  g.scale = m_ui->scale();
  const double t = now();
  const InputEffect fx = m_input.translate(e, g, t, m_gestures);
  if (fx.close_request) {
    // Alt+F4 in a window manager, a compositor closing the window. In kiosk mode (fullscreen)
    // nobody at the screen may end the kiosk: only SIGTERM/SIGINT stop it.
    if (m_config.fullscreen) log::info("window close request ignored (kiosk mode)");
    else m_quit = true;
  }
  if (!fx.text.empty()) m_ui->push_text_input(fx.text);
  if (fx.key) m_ui->push_key(fx.key->first, fx.key->second);
  if (fx.used) m_last_input_ms = t;
  if (fx.redraw) m_frames_pending = std::max(m_frames_pending, 1);
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
  // store.h 9: once the after-open check passed, the UI's connection may write again, also for
  // the writes outside a Transaction (visit analytics). A mutex read while it is checking.
  if (m_store) m_store->write_gate();
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
  if (!m_open_check_logged && m_store->open_check_state() != core::Store::CheckState::checking) {
    m_open_check_logged = true;  // store.h invariant 9: what the check after open found
    if (m_store->open_check_state() == core::Store::CheckState::damaged)
      log::error(store_path(m_config) + " is damaged (" + m_store->open_check_problem() +
                 "): nothing more is written to it; restart the kiosk to set it aside for headquarters");
    else log::info("store checked after start in " + std::to_string(static_cast<long>(m_store->open_check_ms())) + " ms");
  }
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
  m_drawn_screen = drawn;  // the widgets of this frame are this screen's (script.h S6)
  m_ui->end_frame();
  m_text->end_frame();
  m_images->end_frame();
  ImGui::Render();
  add_frame_part("draw " + drawn, platform::thread_cpu_us() - cpu0,
                 (platform::monotonic_ms() - wall0) * 1000.0);
  glViewport(0, 0, pw, ph);
  const ImU32 clear = m_ui->clear_color();  // the screen's background (ui.h)
  glClearColor(static_cast<float>((clear >> IM_COL32_R_SHIFT) & 0xFF) / 255.0f,
               static_cast<float>((clear >> IM_COL32_G_SHIFT) & 0xFF) / 255.0f,
               static_cast<float>((clear >> IM_COL32_B_SHIFT) & 0xFF) / 255.0f, 1.0f);
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
  if (m_frames_rendered == 2) {
    // The Chinese input methods read their data on their own threads once the first frame is on
    // screen (the second's swap waits for it): on two cores that work slowed the start to first
    // frame (issue 15, BENCHMARKS.md). Letters or strokes before then are kept (I3).
    m_pinyin->start();
    m_handwriting->start();
  }
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
  apply_pack_theme(*m_ui, m_pack.theme);  // the new pack's accent, or the kiosk's own (pack_theme.h)
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
  // From App::init, the clock's reading and what was drawn, for start_bench.py (spawn to first frame).
  std::printf("first_frame_ms=%.2f\nfirst_frame_clock_ms=%.3f\nfirst_frame_vertices=%d\n", now(),
              platform::monotonic_ms(), ImGui::GetDrawData() ? ImGui::GetDrawData()->TotalVtxCount : 0);
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

// [backup] folder / every_hours: looked at once a minute while the kiosk idles on Attract; the
// backup itself runs on the sync worker's thread and connection (never blocking a visitor),
// encrypted (an unenrolled kiosk's try fails at once and is looked at again a minute later; Health shows
// the last backup). No folder (the stick is out): nothing.
void App::maybe_scheduled_backup(double now_ms) {
  if (m_config.backup_folder.empty() || !m_sync || now_ms - m_backup_checked_ms < 60'000) return;
  m_backup_checked_ms = now_ms;
  std::error_code ec;
  if (!std::filesystem::is_directory(m_config.backup_folder, ec)) return;
  if (!sync::backup_due(m_config.data_dir, m_store->now_ms(), m_config.backup_every_hours)) return;
  if (m_sync->snapshot().running) return;
  if (m_sync->start(sync::SyncWorker::Job::backup_usb, m_config.backup_folder))
    log::info("scheduled backup into " + m_config.backup_folder);
}

}  // namespace kiosk::app
