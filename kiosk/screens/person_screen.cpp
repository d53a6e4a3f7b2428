// Person (issue 5, item 6): one participant's record and attendance, reached from People.
//
// Modes: View → Edit (the form's fields, validated with core::validate() and saved with
// Registry::update_participant), View → Void (a typed reason, then confirm; the record stays,
// marked voided — nothing is hard-deleted), View → Check-in (attendance at the current event,
// choosing the activity when the event has several). Every change is one committed transaction;
// the screen reloads the record from the store after it, so what is shown is what was saved.
// A tour's own fields (form_schema.h F2-F5, the record's extra) are listed under the facts with
// their labels from the form, and edited below the core fields (text kinds as fields, choices as
// chips, ids person.field.<id> and person.<id>.<value>); the edit form scrolls when they do not
// fit. Values saved under another tour's form are shown by id and kept by an edit.
// A refusal by a core rule (consent.refused.minor, consent.h K1) shows that rule's message.
#include "consent.h"
#include "keyboard.h"
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>

namespace kiosk::screens {
namespace {

// Editable text fields, in form order: the first five on the start side, the rest on the end side.
constexpr std::array<const char*, 8> kTextFields = {"given_name", "family_name", "given_name_latin",
    "family_name_latin", "birth", "grade", "guardian_name", "guardian_phone"};

// A catalog text with its {name} parameters filled in.
std::string fill(std::string_view text, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string s(text);
  for (const auto& [name, value] : params)
    for (auto pos = s.find("{" + name + "}"); pos != std::string::npos; pos = s.find("{" + name + "}", pos + value.size()))
      s.replace(pos, name.size() + 2, value);
  return s;
}



bool is_text_kind(core::FieldKind k) {
  return k == core::FieldKind::text || k == core::FieldKind::name || k == core::FieldKind::name_latin ||
         k == core::FieldKind::phone;
}

// The layouts a field of the edit form offers, in switch order (`spec`: a tour's own field).
// `lang` is the script of what the field holds (the pack's language when it is empty).
std::vector<std::string> edit_layouts(const std::string& id, std::string_view lang,
                                      const core::FieldSpec* spec = nullptr) {
  if (spec && spec->custom) {
    if (spec->kind == core::FieldKind::phone) return {"phone"};
    if (spec->kind == core::FieldKind::name_latin) return {"latin"};
  } else {
    if (id == "birth") return {"numeric"};
    if (id == "grade") return {"numeric", "latin"};
    if (id == "guardian_phone") return {"phone"};
    if (id.find("latin") != std::string::npos) return {"latin"};
  }
  std::vector<std::string> out = script_layouts(lang);  // its script first, then Latin
  if (out.front() != "latin") out.push_back("latin");
  if (spec && spec->custom && spec->kind == core::FieldKind::text) out.push_back("numeric");
  // Any native text may be Chinese (every tour has Chinese-speaking visitors).
  if (lang != "zh") out.insert(out.end(), {"pinyin", "handwriting"});
  return out;
}

class PersonScreen final : public Screen {
 public:
  std::string_view name() const override { return "person"; }
  bool visitor() const override { return false; }
  void enter(ScreenContext& ctx) override {
    m_mode = Mode::View;
    m_message.clear();
    load(ctx);
  }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width();
    if (!begin_staff_screen(ui, ctx)) return;
    // The keyboard serves the focused field of the current mode; held text stays in its field.
    const std::string& focused = ui.focused_id();
    if (!m_keyboard.field().empty() && m_keyboard.field() != focused)
      if (ui::TextField* old = field_for(m_keyboard.field())) m_keyboard.commit(*old);
    ui::TextField* typing = field_for(focused);
    if (!typing && focused.rfind("person.", 0) == 0) ui.focus("");  // its mode was left
    const float h = ui.height(), kb_h = typing ? std::clamp(h * 0.4f, 360.0f, 600.0f) : 0.0f;
    m_kb_top = h - kb_h;
    if (m_person) {
      if (m_mode == Mode::Edit) draw_edit(ui, ctx); else draw_view(ui, ctx);
    }
    if (typing) {
      const std::string_view lang = typing->text().empty() ? ctx.pack.default_language : script_lang(typing->text());
      const std::string id = focused.substr(std::min(focused.size(), std::string_view("person.field.").size()));
      m_keyboard.draw(ui, ctx, {0, m_kb_top, w, kb_h}, focused, *typing,
                      typing == &m_void_reason ? search_layouts(ctx.staff->lang())
                                               : edit_layouts(id, lang, ctx.staff->form.field(id)));
    }

