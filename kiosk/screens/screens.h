// kiosk/screens/screens.h — every screen of the kiosk, declared in one place.
// Each class lives in its own <name>_screen.cpp; the router (app/router.cpp) lists them.
#pragma once

#include "screen.h"

#include <string>

namespace kiosk::screens {

class AttractScreen final : public Screen {
 public:
  std::string_view name() const override { return "attract"; }
  void enter(ScreenContext& ctx) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;

 private:
  double m_started_ms = -1;
};

class LanguageScreen final : public Screen {
 public:
  std::string_view name() const override { return "language"; }
  void draw(ui::Ui& ui, ScreenContext& ctx) override;
};

class HomeScreen final : public Screen {
 public:
  std::string_view name() const override { return "home"; }
  void enter(ScreenContext& ctx) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;

 private:
  static ImU32 category_color(std::string_view category);
  ui::KineticScroll m_scroll;
  double m_last_ms = -1;
};

class StaffPinScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-pin"; }
  bool visitor() const override { return false; }
  void enter(ScreenContext& ctx) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;

 private:
  std::string m_pin;
  std::string m_message_key;
};

}  // namespace kiosk::screens
