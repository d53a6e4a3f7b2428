// kiosk/app/input.cpp — InputTranslator (input.h I1-I6).
#include "input.h"

#include <SDL.h>

namespace kiosk::app {

InputEffect InputTranslator::translate(const SDL_Event& e, const WindowGeometry& g, double t,
                                       ui::GestureRecognizer& gestures) {
  const float scale = g.scale > 0 ? g.scale : 1.0f;
  auto from_window = [&](float x, float y) {  // I1: window units -> logical
    return ui::Point{x * static_cast<float>(g.drawable_w) / static_cast<float>(g.window_w) / scale,
                     y * static_cast<float>(g.drawable_h) / static_cast<float>(g.window_h) / scale};
  };
  auto from_normalized = [&](float x, float y) {  // I1: 0..1 -> logical
    return ui::Point{x * static_cast<float>(g.drawable_w) / scale, y * static_cast<float>(g.drawable_h) / scale};
  };
  InputEffect out;
  bool used = true;
  switch (e.type) {
    case SDL_QUIT:
      out.close_request = true;  // I5
      used = false;
      break;
    case SDL_FINGERDOWN: {
      const auto id = static_cast<long long>(e.tfinger.fingerId);
      if (m_pointer_finger < 0 && !m_mouse_down) {
        m_pointer_finger = id;
        gestures.pointer_down(from_normalized(e.tfinger.x, e.tfinger.y), t);
      } else if (m_pointer_finger >= 0 && m_second_finger < 0 && id != m_pointer_finger) {
        m_second_finger = id;
        gestures.second_down(from_normalized(e.tfinger.x, e.tfinger.y));
      }
      break;
    }
    case SDL_FINGERMOTION: {
      const auto id = static_cast<long long>(e.tfinger.fingerId);
      if (m_pointer_finger == id) gestures.pointer_move(from_normalized(e.tfinger.x, e.tfinger.y), t);
      else if (m_second_finger == id) gestures.second_move(from_normalized(e.tfinger.x, e.tfinger.y));
      break;
    }
    case SDL_FINGERUP: {
      const auto id = static_cast<long long>(e.tfinger.fingerId);
      if (m_second_finger == id) {
        gestures.second_up();
        m_second_finger = -1;
      } else if (m_pointer_finger == id) {
        gestures.pointer_up(from_normalized(e.tfinger.x, e.tfinger.y), t);
        m_pointer_finger = -1;
        m_second_finger = -1;
      }
      break;
    }
    case SDL_MOUSEBUTTONDOWN:
      if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) break;  // I3
      if (m_pointer_finger < 0) {
        m_mouse_down = true;
        gestures.pointer_down(from_window(static_cast<float>(e.button.x), static_cast<float>(e.button.y)), t);
      }
      break;
    case SDL_MOUSEMOTION:
      if (e.motion.which == SDL_TOUCH_MOUSEID) break;  // I3
      if (m_mouse_down || m_pointer_finger < 0)
        gestures.pointer_move(from_window(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y)), t);
      used = m_mouse_down;  // I4: hovering is not "using the kiosk"
      break;
    case SDL_MOUSEBUTTONUP:
      if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) break;  // I3
      if (m_mouse_down) {
        m_mouse_down = false;
        gestures.pointer_up(from_window(static_cast<float>(e.button.x), static_cast<float>(e.button.y)), t);
      }
      break;
    case SDL_TEXTINPUT:
      out.text = e.text.text;
      break;
    case SDL_KEYDOWN: {
      const bool shift = (e.key.keysym.mod & KMOD_SHIFT) != 0;
      const bool ctrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
      using K = ui::FieldKey;
      switch (e.key.keysym.sym) {  // I6
        case SDLK_LEFT: out.key = {K::Left, shift}; break;
        case SDLK_RIGHT: out.key = {K::Right, shift}; break;
        case SDLK_HOME: out.key = {K::Home, shift}; break;
        case SDLK_END: out.key = {K::End, shift}; break;
        case SDLK_BACKSPACE: out.key = {K::Backspace, shift}; break;
        case SDLK_DELETE: out.key = {K::Delete, shift}; break;
        case SDLK_a: if (ctrl) out.key = {K::SelectAll, false}; break;
        case SDLK_c: if (ctrl) out.key = {K::Copy, false}; break;
        case SDLK_x: if (ctrl) out.key = {K::Cut, false}; break;
        case SDLK_v: if (ctrl) out.key = {K::Paste, false}; break;
        default: break;
      }
      break;
    }
    case SDL_KEYUP:
    case SDL_TEXTEDITING:
      break;
    case SDL_WINDOWEVENT:
      used = false;
      out.redraw = e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e.window.event == SDL_WINDOWEVENT_EXPOSED;
      break;
    default: used = false; break;
  }
  out.used = used;
  out.redraw = out.redraw || used;
  return out;
}

}  // namespace kiosk::app