    ui.fill({0, 0, w, kHeaderBottom}, kStaffBackground);  // the header, over content moved up
    auto back = ctx.staff_tr("common.back");
    if (ui.button("person.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32)) {
      if (m_mode == Mode::View) ctx.go("people"); else m_mode = Mode::View;
    }
    if (!m_person) {
      label(ui, ui.mirror({340, 30, w - 400, 84}), ctx.staff_tr("person.not_found"), 36, ui.theme().danger);
      return;
    }
    const std::string_view lang = script_lang(m_person->given_name + m_person->family_name);
    const std::string native = full_name(m_person->given_name, m_person->family_name, lang);
    const std::string latin = full_name(m_person->given_name_latin, m_person->family_name_latin, "en");
    // The name (Khmer and Burmese need a taller line than Latin), then the Latin name and the
    // message side by side; the message may take two lines.
    label(ui, ui.mirror({340, 16, w - 400, 72}), native.empty() ? latin : native, lang, 44, ui.theme().text, true);
    const float half = (w - 400) / 2;
    if (!native.empty()) label(ui, ui.mirror({340, 88, half, 44}), latin, "en", 30, ui.theme().text_muted);
    if (!m_message.empty()) {
      ui.register_id("person.message", ui.mirror({340 + half, 88, half, 84}));
      const auto message = ctx.staff_tr(m_message);  // consent.refused.minor says "under {age}"
      label(ui, ui.mirror({340 + half, 88, half, 84}), with_param(std::string(message.text), "age", std::to_string(core::kConsentAge)),
            message.lang, 26, m_message_error ? ui.theme().danger : ui.theme().accent);
    }
    if (ui.gestures().tap) ui.request_frame();  // a tap may have changed what is shown: redraw
  }

 private:
  enum class Mode { View, Edit, Void, Checkin };
  // The header: name, Latin name and the status message (two lines, to y 172). Edited fields
  // scrolled or moved up for the keyboard are drawn only below it.
  static constexpr float kHeaderBottom = 180;

  static void label(ui::Ui& ui, ui::Rect r, std::string_view text, std::string_view lang, float size,
                    ImU32 color, bool bold = false) {
    staff_label(ui, r, text, lang, size, color, bold);
  }
  static void label(ui::Ui& ui, ui::Rect r, const content::Catalog::Lookup& s, float size, ImU32 color,
                    bool bold = false) {
    label(ui, r, s.text, s.lang, size, color, bold);
  }

  // The text field behind a widget id, when it belongs to the current mode (else null).
  ui::TextField* field_for(const std::string& widget_id) {
    if (m_mode == Mode::Void && widget_id == "person.void.reason") return &m_void_reason;
    const std::string_view prefix = "person.field.";
    if (m_mode != Mode::Edit || widget_id.rfind(prefix, 0) != 0) return nullptr;
    auto it = m_fields.find(widget_id.substr(prefix.size()));
    return it == m_fields.end() ? nullptr : &it->second;
  }

