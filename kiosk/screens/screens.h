// kiosk/screens/screens.h — every screen of the kiosk, declared in one place.
// Each class lives in its own <name>_screen.cpp; the router (app/router.cpp) lists them.
#pragma once

#include "exhibit.h"
#include "screen.h"

#include <memory>
#include <string>

namespace kiosk::screens {

class AttractScreen final : public Screen {
 public:
  std::string_view name() const override { return "attract"; }
  void enter(ScreenContext& ctx) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;
  // The invitation's two lines (title, then "touch to start") in a language, as draw() styles them.
  static ui::TextStyle title_style(std::string_view lang, bool landscape);
  static ui::TextStyle touch_style(std::string_view lang, bool landscape);
  // The first slide's lines laid out and rasterised into `text`'s glyph atlas for a window
  // `width` logical units wide: the app does it off the UI thread while the window opens (no GL).
  static void prepare_first_slide(ui::TextRenderer& text, const content::Pack& pack, float width, bool landscape);

 private:
  double m_started_ms = -1;
};

class LanguageScreen final : public Screen {
 public:
  std::string_view name() const override { return "language"; }
  void draw(ui::Ui& ui, ScreenContext& ctx) override;
};

class HomeScreen final : public Screen {
 public:
  std::string_view name() const override { return "home"; }
  void enter(ScreenContext& ctx) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;

 private:
  static ImU32 category_color(std::string_view category);
  ui::KineticScroll m_scroll;
  double m_last_ms = -1;
};

class ExhibitScreen final : public Screen {
 public:
  std::string_view name() const override { return "exhibit"; }
  // Where the illustration goes in a w x h window (before mirroring): the home grid prefetches
  // each exhibit's picture at this size (ImageCache I2), so opening one reads, not decodes.
  static ui::Rect picture_rect(float w, float h);
  void enter(ScreenContext& ctx) override;
  void exit(ScreenContext& ctx, std::string_view to) override;
  void draw(ui::Ui& ui, ScreenContext& ctx) override;

 private:
  enum class Axis { None, Scroll, Swipe, Pan };
  void load(ScreenContext& ctx);
  void leave(ScreenContext& ctx, double now_ms);
  void step_exhibit(ScreenContext& ctx, int delta, double now_ms);
  void handle_gestures(ui::Ui& ui, ScreenContext& ctx, const ui::Rect& image_rect,
                       const ui::Rect& view, bool rtl);
  static void draw_mark(ui::Ui& ui, ui::Rect r, bool right, ImU32 color);
  void draw_quiz(ui::Ui& ui, ScreenContext& ctx, const content::ExhibitText& text, float x,
                 float cw, float* y, const ui::Rect& view);

  content::Exhibit m_exhibit;
  std::string m_loaded_id;
  size_t m_index = 0;
  std::string m_lang;
  ui::KineticScroll m_scroll;
  float m_content_h = 0;
  float m_keep_fraction = -1;
  std::vector<int> m_answers;
  // After an answer, the scroll offset that brings its verdict and explanation into view (applied
  // once the frame knows the article's height); < 0: nothing to reveal.
  int m_reveal_question = -1;
  float m_reveal_offset = -1;
  float m_zoom = 1.0f;
  ui::Point m_center{0.5f, 0.5f};
  Axis m_axis = Axis::None;
  float m_swipe_dx = 0;
  double m_opened_ms = -1;
  double m_last_ms = -1;
  bool m_warm_atlas = false;  // rasterize every glyph of the article on the next frame
};


// Staff screens, each in its own file, built behind these factories. Names (for ctx.go):
//   "staff-pin"   staff_pin_screen.cpp   pick your name, PIN (lockout in core)
//   "staff-home"  staff_home_screen.cpp  current event, menu, lock
//   "register"    register_screen.cpp    the registration form (schema-driven), duplicates, consent
//   "people"      people_screen.cpp      search people, open one
//   "person"      person_screen.cpp      view, edit, void (reason), attendance (StaffServices::selected_person)
//   "events"      events_screen.cpp      pick or create the current event
//   "summary"     summary_screen.cpp     per-event counts, not yet sent to headquarters
//   "staff-accounts"  staff_accounts_screen.cpp  supervisor: add staff, new PIN, role, deactivate
//   "staff-settings"  staff_settings_screen.cpp  supervisor: kiosk name, staff language, timeouts
//   "staff-directory" staff_directory_screen.cpp supervisor: load organizations*.csv from a USB stick
//   "sync"        sync_screen.cpp        send to headquarters, export to USB, import a receipt
//   "content"     content_screen.cpp     supervisor: content packs from a USB stick, install, roll back
std::unique_ptr<Screen> make_staff_pin_screen();
std::unique_ptr<Screen> make_staff_home_screen();
std::unique_ptr<Screen> make_register_screen();
std::unique_ptr<Screen> make_people_screen();
std::unique_ptr<Screen> make_person_screen();
std::unique_ptr<Screen> make_events_screen();
std::unique_ptr<Screen> make_summary_screen();
std::unique_ptr<Screen> make_staff_accounts_screen();
std::unique_ptr<Screen> make_staff_settings_screen();
std::unique_ptr<Screen> make_staff_health_screen();
std::unique_ptr<Screen> make_staff_directory_screen();
std::unique_ptr<Screen> make_sync_screen();
std::unique_ptr<Screen> make_content_screen();

}  // namespace kiosk::screens
