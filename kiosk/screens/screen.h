// kiosk/screens/screen.h — the one interface every screen implements, and what a screen may use.
//
// A screen is a small state machine that draws itself through kiosk::ui and reads or changes
// the world only through ScreenContext (the pack, the visitor session, navigation). Screens
// never talk to SDL, OpenGL or SQLite.
//
// Contract:
//  - enter() is called each time the router shows the screen (state left over from a previous
//    visit must be reset there); draw() once per rendered frame while it is current.
//  - To move on, a screen calls ctx.go("name"); the router switches after the frame.
//  - Visitor screens (visitor() == true) are reset to Attract after the idle timeout; staff
//    screens after the staff session timeout.
#pragma once

#include "pack.h"
#include "ui.h"

#include <string>
#include <string_view>

namespace kiosk::screens {

// What a visitor has chosen; forgotten on idle reset.
struct Session {
  std::string language;
  std::string exhibit;  // the exhibit last opened
};

struct Settings {
  double staff_long_press_ms = 3000;
};

struct ScreenContext {
  const content::Pack& pack;
  Session& session;
  const Settings& settings;
  std::string next;  // set by go()

  void go(std::string_view screen) { next = screen; }
  // UI string in the session language, with the catalog's fallback chain.
  content::Catalog::Lookup tr(std::string_view key) const {
    return pack.strings.get(language(), key);
  }
  std::string_view language() const {
    return session.language.empty() ? std::string_view(pack.default_language)
                                    : std::string_view(session.language);
  }
};

class Screen {
 public:
  virtual ~Screen() = default;
  virtual std::string_view name() const = 0;
  virtual bool visitor() const { return true; }
  virtual void enter(ScreenContext&) {}
  virtual void draw(ui::Ui& ui, ScreenContext& ctx) = 0;
};

// Shared pieces of visitor screens.
// The corner logo; held for settings.staff_long_press_ms it opens the staff PIN pad.
void draw_corner_logo(ui::Ui& ui, ScreenContext& ctx);
// The language button (top end corner) that opens the picker; every visitor screen has one.
void draw_language_button(ui::Ui& ui, ScreenContext& ctx);

}  // namespace kiosk::screens
