// The headless test harness: runs a script (script.h) against the real kiosk — the same event
// handling, router, widgets and renderer — on a virtual clock.
#include "app.h"
#include "unicode/unicode.h"

#include "log.h"
#include "service_notify.h"
#include "stop_signals.h"
#include "text/text_engine.h"

#include <SDL.h>
#include <sqlite3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace kiosk::app {
namespace {

// What a person does with a finger or a key: followed by a pause at visitor pace (script.h R3).
bool is_input_command(ScriptCommand::Kind k) {
  using Kind = ScriptCommand::Kind;
  return k == Kind::Tap || k == Kind::Click || k == Kind::LongPress || k == Kind::Drag ||
         k == Kind::Flick || k == Kind::Pinch || k == Kind::Stroke || k == Kind::Key || k == Kind::Type;
}

}  // namespace

void App::advance(double ms) {
  if (!m_virtual_clock) return advance_real(ms);
  // The live loop's decisions on a virtual clock: render when a frame is pending (stepping time
  // by one 60 Hz frame), otherwise jump straight to the next timer or to the target.
  constexpr double kFrameMs = 1000.0 / 60.0;
  const double target = m_virtual_now + ms;
  SDL_Event e;
  for (;;) {
    while (SDL_PollEvent(&e)) handle_event(e);
    check_timers();
    if (m_frames_pending > 0) render_frame(false, nullptr);
    double next = m_frames_pending > 0 ? m_virtual_now + kFrameMs : next_deadline();
    if (next < 0 || next > target) next = target;
    if (next <= m_virtual_now) break;  // reached the target; pending frames carry over
    m_virtual_now = next;
  }
}

void App::advance_real(double ms) {
  // The live loop (loop.cpp run_live) for ms of real time: frames paced to 60 Hz while something
  // animates, otherwise asleep until input, a timer or the end of the wait (script.h, rule R1).
  constexpr double kFrameMs = 1000.0 / 60.0;
  const double target = now() + ms;
  SDL_Event e;
  for (;;) {
    while (SDL_PollEvent(&e)) handle_event(e);
    check_timers();
    if (m_frames_pending > 0 && (m_last_frame_ms < 0 || now() - m_last_frame_ms >= kFrameMs - 1))
      render_frame(false, nullptr);
    sample_metrics();
    const double t = now();
    if (t >= target || m_quit || platform::stop_requested()) break;
    double wait = std::min(target - t, static_cast<double>(platform::kIdleWakeMs));
    if (m_frames_pending > 0) {
      wait = std::min(wait, std::max(1.0, m_last_frame_ms + kFrameMs - t));
    } else {
      const double deadline = next_deadline();
      if (deadline >= 0) wait = std::min(wait, std::max(0.0, deadline - t) + 1);
    }
    if (SDL_WaitEventTimeout(&e, std::max(1, static_cast<int>(wait))) == 1) handle_event(e);
  }
}

void App::pace(double ms) {
  if (!m_virtual_clock) advance_real(ms);
}

void App::sample_metrics() {
  if (!m_metrics.due(platform::monotonic_ms())) return;
  SoakCounts c;
  c.atlas_pages = m_text->texture_count();
  c.images = m_images->texture_count();
  c.image_bytes = m_images->resident_bytes();
  c.layout_cache_bytes = m_text->engine().stats().layout_cache_bytes;
  c.pass = m_script_pass;
  c.frames = m_frames_rendered;
  m_metrics.sample(platform::monotonic_ms(), c);
}

void App::push_pointer(bool finger, int type, ui::Point logical) { push_finger_event(finger, type, logical, 7); }

