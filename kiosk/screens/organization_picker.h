// kiosk/screens/organization_picker.h — the "school or organization" field of the registration
// form: search as you type over the organizations on the kiosk (PeopleQueries, under 10 ms a
// keystroke), pick a result, or add a new one offline (Registry::add_local_organization, one
// transaction), then show the choice with a way to choose again.
//
// The picker owns what it knows (the choice, the results, the inline "add" form's state); the
// form lends it its text fields through FormFields, so the on-screen keyboard, focus and
// scrolling work as for every other field.
//
// Widget ids: reg.org.result.<n>, reg.org.add, reg.org.new.{name,city,save,cancel},
// reg.org.change; the search box is the form's field `search_id`.
// Contract: UI thread only; draw() once per frame while the form shows the field.
#pragma once

#include "screen.h"

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::screens {

// What a form lends its parts: text boxes that scroll into view and take the keyboard.
class FormFields {
 public:
  virtual ~FormFields() = default;
  // Draws the text field `id` in r (form coordinates, unmirrored), typed with the keyboard for
  // `kind`; false when it is outside the visible part of the form (then it is not drawn).
  virtual bool text_box(ui::Ui& ui, const std::string& id, core::FieldKind kind, ui::Rect r,
                        std::string_view placeholder) = 0;
  virtual ui::TextField& field(const std::string& id) = 0;
  virtual bool visible(ui::Rect r) const = 0;
};

class OrganizationPicker {
 public:
  void reset();
  const std::string& chosen_id() const { return m_id; }
  // Draws the picker from y inside cell (form coordinates) for a participant whose names are in
  // `lang`; new organizations get `country` (the current event's). Returns the y below it.
  float draw(ui::Ui& ui, ScreenContext& ctx, FormFields& form, const std::string& search_id,
             ui::Rect cell, float y, std::string_view lang, const std::string& country);

 private:
  void add(ScreenContext& ctx, FormFields& form, const std::string& country);

  std::string m_id, m_label, m_query;  // the choice, its shown name, the last query searched
  std::vector<core::OrganizationHit> m_hits;
  bool m_adding = false;
  std::string m_error;  // catalog key of the inline form's error, empty = none
};

}  // namespace kiosk::screens
