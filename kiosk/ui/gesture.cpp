#include "gesture.h"

#include <algorithm>
#include <cmath>

namespace kiosk::ui {

static float distance(Point a, Point b) {
  const float dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

void GestureRecognizer::begin_frame() {
  m_frame.pinch_scale = 1.0f;
  m_frame.tap.reset();
  m_frame.long_press.reset();
  m_frame.drag_delta = {};
  m_frame.released = false;
}

void GestureRecognizer::pointer_down(Point p, double now_ms) {
  if (m_state != State::Idle) return;  // a second finger while one is down: ignored
  m_state = State::Pressed;
  m_press_ms = now_ms;
  m_frame.press_ms = now_ms;
  m_frame.down = true;
  m_frame.pos = p;
  m_frame.press_pos = p;
  m_frame.dragging = false;
  m_frame.held_ms = 0;
  m_last = p;
  m_last_ms = now_ms;
  m_velocity = {};
}

void GestureRecognizer::track_velocity(Point p, double now_ms) {
  double dt = (now_ms - m_last_ms) / 1000.0;
  if (dt > 0.0005) {
    float vx = static_cast<float>((p.x - m_last.x) / dt);
    float vy = static_cast<float>((p.y - m_last.y) / dt);
    // Exponential smoothing keeps one jittery sample from deciding the fling.
    m_velocity.x = 0.6f * vx + 0.4f * m_velocity.x;
    m_velocity.y = 0.6f * vy + 0.4f * m_velocity.y;
    m_last_ms = now_ms;
  }
  m_last = p;
}

void GestureRecognizer::pointer_move(Point p, double now_ms) {
  if (m_state == State::Idle) {
    m_frame.pos = p;
    return;
  }
  Point prev = m_frame.pos;
  m_frame.pos = p;
  track_velocity(p, now_ms);
  if (m_second) {
    const float d = std::max(1.0f, distance(p, m_second_pos));
    m_frame.pinch_scale *= d / m_pinch_dist;
    m_pinch_dist = d;
    m_frame.pinch_center = {(p.x + m_second_pos.x) * 0.5f, (p.y + m_second_pos.y) * 0.5f};
    return;
  }
  if (m_state == State::Pressed) {
    float dx = p.x - m_frame.press_pos.x, dy = p.y - m_frame.press_pos.y;
    if (std::sqrt(dx * dx + dy * dy) > m_options.slop) {
      m_state = State::Dragging;
      m_frame.dragging = true;
      prev = m_frame.press_pos;  // the drag includes the movement inside the slop
    }
  }
  if (m_state == State::Dragging) {
    m_frame.drag_delta.x += p.x - prev.x;
    m_frame.drag_delta.y += p.y - prev.y;
  }
}

void GestureRecognizer::pointer_up(Point p, double now_ms) {
  if (m_state == State::Idle) return;
  // A finger that rested before lifting has no fling left.
  const bool rested = now_ms - m_last_ms > 80;
  if (p.x != m_last.x || p.y != m_last.y) pointer_move(p, now_ms);
  // A finger held past the threshold is a long press even when no frame ran after the threshold
  // (a slow frame on a loaded machine): it fires now, and the release is no tap (invariant 5).
  update(now_ms);
  if (m_state == State::Pressed) m_frame.tap = p;
  if (rested) m_velocity = {};
  m_frame.release_velocity = m_state == State::Dragging ? m_velocity : Point{};
  m_frame.released = true;
  m_frame.down = false;
  m_second = false;
  m_frame.pinching = false;
  m_frame.dragging = false;
  m_frame.held_ms = 0;
  m_state = State::Idle;
}

void GestureRecognizer::second_down(Point p) {
  if (m_state == State::Idle || m_second) return;
  m_second = true;
  m_second_pos = p;
  m_state = State::Dragging;  // invariant 4: no tap, no long press from here on
  m_frame.dragging = true;
  m_frame.pinching = true;
  m_pinch_dist = std::max(1.0f, distance(m_frame.pos, p));
  m_frame.pinch_center = {(m_frame.pos.x + p.x) * 0.5f, (m_frame.pos.y + p.y) * 0.5f};
}

void GestureRecognizer::second_move(Point p) {
  if (!m_second) return;
  m_second_pos = p;
  const float d = std::max(1.0f, distance(m_frame.pos, p));
  m_frame.pinch_scale *= d / m_pinch_dist;
  m_pinch_dist = d;
  m_frame.pinch_center = {(m_frame.pos.x + p.x) * 0.5f, (m_frame.pos.y + p.y) * 0.5f};
}

void GestureRecognizer::second_up() {
  m_second = false;
  m_frame.pinching = false;
}

void GestureRecognizer::update(double now_ms) {
  if (m_state == State::Idle) return;
  m_frame.held_ms = now_ms - m_press_ms;
  if (m_state == State::Pressed && m_frame.held_ms >= m_options.long_press_ms) {
    m_state = State::LongPressed;
    m_frame.long_press = m_frame.press_pos;
  }
}

double GestureRecognizer::ms_until_long_press(double now_ms) const {
  if (m_state != State::Pressed) return -1;
  return std::max(0.0, m_press_ms + m_options.long_press_ms - now_ms);
}

void KineticScroll::set_extent(float max_offset) {
  m_max = std::max(0.0f, max_offset);
  m_offset = std::clamp(m_offset, 0.0f, m_max);
}

void KineticScroll::set_offset(float offset) { m_offset = std::clamp(offset, 0.0f, m_max); }

void KineticScroll::drag(float delta) {
  m_velocity = 0;
  m_offset = std::clamp(m_offset - delta, 0.0f, m_max);
}

void KineticScroll::release(float velocity) { m_velocity = -velocity; }

bool KineticScroll::step(double dt_s) {
  if (m_velocity == 0) return false;
  // Friction: velocity decays by e every 0.325 s, like the flings people know from phones.
  const double decay = std::exp(-dt_s / 0.325);
  m_offset += static_cast<float>(m_velocity * dt_s);
  m_velocity = static_cast<float>(m_velocity * decay);
  if (m_offset <= 0 || m_offset >= m_max) {
    m_offset = std::clamp(m_offset, 0.0f, m_max);
    m_velocity = 0;
  }
  if (std::fabs(m_velocity) < 8.0f) m_velocity = 0;
  return m_velocity != 0;
}

}  // namespace kiosk::ui
