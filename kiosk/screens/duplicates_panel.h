// kiosk/screens/duplicates_panel.h — "Already on this kiosk?" beside the registration form
// (issue 5, item 5): while names and a birth year are typed, the people already on the kiosk with
// the same normalized name and birth year (and organization, when one is chosen) are offered;
// staff choose "same person" (the form then checks them in) or "new person" (dismissed).
//
// Widget ids: reg.dup.same.<n>, reg.dup.new.<n>. Contract: UI thread only; refresh() queries
// the store only when the typed identity changed, so it is cheap to call every frame.
#pragma once

#include "screen.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::screens {

class DuplicatesPanel {
 public:
  void reset();
  void refresh(const core::PeopleQueries& people, const core::ParticipantFields& typed);
  std::size_t open_count() const;  // candidates not dismissed
  // Draws into panel; names in `lang`; after a save only a note is shown. Returns the candidate
  // whose "same person" was tapped this frame, or null.
  const core::PersonHit* draw(ui::Ui& ui, const ScreenContext& ctx, ui::Rect panel,
                              std::string_view lang, bool saved);

 private:
  std::string m_key;  // the identity the candidates were found for
  std::vector<core::PersonHit> m_hits;
  std::set<std::string> m_dismissed;
};

}  // namespace kiosk::screens