  void load(ScreenContext& ctx) {
    m_person.reset();
    m_rows.clear();
    if (!ctx.staff) return;
    m_person = ctx.staff->people.participant(ctx.staff->selected_person);
    if (!m_person) return;
    m_org.clear();
    if (m_person->organization_id)
      if (auto org = ctx.staff->registry.organization(*m_person->organization_id)) m_org = org->name;
    for (const core::Attendance& a : ctx.staff->people.attendance_of(m_person->id)) {
      auto ev = ctx.staff->registry.event(a.event_id);
      m_rows.push_back({ev ? ev->name : a.event_id, a.activity, date_text(ctx, a.at, ctx.staff->lang())});
    }
    m_current.reset();
    if (auto id = ctx.staff->registry.current_event_id()) m_current = ctx.staff->registry.event(*id);
  }

  void report(const core::SaveResult& r, const char* ok_key) {
    m_message_error = !r.ok();
    m_message = r.ok() ? ok_key : !r.rule.empty() ? r.rule : core::store_error_key(r.error);
  }

  // The record's tour fields in form order, then any the form does not name (another tour's).
  struct ExtraFact {
    std::string id, label;
    std::string_view label_lang;
    std::string value;  // as staff read it: a choice by its label
  };
  std::vector<ExtraFact> extra_facts(ScreenContext& ctx) const {
    std::vector<ExtraFact> out;
    std::map<std::string, std::string> rest = m_person->extra;
    for (const core::FieldSpec& f : ctx.staff->form.fields) {
      auto it = rest.find(f.id);
      if (it == rest.end()) continue;
      std::string shown;
      if (f.kind == core::FieldKind::choice || f.kind == core::FieldKind::multi_choice) {
        std::string item;
        std::istringstream in(it->second);
        while (std::getline(in, item, ','))  // each value by its label
          shown += (shown.empty() ? "" : ", ") + std::string(field_label(ctx, f, item).text);
      } else {
        shown = it->second;
      }
      const auto name = field_label(ctx, f);
      out.push_back({f.id, std::string(name.text), name.lang, shown});
      rest.erase(it);
    }
    for (const auto& [id, value] : rest) out.push_back({id, id, "en", value});
    return out;
  }

  // The tour's own fields of the current form (edited below the core fields).
  static std::vector<const core::FieldSpec*> custom_fields(ScreenContext& ctx) {
    std::vector<const core::FieldSpec*> out;
    for (const core::FieldSpec& f : ctx.staff->form.fields)
      if (f.custom) out.push_back(&f);
    return out;
  }

