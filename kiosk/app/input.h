// kiosk/app/input.h — SDL input translated into what the kiosk understands: one pointer for the
// gesture layer (taps, drags, long presses), a second finger for pinch, text and editing keys
// for the focused field. The loop (app.h) owns the translator and applies its effects; nothing
// here draws, reads the clock or touches the store.
//
// Contract:
//  I1. Coordinates become logical units: window pixels (mouse) and normalized 0..1 (fingers)
//      are mapped to the drawable's pixels, then divided by the UI scale.
//  I2. Exactly one pointer drives the gesture layer at a time: the first finger down, or the
//      left mouse button when no finger is down. A second finger (while the first is down)
//      only pinches; a third is ignored. Lifting the first finger ends both.
//  I3. Mouse events SDL synthesizes from touch (SDL_TOUCH_MOUSEID) are dropped, so a touch is
//      never seen twice; other mouse buttons are ignored.
//  I4. "Used": a press, a move while pressed, a release, text or a key restart the idle timer
//      and ask for a frame; hovering (a move with nothing pressed) and window events do not.
//  I5. A window close request is reported, not acted on: the loop decides (app.h, Stopping).
//  I6. Editing keys (arrows, Home/End, Backspace/Delete, Ctrl+A/C/X/V) go to the focused field;
//      no key has any other meaning (no shortcut leaves the kiosk).
#pragma once

#include "gesture.h"
#include "text_field.h"

#include <optional>
#include <string>
#include <utility>

union SDL_Event;

namespace kiosk::app {

// Sizes the mapping of I1 needs, taken from the window when the event is handled.
struct WindowGeometry {
  int drawable_w = 1, drawable_h = 1;  // pixels
  int window_w = 1, window_h = 1;      // window units (differ on high-DPI)
  float scale = 1.0f;                  // logical -> pixels
};

struct InputEffect {
  bool used = false;           // I4
  bool redraw = false;         // draw a frame (used, or the window was exposed or resized)
  bool close_request = false;  // I5
  std::string text;            // typed text for the focused field (I6)
  std::optional<std::pair<ui::FieldKey, bool>> key;  // an editing key and whether Shift was held
};

class InputTranslator {
 public:
  InputEffect translate(const SDL_Event& e, const WindowGeometry& g, double now_ms, ui::GestureRecognizer& gestures);

 private:
  long long m_pointer_finger = -1;  // I2: the SDL finger driving the gesture layer, -1: none
  long long m_second_finger = -1;   // I2: the pinching finger, -1: none
  bool m_mouse_down = false;        // I2: the mouse drives the gesture layer
};

}  // namespace kiosk::app