void App::push_finger_event(bool finger, int type, ui::Point logical, long long finger_id) {
  int pw = 1, ph = 1, ww = 1, wh = 1;
  m_window->drawable_size(&pw, &ph);
  SDL_GetWindowSize(m_window->sdl_window(), &ww, &wh);
  const float s = m_ui->scale();
  SDL_Event e;
  std::memset(&e, 0, sizeof e);
  if (finger) {
    e.type = static_cast<Uint32>(type == 0 ? SDL_FINGERDOWN : type == 1 ? SDL_FINGERMOTION : SDL_FINGERUP);
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = finger_id;
    e.tfinger.x = logical.x * s / static_cast<float>(pw);
    e.tfinger.y = logical.y * s / static_cast<float>(ph);
    e.tfinger.pressure = 1;
  } else {
    const int x = static_cast<int>(std::lround(logical.x * s * static_cast<float>(ww) / static_cast<float>(pw)));
    const int y = static_cast<int>(std::lround(logical.y * s * static_cast<float>(wh) / static_cast<float>(ph)));
    if (type == 1) {
      e.type = SDL_MOUSEMOTION;
      e.motion.x = x;
      e.motion.y = y;
      e.motion.state = SDL_BUTTON_LMASK;
    } else {
      e.type = static_cast<Uint32>(type == 0 ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP);
      e.button.button = SDL_BUTTON_LEFT;
      e.button.x = x;
      e.button.y = y;
    }
  }
  SDL_PushEvent(&e);
  while (SDL_PollEvent(&e)) handle_event(e);
}

bool App::resolve_target(const ScriptCommand& c, ui::Point* p, std::string* error) const {
  if (c.target.empty()) {
    *p = {c.x1, c.y1};
    return true;
  }
  ui::Rect r;
  if (!widget_on_screen(c.target, &r, error)) return false;
  *p = r.center();
  return true;
}

bool App::widget_on_screen(const std::string& id, ui::Rect* r, std::string* error) const {
  if (m_ui->widget_rect(id, r)) return true;
  *error = "no widget '@" + id + "' on screen '" + std::string(m_router.current().name()) + "'";
  return false;
}

bool App::wait_screen_idle(std::string* error) {
  // S5: what the input started on a thread (Screen::busy(), e.g. the PIN comparison) finishes in
  // real time; draw frames as the loop would until the screen has its answer, then the frames
  // that answer asks for (a change of screen).
  constexpr double kWaitMs = 20000;
  if (!m_router.current().busy()) return true;
  const double deadline = platform::monotonic_ms() + kWaitMs;
  while (m_router.current().busy()) {
    if (platform::monotonic_ms() > deadline) {
      *error = "screen '" + std::string(m_router.current().name()) + "' still busy " +
               std::to_string(static_cast<long>(kWaitMs / 1000)) + " s after the input";
      return false;
    }
    SDL_Delay(2);
    render_frame(false, nullptr);
  }
  advance(1000.0 / 60.0 * 3);
  return true;
}

bool App::save_screenshot(const std::string& path, std::string* error) {
  // Pictures decode on a worker thread in real time: wait on the decodes themselves (a frame
  // uploads what finished, and may ask for more pictures, e.g. a grid's thumbnails), then take
  // the picture. Three frames at least, as before, so layout has settled.
  constexpr double kDecodeWaitMs = 10000;
  const double deadline = platform::monotonic_ms() + kDecodeWaitMs;
  for (int frame = 0; frame < 3 || m_images->loading(); ++frame) {
    render_frame(false, nullptr);
    const std::vector<std::string> left =
        m_images->wait_decoded(std::max(0.0, deadline - platform::monotonic_ms()));
    if (!left.empty()) {
      *error = path + ": pictures still decoding after " +
               std::to_string(static_cast<long>(kDecodeWaitMs / 1000)) + " s on screen '" +
               std::string(m_router.current().name()) + "': ";
      for (std::size_t i = 0; i < left.size(); ++i) *error += (i ? ", " : "") + left[i];
      return false;
    }
    if (frame > 50) {  // impossible unless a screen asks for new pictures in every frame
      *error = path + ": screen '" + std::string(m_router.current().name()) +
               "' keeps asking for new pictures; no stable frame to capture";
      return false;
    }
  }
  std::vector<unsigned char> pixels;
  render_frame(true, &pixels);
  int pw = 0, ph = 0;
  m_window->drawable_size(&pw, &ph);
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // No per-row filter search: on screens of flat colours it makes files no smaller and costs
  // about 100 ms of a 1920x1080 shot's 180 (the e2e suite takes some 3,200 of them).
  stbi_write_force_png_filter = 0;
  if (pixels.empty() || !stbi_write_png(path.c_str(), pw, ph, 4, pixels.data(), pw * 4)) {
    *error = path + ": cannot write the screenshot";
    return false;
  }
  return true;
}

