#include "staff_widgets.h"
#include "log.h"

#include "text/utf8.h"
#include "text/zawgyi.h"
#include "text_normalize.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace kiosk::screens {

// The first Khmer, Burmese, Arabic or CJK character wins; otherwise Latin ("en").
std::string_view script_lang(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE1 && (b1 == 0x9E || b1 == 0x9F)) return "km";  // U+1780..U+17FF
    if (b0 == 0xE1 && (b1 == 0x80 || b1 == 0x81 || b1 == 0x82)) return "my";  // U+1000..U+109F
    if (b0 >= 0xD8 && b0 <= 0xDB) return "ar";  // U+0600..U+06FF
    if (b0 >= 0xE4 && b0 <= 0xE9) return "zh";  // CJK
  }
  return "en";
}

// "given family", or "family given" where the family name customarily comes first.
std::string full_name(const std::string& given, const std::string& family, std::string_view lang) {
  if (given.empty() || family.empty()) return given + family;
  const bool family_first = lang == "km" || lang == "zh";
  return family_first ? family + " " + given : given + " " + family;
}

std::vector<std::string> script_layouts(std::string_view lang) {
  if (lang == "km") return {"khmer"};
  if (lang == "my") return {"burmese"};
  if (lang == "ar") return {"arabic"};
  if (lang == "zh") return {"pinyin", "handwriting"};
  return {"latin"};
}

// The staff's likely script first, then the other scripts of the tours.
std::vector<std::string> search_layouts(std::string_view pack_lang) {
  std::vector<std::string> out = {"latin", "khmer", "burmese", "arabic", "pinyin", "handwriting"};
  const std::string first = script_layouts(pack_lang).front();
  std::rotate(out.begin(), std::find(out.begin(), out.end(), first), std::find(out.begin(), out.end(), first) + 1);
  return out;
}

std::unique_ptr<ui::OnScreenKeyboard> make_keyboard(const ScreenContext& ctx) {
  return std::make_unique<ui::OnScreenKeyboard>(staff_keyboards(ctx),
                                                ctx.staff ? ctx.staff->input_methods : nullptr);
}

// Every cell of the list lines up with the staff UI's direction, whatever its text's direction.
ui::TextAlign align(const ui::Ui& ui, std::string_view lang) {
  return ui::is_rtl_language(lang) != ui.rtl() ? ui::TextAlign::End : ui::TextAlign::Start;
}

void draw_staff_header(ui::Ui& ui, ScreenContext& ctx, std::string_view prefix, std::string_view title_key) {
  auto back = ctx.staff_tr("common.back");
  if (ui.button(std::string(prefix) + ".back", ui.mirror({40, 30, 260, 84}), back.text, back.lang,
                ui::ButtonKind::Quiet, 32))
    ctx.go("staff-home");
  staff_label(ui, ui.mirror({340, 30, ui.width() - 400, 84}), ctx.staff_tr(title_key).text, ctx.staff->lang(), 44,
              ui.theme().text, true);
}

void draw_staff_progress(ui::Ui& ui, std::string_view id, float y, double fraction) {
  const float w = ui.width() - 120, f = static_cast<float>(std::clamp(fraction, 0.0, 1.0));
  ui.register_id(id, ui.mirror({60, y, w, 28}));
  ui.fill(ui.mirror({60, y, w, 28}), kDisabledFill, 14);
  if (f > 0) ui.fill(ui.mirror({60, y, std::max(28.0f, w * f), 28}), ui.theme().accent, 14);
}

const ui::KeyboardLibrary& staff_keyboards(const ScreenContext& ctx) {
  static const ui::KeyboardLibrary kNone;  // impossible on a kiosk: staff screens need StaffServices
  if (!ctx.staff) return kNone;
  if (!ctx.staff->keyboards) {
    std::string dir = "content/keyboards";
    std::error_code ec;
    for (const char* rel : {"/keyboards", "/../keyboards", "/../../keyboards"})
      if (std::filesystem::is_directory(ctx.pack.folder + rel, ec)) dir = ctx.pack.folder + rel;
    if (!ctx.staff->keyboards_dir.empty()) dir = ctx.staff->keyboards_dir;  // the pack runs from a copy
    auto library = std::make_shared<ui::KeyboardLibrary>();
    std::vector<std::string> errors;
    library->load_dir(dir, &errors);
    for (const std::string& e : errors) log::warn("keyboard layout skipped: " + e);
    ctx.staff->keyboards = std::move(library);
  }
  return *ctx.staff->keyboards;
}

void draw_disabled_button(ui::Ui& ui, std::string_view id, ui::Rect r, const content::Catalog::Lookup& label,
                          float size) {
  ui.register_id(std::string(id) + ".disabled", r);
  ui.fill(r, kDisabledFill, ui.theme().corner);
  ui::TextStyle ts = staff_style(label.lang, size);
  ts.align = ui::TextAlign::Center;
  ui.label_centered({r.x + 16, r.y, r.w - 32, r.h}, label.text, ts, IM_COL32(176, 184, 196, 255));  // 7.6:1
}

bool begin_staff_screen(ui::Ui& ui, ScreenContext& ctx) {
  ui.fill({0, 0, ui.width(), ui.height()}, kStaffBackground);
  if (!ctx.staff || !ctx.staff->session) {
    ctx.go("staff-pin");
    return false;
  }
  ui.set_rtl(ui::is_rtl_language(ctx.staff->lang()));
  return true;
}

