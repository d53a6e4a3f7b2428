// kiosk/screens/staff_widgets.h — pieces every staff screen uses: the on-screen keyboard under
// the focused field, script detection for names, name order, list alignment.
//
// Contract: UI thread only. FieldKeyboard loads the keyboard layouts (content/keyboards, found
// beside the pack) on first use and edits the focused field's buffer directly.
#pragma once

#include "keyboard.h"
#include "screen.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::screens {

inline constexpr ImU32 kStaffBackground = IM_COL32(22, 26, 34, 255);
inline constexpr ImU32 kDisabledFill = IM_COL32(40, 46, 58, 255);  // a disabled button, a refused row

// The language whose script a name is written in: the first Khmer, Burmese, Arabic or CJK
// character decides; otherwise "en" (Latin).
std::string_view script_lang(std::string_view s);
// "given family", or "family given" where the family name customarily comes first (km, zh).
std::string full_name(const std::string& given, const std::string& family, std::string_view lang);
// The keyboard layouts of a language's script (content/keyboards): {"khmer"}, {"burmese"},
// {"arabic"}, Chinese {"pinyin", "handwriting"}, anything else {"latin"}.
std::vector<std::string> script_layouts(std::string_view lang);
// Keyboard layouts for a search field: the pack language's script first, then the others.
std::vector<std::string> search_layouts(std::string_view pack_lang);
// Cells line up with the staff UI's direction, whatever their text's direction.
ui::TextAlign align(const ui::Ui& ui, std::string_view lang);

// The start of every staff screen's draw(): paints the staff background, lays out in the staff
// language's direction, and returns false (after sending the kiosk to sign-in) when no staff
// session is open — the screen then draws nothing else.
bool begin_staff_screen(ui::Ui& ui, ScreenContext& ctx);

// A text style of `size` logical units in `lang`'s script.
ui::TextStyle staff_style(std::string_view lang, float size, bool bold = false);
// Text in r (vertically centred, at most two lines), aligned with the staff UI's direction
// whatever the text's own direction (an Arabic name in an English UI).
void staff_label(ui::Ui& ui, ui::Rect r, std::string_view text, std::string_view lang, float size,
                 ImU32 color, bool bold = false);
// A screen's status line: the catalog string `key` in r (screen coordinates, already mirrored),
// red when `error`, else the accent colour; registered as "<prefix>.message.<key>" so the harness
// can tell which message shows. Nothing when key is empty.
void draw_staff_message(ui::Ui& ui, const ScreenContext& ctx, std::string_view prefix, ui::Rect r,
                        const std::string& key, bool error, float size);
// A staff list's kinetic scroll: drags and flicks that start inside `area` move it over
// `content_h` of rows; *last_ms carries the previous frame's time (start it at -1).
void scroll_staff_list(ui::Ui& ui, ui::KineticScroll& scroll, ui::Rect area, float content_h,
                       double* last_ms);

// The top of a staff tool screen: "Back" (id "<prefix>.back", to staff home) and the title (the
// catalog string title_key) beside it.
void draw_staff_header(ui::Ui& ui, ScreenContext& ctx, std::string_view prefix, std::string_view title_key);
// A button that cannot be used now (a job runs, nothing to roll back to): drawn dimmed, its label
// still readable (5:1), registered as "<id>.disabled"; no tap reaches it.
void draw_disabled_button(ui::Ui& ui, std::string_view id, ui::Rect r, const content::Catalog::Lookup& label,
                          float size);
// A progress bar across the screen at y, registered as `id`; fraction 0..1.
void draw_staff_progress(ui::Ui& ui, std::string_view id, float y, double fraction);

// PINs: at most 8 digits, shown as dots (never the digits).
inline constexpr std::size_t kMaxPinDigits = 8;
// Eight dots centred on (cx, cy), filled for each digit typed.
void draw_pin_dots(ui::Ui& ui, float cx, float cy, std::size_t digits);
// A 3x4 digit pad of `key`-sized keys, centred on cx from `top`: ids <prefix>.0 .. <prefix>.9,
// <prefix>.clear, <prefix>.back. Taps edit `pin`; returns the pad's bottom edge.
float draw_pin_pad(ui::Ui& ui, const ScreenContext& ctx, std::string_view prefix, float cx,
                   float top, float key, std::string& pin);
// text with its {name} placeholder replaced by value (every occurrence).
std::string with_param(std::string text, std::string_view name, std::string_view value);
// The message of a refused name (a catalog key from core's rules) for what was typed: the Zawgyi
// message ("form.error.zawgyi") carries its Unicode reading as {suggestion}.
std::string name_rule_message(const ScreenContext& ctx, std::string_view key, const std::string& typed);
// A form field's label, or one of its choice values' (value non-empty), in the staff language:
// a tour's own field carries its labels in the form (form_schema.h F3), a core field's come from
// the catalog ("form.field.<id>", "form.field.<id>.<value>"). Views into the form or catalog.
content::Catalog::Lookup field_label(const ScreenContext& ctx, const core::FieldSpec& f,
                                     std::string_view value = {});
// A staff UI string with {name} replaced by value.
std::string staff_text(const ScreenContext& ctx, std::string_view key, std::string_view name,
                       std::string_view value);

// The keyboard layouts every staff screen shares: loaded on first use from the keyboards folder
// beside the packs (content/keyboards) into StaffServices::keyboards. A layout file that does not
// load is reported on stderr with its file and line and skipped; the others still work.
const ui::KeyboardLibrary& staff_keyboards(const ScreenContext& ctx);

// An on-screen keyboard with the shared layouts and the app's input methods (pinyin, handwriting).
std::unique_ptr<ui::OnScreenKeyboard> make_keyboard(const ScreenContext& ctx);

// The on-screen keyboard under the focused field; layouts are data (content/keyboards, beside the
// packs), loaded on first use. Taps on its keys edit the field's buffer directly.
class FieldKeyboard {
 public:
  // Draws into r for `field` (widget id `id`) with `layouts` in switch order; true: text changed.
  bool draw(ui::Ui& ui, const ScreenContext& ctx, ui::Rect r, const std::string& id,
            ui::TextField& field, const std::vector<std::string>& layouts) {
    if (!m_widget) m_widget = make_keyboard(ctx);
    if (id != m_field) {
      m_widget->set_layouts(layouts);
      m_field = id;
    }
    ui.fill(r, IM_COL32(14, 16, 22, 255));
    const ui::KeyboardEvent ev = m_widget->draw(ui, r, field.buffer());
    if (ev.changed || ev.done) ui.request_frame();
    if (ev.done) {
      ui.focus("");
      m_field.clear();
    }
    return ev.changed;
  }
  // Held text (a Burmese vowel typed before its consonant, a Khmer coeng) stays in its field.
  void commit(ui::TextField& field) {
    if (m_widget) m_widget->commit(field.buffer());
    m_field.clear();
  }
  const std::string& field() const { return m_field; }

 private:
  std::unique_ptr<ui::OnScreenKeyboard> m_widget;
  std::string m_field;
};

}  // namespace kiosk::screens
