#include "organization_picker.h"

#include "staff_widgets.h"

#include <algorithm>

namespace kiosk::screens {
namespace {
constexpr float kFieldH = 84, kRowH = 64;
const char* const kMiddleDot = " \xC2\xB7 ";
}  // namespace

void OrganizationPicker::reset() {
  m_id.clear(), m_label.clear(), m_query.clear(), m_error.clear();
  m_hits.clear();
  m_adding = false;
}

float OrganizationPicker::draw(ui::Ui& ui, ScreenContext& ctx, FormFields& form,
                               const std::string& search_id, ui::Rect cell, float y,
                               std::string_view lang, const std::string& country) {
  auto tr = [&](const char* key) { return ctx.staff_tr(key); };
  if (!m_id.empty()) {  // chosen: show it, with a way to choose again
    ui.fill(ui.mirror({cell.x, y, cell.w - 230, kFieldH}), ui.theme().surface, 12);
    ui.label_centered(ui.mirror({cell.x + 20, y, cell.w - 270, kFieldH}), m_label, staff_style(lang, 32),
                      ui.theme().text);
    auto change = tr("reg.org.change");
    const ui::Rect r{cell.x + cell.w - 210, y, 210, kFieldH};
    if (form.visible(r) && ui.button("reg.org.change", ui.mirror(r), change.text, change.lang, ui::ButtonKind::Quiet, 28))
      m_id.clear(), m_label.clear();
    return y + kFieldH;
  }
  form.text_box(ui, search_id, core::FieldKind::name, {cell.x, y, cell.w, kFieldH}, tr("reg.org.search_hint").text);
  y += kFieldH + 10;
  const std::string query = form.field(search_id).text();
  if (query != m_query) {  // search as you type
    m_query = query;
    m_hits = ctx.staff->people.search_organizations(query, 5);
  }
  for (std::size_t i = 0; i < m_hits.size(); ++i) {
    const auto& hit = m_hits[i];
    const std::string text = hit.name + (hit.city.empty() ? "" : kMiddleDot + hit.city);
    const ui::Rect r{cell.x, y, cell.w, kRowH};
    if (form.visible(r) && ui.button("reg.org.result." + std::to_string(i), ui.mirror(r), text, lang,
                                     ui::ButtonKind::Normal, 28))
      m_id = hit.id, m_label = text, m_adding = false;
    y += kRowH + 8;
  }
  if (!m_adding) {
    auto add_label = tr("reg.org.add");
    const ui::Rect r{cell.x, y, std::min(cell.w, 460.0f), kRowH};
    if (form.visible(r) && ui.button("reg.org.add", ui.mirror(r), add_label.text, add_label.lang, ui::ButtonKind::Quiet, 28)) {
      m_adding = true;
      form.field("reg.org.new.name").set_text(query);
    }
    return y + kRowH;
  }
  // Inline "add a new organization": name and city, saved at once.
  const float nw = cell.w * 0.6f - 10;
  form.text_box(ui, "reg.org.new.name", core::FieldKind::name, {cell.x, y, nw, kFieldH}, tr("reg.org.new.name").text);
  form.text_box(ui, "reg.org.new.city", core::FieldKind::name, {cell.x + nw + 20, y, cell.w - nw - 20, kFieldH},
                tr("reg.org.new.city").text);
  y += kFieldH + 10;
  auto ok = tr("reg.org.new.save"), cancel = tr("reg.org.new.cancel");
  const ui::Rect ra{cell.x, y, 260, 70}, rc{cell.x + 280, y, 260, 70};
  if (form.visible(ra) && ui.button("reg.org.new.save", ui.mirror(ra), ok.text, ok.lang, ui::ButtonKind::Primary, 28))
    add(ctx, form, country);
  if (form.visible(rc) && ui.button("reg.org.new.cancel", ui.mirror(rc), cancel.text, cancel.lang, ui::ButtonKind::Quiet, 28))
    m_adding = false, m_error.clear();
  y += 70;
  if (!m_error.empty()) {
    auto err = tr(m_error.c_str());
    ui.label(ui.mirror({cell.x, y + 6, cell.w, 40}), err.text, staff_style(err.lang, 26), ui.theme().danger);
    y += 46;
  }
  return y;
}

void OrganizationPicker::add(ScreenContext& ctx, FormFields& form, const std::string& country) {
  core::Organization org;
  org.name = form.field("reg.org.new.name").text();
  org.city = form.field("reg.org.new.city").text();
  org.country = country;
  if (org.name.empty()) {
    m_error = "form.error.required";
    return;
  }
  const core::SaveResult r = ctx.staff->registry.add_local_organization(org, ctx.staff->session->staff().id);
  if (!r.ok()) {
    m_error = core::store_error_key(r.error);
    return;
  }
  m_id = r.id;  // only after the commit
  m_label = org.name + (org.city.empty() ? "" : kMiddleDot + org.city);
  m_adding = false;
  m_error.clear();
}

}  // namespace kiosk::screens