bool App::run_command(const ScriptCommand& c, const std::string& script_dir, std::string* error) {
  using Kind = ScriptCommand::Kind;
  constexpr double kStep = 1000.0 / 60.0;
  ui::Point p;
  switch (c.kind) {
    case Kind::Tap:
    case Kind::Click: {
      if (!resolve_target(c, &p, error)) return false;
      const bool finger = c.kind == Kind::Tap;
      push_pointer(finger, 0, p);
      // In real time the finger lifts 60 ms later whatever the kiosk is doing: no frame is drawn
      // in between, so a slow frame on a loaded machine cannot stretch a tap into a long press.
      if (m_virtual_clock) advance(60);
      else SDL_Delay(60);
      push_pointer(finger, 2, p);
      advance(kStep * 3);
      return true;
    }
    case Kind::Press:
      if (m_held) {
        *error = "press: a finger is already down (release it first)";
        return false;
      }
      if (!resolve_target(c, &p, error)) return false;
      push_pointer(true, 0, p);
      m_held = p;
      advance(kStep * 3);
      return true;
    case Kind::Release:
      if (!m_held) {
        *error = "release: no finger is down (press first)";
        return false;
      }
      push_pointer(true, 2, *m_held);
      m_held.reset();
      advance(kStep * 3);
      return true;
    case Kind::ExpectColour: {
      ui::Rect r;
      if (!widget_on_screen(c.target, &r, error)) return false;
      std::vector<unsigned char> pixels;
      render_frame(true, &pixels);
      int pw = 0, ph = 0;
      m_window->drawable_size(&pw, &ph);
      const float s = m_ui->scale();
      const float lx = m_ui->rtl() ? r.x + r.w - 12 : r.x + 12;
      const int x = std::clamp(static_cast<int>(lx * s), 0, pw - 1);
      const int y = std::clamp(static_cast<int>((r.y + r.h * 0.5f) * s), 0, ph - 1);
      const unsigned char* px = &pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(pw) + static_cast<std::size_t>(x)) * 4];
      const int want[3] = {static_cast<int>((c.colour >> 16) & 0xFF), static_cast<int>((c.colour >> 8) & 0xFF),
                           static_cast<int>(c.colour & 0xFF)};
      bool same = true;
      for (int i = 0; i < 3; ++i) same = same && std::abs(px[i] - want[i]) <= 3;
      if (!same) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "@%s is #%02X%02X%02X at %d,%d, expected %06X", c.target.c_str(), px[0],
                      px[1], px[2], x, y, c.colour);
        *error = buf;
        return false;
      }
      return true;
    }
    case Kind::LongPress:
      if (!resolve_target(c, &p, error)) return false;
      push_pointer(true, 0, p);
      advance(c.ms);
      push_pointer(true, 2, p);
      advance(kStep * 3);
      return true;
    case Kind::Drag:
    case Kind::Flick: {
      const int steps = std::max(2, static_cast<int>(c.ms / kStep));
      push_pointer(true, 0, {c.x1, c.y1});
      for (int i = 1; i <= steps; ++i) {
        const float f = static_cast<float>(i) / static_cast<float>(steps);
        advance(c.ms / steps);
        push_pointer(true, 1, {c.x1 + (c.x2 - c.x1) * f, c.y1 + (c.y2 - c.y1) * f});
      }
      push_pointer(true, 2, {c.x2, c.y2});
      advance(kStep * 3);
      return true;
    }
    case Kind::Stroke: {
      // One finger through the points inside the widget's box, a few frames per segment, as a
      // finger writing on the pad would be sampled.
      ui::Rect r;
      if (!widget_on_screen(c.target, &r, error)) return false;
      auto at = [&](std::pair<float, float> f) { return ui::Point{r.x + f.first * r.w, r.y + f.second * r.h}; };
      push_pointer(true, 0, at(c.points.front()));
      advance(kStep);
      for (size_t i = 1; i < c.points.size(); ++i) {
        const ui::Point a = at(c.points[i - 1]), b = at(c.points[i]);
        constexpr int kSteps = 4;
        for (int k = 1; k <= kSteps; ++k) {
          const float f = static_cast<float>(k) / kSteps;
          push_pointer(true, 1, {a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f});
          advance(kStep);
        }
      }
      push_pointer(true, 2, at(c.points.back()));
      advance(kStep * 3);
      // Handwriting classifies on its own thread in real time (handwriting_input.h H5): draw as
      // the loop would until its candidates are on the bar, as a person would see them.
      if (m_handwriting && !m_handwriting->wait_idle(10000)) {
        *error = "handwriting: no candidates 10 s after the stroke";
        return false;
      }
      advance(kStep * 2);
      return true;
    }
    case Kind::Pinch: {
      // Two real finger streams: SDL finger ids 7 and 8, moved apart (or together) in steps.
      const int steps = 10;
      auto at = [&](float spread, int side) {
        return ui::Point{c.x1 + static_cast<float>(side) * spread * 0.5f, c.y1};
      };
      push_finger_event(true, 0, at(c.x2, -1), 7);
      push_finger_event(true, 0, at(c.x2, +1), 8);
      for (int i = 1; i <= steps; ++i) {
        const float spread = c.x2 + (c.y2 - c.x2) * static_cast<float>(i) / steps;
        advance(c.ms / steps);
        push_finger_event(true, 1, at(spread, -1), 7);
        push_finger_event(true, 1, at(spread, +1), 8);
      }
      push_finger_event(true, 2, at(c.y2, +1), 8);
      push_finger_event(true, 2, at(c.y2, -1), 7);
      advance(kStep * 3);
      return true;
    }
    case Kind::Type: {
      // SDL delivers text in pieces of at most 31 bytes (+NUL); never split a UTF-8 sequence.
      // In real time (script.h R3) a person types: one character at a time, pace / 5 apart.
      const std::string text = expand_pass(c.text, std::max(1, m_script_pass));
      const bool by_key = !m_virtual_clock;
      size_t i = 0;
      while (i < text.size()) {
        // (at least one byte, so ill-formed text cannot stall the loop)
        const std::string_view piece = std::string_view(text).substr(i, by_key ? 4 : 31);
        size_t n = std::max<size_t>(1, unicode::complete_utf8_prefix(piece));
        if (by_key)  // the lead byte and its continuation bytes only
          for (n = 1; n < piece.size() && (static_cast<unsigned char>(piece[n]) & 0xC0) == 0x80;) ++n;
        SDL_Event e;
        std::memset(&e, 0, sizeof e);
        e.type = SDL_TEXTINPUT;
        std::memcpy(e.text.text, text.data() + i, n);
        SDL_PushEvent(&e);
        i += n;
        if (by_key && i < text.size()) advance(m_options.script_pace_ms / 5);
      }
      advance(kStep * 2);
      return true;
    }
    case Kind::Key: {
      const SDL_Keycode key = SDL_GetKeyFromName(c.text.c_str());
      if (key == SDLK_UNKNOWN) {
        *error = "unknown key name '" + c.text + "'";
        return false;
      }
      for (Uint32 type : {static_cast<Uint32>(SDL_KEYDOWN), static_cast<Uint32>(SDL_KEYUP)}) {
        SDL_Event e;
        std::memset(&e, 0, sizeof e);
        e.type = type;
        e.key.keysym.sym = key;
        e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
        e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
        SDL_PushEvent(&e);
      }
      advance(kStep * 2);
      return true;
    }
    case Kind::Wait: advance(c.ms); return true;
    case Kind::WaitFor: {
      // Threads (sync jobs) run in real time, the script's clock is virtual: let real time pass
      // too, and render only the frames the live loop would (a screen that forgets to ask for
      // frames while its job runs never shows the widget, and the test fails).
      const double deadline = platform::monotonic_ms() + c.ms;
      ui::Rect r;
      while (!m_ui->widget_rect(c.target, &r)) {
        if (platform::stop_requested()) return true;  // run_script() stops before the next command
        if (platform::monotonic_ms() > deadline) {
          *error = "widget '@" + c.target + "' did not appear on screen '" +
                   std::string(m_router.current().name()) + "' within " +
                   std::to_string(static_cast<long>(c.ms)) + " ms";
          return false;
        }
        SDL_Delay(5);
        advance(kStep);
      }
      return true;
    }
    case Kind::ExpectScreen:
      if (m_router.current().name() != c.text) {
        *error = "expected screen '" + c.text + "', but the kiosk shows '" +
                 std::string(m_router.current().name()) + "'";
        return false;
      }
      return true;
    case Kind::ExpectWidget:
    case Kind::ExpectNoWidget: {
      ui::Rect r;
      const bool present = m_ui->widget_rect(c.target, &r);
      if (present != (c.kind == Kind::ExpectWidget)) {
        *error = "widget '@" + c.target + (present ? "' is" : "' is not") + " on screen '" +
                 std::string(m_router.current().name()) + "'";
        return false;
      }
      return true;
    }
    case Kind::ResetFrameStats:
      m_frame_log.clear();
      return true;
    case Kind::CloseWindow: {
      SDL_Event e;
      std::memset(&e, 0, sizeof e);
      e.type = SDL_QUIT;
      SDL_PushEvent(&e);
      advance(kStep);
      return true;
    }
    case Kind::ExpectText: {
      const ui::AuditText* best = nullptr;  // the largest one-line drawing of it, else any
      for (const ui::AuditText& t : m_audit.texts()) {
        if (t.text != c.text || t.contrast_only) continue;
        if (!best || (t.lines == 1 && (best->lines != 1 || t.size > best->size))) best = &t;
      }
      char size[32], wanted[32];
      std::snprintf(wanted, sizeof wanted, "%g", c.ms);
      if (!best) {
        *error = "no text '" + c.text + "' on screen '" + std::string(m_router.current().name()) + "'";
        return false;
      }
      std::snprintf(size, sizeof size, "%.1f", static_cast<double>(best->size));
      if (best->lines != 1 || best->truncated || best->size + 0.05f < static_cast<float>(c.ms)) {
        *error = "'" + c.text + "' is drawn at " + size + " units on " + std::to_string(best->lines) +
                 (best->lines == 1 ? " line" : " lines") + (best->truncated ? ", cut" : "") +
                 "; expected one line at " + wanted + " or larger";
        return false;
      }
      return true;
    }
    case Kind::ExpectLayoutClean: {
      const std::vector<std::string> found = audit_findings();
      if (!found.empty()) {
        *error = "the layout audit found " + std::to_string(found.size()) + " problem(s):";
        for (const std::string& f : found) *error += "\n  " + f;
        return false;
      }
      return true;
    }
