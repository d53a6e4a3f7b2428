// kiosk/screens/register_screen.cpp — "register": the registration form (issue 5, items 3 and 5).
//
// The form is data: ctx.staff->form lists the fields in order and each is drawn by its kind (text
// kinds as fields, choice as chips, multi_choice as toggle chips, organization as search-as-you-
// type with an inline "add new"). A tour's own fields (form_schema.h F2-F5) are drawn the same
// way, labelled from the form itself in the staff language, and saved in the record's extra. The consent block follows: the consent text in the
// PARTICIPANT's language (the language chips in the header), and the guardian's finger signature.
// The consent rules are core's (consent.h K1-K4): the screen asks check_registration_consent()
// what the store would refuse and shows it in the staff language beside the pad; a text that fell
// back to another language is flagged above it, and changing the language clears the signature
// (the guardian signed what was shown, nothing else).
// While names and a birth year are typed, people already on the kiosk are offered beside the form
// ("same person" = attendance at the current event; "new person" = dismiss).
// Saving: validate() first (errors beside their fields, nothing saved); then ONE
// Registry::register_participant() transaction. "Saved" appears only after it returned ok(); on a
// failure the store's reason is shown and everything typed is kept.
//
// Widget ids (stable, for the harness): reg.back, reg.save, reg.another, reg.lang.<code>,
//   reg.field.<field id> (text fields; organization_id is the search box), reg.<field>.<value>
//   (choice and multi-choice chips), reg.sig.pad, reg.sig.pad.clear, reg.status.<key>,
//   reg.error.<field id>.<error key> (an error beside its field; "consent" for the consent block),
//   reg.consent.fell_back (the note above a consent text in another language); the
//   organization picker's reg.org.* (organization_picker.h), the duplicates panel's reg.dup.*
//   (duplicates_panel.h) and the keyboard's own kbd.<layout>.<key>.
//
// [SECTIONS]
//   [helpers]     catalog text with {param}s, keyboard layouts per field kind, widget ids
//   [state]       RegisterScreen members, enter()/reset(), values(), error_text()
//   [frame]       draw(): header, form view (scrolled, clipped), duplicates panel, keyboard
//   [fields]      text (+ age beside birth), choice / multi-choice chips, the organization
//                 picker (OrganizationPicker) and the text boxes it borrows (FormFields)
//   [consent]     consent text (+ fallback note), signature pad, what is recorded
//   [duplicates]  "same person" from the DuplicatesPanel: attendance at the current event
//   [save]        check() = validate() + core's consent rules; register_participant; status line
//   [keyboard]    the on-screen keyboard for the focused field (layouts follow the field kind)
#include "consent.h"
#include "log.h"
#include "duplicates_panel.h"
#include "keyboard.h"
#include "organization_picker.h"
#include "screens.h"
#include "staff_widgets.h"
#include "signature_pad.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace kiosk::screens {
namespace {

using core::FieldKind;
using core::FieldSpec;

// [helpers] ---------------------------------------------------------------------------------

constexpr ImU32 kSavedColor = IM_COL32(120, 214, 140, 255);
constexpr float kPad = 30, kGap = 28, kLabelH = 46, kFieldH = 84, kChipH = 72;

bool is_text_kind(FieldKind k) {
  return k == FieldKind::name || k == FieldKind::name_latin || k == FieldKind::text ||
         k == FieldKind::phone || k == FieldKind::birth;
}

// The layouts a field allows, in switch-key order; the first is shown on focus. A native name
// of a Chinese-speaking participant offers pinyin and handwriting first.
std::vector<std::string> layouts_for(FieldKind kind, std::string_view lang) {
  std::vector<std::string> out;
  switch (kind) {
    case FieldKind::name_latin: return {"latin"};
    case FieldKind::phone: return {"phone"};
    case FieldKind::birth: return {"numeric"};
    default: out = script_layouts(lang); break;  // names, text, organization search
  }
  if (std::find(out.begin(), out.end(), "latin") == out.end()) out.push_back("latin");
  if (kind == FieldKind::text) out.push_back("numeric");
  return out;
}

// Text typed in Latin letters or digits is shaped as English; native names in the participant's.
std::string_view field_lang(FieldKind kind, std::string_view participant_lang) {
  return kind == FieldKind::name || kind == FieldKind::text ? participant_lang : "en";
}

// content/keyboards, found beside the pack's content (packs live in content/packs/<id>).
// The language chips need two rows on a narrow (portrait) screen.
std::size_t language_rows(float width) { return width >= 1400 ? 1 : 2; }

// Everything typed and chosen, as one string: "has anything changed since?"
std::string input_key(const core::FormValues& values, std::size_t strokes) {
  std::string key;
  for (const auto& [id, value] : values) key += id + '=' + value + '\x1f';
  return key + std::to_string(strokes);
}

float text_width(ui::Ui& ui, std::string_view text, std::string_view lang, float size) {
  ui::TextStyle ts;
  ts.lang = lang;
  ts.size = size * ui.scale() * ui.text_scale();
  return ui.text().measure(text, ts, 0).x / std::max(ui.scale(), 0.01f);
}


// [state] -----------------------------------------------------------------------------------

class RegisterScreen final : public Screen, private FormFields {
 public:
  std::string_view name() const override { return "register"; }
  bool visitor() const override { return false; }
  void enter(ScreenContext& ctx) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;

