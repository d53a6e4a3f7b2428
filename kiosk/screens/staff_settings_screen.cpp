// Settings (issue 5, item 1): a supervisor names the kiosk and chooses the staff screens'
// language, how soon staff screens lock and how soon visitors return to the start screen.
// Other staff see the values but cannot change them. Saving is one transaction
// (core::SettingsStore::save, rules S1..S4); "saved" appears only after it committed, and the
// new values apply at once (StaffServices::settings is what the app's timers and every staff
// screen read).
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>
#include <array>

namespace kiosk::screens {
namespace {

constexpr std::array<int, 5> kLockChoicesS = {120, 300, 600, 900, 1800};
constexpr std::array<int, 5> kResetChoicesS = {60, 90, 120, 180, 300};

class StaffSettingsScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-settings"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_message_key.clear();
    m_name_error.clear();
    if (!ctx.staff) return;
    m_wanted = ctx.staff->settings;
    m_name.set_text(m_wanted.kiosk_name);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width(), h = ui.height();
    if (!begin_staff_screen(ui, ctx)) return;
    const bool supervisor = ctx.staff->session->is_supervisor();
    const std::string_view lang = ctx.staff->lang();
    const bool typing = ui.focused_id() == "settings.field.name";
    const float kb_h = typing ? std::clamp(h * 0.4f, 360.0f, 600.0f) : 0.0f;
    float y = 150;
    if (!supervisor) {
      label(ui, {60, y, w - 120, 44}, ctx.staff_tr("settings.supervisor_only").text, lang, 28, ui.theme().text_muted);
      y += 56;
    }
    // Kiosk name.
    label(ui, {60, y - 10, w - 120, 46}, ctx.staff_tr("settings.kiosk_name").text, lang, 26, ui.theme().text_muted);
    const ui::Rect field{60, y + 38, std::min(w - 120, 900.0f), 78};
    if (supervisor) {
      if (ui.text_field("settings.field.name", ui.mirror(field), m_name, script_lang(m_name.text()), "", 32)) {
        m_name_error.clear();
        m_message_key.clear();
      }
    } else {
      label(ui, {field.x, field.y, field.w, field.h}, m_name.text(), script_lang(m_name.text()), 32, ui.theme().text);
    }
    if (!m_name_error.empty()) {
      ui.register_id("settings.error.name", ui.mirror({60, y + 118, w - 120, 34}));
      label(ui, {60, y + 118, w - 120, 34}, name_rule_message(ctx, m_name_error, m_name.text()), lang, 24, ui.theme().danger);
    }
    y += 160;
    if (typing) {  // only the name and its keyboard while typing
      if (m_keyboard.draw(ui, ctx, {0, h - kb_h, w, kb_h}, "settings.field.name", m_name,
                          search_layouts(ctx.pack.default_language))) {
        m_name_error.clear();
        m_message_key.clear();
      }
      draw_header(ui, ctx);
      return;
    }
    if (!m_keyboard.field().empty()) m_keyboard.commit(m_name);

    // Staff language: the pack's languages (and English), each by its own name.
    label(ui, {60, y - 10, w - 120, 46}, ctx.staff_tr("settings.staff_language").text, lang, 26, ui.theme().text_muted);
    std::vector<std::string> langs = ctx.pack.languages;
    if (std::find(langs.begin(), langs.end(), "en") == langs.end()) langs.insert(langs.begin(), "en");
    std::vector<Chip> chips;
    for (const auto& l : langs) {
      auto autonym = ctx.pack.strings.get(l, "language.name");
      chips.push_back({"settings.lang." + l, std::string(autonym.text), std::string(autonym.lang), m_wanted.staff_lang == l});
    }
    if (const int hit = draw_chips(ui, chips, &y, supervisor); hit >= 0) m_wanted.staff_lang = langs[static_cast<std::size_t>(hit)];

    y += 20;
    label(ui, {60, y - 10, w - 120, 46}, ctx.staff_tr("settings.staff_lock").text, lang, 26, ui.theme().text_muted);
    time_chips(ui, ctx, "settings.lock.", kLockChoicesS, true, &m_wanted.staff_lock_s, &y, supervisor);
    y += 20;
    label(ui, {60, y - 10, w - 120, 46}, ctx.staff_tr("settings.visitor_reset").text, lang, 26, ui.theme().text_muted);
    time_chips(ui, ctx, "settings.reset.", kResetChoicesS, false, &m_wanted.visitor_reset_s, &y, supervisor);

    if (supervisor) {
      auto save = ctx.staff_tr("settings.save");
      if (ui.button("settings.save", ui.mirror({w - 460, std::min(y + 30, h - 120), 400, 90}), save.text, save.lang,
                    ui::ButtonKind::Primary, 34))
        this->save(ctx);
    }
    draw_header(ui, ctx);
    if (ui.gestures().tap) ui.request_frame();  // a tap may have changed what is shown: redraw
  }