  void draw_view(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width(), h = ui.height();
    const bool landscape = w > h;  // portrait: attendance below the facts, not beside them
    const float col = landscape ? (w - 160) / 2 : w - 120;
    const auto& p = *m_person;
    float y = 200;
    if (p.voided) {
      ui.register_id("person.voided", ui.mirror({60, y, w - 120, 60}));
      ui.fill(ui.mirror({60, y, w - 120, 60}), IM_COL32(90, 30, 30, 255), 12);
      const std::string text = std::string(ctx.staff_tr("person.voided").text) + " " + p.void_reason;
      label(ui, ui.mirror({80, y, w - 160, 60}), text, script_lang(p.void_reason), 30, ui.theme().text, true);
      y += 80;
    }
    const std::string_view staff_lang = ctx.staff->lang();
    const std::string birth = p.birth_date ? date_text(ctx, *p.birth_date, staff_lang)
                                           : digits_text(ctx, std::to_string(p.birth_year), staff_lang);
    const std::pair<const char*, std::string> facts[] = {
        {"person.birth", birth}, {"person.gender", std::string(ctx.staff_tr("value.gender." + p.gender).text)},
        {"person.role", std::string(ctx.staff_tr("value.role." + p.role).text)}, {"person.organization", m_org},
        {"person.grade", p.grade}, {"person.guardian", p.guardian_name}, {"person.guardian_phone", p.guardian_phone},
        {"person.registered", date_text(ctx, p.created_at, staff_lang)}};
    for (const auto& [key, value] : facts) {
      const auto name = ctx.staff_tr(key);  // "School or organization" takes two lines in some
      const float rh = std::max(54.0f, ui.text_height(name.text, staff_style(name.lang, 28), 300) + 4);
      label(ui, ui.mirror({60, y, 300, rh}), name, 28, ui.theme().text_muted);
      label(ui, ui.mirror({370, y, col - 310, rh}), value, script_lang(value), 30, ui.theme().text);
      y += rh + 6;
    }
    // The tour's own fields, labelled in the staff language (while there is room above the actions).
    for (const ExtraFact& fact : extra_facts(ctx)) {
      if (y > h - 200) break;
      ui.register_id("person.extra." + fact.id, ui.mirror({60, y, col - 10, 54}));
      label(ui, ui.mirror({60, y, 300, 54}), fact.label, fact.label_lang, 28, ui.theme().text_muted);
      label(ui, ui.mirror({370, y, col - 310, 54}), fact.value, script_lang(fact.value), 30, ui.theme().text);
      y += 60;
    }
    // Attendance, newest last as the store lists it.
    const float x2 = landscape ? 100 + col : 60;
    float ay = landscape ? (p.voided ? 280.0f : 200.0f) : y + 20;
    label(ui, ui.mirror({x2, ay, col, 54}), ctx.staff_tr("person.attendance"), 32, ui.theme().text, true);
    ay += 60;
    if (m_rows.empty()) label(ui, ui.mirror({x2, ay, col, 50}), ctx.staff_tr("person.no_attendance"), 28, ui.theme().text_muted);
    for (const auto& row : m_rows) {
      if (ay > h - 220) break;
      // As tall as its cells need (isiZulu's activity takes two lines at 1280x800).
      const auto activity = ctx.staff_tr("events.activity." + row[1]);
      const float rh = std::max({50.0f, ui.text_height(row[0], staff_style(script_lang(row[0]), 28), col * 0.5f) + 4,
                                 ui.text_height(activity.text, staff_style(activity.lang, 26), col * 0.3f) + 4,
                                 ui.text_height(row[2], staff_style(ctx.staff->lang(), 26), col * 0.2f) + 4});
      label(ui, ui.mirror({x2, ay, col * 0.5f, rh}), row[0], script_lang(row[0]), 28, ui.theme().text);
      label(ui, ui.mirror({x2 + col * 0.5f, ay, col * 0.3f, rh}), activity, 26, ui.theme().text_muted);
      label(ui, ui.mirror({x2 + col * 0.8f, ay, col * 0.2f, rh}), row[2], ctx.staff->lang(), 26, ui.theme().text_muted);
      ay += rh + 6;
    }
    if (p.voided) return;  // a voided record is read-only
    if (m_mode == Mode::Void) return draw_void(ui, ctx);
    if (m_mode == Mode::Checkin) return draw_checkin(ui, ctx);
    const float by = h - 130;
    const auto action = [&](const char* id, const char* key, float x, float bw, ui::ButtonKind kind) {
      auto s = ctx.staff_tr(key);
      return ui.button(id, ui.mirror({x, by, bw, 96}), s.text, s.lang, kind, 32);
    };
    // Portrait: the check-in (the longest label in most languages) takes the middle's spare room.
    const float bw = landscape ? 300 : (w - 180) * 0.27f, cw = landscape ? 560 : w - 180 - 2 * bw;
    if (action("person.edit", "person.edit", 60, bw, ui::ButtonKind::Normal)) open_edit(ctx);
    if (action("person.checkin", "person.checkin", 100 + bw, cw, ui::ButtonKind::Primary)) {
      if (!m_current) {
        m_message = "person.no_current_event";
        m_message_error = true;
      } else if (m_current->activity_types.size() == 1) {
        check_in(ctx, m_current->activity_types[0]);
      } else {
        m_mode = Mode::Checkin;
      }
    }
    if (action("person.void", "person.void", w - 60 - bw, bw, ui::ButtonKind::Quiet)) {
      m_void_reason.set_text("");
      m_mode = Mode::Void;
      ui.focus("person.void.reason");
    }
  }