 private:
  void reset();
  core::FormValues values() const;
  std::string error_text(ScreenContext& ctx, const core::FieldError& e) const;
  // Each draw_* lays out one block at (x, y) with width w and returns its height.
  float draw_form(ui::Ui& ui, ScreenContext& ctx, float top);
  float draw_label(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell);
  float draw_errors(ui::Ui& ui, ScreenContext& ctx, const std::string& field, float x, float y,
                    float w, std::string_view shown_above = {});
  float draw_text(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell);
  float draw_chips(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell);
  float draw_organization(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell);
  float draw_consent(ui::Ui& ui, ScreenContext& ctx, float x, float y, float w);
  void draw_header(ui::Ui& ui, ScreenContext& ctx, float height);
  void draw_keyboard(ui::Ui& ui, ui::Rect kb);
  bool text_box(ui::Ui& ui, const std::string& id, ui::Rect r, std::string_view lang,
                std::string_view placeholder = {});
  // [FormFields] what the organization picker borrows: the form's fields, keyboard and view.
  bool text_box(ui::Ui& ui, const std::string& id, FieldKind kind, ui::Rect r,
                std::string_view placeholder) override;
  ui::TextField& field(const std::string& id) override { return m_fields[id]; }
  bool visible(ui::Rect r) const override {
    return r.y + r.h * 0.5f >= m_view.y && r.y + r.h * 0.5f <= m_view.y + m_view.h;
  }
  void same_person(ScreenContext& ctx, const core::PersonHit& hit);
  core::FormValues check(ScreenContext& ctx);  // validate() + core's consent rules -> m_errors
  void save(ScreenContext& ctx);
  void set_status(std::string key, bool ok) { m_status_key = std::move(key), m_status_ok = ok; }
  // [consent] What the guardian is shown in m_lang, and the consent that records it (nullopt
  // while nothing is signed).
  struct ShownConsent {
    content::Catalog::Lookup text;
    std::string version;  // empty unless the version is in the text's own language
  };
  ShownConsent shown_consent(ScreenContext& ctx) const;
  std::optional<core::ConsentInput> consent_input(ScreenContext& ctx, const std::string& guardian) const;
  // The day the consent rule counts age on: the event's first day (today without an event).
  const std::string& consent_day() const { return m_event_start.empty() ? m_today : m_event_start; }

