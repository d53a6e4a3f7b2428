// kiosk/ui/gesture.h — turns raw pointer input (finger or mouse) into taps, drags, long presses
// and kinetic scrolling. Pure logic: no ImGui, no SDL, so it is unit-tested without a window.
//
// State machine of one pointer (the first finger down; other fingers are ignored here):
//
//     Idle --down--> Pressed --moved > slop--> Dragging --up--> Idle  (fling velocity left behind)
//                      |  \--held >= long_press_ms--> LongPressed --up--> Idle (no tap)
//                      \--up--> Idle, emits Tap
//
// Invariants:
//  1. A press that ever moved beyond the slop never produces a Tap (a drag never fires a tap).
//  2. A long press fires at most once per press and suppresses the Tap on release.
//  3. Positions are logical units; the slop is in the same units.
//  4. A second finger turns the press into a pinch (zoom); it never becomes a tap or long press.
//  5. The hold is judged by the press's own times, not by frames: a release after long_press_ms
//     is a long press (fired with the release) even when no update() ran past the threshold.
#pragma once

#include <optional>

namespace kiosk::ui {

struct Point {
  float x = 0, y = 0;
};

struct GestureOptions {
  float slop = 14.0f;            // movement (logical units) below which a press is still a tap
  double long_press_ms = 3000;   // hold time that makes a long press
};

// What happened to the pointer since the last begin_frame().
struct GestureFrame {
  bool down = false;                 // pointer is currently pressed
  Point pos;                         // current pointer position (last known)
  Point press_pos;                   // where the current/last press started
  std::optional<Point> tap;          // a tap completed this frame, at this position
  std::optional<Point> long_press;   // the long press threshold was crossed this frame
  bool dragging = false;             // the press has become a drag
  Point drag_delta;                  // drag movement since the last frame
  bool released = false;             // a press ended this frame
  Point release_velocity;            // units per second at release (for kinetic scrolling)
  double held_ms = 0;                // how long the current press has lasted (0 when up)
  double press_ms = 0;               // when the current/last press started
  bool pinching = false;             // a second finger is down: two-finger zoom
  float pinch_scale = 1.0f;          // finger spread this frame relative to the last frame
  Point pinch_center;                // midpoint of the two fingers
};

class GestureRecognizer {
 public:
  explicit GestureRecognizer(GestureOptions options = {}) : m_options(options) {}
  void set_long_press_ms(double ms) { m_options.long_press_ms = ms; }
  double long_press_ms() const { return m_options.long_press_ms; }
  void set_slop(float slop) { m_options.slop = slop; }

  void pointer_down(Point p, double now_ms);
  void pointer_move(Point p, double now_ms);
  void pointer_up(Point p, double now_ms);
  // A second finger (pinch). While two fingers are down the press can no longer be a tap.
  void second_down(Point p);
  void second_move(Point p);
  void second_up();
  // Advances timers (long press); call once per frame before reading frame().
  void update(double now_ms);
  const GestureFrame& frame() const { return m_frame; }
  // Clears the per-frame outputs (tap, long_press, drag_delta, released); keeps pointer state.
  void begin_frame();
  // Milliseconds until the long-press threshold, or a negative value if none is pending.
  double ms_until_long_press(double now_ms) const;

 private:
  enum class State { Idle, Pressed, Dragging, LongPressed };
  void track_velocity(Point p, double now_ms);

  GestureOptions m_options;
  State m_state = State::Idle;
  GestureFrame m_frame;
  double m_press_ms = 0;
  Point m_last;
  double m_last_ms = 0;
  Point m_velocity;  // smoothed, units per second
  bool m_second = false;
  Point m_second_pos;
  float m_pinch_dist = 0;
};

// Drag-to-scroll with inertia along one axis. offset is how far the content has moved
// (0 = top); the content can scroll in [0, max_offset].
class KineticScroll {
 public:
  void set_extent(float max_offset);
  void drag(float delta);           // finger moved by delta (content follows the finger)
  void release(float velocity);     // finger lifted with velocity (units/s): inertia starts
  void stop() { m_velocity = 0; }
  // Advances inertia by dt seconds; returns true while still moving (keep rendering).
  bool step(double dt_s);
  bool moving() const { return m_velocity != 0; }
  float offset() const { return m_offset; }
  void set_offset(float offset);

 private:
  float m_offset = 0;
  float m_max = 0;
  float m_velocity = 0;
};

}  // namespace kiosk::ui
