#include "pack_theme.h"

#include "pack.h"
#include "ui.h"

namespace kiosk::app {

void apply_pack_theme(ui::Ui& ui, std::string_view theme) {
  const content::ThemeColors normal = content::theme_colors(theme, false);
  if (normal.is_default) {
    ui.clear_pack_accent();
    return;
  }
  const content::ThemeColors hc = content::theme_colors(theme, true);
  auto col = [](std::uint32_t rgb) { return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255); };
  ui.set_pack_accent({col(normal.accent), col(normal.accent_text), col(normal.accent_ink)},
                     {col(hc.accent), col(hc.accent_text), col(hc.accent_ink)});
}

}  // namespace kiosk::app