  std::string m_lang;  // the participant's language: consent text, native-name keyboard
  std::string m_event_id, m_activity, m_event_country, m_event_start, m_today;
  std::map<std::string, ui::TextField, std::less<>> m_fields;  // by widget id
  std::map<std::string, FieldKind, std::less<>> m_kinds;        // widget id -> keyboard kind
  std::map<std::string, std::string> m_choice;                 // choice fields: field id -> value
  std::map<std::string, std::set<std::string>> m_multi;        // multi_choice: field id -> values
  std::vector<core::FieldError> m_errors;
  std::string m_checked;  // the input m_errors describe; after a failed save they follow edits
  std::string m_status_key;  // status line: reg.saved, a store.error.* key, reg.fix_errors ...
  bool m_status_ok = false;
  bool m_saved = false;  // the person is saved (or checked in): only "register another" remains
  OrganizationPicker m_org;  // the organization field (organization_picker.h)
  DuplicatesPanel m_dups;    // people already on the kiosk (duplicates_panel.h)
  SignaturePad m_pad;
  std::optional<int> m_age;
  bool m_consent_needed = false;  // consent.h K1 for what is typed now (the signature label's *)
  // scrolling and the keyboard
  ui::Rect m_view;              // the form's visible area (unmirrored layout coordinates)
  bool m_press_in_view = false;  // the current press started inside it
  ui::KineticScroll m_scroll;
  float m_content_h = 0;
  double m_last_ms = -1;
  bool m_unfocus = true;
  std::string m_scroll_to;  // a field just focused: bring it above the keyboard
  std::map<std::string, float, std::less<>> m_error_y;  // field id -> content y (scroll to error)
  std::unique_ptr<ui::OnScreenKeyboard> m_keyboard;
  std::string m_kbd_field, m_kbd_lang;  // the field and language the keyboard is set up for
};

void RegisterScreen::enter(ScreenContext& ctx) {
  reset();
  m_lang = std::string(ctx.language());
  if (!m_keyboard)  // the layouts are shared by every staff screen (staff_keyboards())
    m_keyboard = make_keyboard(ctx);
  if (!ctx.staff) return;
  m_event_id.clear();
  m_event_start.clear();
  m_activity = "exhibition_visit";
  if (auto id = ctx.staff->registry.current_event_id()) {
    m_event_id = *id;
    if (auto ev = ctx.staff->registry.event(*id)) {
      if (!ev->activity_types.empty()) m_activity = ev->activity_types.front();
      m_event_country = ev->country;
      m_event_start = ev->start_date;
    }
  }
}

void RegisterScreen::reset() {
  m_fields.clear();
  m_kinds.clear();
  m_choice.clear();
  m_multi.clear();
  m_errors.clear();
  m_checked.clear();
  m_status_key.clear();
  m_saved = false;
  m_org.reset();
  m_dups.reset();
  m_pad.clear();
  m_scroll = {};
  m_content_h = 0;
  m_unfocus = true;
  m_kbd_field.clear();
}

core::FormValues RegisterScreen::values() const {
  core::FormValues v;
  for (const auto& [wid, field] : m_fields)
    if (wid.rfind("reg.field.", 0) == 0) v[wid.substr(10)] = field.text();
  for (const auto& [id, value] : m_choice) v[id] = value;
  for (const auto& [id, set] : m_multi) {
    std::string joined;
    for (const std::string& s : set) joined += (joined.empty() ? "" : ",") + s;
    v[id] = joined;
  }
  v["organization_id"] = m_org.chosen_id();
  return v;
}

std::string RegisterScreen::error_text(ScreenContext& ctx, const core::FieldError& e) const {
  std::string text(ctx.staff_tr(e.key).text);
  for (const auto& [param, value] : e.params) {
    std::string shown = value;
    if (param == "other")  // a field id: name the field as staff see it
      if (const FieldSpec* f = ctx.staff->form.field(value)) shown = field_label(ctx, *f).text;
    text = with_param(std::move(text), param, shown);
  }
  return text;
}

// [frame] -----------------------------------------------------------------------------------

void RegisterScreen::draw(ui::Ui& ui, ScreenContext& ctx) {
  const float w = ui.width(), h = ui.height();
  if (!begin_staff_screen(ui, ctx)) return;
  if (m_unfocus) ui.focus(""), m_unfocus = false;
  m_today = ctx.staff->today();
  // Held keyboard text belongs to the field it was typed in: commit it when focus moves.
  if (m_kbd_field != ui.focused_id()) {
    if (auto it = m_fields.find(m_kbd_field); it != m_fields.end() && m_keyboard)
      m_keyboard->commit(it->second.buffer());
    m_kbd_field.clear();
    if (m_fields.count(ui.focused_id())) m_scroll_to = ui.focused_id();
  }
  const bool typing = m_keyboard && m_fields.count(ui.focused_id()) != 0;
  const bool landscape = w > h;
  const float kb_h = typing ? std::clamp(h * 0.4f, 360.0f, 600.0f) : 0.0f;
  const float body_bottom = h - kb_h;

  // After a failed save the errors follow the edits: fixed fields lose their message at once.
  if (!m_errors.empty() && !m_saved && !m_pad.capturing()) {  // (never move the pad mid-stroke)
    if (input_key(values(), m_pad.stroke_count()) != m_checked) check(ctx);
    if (m_errors.empty()) m_status_key.clear();
  }
  // The duplicates panel: a column at the end side in landscape, a band on top in portrait.
  if (!m_saved) m_dups.refresh(ctx.staff->people, core::to_participant(values()));
  const std::size_t open_dups = m_dups.open_count();
  // The header: actions, then the language chips in one row (landscape) or two (portrait).
  const float header_h = 116 + static_cast<float>(language_rows(w)) * 78 + 8;
  ui::Rect panel{}, view{0, header_h, w, body_bottom - header_h};
  if (landscape) {
    const float pw = std::clamp(w * 0.3f, 420.0f, 600.0f);
    panel = {w - pw, header_h, pw, body_bottom - header_h};
    view.w = w - pw;
  } else if (open_dups > 0 && !m_saved) {
    panel = {0, header_h, w, std::min(static_cast<float>(std::min<std::size_t>(open_dups, 2)) * 180.0f + 70.0f,
                                      (body_bottom - header_h) * 0.5f)};
    view = {0, panel.y + panel.h, w, body_bottom - panel.y - panel.h};
  }
  m_view = view;
  const ui::Rect mv = ui.mirror(view);  // on screen (pointer positions are never mirrored)
  m_press_in_view = mv.contains(ui.gestures().press_pos);

  // Scroll: a drag that starts in the form (not on the signature pad) moves it.
  const ui::GestureFrame& g = ui.gestures();
  m_scroll.set_extent(std::max(0.0f, m_content_h - view.h));
  if (!m_pad.capturing() && m_press_in_view) {
    if (g.dragging) m_scroll.drag(g.drag_delta.y);
    // Only a real flick glides on; a finger lifted after a steady drag leaves the form where
    // it put it (staff aim at the field they just dragged into view).
    if (g.released && std::abs(g.release_velocity.y) > 2500.0f) m_scroll.release(g.release_velocity.y);
  }
  const double dt = m_last_ms < 0 ? 0 : (ui.now_ms() - m_last_ms) / 1000.0;
  m_last_ms = ui.now_ms();
  if (m_scroll.step(std::min(dt, 0.05))) ui.request_frame();

  ImDrawList* dl = ui.draw_list();
  dl->PushClipRect(ui.px({mv.x, mv.y}), ui.px({mv.x + mv.w, mv.y + mv.h}), true);
  ui.set_input_clip(mv);
  m_content_h = draw_form(ui, ctx, view.y + 20 - m_scroll.offset()) + 20;
  ui.clear_input_clip();
  dl->PopClipRect();

  if (panel.w > 0)
    if (const core::PersonHit* hit = m_dups.draw(ui, ctx, panel, m_lang, m_saved)) same_person(ctx, *hit);
  draw_header(ui, ctx, header_h);
  if (typing) draw_keyboard(ui, {0, body_bottom, w, kb_h});
  // A tap changes what is shown (keyboard, chips, the inline organization form, status): the
  // next frame shows it at once instead of waiting for the next input event.
  if (g.tap || g.released || typing != (m_fields.count(ui.focused_id()) != 0)) ui.request_frame();
}

void RegisterScreen::draw_header(ui::Ui& ui, ScreenContext& ctx, float height) {
  const float w = ui.width();
  ui.fill({0, 0, w, height}, kStaffBackground);
  auto back = ctx.staff_tr("reg.back");
  if (ui.button("reg.back", ui.mirror({kPad, 20, 200, 80}), back.text, back.lang, ui::ButtonKind::Quiet, 30)) {
    ctx.go("staff-home");
    return;
  }
  const float action_w = m_saved ? 380.0f : 260.0f;
  const ui::Rect action = ui.mirror({w - kPad - action_w, 20, action_w, 80});
  if (m_saved) {
    auto another = ctx.staff_tr("reg.another");
    if (ui.button("reg.another", action, another.text, another.lang, ui::ButtonKind::Primary, 32)) {
      const std::string lang = m_lang;
      reset();
      m_lang = lang;
    }
  } else {
    auto save_label = ctx.staff_tr("reg.save");
    if (ui.button("reg.save", action, save_label.text, save_label.lang, ui::ButtonKind::Primary, 34))
      save(ctx);
  }
  // The status line replaces the title: saved (only after commit), or why not.
  const bool status = !m_status_key.empty();
  auto line = ctx.staff_tr(status ? std::string_view(m_status_key) : std::string_view("reg.title"));
  // consent.refused.minor says "under {age}": the one age is core's (consent.h K1).
  const std::string line_text = with_param(std::string(line.text), "age", std::to_string(core::kConsentAge));
  if (status)  // registered under its key, so tests can tell which message shows
    ui.register_id("reg.status." + m_status_key, ui.mirror({kPad + 230, 16, w - 2 * kPad - 260 - action_w, 92}));
  const ui::Rect line_rect = ui.mirror({kPad + 230, 16, w - 2 * kPad - 260 - action_w, 92});
  ui.label_centered(line_rect, line_text, staff_style(line.lang, status ? 28.0f : 36.0f, true),
                    !status ? ui.theme().text : m_status_ok ? kSavedColor : ui.theme().danger);
  // The participant's language: consent text and the keyboard for native names follow it.
  const auto& langs = ctx.pack.languages;
  const std::size_t rows = language_rows(w), per_row = (langs.size() + rows - 1) / rows;
  const float gap = 10, cw = std::min(220.0f, (w - 2 * kPad - gap * static_cast<float>(per_row - 1)) /
                                                  static_cast<float>(std::max<std::size_t>(per_row, 1)));
  for (std::size_t i = 0; i < langs.size(); ++i) {
    const std::string& code = langs[i];
    auto name = ctx.pack.strings.get(code, "language.name");
    const ui::Rect r{kPad + static_cast<float>(i % per_row) * (cw + gap), 116 + static_cast<float>(i / per_row) * 78, cw, 70};
    if (ui.button("reg.lang." + code, ui.mirror(r), name.text, name.lang,
                  code == m_lang ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, 26) &&
        code != m_lang) {
      m_lang = code;
      m_pad.clear();  // the consent text changed: a signature is for the text it was drawn under
    }
  }
}

float RegisterScreen::draw_form(ui::Ui& ui, ScreenContext& ctx, float top) {
  const auto& fields = ctx.staff->form.fields;
  m_age = std::nullopt;
  if (auto it = m_fields.find("reg.field.birth"); it != m_fields.end())
    m_age = core::displayed_age(it->second.text(), m_today);
  m_consent_needed = m_age && core::needs_guardian_consent(core::to_participant(values()), consent_day());
  const float x0 = m_view.x + kPad, cw = m_view.w - 2 * kPad;
  const bool two_columns = cw >= 820;
  const float half = (cw - kGap) * 0.5f;
  float y = top;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& f = fields[i];
    m_error_y[f.id] = y - top;
    auto one = [&](const FieldSpec& spec, ui::Rect cell) {
      if (is_text_kind(spec.kind)) return draw_text(ui, ctx, spec, cell);
      if (spec.kind == FieldKind::organization) return draw_organization(ui, ctx, spec, cell);
      return draw_chips(ui, ctx, spec, cell);
    };
    if (two_columns && is_text_kind(f.kind) && i + 1 < fields.size() && is_text_kind(fields[i + 1].kind)) {
      m_error_y[fields[i + 1].id] = y - top;
      const float a = one(f, {x0, y, half, 0});
      const float b = one(fields[i + 1], {x0 + half + kGap, y, half, 0});
      y += std::max(a, b) + kGap;
      ++i;
    } else {
      y += one(f, {x0, y, cw, 0}) + kGap;
    }
  }
  m_error_y["consent"] = y - top;
  y += draw_consent(ui, ctx, x0, y, cw);
  return y - top;
}

