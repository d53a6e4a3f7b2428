#include "router.h"

#include "log.h"
#include "screens.h"

#include <cstdio>

namespace kiosk::app {

static std::vector<std::unique_ptr<screens::Screen>> make_screens() {
  std::vector<std::unique_ptr<screens::Screen>> list;
  list.push_back(std::make_unique<screens::AttractScreen>());   // first: what an idle kiosk shows
  list.push_back(std::make_unique<screens::LanguageScreen>());
  list.push_back(std::make_unique<screens::HomeScreen>());
  list.push_back(std::make_unique<screens::ExhibitScreen>());
  // Staff mode, behind the hidden long press on the corner logo.
  list.push_back(screens::make_staff_pin_screen());
  list.push_back(screens::make_staff_home_screen());
  list.push_back(screens::make_register_screen());
  list.push_back(screens::make_people_screen());
  list.push_back(screens::make_person_screen());
  list.push_back(screens::make_events_screen());
  list.push_back(screens::make_summary_screen());
  list.push_back(screens::make_staff_accounts_screen());  // supervisors
  list.push_back(screens::make_staff_settings_screen());
  list.push_back(screens::make_staff_health_screen());
  list.push_back(screens::make_staff_directory_screen());
  list.push_back(screens::make_sync_screen());  // to headquarters: network, USB, receipts
  list.push_back(screens::make_content_screen());  // supervisors: content packs from a stick
  return list;
}

Router::Router() : m_screens(make_screens()) {}

bool Router::go(std::string_view name, screens::ScreenContext& ctx) {
  for (size_t i = 0; i < m_screens.size(); ++i) {
    if (m_screens[i]->name() == name) {
      m_screens[m_current]->exit(ctx, name);
      m_current = i;
      m_screens[i]->enter(ctx);
      ctx.session.resuming = false;
      return true;
    }
  }
  log::error("no screen named '" + std::string(name) + "' (a screen asked for it)");
  return false;
}

}  // namespace kiosk::app
