// SDL input translation (kiosk/app/input.h I1-I6), with hand-made SDL events: no window.
#include "input.h"

#include <SDL.h>
#include <catch2/catch.hpp>

using kiosk::app::InputEffect;
using kiosk::app::InputTranslator;
using kiosk::app::WindowGeometry;

namespace {

SDL_Event finger(Uint32 type, SDL_FingerID id, float x, float y) {
  SDL_Event e{};
  e.type = type;
  e.tfinger.fingerId = id;
  e.tfinger.x = x;
  e.tfinger.y = y;
  return e;
}

SDL_Event mouse_button(Uint32 type, int x, int y, Uint32 which = 0, Uint8 button = SDL_BUTTON_LEFT) {
  SDL_Event e{};
  e.type = type;
  e.button.which = which;
  e.button.button = button;
  e.button.x = x;
  e.button.y = y;
  return e;
}

SDL_Event mouse_motion(int x, int y, Uint32 which = 0) {
  SDL_Event e{};
  e.type = SDL_MOUSEMOTION;
  e.motion.which = which;
  e.motion.x = x;
  e.motion.y = y;
  return e;
}

SDL_Event key(SDL_Keycode sym, Uint16 mod = 0) {
  SDL_Event e{};
  e.type = SDL_KEYDOWN;
  e.key.keysym.sym = sym;
  e.key.keysym.mod = mod;
  return e;
}

// A 960x540 window on a 1920x1080 drawable (high-DPI) at UI scale 2: logical = window units.
const WindowGeometry kHiDpi{1920, 1080, 960, 540, 2.0f};

}  // namespace

TEST_CASE("a finger tap becomes one tap at logical coordinates (I1)", "[input]") {
  InputTranslator in;
  kiosk::ui::GestureRecognizer g;
  const InputEffect down = in.translate(finger(SDL_FINGERDOWN, 7, 0.5f, 0.25f), kHiDpi, 0, g);
  CHECK(down.used);
  CHECK(down.redraw);
  in.translate(finger(SDL_FINGERUP, 7, 0.5f, 0.25f), kHiDpi, 80, g);
  REQUIRE(g.frame().tap);
  CHECK(g.frame().tap->x == Approx(480.0f));  // 0.5 * 1920 px / 2
  CHECK(g.frame().tap->y == Approx(135.0f));  // 0.25 * 1080 px / 2
}

TEST_CASE("mouse coordinates go through the window-to-drawable ratio (I1)", "[input]") {
  InputTranslator in;
  kiosk::ui::GestureRecognizer g;
  in.translate(mouse_button(SDL_MOUSEBUTTONDOWN, 100, 50), kHiDpi, 0, g);
  in.translate(mouse_button(SDL_MOUSEBUTTONUP, 100, 50), kHiDpi, 50, g);
  REQUIRE(g.frame().tap);
  CHECK(g.frame().tap->x == Approx(100.0f));  // 100 window units = 200 px = 100 logical
  CHECK(g.frame().tap->y == Approx(50.0f));
}

TEST_CASE("a touch's synthesized mouse events and other buttons are dropped (I3)", "[input]") {
  InputTranslator in;
  kiosk::ui::GestureRecognizer g;
  in.translate(mouse_button(SDL_MOUSEBUTTONDOWN, 100, 50, SDL_TOUCH_MOUSEID), kHiDpi, 0, g);
  in.translate(mouse_button(SDL_MOUSEBUTTONUP, 100, 50, SDL_TOUCH_MOUSEID), kHiDpi, 50, g);
  CHECK_FALSE(g.frame().tap);
  in.translate(mouse_button(SDL_MOUSEBUTTONDOWN, 100, 50, 0, SDL_BUTTON_RIGHT), kHiDpi, 60, g);
  in.translate(mouse_button(SDL_MOUSEBUTTONUP, 100, 50, 0, SDL_BUTTON_RIGHT), kHiDpi, 70, g);
  CHECK_FALSE(g.frame().tap);
  CHECK_FALSE(g.frame().down);
}