// [fields] ----------------------------------------------------------------------------------

float RegisterScreen::draw_label(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell) {
  auto label = field_label(ctx, f);  // a tour's own field carries its labels (form_schema.h F3)
  const bool required = f.required || (f.required_under_age > 0 && m_age && *m_age < f.required_under_age);
  // A fixed row (the form's positions are what staff learn); the label fits it (Ui::fit).
  ui.label(ui.mirror({cell.x, cell.y, cell.w, kLabelH}), std::string(label.text) + (required ? " *" : ""),
           staff_style(label.lang, 28), ui.theme().text_muted);
  return kLabelH;
}

float RegisterScreen::draw_errors(ui::Ui& ui, ScreenContext& ctx, const std::string& field, float x,
                                  float y, float w, std::string_view shown_above) {
  float h = 0;
  for (const core::FieldError& e : m_errors) {
    if (e.field != field || e.key == shown_above) continue;
    const std::string text = error_text(ctx, e);
    const auto ts = staff_style(ctx.staff_tr(e.key).lang, 26);
    const float th = ui.text_height(text, ts, w) + 8;
    ui.register_id("reg.error." + field + "." + e.key, ui.mirror({x, y + h + 6, w, th}));
    ui.label(ui.mirror({x, y + h + 6, w, th}), text, ts, ui.theme().danger);
    h += th + 6;
  }
  return h;
}