  void check_in(ScreenContext& ctx, const std::string& activity) {
    report(ctx.staff->registry.add_attendance(m_person->id, m_current->id, activity, ctx.staff->session->staff().id),
           "person.checked_in");
    m_mode = Mode::View;
    load(ctx);
  }

  void draw_checkin(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width(), y = ui.height() - 250;
    ui.fill({0, y - 20, w, 270}, IM_COL32(34, 40, 52, 255));
    label(ui, ui.mirror({60, y, w - 120, 50}), ctx.staff_tr("person.checkin.choose"), 30, ui.theme().text);
    const float n = static_cast<float>(std::max<std::size_t>(1, m_current->activity_types.size()));
    const float bw = std::min(380.0f, (w - 120 - 30 * (n - 1)) / n);
    float x = 60;
    for (const std::string& a : m_current->activity_types) {
      auto s = ctx.staff_tr("events.activity." + a);
      if (ui.button("person.checkin." + a, ui.mirror({x, y + 70, bw, 96}), s.text, s.lang, ui::ButtonKind::Primary, 30))
        check_in(ctx, a);
      x += bw + 30;
    }
  }

  void draw_void(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width(), y = m_kb_top - 300;
    ui.fill({0, y - 20, w, 320}, IM_COL32(60, 30, 34, 255));
    label(ui, ui.mirror({60, y, w - 120, 50}), ctx.staff_tr("person.void.prompt"), 30, ui.theme().text);
    auto ph = ctx.staff_tr("person.void.placeholder");
    if (ui.text_field("person.void.reason", ui.mirror({60, y + 60, w - 120, 90}), m_void_reason,
                      script_lang(m_void_reason.text()), ph.text, 34))
      m_message.clear();
    auto confirm = ctx.staff_tr("person.void.confirm");
    if (ui.button("person.void.confirm", ui.mirror({w - 480, y + 170, 420, 96}), confirm.text, confirm.lang, ui::ButtonKind::Primary, 32)) {
      m_keyboard.commit(m_void_reason);  // a held Burmese vowel or Khmer coeng belongs in it
      std::string reason = m_void_reason.text();
      reason.erase(0, reason.find_first_not_of(" \t"));
      if (reason.empty()) {
        m_message = "person.void.reason_required";
        m_message_error = true;
      } else {
        report(ctx.staff->registry.void_participant(m_person->id, reason, ctx.staff->session->staff().id), "person.void.saved");
        if (!m_message_error) m_mode = Mode::View;
        load(ctx);
      }
    }
    auto cancel = ctx.staff_tr("person.cancel");
    if (ui.button("person.void.cancel", ui.mirror({w - 860, y + 170, 340, 96}), cancel.text, cancel.lang, ui::ButtonKind::Quiet, 32))
      m_mode = Mode::View;
  }

  void open_edit(ScreenContext& ctx) {
    m_values = core::from_participant(*m_person);  // extra included: kept unless edited (F5)
    for (const char* id : kTextFields) m_fields[id].set_text(m_values[id]);
    for (const core::FieldSpec* f : custom_fields(ctx))
      if (is_text_kind(f->kind)) m_fields[f->id].set_text(m_values[f->id]);
    m_edit_scroll = {};
    m_errors.clear();
    m_message.clear();
    m_mode = Mode::Edit;
  }

