// kiosk/app/router.h — owns every screen and which one is showing.
//
// The whole list of screens is in router.cpp, make_screens(), top-down in the order a visitor
// meets them. Switching screens calls the new screen's enter().
#pragma once

#include "screen.h"

#include <memory>
#include <string_view>
#include <vector>

namespace kiosk::app {

class Router {
 public:
  Router();
  screens::Screen& current() { return *m_screens[m_current]; }
  const screens::Screen& current() const { return *m_screens[m_current]; }
  // Switches to the named screen; returns false (and stays) if no screen has that name.
  bool go(std::string_view name, screens::ScreenContext& ctx);

 private:
  std::vector<std::unique_ptr<screens::Screen>> m_screens;
  size_t m_current = 0;
};

}  // namespace kiosk::app
