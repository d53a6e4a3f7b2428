#include "duplicates_panel.h"

#include "staff_widgets.h"

namespace kiosk::screens {

void DuplicatesPanel::reset() {
  m_key.clear();
  m_hits.clear();
  m_dismissed.clear();
}

void DuplicatesPanel::refresh(const core::PeopleQueries& people, const core::ParticipantFields& p) {
  const std::string key = p.given_name + '\x1f' + p.family_name + '\x1f' + p.given_name_latin + '\x1f' +
                          p.family_name_latin + '\x1f' + std::to_string(p.birth_year) + '\x1f' +
                          p.organization_id.value_or("");
  if (key == m_key) return;
  m_key = key;
  const bool named = !(p.given_name + p.family_name + p.given_name_latin + p.family_name_latin).empty();
  m_hits = p.birth_year > 0 && named ? people.find_duplicates(p, 5) : std::vector<core::PersonHit>{};
}

std::size_t DuplicatesPanel::open_count() const {
  std::size_t n = 0;
  for (const auto& h : m_hits) n += m_dismissed.count(h.id) ? 0 : 1;
  return n;
}

const core::PersonHit* DuplicatesPanel::draw(ui::Ui& ui, const ScreenContext& ctx, ui::Rect panel,
                                             std::string_view lang, bool saved) {
  ui.fill(ui.mirror(panel), IM_COL32(30, 36, 48, 255));
  const float x = panel.x + 24, w = panel.w - 48;
  float y = panel.y + 16;
  auto title = ctx.staff_tr("reg.dup.title");
  ui.label(ui.mirror({x, y, w, 44}), title.text, staff_style(title.lang, 30, true), ui.theme().text);
  y += 54;
  const core::PersonHit* chosen = nullptr;
  int shown = 0;
  for (const core::PersonHit& hit : m_hits) {
    if (saved || m_dismissed.count(hit.id)) continue;
    if (y + 170 > panel.y + panel.h) break;
    const std::string native = hit.given_name + " " + hit.family_name;
    const std::string latin = hit.given_name_latin + " " + hit.family_name_latin;
    ui.label(ui.mirror({x, y, w, 44}), native.size() > 1 ? native : latin, staff_style(lang, 30, true), ui.theme().text);
    auto born = ctx.staff_tr("reg.dup.born");
    std::string detail = with_param(std::string(born.text), "year", digits_text(ctx, std::to_string(hit.birth_year), born.lang));
    if (native.size() > 1 && latin.size() > 1) detail = latin + " \xC2\xB7 " + detail;
    if (!hit.organization_name.empty()) detail += " \xC2\xB7 " + hit.organization_name;
    ui.label(ui.mirror({x, y + 46, w, 38}), detail, staff_style(born.lang, 24), ui.theme().text_muted);
    const std::string n = std::to_string(shown);
    const float bw = (w - 16) * 0.5f;
    auto same = ctx.staff_tr("reg.dup.same"), fresh = ctx.staff_tr("reg.dup.new");
    if (ui.button("reg.dup.same." + n, ui.mirror({x, y + 90, bw, 68}), same.text, same.lang, ui::ButtonKind::Primary, 26))
      chosen = &hit;
    if (ui.button("reg.dup.new." + n, ui.mirror({x + bw + 16, y + 90, bw, 68}), fresh.text, fresh.lang,
                  ui::ButtonKind::Normal, 26))
      m_dismissed.insert(hit.id);
    y += 180;
    ++shown;
  }
  if (shown == 0) {
    auto none = ctx.staff_tr(saved ? "reg.dup.after_save" : "reg.dup.none");
    ui.label(ui.mirror({x, y, w, panel.y + panel.h - y}), none.text, staff_style(none.lang, 26), ui.theme().text_muted);
  }
  return chosen;
}

}  // namespace kiosk::screens