  // The form in two columns, moved up while the keyboard is open so that the focused field stays
  // above it; what the keyboard covers is not drawn (so it cannot take the keyboard's taps).
  void draw_edit(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width();
    const bool landscape = w > ui.height();  // portrait: one column, the choices after birth
    const float col = landscape ? (w - 160) / 2 : w - 120;
    const std::string today = ctx.staff->today();
    // Rows are as tall as their tallest title and error need in this language and text size
    // (Khmer subscripts and Arabic at large text need far more than Latin): lh above the
    // field, eh below it.
    float lh = 32, eh = 28;
    for (const char* id : {"given_name", "family_name", "given_name_latin", "family_name_latin", "birth",
                           "grade", "guardian_name", "guardian_phone", "gender", "role"}) {
      const core::FieldSpec* spec = ctx.staff->form.field(id);
      const auto name = spec ? field_label(ctx, *spec) : ctx.staff_tr(std::string("form.field.") + id);
      lh = std::max(lh, ui.text_height(std::string(name.text) + "  (99)", staff_style(name.lang, 24), col));
    }
    for (const auto& [id, e] : m_errors) {
      const auto message = ctx.staff_tr(e.key);
      eh = std::max(eh, ui.text_height(fill(message.text, e.params), staff_style(message.lang, 22), col));
    }
    const float block = lh + 66 + eh + 2;  // 128 where labels and errors fit the Latin rows
    const auto pos = [&](std::size_t i) {  // text field i: start side rows 0-4, end side rows 2-4
      if (!landscape) return ui::Point{60, 190 + static_cast<float>(i >= 5 ? i + 2 : i) * block};
      return ui::Point{i >= 5 ? 100 + col : 60, 190 + static_cast<float>(i >= 5 ? i - 3 : i) * block};
    };
    // The tour's own fields follow the core ones: two a row in landscape, one in portrait.
    const std::vector<const core::FieldSpec*> customs = custom_fields(ctx);
    const auto custom_pos = [&](std::size_t k) {
      if (!landscape) return ui::Point{60, 190 + static_cast<float>(10 + k) * block};
      return ui::Point{k % 2 ? 100 + col : 60, 190 + static_cast<float>(5 + k / 2) * block};
    };
    // What does not fit above the actions scrolls (a drag moves the form).
    const float actions_top = ui.height() - 124;
    float content_bottom = customs.empty() ? 0 : custom_pos(customs.size() - 1).y + lh + 66 + eh;
    for (std::size_t i = 0; i < kTextFields.size(); ++i) content_bottom = std::max(content_bottom, pos(i).y + block);
    content_bottom = std::max(content_bottom, (landscape ? 190 : 190 + 5 * block) + 2 * block);
    m_edit_scroll.set_extent(std::max(0.0f, content_bottom - actions_top));
    if (ui.gestures().dragging && ui.gestures().press_pos.y < actions_top) m_edit_scroll.drag(ui.gestures().drag_delta.y);
    if (m_reveal_errors) {  // the lowest text field in error, whole, above the actions
      m_reveal_errors = false;
      float need = 0;
      for (std::size_t i = 0; i < kTextFields.size(); ++i)
        if (m_errors.count(kTextFields[i])) need = std::max(need, pos(i).y + block - actions_top);
      if (need > m_edit_scroll.offset()) m_edit_scroll.set_offset(need);
    }
    float shift = m_edit_scroll.offset();
    for (std::size_t i = 0; i < kTextFields.size(); ++i)
      if (ui.focused_id() == std::string("person.field.") + kTextFields[i]) shift = std::max(shift, pos(i).y + lh + 102 - m_kb_top);
    for (std::size_t k = 0; k < customs.size(); ++k)
      if (ui.focused_id() == "person.field." + customs[k]->id) shift = std::max(shift, custom_pos(k).y + lh + 102 - m_kb_top);
    const auto visible = [&](float y) {
      return y - shift >= kHeaderBottom && y - shift + 66 <= std::min(m_kb_top, actions_top);
    };
    const auto title = [&](const std::string& id, float x, float y) {
      const core::FieldSpec* spec = ctx.staff->form.field(id);
      const auto name = spec ? field_label(ctx, *spec) : ctx.staff_tr("form.field." + id);
      std::string text(name.text);
      if (id == "birth")
        if (auto age = core::displayed_age(m_fields[id].text(), today); age && *age >= 0)
          text += "  " + fill(ctx.staff_tr("person.age").text, {{"age", number_text(ctx, *age, ctx.staff->lang())}});
      // A title moved up under the header with the keyboard open is not drawn (the header
      // covers it, and its words would lie under the header's buttons).
      if (y >= kHeaderBottom) label(ui, ui.mirror({x, y, col, lh}), text, name.lang, 24, ui.theme().text_muted);
      auto err = m_errors.find(id);
      if (err == m_errors.end()) return;
      const auto message = ctx.staff_tr(err->second.key);
      ui.register_id("person.error." + id, ui.mirror({x, y + lh + 68, col, eh}));
      label(ui, ui.mirror({x, y + lh + 68, col, eh}), fill(message.text, err->second.params), message.lang, 22, ui.theme().danger);
    };
    ui.set_input_clip({0, kHeaderBottom, w, m_kb_top - kHeaderBottom});
    for (std::size_t i = 0; i < kTextFields.size(); ++i) {
      const std::string id = kTextFields[i];
      const ui::Point p = pos(i);
      if (!visible(p.y + lh)) continue;
      title(id, p.x, p.y - shift);
      const bool latin = id.find("latin") != std::string::npos || id == "birth" || id == "guardian_phone";
      const std::string_view lang = latin ? std::string_view("en")
                                    : m_fields[id].text().empty() ? ctx.pack.default_language : script_lang(m_fields[id].text());
      if (ui.text_field("person.field." + id, ui.mirror({p.x, p.y - shift + lh, col, 66}), m_fields[id], lang, {}, 30)) {
        m_errors.erase(id);
        ui.request_frame();
      }
    }
    float y = landscape ? 190 : 190 + 5 * block;
    const float cx = landscape ? 100 + col : 60;
    for (const char* choice : {"gender", "role"}) {
      const float cy = y;
      y += block;
      if (!visible(cy + lh)) continue;
      title(choice, cx, cy - shift);
      const core::FieldSpec* spec = ctx.staff->form.field(choice);
      const std::vector<std::string> allowed = spec ? spec->allowed : std::vector<std::string>{};
      const float cw = allowed.empty() ? col : (col - 10 * static_cast<float>(allowed.size() - 1)) / static_cast<float>(allowed.size());
      // One size for the row, small enough that its longest word stays on one line (isiZulu's
      // "Akunikezwanga" in a quarter of 1280x800's column).
      float size = 26;
      for (const std::string& v : allowed) {
        auto s = ctx.staff_tr("value." + std::string(choice) + "." + v);
        const float tw = ui.text_width(s.text, staff_style(s.lang, 26));
        if (tw > cw - 36) size = std::min(size, std::max(18.0f, 26 * (cw - 36) / tw));
      }
      for (std::size_t k = 0; k < allowed.size(); ++k) {
        const std::string& v = allowed[k];
        auto s = ctx.staff_tr("value." + std::string(choice) + "." + v);
        if (ui.button("person." + std::string(choice) + "." + v, ui.mirror({cx + static_cast<float>(k) * (cw + 10), cy - shift + lh, cw, 66}),
                      s.text, s.lang, m_values[choice] == v ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet, size)) {
          m_values[choice] = v;
          m_errors.erase(choice);
        }
      }
    }
    for (std::size_t k = 0; k < customs.size(); ++k) {
      const core::FieldSpec& f = *customs[k];
      const ui::Point p = custom_pos(k);
      if (!visible(p.y + lh)) continue;
      title(f.id, p.x, p.y - shift);
      if (is_text_kind(f.kind)) {
        const bool latin = f.kind == core::FieldKind::name_latin || f.kind == core::FieldKind::phone;
        const std::string_view lang = latin ? std::string_view("en")
                                      : m_fields[f.id].text().empty() ? ctx.pack.default_language : script_lang(m_fields[f.id].text());
        if (ui.text_field("person.field." + f.id, ui.mirror({p.x, p.y - shift + lh, col, 66}), m_fields[f.id], lang, {}, 30)) {
          m_errors.erase(f.id);
          ui.request_frame();
        }
        continue;
      }
      // A choice as chips; a multi_choice toggles values in its comma-separated list.
      const float n = static_cast<float>(f.allowed.size());
      const float cw = (col - 10 * (n - 1)) / n;
      std::set<std::string> on_set;
      {
        std::istringstream in(m_values[f.id]);
        for (std::string item; std::getline(in, item, ',');) on_set.insert(item);
      }
      for (std::size_t j = 0; j < f.allowed.size(); ++j) {
        const std::string& v = f.allowed[j];
        const bool on = on_set.count(v) != 0;
        auto text = field_label(ctx, f, v);
        if (ui.button("person." + f.id + "." + v, ui.mirror({p.x + static_cast<float>(j) * (cw + 10), p.y - shift + lh, cw, 66}),
                      text.text, text.lang, on ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet, 26)) {
          if (f.kind == core::FieldKind::choice) on_set.clear();
          if (on) on_set.erase(v); else on_set.insert(v);
          std::string joined;
          for (const std::string& item : on_set) joined += (joined.empty() ? "" : ",") + item;
          m_values[f.id] = joined;
          m_errors.erase(f.id);
        }
      }
    }
    const float by = ui.height() - 120;
    if (by + 96 <= m_kb_top) {
      auto save = ctx.staff_tr("person.save");
      if (ui.button("person.save", ui.mirror({w - 420, by, 360, 96}), save.text, save.lang, ui::ButtonKind::Primary, 34))
        this->save(ctx);
      auto cancel = ctx.staff_tr("person.cancel");
      if (ui.button("person.cancel", ui.mirror({w - 800, by, 340, 96}), cancel.text, cancel.lang, ui::ButtonKind::Quiet, 34))
        m_mode = Mode::View;
    }
    ui.clear_input_clip();
  }