 private:
  struct Chip {
    std::string id, text, lang;
    bool chosen = false;
  };

  static void label(ui::Ui& ui, ui::Rect r, std::string_view text, std::string_view lang, float size,
                    ImU32 color, bool bold = false) {
    staff_label(ui, ui.mirror(r), text, lang, size, color, bold);
  }

  void draw_header(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width();
    auto back = ctx.staff_tr("common.back");
    if (ui.button("settings.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32)) {
      ui.focus("");
      ctx.go("staff-home");
    }
    label(ui, {340, 22, w - 780, 66}, ctx.staff_tr("settings.title").text, ctx.staff->lang(), 44, ui.theme().text, true);
    draw_staff_message(ui, ctx, "settings", ui.mirror({340, 88, w - 400, 38}), m_message_key, m_message_error, 26);
  }

  // A row of choice chips, wrapping; returns the index tapped (-1: none) and moves *y below it.
  static int draw_chips(ui::Ui& ui, const std::vector<Chip>& chips, float* y, bool enabled) {
    const float w = ui.width(), chip_w = 230, chip_h = 76, gap = 16;
    const int per_row = std::max(1, static_cast<int>((w - 120 + gap) / (chip_w + gap)));
    int hit = -1;
    for (std::size_t i = 0; i < chips.size(); ++i) {
      const int col = static_cast<int>(i) % per_row, row = static_cast<int>(i) / per_row;
      const ui::Rect r{60 + static_cast<float>(col) * (chip_w + gap), *y + 44 + static_cast<float>(row) * (chip_h + gap),
                       chip_w, chip_h};
      const auto kind = chips[i].chosen ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet;
      if (ui.button(chips[i].id, ui.mirror(r), chips[i].text, chips[i].lang, kind, 28) && enabled) hit = static_cast<int>(i);
    }
    const int rows = (static_cast<int>(chips.size()) + per_row - 1) / per_row;
    *y += 40 + static_cast<float>(rows) * (chip_h + gap);
    return hit;
  }

  // Durations as chips ("5 min", "90 s"); a value set in the config file outside the list is
  // shown too, so what is in effect is always visible.
  template <std::size_t N>
  void time_chips(ui::Ui& ui, ScreenContext& ctx, const std::string& prefix, const std::array<int, N>& choices,
                  bool minutes, int* value, float* y, bool enabled) {
    std::vector<int> values(choices.begin(), choices.end());
    if (std::find(values.begin(), values.end(), *value) == values.end()) {
      values.push_back(*value);
      std::sort(values.begin(), values.end());
    }
    std::vector<Chip> chips;
    for (int v : values) {
      const bool whole_minutes = minutes && v % 60 == 0;
      const std::string text = whole_minutes ? staff_text(ctx, "settings.minutes", "n", number_text(ctx, v / 60, ctx.staff->lang()))
                                             : staff_text(ctx, "settings.seconds", "n", number_text(ctx, v, ctx.staff->lang()));
      chips.push_back({prefix + std::to_string(v), text, std::string(ctx.staff->lang()), v == *value});
    }
    if (const int hit = draw_chips(ui, chips, y, enabled); hit >= 0) *value = values[static_cast<std::size_t>(hit)];
  }

  void save(ScreenContext& ctx) {
    m_wanted.kiosk_name = m_name.text();
    core::SettingsRule rule = core::SettingsRule::ok;
    int changed = 0;
    const core::SaveResult r = ctx.staff->settings_store.save(m_wanted, ctx.staff->defaults,
                                                             ctx.staff->session->staff().id, &rule, &changed);
    m_name_error.clear();
    m_message_error = !r.ok();
    if (!r.ok()) {
      const bool name_rule = rule == core::SettingsRule::name_required || rule == core::SettingsRule::name_too_long ||
                             rule == core::SettingsRule::control_characters || rule == core::SettingsRule::zawgyi;
      if (name_rule) m_name_error = core::settings_rule_key(rule);
      m_message_key = name_rule ? "" : rule != core::SettingsRule::ok ? core::settings_rule_key(rule)
                                                                      : core::store_error_key(r.error);
      return;
    }
    ctx.staff->settings = ctx.staff->settings_store.load(ctx.staff->defaults);  // applies at once
    m_wanted = ctx.staff->settings;
    m_name.set_text(m_wanted.kiosk_name);
    m_message_key = changed > 0 ? "settings.saved" : "settings.unchanged";
  }

  core::KioskSettings m_wanted;  // what the screen shows; saved on "Save"
  ui::TextField m_name;
  FieldKeyboard m_keyboard;
  std::string m_name_error;  // catalog key, empty = no error
  std::string m_message_key;
  bool m_message_error = false;
};

}  // namespace

std::unique_ptr<Screen> make_staff_settings_screen() { return std::make_unique<StaffSettingsScreen>(); }

}  // namespace kiosk::screens