#ifdef KIOSK_HARNESS_TEST_COMMANDS
    case Kind::ExpectDb: {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(m_store->handle(), c.text.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        *error = "expect-db: " + std::string(sqlite3_errmsg(m_store->handle()));
        return false;
      }
      std::string got = "(no row)";
      if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char* v = sqlite3_column_text(st, 0);
        got = v ? reinterpret_cast<const char*>(v) : "NULL";
      }
      sqlite3_finalize(st);
      if (got != c.expected) {
        *error = "expect-db: " + c.text + " gave '" + got + "', expected '" + c.expected + "'";
        return false;
      }
      return true;
    }
    case Kind::StoreFault: {
      // query_only makes every write statement fail with SQLITE_READONLY, as a disk remounted
      // read-only would: the screens' failure paths run against the real store.
      const std::string sql = c.text == "none" ? "PRAGMA query_only = 0" : "PRAGMA query_only = 1";
      if (sqlite3_exec(m_store->handle(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = "store-fault: " + std::string(sqlite3_errmsg(m_store->handle()));
        return false;
      }
      return true;
    }
#else
    case Kind::ExpectDb:
    case Kind::StoreFault:
      // Impossible: parse_script() refuses them in a build without test commands.
      *error = "a test-build command in a kiosk built without them";
      return false;
#endif
    case Kind::Screenshot: {
      std::filesystem::path out(c.text);
      if (out.is_relative()) out = std::filesystem::path(script_dir) / out;
      return save_screenshot(out.string(), error);
    }
  }
  return false;  // impossible: every Kind is handled above
}