  void save(ScreenContext& ctx) {
    for (const char* id : kTextFields) m_values[id] = m_fields[id].text();
    for (const core::FieldSpec* f : custom_fields(ctx))
      if (is_text_kind(f->kind)) m_values[f->id] = m_fields[f->id].text();
    m_errors.clear();
    for (core::FieldError& e : core::validate(ctx.staff->form, m_values, ctx.staff->today()))
      m_errors.emplace(e.field, std::move(e));  // the first error of a field is shown
    if (!m_errors.empty()) {
      m_message = "person.fix_errors";
      m_message_error = true;
      m_reveal_errors = true;
      return;
    }
    report(ctx.staff->registry.update_participant(m_person->id, core::to_participant(m_values), ctx.staff->session->staff().id),
           "person.saved");
    if (!m_message_error) m_mode = Mode::View;
    load(ctx);
  }

  Mode m_mode = Mode::View;
  std::optional<core::Participant> m_person;
  std::optional<core::EventInfo> m_current;
  std::string m_org;
  std::vector<std::array<std::string, 3>> m_rows;  // event name, activity, day
  std::string m_message;  // catalog key
  bool m_message_error = false;
  core::FormValues m_values;
  std::map<std::string, ui::TextField> m_fields;
  std::map<std::string, core::FieldError> m_errors;
  ui::TextField m_void_reason{200};
  FieldKeyboard m_keyboard;
  float m_kb_top = 0;  // top of the keyboard (the screen height when it is away)
  ui::KineticScroll m_edit_scroll;  // the edit form, when the tour's own fields do not fit
  bool m_reveal_errors = false;     // a refused save: scroll the first field in error into view
};

}  // namespace
std::unique_ptr<Screen> make_person_screen() { return std::make_unique<PersonScreen>(); }
}  // namespace kiosk::screens
