// kiosk/app/pack_theme.h — a content pack's `theme` (content/src/pack.h T1-T3) onto the UI.
//
// Called when the kiosk starts and whenever another pack starts running under it (an install or
// a rollback on the Content screen, App::reload_pack_if_switched): the tour's accent, its
// high-contrast variant and, through Ui::rebuild_theme, the pressed Primary button. A pack with
// the default theme (or one the checker would refuse) gives the kiosk's own colours back, so a
// themed pack replaced by a plain one leaves no colour behind.
#pragma once

#include <string_view>

namespace kiosk::ui {
class Ui;
}

namespace kiosk::app {

void apply_pack_theme(ui::Ui& ui, std::string_view theme);

}  // namespace kiosk::app