bool RegisterScreen::text_box(ui::Ui& ui, const std::string& id, ui::Rect r, std::string_view lang,
                              std::string_view placeholder) {
  ui::TextField& field = m_fields[id];
  if (id == m_scroll_to) {  // just focused: keep it inside the view, above the keyboard
    const float below = r.y + r.h + 20 - (m_view.y + m_view.h), above = m_view.y - r.y;
    if (below > 0) m_scroll.set_offset(m_scroll.offset() + below);
    if (above > 0) m_scroll.set_offset(m_scroll.offset() - above);
    if (below > 0 || above > 0) ui.request_frame();
    m_scroll_to.clear();
  }
  if (!visible(r)) return false;  // not drawn, so the harness cannot tap what staff cannot see
  return ui.text_field(id, ui.mirror(r), field, lang, placeholder, 34);
}

bool RegisterScreen::text_box(ui::Ui& ui, const std::string& id, FieldKind kind, ui::Rect r,
                              std::string_view placeholder) {
  m_kinds[id] = kind;  // the keyboard for this field
  return text_box(ui, id, r, field_lang(kind, m_lang), placeholder);
}

float RegisterScreen::draw_text(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell) {
  float h = draw_label(ui, ctx, f, cell);
  const std::string id = "reg.field." + f.id;
  m_kinds[id] = f.kind;
  ui::Rect box{cell.x, cell.y + h, cell.w, kFieldH};
  if (f.kind == FieldKind::birth) {
    box.w = std::min(cell.w * 0.62f, 440.0f);
    auto hint = ctx.staff_tr("reg.birth.hint");
    text_box(ui, id, box, "en", hint.text);
    if (m_age) {  // the age beside the birth date, as the validator will see it
      auto age = ctx.staff_tr("reg.age");
      ui.label_centered(ui.mirror({box.x + box.w + 20, box.y, cell.w - box.w - 20, kFieldH}),
                        with_param(std::string(age.text), "age", number_text(ctx, *m_age, ctx.staff->lang())),
                        staff_style(age.lang, 32, true), ui.theme().accent);
    }
  } else {
    text_box(ui, id, box, field_lang(f.kind, m_lang));
  }
  h += kFieldH;
  return h + draw_errors(ui, ctx, f.id, cell.x, cell.y + h, cell.w);
}