ui::TextStyle staff_style(std::string_view lang, float size, bool bold) {
  ui::TextStyle ts;
  ts.lang = lang;
  ts.size = size;
  ts.bold = bold;
  return ts;
}

void staff_label(ui::Ui& ui, ui::Rect r, std::string_view text, std::string_view lang, float size,
                 ImU32 color, bool bold) {
  ui::TextStyle ts;
  ts.lang = lang;
  ts.size = size;
  ts.bold = bold;
  ts.max_lines = 2;
  ts.align = align(ui, lang);
  ui.label_centered(r, text, ts, color);
}

void draw_staff_message(ui::Ui& ui, const ScreenContext& ctx, std::string_view prefix, ui::Rect r,
                        const std::string& key, bool error, float size) {
  if (key.empty()) return;
  ui.register_id(std::string(prefix) + ".message." + key, r);
  staff_label(ui, r, ctx.staff_tr(key).text, ctx.staff ? std::string_view(ctx.staff->lang()) : "en", size,
              error ? ui.theme().danger : ui.theme().accent);
}

void scroll_staff_list(ui::Ui& ui, ui::KineticScroll& scroll, ui::Rect area, float content_h,
                       double* last_ms) {
  scroll.set_extent(content_h - area.h + 20);
  const ui::GestureFrame& g = ui.gestures();
  if (g.dragging && area.contains(g.press_pos)) scroll.drag(g.drag_delta.y);
  if (g.released && area.contains(g.press_pos)) scroll.release(g.release_velocity.y);
  const double dt = *last_ms < 0 ? 0 : (ui.now_ms() - *last_ms) / 1000.0;
  *last_ms = ui.now_ms();
  if (scroll.step(std::min(dt, 0.05))) ui.request_frame();
}

void draw_pin_dots(ui::Ui& ui, float cx, float cy, std::size_t digits) {
  const auto& th = ui.theme();
  for (std::size_t i = 0; i < kMaxPinDigits; ++i) {
    const ImVec2 c = ui.px({cx - 4 * 44 + 22 + static_cast<float>(i) * 44, cy});
    if (i < digits) ui.draw_list()->AddCircleFilled(c, 12 * ui.scale(), th.accent);
    else ui.draw_list()->AddCircle(c, 12 * ui.scale(), th.text_muted, 24, 2 * ui.scale());
  }
}

float draw_pin_pad(ui::Ui& ui, const ScreenContext& ctx, std::string_view prefix, float cx,
                   float top, float key, std::string& pin) {
  constexpr float kGap = 16;
  const float x0 = cx - (3 * key + 2 * kGap) * 0.5f;
  const char* labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
  for (int i = 0; i < 12; ++i) {  // digits keep their places in right-to-left layouts too
    const ui::Rect r{x0 + static_cast<float>(i % 3) * (key + kGap),
                     top + static_cast<float>(i / 3) * (key + kGap), key, key};
    const std::string id = std::string(prefix) + "." + labels[i];
    if (i == 9) {
      auto clear = ctx.staff_tr("staff.pin.clear");
      if (ui.button(id, r, clear.text, clear.lang, ui::ButtonKind::Quiet, 28)) pin.clear();
    } else if (i == 11) {
      if (ui.button(id, r, "\xE2\x8C\xAB", "en", ui::ButtonKind::Quiet, 44) && !pin.empty()) pin.pop_back();
    } else if (ui.button(id, r, labels[i], "en", ui::ButtonKind::Normal, 52) && pin.size() < kMaxPinDigits) {
      pin += labels[i];
    }
  }
  return top + 4 * (key + kGap);
}

std::string with_param(std::string text, std::string_view name, std::string_view value) {
  const std::string token = "{" + std::string(name) + "}";
  for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
    text.replace(at, token.size(), value);
  return text;
}

content::Catalog::Lookup field_label(const ScreenContext& ctx, const core::FieldSpec& f,
                                     std::string_view value) {
  const std::string_view lang = ctx.staff ? std::string_view(ctx.staff->lang()) : std::string_view("en");
  if (const auto own = core::custom_label(f, lang, value))
    return {own->text, own->lang, own->lang != lang, false};
  if (!value.empty()) return ctx.staff_tr("form.field." + f.id + "." + std::string(value));
  return ctx.staff_tr(f.label_key.empty() ? "form.field." + f.id : f.label_key);
}

std::string name_rule_message(const ScreenContext& ctx, std::string_view key, const std::string& typed) {
  std::string text(ctx.staff_tr(key).text);
  if (key == "form.error.zawgyi") text = with_param(std::move(text), "suggestion", kiosk::text::zawgyi_to_unicode(typed));
  if (key == "form.error.name_characters")  // the character itself (drawn as U+XXXX if no font has it)
    if (auto c = core::name_character_refused(core::trim_space(typed), true)) {
      std::string ch;
      kiosk::text::append_utf8(ch, *c);
      text = with_param(std::move(text), "char", ch);
    }
  return text;
}

std::string staff_text(const ScreenContext& ctx, std::string_view key, std::string_view name,
                       std::string_view value) {
  return with_param(std::string(ctx.staff_tr(key).text), name, value);
}

}  // namespace kiosk::screens