std::vector<std::string> App::audit_findings(std::vector<std::string>* keys) {
  std::vector<std::string> out;
  const screens::Screen& screen = m_router.current();
  std::string lang = screen.visitor() ? m_session.language : (m_staff ? m_staff->lang() : "en");
  if (lang.empty()) lang = m_pack.default_language;
  int pw = 0, ph = 0;
  m_window->drawable_size(&pw, &ph);
  const std::string where = "screen '" + std::string(screen.name()) + "' [" + lang + ", " +
                            std::to_string(pw) + "x" + std::to_string(ph) + ", " +
                            (m_session.large_text ? "large" : "normal") + " text]: ";
  for (const ui::AuditFinding& f : m_audit.check()) {
    out.push_back(where + f.describe());
    if (keys) keys->push_back(where + f.key());
  }
  return out;
}

int App::run_script() {
  std::ifstream in(m_options.script_path);
  if (!in) {
    log::error(m_options.script_path + ": cannot read the script");
    return 1;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::vector<ScriptCommand> commands;
  std::string error;
  if (!parse_script(buf.str(), m_options.script_path, &commands, &error)) {
    log::error(error);
    return 1;
  }
  const std::string dir =
      std::filesystem::absolute(m_options.script_path).parent_path().string();
  const bool audit = m_options.layout_audit ||
                     std::any_of(commands.begin(), commands.end(), [](const ScriptCommand& c) {
                       return c.kind == ScriptCommand::Kind::ExpectLayoutClean ||
                              c.kind == ScriptCommand::Kind::ExpectText;
                     });
  if (audit) m_ui->set_audit(&m_audit);
  std::set<std::string> reported;
  // --script-loop (script.h R1-R5): real time, the script again and again, samples to --metrics.
  const bool loop = m_options.script_loop_s > 0;
  if (!m_options.metrics_path.empty() &&
      !m_metrics.open(m_options.metrics_path, m_options.metrics_every_s * 1000, &error)) {
    log::error(error);
    return 1;
  }
  const double loop_end_ms = platform::monotonic_ms() + m_options.script_loop_s * 1000;
  m_script_pass = 1;
  advance(0);  // the first frame, so widgets exist before the first command
  size_t done = 0;
  for (size_t at = 0; at < commands.size() || loop; ++at) {
    if (loop && at == commands.size()) {  // R2: from the top again
      at = 0;
      ++m_script_pass;
    }
    const ScriptCommand& c = commands[at];
    const bool time_up = loop && platform::monotonic_ms() >= loop_end_ms;
    if (platform::stop_requested() || m_quit || time_up) {
      sample_metrics();
      log::info("script " + m_options.script_path + " ended after " + std::to_string(done) + " of " +
                std::to_string(commands.size()) + " commands (" +
                (time_up ? "the loop's time is up, pass " + std::to_string(m_script_pass)
                 : m_quit ? std::string("window closed") : std::string(platform::stop_signal_name())) + ")");
      if (time_up)
        std::printf("script %s: %d passes in %.0f s, %ld frames rendered\n", m_options.script_path.c_str(),
                    m_script_pass, m_options.script_loop_s, m_frames_rendered);
      return 0;
    }
    if (m_drawn_screen != m_router.current().name()) render_frame(false, nullptr);  // S6
    if (!run_command(c, dir, &error)) {
      log::error(m_options.script_path + ":" + std::to_string(c.line) + ": " +
                 (loop ? "(pass " + std::to_string(m_script_pass) + ") " : std::string()) + error);
      return 1;
    }
    if (is_input_command(c.kind) && !wait_screen_idle(&error)) {
      log::error(m_options.script_path + ":" + std::to_string(c.line) + ": " + error);
      return 1;
    }
    if (loop && is_input_command(c.kind)) pace(m_options.script_pace_ms);  // R3
    ++done;
    if (!m_options.layout_audit) continue;
    std::vector<std::string> keys;
    const std::vector<std::string> found = audit_findings(&keys);
    for (std::size_t i = 0; i < found.size(); ++i)
      if (reported.insert(keys[i]).second)
        m_audit_log.push_back(m_options.script_path + ":" + std::to_string(c.line) + ": " + found[i]);
  }
  if (!m_audit_log.empty()) {
    std::fprintf(stderr, "kiosk: %s: the layout audit found %zu problem(s):\n",
                 m_options.script_path.c_str(), m_audit_log.size());
    for (const std::string& f : m_audit_log) std::fprintf(stderr, "%s\n", f.c_str());
    return 1;
  }
  std::printf("script %s: %zu commands passed, %ld frames rendered\n",
              m_options.script_path.c_str(), commands.size(), m_frames_rendered);
  // The kiosk's own work per frame (draw and the screen switches it triggers; GL excluded).
  if (m_options.frame_stats) print_frame_stats();
  return 0;
}

}  // namespace kiosk::app