float RegisterScreen::draw_chips(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell) {
  const float top = cell.y + draw_label(ui, ctx, f, cell);
  const bool multi = f.kind == FieldKind::multi_choice;
  float x = cell.x, y = top;
  for (const std::string& value : f.allowed) {
    auto text = field_label(ctx, f, value);
    const float chip_w = std::min(cell.w, std::max(150.0f, text_width(ui, text.text, text.lang, 28) + 60));
    if (x + chip_w > cell.x + cell.w && x > cell.x) x = cell.x, y += kChipH + 12;
    const ui::Rect r{x, y, chip_w, kChipH};
    const bool on = multi ? m_multi[f.id].count(value) != 0 : m_choice[f.id] == value;
    if (visible(r) && ui.button("reg." + f.id + "." + value, ui.mirror(r), text.text, text.lang,
                                on ? ui::ButtonKind::Primary : ui::ButtonKind::Normal, 28)) {
      if (!multi) m_choice[f.id] = on ? std::string() : value;
      else if (on) m_multi[f.id].erase(value);
      else m_multi[f.id].insert(value);
    }
    x += chip_w + 12;
  }
  y += kChipH;
  return y - cell.y + draw_errors(ui, ctx, f.id, cell.x, y, cell.w);
}

float RegisterScreen::draw_organization(ui::Ui& ui, ScreenContext& ctx, const FieldSpec& f, ui::Rect cell) {
  const float top = cell.y + draw_label(ui, ctx, f, cell);
  const float y = m_org.draw(ui, ctx, *this, "reg.field." + f.id, cell, top, m_lang, m_event_country);
  return y - cell.y + draw_errors(ui, ctx, f.id, cell.x, y, cell.w);
}