TEST_CASE("the first finger drives, a second pinches, a third is ignored (I2)", "[input]") {
  InputTranslator in;
  kiosk::ui::GestureRecognizer g;
  in.translate(finger(SDL_FINGERDOWN, 1, 0.4f, 0.5f), kHiDpi, 0, g);
  in.translate(finger(SDL_FINGERDOWN, 2, 0.6f, 0.5f), kHiDpi, 10, g);
  in.translate(finger(SDL_FINGERDOWN, 3, 0.9f, 0.9f), kHiDpi, 20, g);
  g.update(30);
  CHECK(g.frame().pinching);
  // The mouse cannot take over while a finger drives.
  in.translate(mouse_button(SDL_MOUSEBUTTONDOWN, 10, 10), kHiDpi, 40, g);
  in.translate(finger(SDL_FINGERUP, 3, 0.9f, 0.9f), kHiDpi, 50, g);  // the ignored one
  CHECK(g.frame().down);
  in.translate(finger(SDL_FINGERUP, 1, 0.4f, 0.5f), kHiDpi, 60, g);  // the first: both end
  CHECK_FALSE(g.frame().down);
  // The second finger's release after that changes nothing, and a new first finger drives.
  in.translate(finger(SDL_FINGERUP, 2, 0.6f, 0.5f), kHiDpi, 70, g);
  g.begin_frame();
  in.translate(finger(SDL_FINGERDOWN, 2, 0.1f, 0.1f), kHiDpi, 80, g);
  in.translate(finger(SDL_FINGERUP, 2, 0.1f, 0.1f), kHiDpi, 90, g);
  REQUIRE(g.frame().tap);
  CHECK(g.frame().tap->x == Approx(96.0f));
}

TEST_CASE("hovering is not use, but a drag, text and keys are (I4, I6)", "[input]") {
  InputTranslator in;
  kiosk::ui::GestureRecognizer g;
  const InputEffect hover = in.translate(mouse_motion(5, 5), kHiDpi, 0, g);
  CHECK_FALSE(hover.used);
  CHECK_FALSE(hover.redraw);
  in.translate(mouse_button(SDL_MOUSEBUTTONDOWN, 5, 5), kHiDpi, 10, g);
  CHECK(in.translate(mouse_motion(50, 5), kHiDpi, 20, g).used);

  SDL_Event text{};
  text.type = SDL_TEXTINPUT;
  std::snprintf(text.text.text, sizeof text.text.text, "%s", "ខ");
  const InputEffect typed = in.translate(text, kHiDpi, 30, g);
  CHECK(typed.used);
  CHECK(typed.text == "ខ");

  const InputEffect shift_left = in.translate(key(SDLK_LEFT, KMOD_LSHIFT), kHiDpi, 40, g);
  REQUIRE(shift_left.key);
  CHECK(shift_left.key->first == kiosk::ui::FieldKey::Left);
  CHECK(shift_left.key->second);
  CHECK_FALSE(in.translate(key(SDLK_a), kHiDpi, 50, g).key);  // 'a' without Ctrl is text, not a key
  const InputEffect paste = in.translate(key(SDLK_v, KMOD_LCTRL), kHiDpi, 60, g);
  REQUIRE(paste.key);
  CHECK(paste.key->first == kiosk::ui::FieldKey::Paste);
  CHECK_FALSE(in.translate(key(SDLK_ESCAPE), kHiDpi, 70, g).key);  // no key leaves the kiosk
  CHECK_FALSE(in.translate(key(SDLK_F4, KMOD_LALT), kHiDpi, 80, g).key);
}

TEST_CASE("a close request is reported, not acted on, and window events only redraw (I5)", "[input]") {
  InputTranslator in;
  kiosk::ui::GestureRecognizer g;
  SDL_Event quit{};
  quit.type = SDL_QUIT;
  const InputEffect q = in.translate(quit, kHiDpi, 0, g);
  CHECK(q.close_request);
  CHECK_FALSE(q.used);
  SDL_Event exposed{};
  exposed.type = SDL_WINDOWEVENT;
  exposed.window.event = SDL_WINDOWEVENT_EXPOSED;
  const InputEffect x = in.translate(exposed, kHiDpi, 0, g);
  CHECK(x.redraw);
  CHECK_FALSE(x.used);
}