// [consent] ---------------------------------------------------------------------------------

float RegisterScreen::draw_consent(ui::Ui& ui, ScreenContext& ctx, float x, float y, float w) {
  const float top = y;
  auto title = ctx.staff_tr("reg.consent.title");
  ui.label(ui.mirror({x, y, w, kLabelH}), title.text, staff_style(title.lang, 30, true), ui.theme().text);
  y += kLabelH + 6;
  // The text the guardian reads, in the participant's language (the header's chips). When that
  // language has none, the catalog fell back to another: staff are told, in their language, that
  // it cannot be signed (core refuses it, consent.h K3) before the guardian signs anything.
  const ShownConsent shown = shown_consent(ctx);
  const bool fell_back = shown.text.lang != m_lang;
  if (fell_back) {
    auto note = ctx.staff_tr("consent.refused.fell_back");
    const auto ns = staff_style(note.lang, 28, true);
    const float nh = ui.text_height(note.text, ns, w);
    ui.register_id("reg.consent.fell_back", ui.mirror({x, y, w, nh}));
    ui.label(ui.mirror({x, y, w, nh}), note.text, ns, ui.theme().danger);
    y += nh + 12;
  }
  const auto ts = staff_style(shown.text.lang, 30);
  const float th = ui.text_height(shown.text.text, ts, w - 48);
  ui.fill(ui.mirror({x, y, w, th + 40}), ui.theme().surface, 14);
  ui.label(ui.mirror({x + 24, y + 20, w - 48, th}), shown.text.text, ts, ui.theme().text);
  y += th + 40 + 20;
  auto sig = ctx.staff_tr("reg.sig.label");
  ui.label(ui.mirror({x, y, w, kLabelH}), std::string(sig.text) + (m_consent_needed ? " *" : ""),
           staff_style(sig.lang, 28), ui.theme().text_muted);
  y += kLabelH;
  const float pad_w = std::min(w, 900.0f);
  const bool clear_beside = w - pad_w >= 220;
  const ui::Rect pad{x, y, clear_beside ? pad_w : w, 280};
  const ui::Rect clear = clear_beside ? ui::Rect{x + pad_w + 20, y, 200, 72} : ui::Rect{x, y + 290, 200, 72};
  auto clear_label = ctx.staff_tr("reg.sig.clear"), hint = ctx.staff_tr("reg.sig.hint");
  m_pad.draw(ui, "reg.sig.pad", ui.mirror(pad), ui.mirror(clear), clear_label.text, clear_label.lang,
             hint.text, hint.lang, visible(pad) && m_press_in_view);
  y += pad.h + (clear_beside ? 0 : 72 + 10);
  return y - top + draw_errors(ui, ctx, "consent", x, y, w,
                               fell_back ? "consent.refused.fell_back" : std::string_view());
}

RegisterScreen::ShownConsent RegisterScreen::shown_consent(ScreenContext& ctx) const {
  ShownConsent shown{ctx.pack.strings.get(m_lang, content::k_consent_text_key), {}};
  const auto version = ctx.pack.strings.get(m_lang, content::k_consent_version_key);
  // A version describes the text of its own catalog only (`kiosk-content check` wants both).
  if (!version.missing && version.lang == shown.text.lang) shown.version = version.text;
  return shown;
}

std::optional<core::ConsentInput> RegisterScreen::consent_input(ScreenContext& ctx,
                                                                const std::string& guardian) const {
  if (m_pad.empty()) return std::nullopt;
  const ShownConsent shown = shown_consent(ctx);
  // Exactly what was drawn above the pad: core hashes these bytes (consent.h K2).
  return core::ConsentInput{shown.version, std::string(shown.text.lang), guardian, m_pad.encode(),
                            m_lang, shown.text.missing ? std::string() : std::string(shown.text.text)};
}

// [duplicates] ------------------------------------------------------------------------------

void RegisterScreen::same_person(ScreenContext& ctx, const core::PersonHit& hit) {
  if (m_event_id.empty()) return set_status("reg.no_event", false);
  const core::SaveResult r = ctx.staff->registry.add_attendance(hit.id, m_event_id, m_activity,
                                                                ctx.staff->session->staff().id);
  if (!r.ok())  // consent.refused.minor (consent.h K1: a minor there without consent) or the store's
    return set_status(r.rule.empty() ? std::string(core::store_error_key(r.error)) : r.rule, false);
  m_saved = true;  // only after the commit
  set_status("reg.attendance_saved", true);
}

// [save] ------------------------------------------------------------------------------------

core::FormValues RegisterScreen::check(ScreenContext& ctx) {
  const core::FormValues v = values();
  m_checked = input_key(v, m_pad.stroke_count());
  m_errors = core::validate(ctx.staff->form, v, m_today);
  // What the store would refuse about consent (consent.h), asked of core before saving.
  const core::ParticipantFields person = core::to_participant(v);
  const core::ConsentRefusal refusal =
      core::check_registration_consent(person, consent_input(ctx, person.guardian_name), consent_day());
  if (refusal.refused())
    m_errors.push_back({"consent", refusal.rule, {{"age", std::to_string(core::kConsentAge)}}});
  return v;
}

void RegisterScreen::save(ScreenContext& ctx) {
  if (m_keyboard)  // a held Burmese vowel or Khmer coeng belongs in the saved text
    if (auto it = m_fields.find(m_kbd_field); it != m_fields.end()) m_keyboard->commit(it->second.buffer());
  const core::FormValues v = check(ctx);
  if (!m_errors.empty()) {
    set_status("reg.fix_errors", false);
    if (auto it = m_error_y.find(m_errors.front().field); it != m_error_y.end())
      m_scroll.set_offset(it->second);  // bring the first error into view
    return;
  }
  if (m_event_id.empty()) return set_status("reg.no_event", false);
  core::Registration reg;
  reg.person = core::to_participant(v);
  reg.event_id = m_event_id;
  reg.activity = m_activity;
  reg.consent = consent_input(ctx, reg.person.guardian_name);
  const core::SaveResult r = ctx.staff->registry.register_participant(reg, ctx.staff->session->staff().id);
  if (!r.ok())  // a rule's own message (consent.refused.*) or the store's; everything typed stays
    return set_status(r.rule.empty() ? std::string(core::store_error_key(r.error)) : r.rule, false);
  m_saved = true;
  set_status("reg.saved", true);
  log::info("registration saved");  // never who (log.h rule 5)
}

// [keyboard] --------------------------------------------------------------------------------

void RegisterScreen::draw_keyboard(ui::Ui& ui, ui::Rect kb) {
  const std::string& id = ui.focused_id();
  auto it = m_fields.find(id);
  if (it == m_fields.end()) return;
  kiosk::text::EditBuffer& buffer = it->second.buffer();
  if (m_kbd_field != id || m_kbd_lang != m_lang) {  // a new field or language: its layouts
    if (m_kbd_field == id) m_keyboard->commit(buffer);
    const auto kind = m_kinds.count(id) ? m_kinds.at(id) : FieldKind::text;
    m_keyboard->set_layouts(layouts_for(kind, m_lang));
    m_kbd_field = id;
    m_kbd_lang = m_lang;
  }
  const ui::KeyboardEvent ev = m_keyboard->draw(ui, kb, buffer);
  const std::string held = m_keyboard->preview();
  if (!held.empty())  // a Burmese ေ typed before its consonant, a Khmer coeng: waiting
    ui.label({kb.x + 24, kb.y - 44, 400, 40}, held, staff_style(m_lang, 30), ui.theme().accent);
  if (ev.changed) ui.request_frame();
  if (ev.done) ui.focus(""), ui.request_frame();
}

}  // namespace

std::unique_ptr<Screen> make_register_screen() { return std::make_unique<RegisterScreen>(); }

}  // namespace kiosk::screens
