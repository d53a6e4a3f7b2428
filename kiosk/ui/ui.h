// kiosk/ui/ui.h — the per-frame UI context handed to every screen, and the kiosk widgets.
//
// Screens lay out in logical units (the window's pixels divided by the UI scale; a 1920x1080
// window at scale 1 is 1920x1080 logical units; portrait 1080x1920 likewise). Ui converts to
// pixels when drawing. Input is our own gesture layer, not ImGui's mouse: taps, drags and long
// presses come from kiosk::ui::GestureRecognizer, fed by SDL finger events and the mouse alike.
//
// Contract:
//  - begin_frame() ... end_frame() bracket one frame; widgets are called between them.
//  - Every interactive widget registers its rectangle under a stable id; the test harness reads
//    widget_rect() from the previous frame to tap "@id".
//  - request_frame() asks the loop for another frame (something animates); wake_at() asks to be
//    woken at a time without rendering until then. With neither, the loop sleeps on events.
//  - With an audit attached (set_audit), every text, widget, fill and picture of the frame is
//    recorded into it for the harness's layout audit (layout_audit.h); without one, nothing is.
//  - A fill that is opaque, square and covers the whole window, with nothing drawn under it yet,
//    is not drawn: it becomes clear_color(), which the loop clears the window with (the same
//    pixels). On software GL that full-window blended quad was about half of an e2e test's CPU.
//  - Not thread-safe; UI thread only.
#pragma once

#include "gesture.h"
#include "image_cache.h"
#include "layout_audit.h"
#include "text_draw.h"
#include "text_field.h"

#include <imgui.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool contains(Point p) const { return p.x >= x && p.y >= y && p.x < x + w && p.y < y + h; }
  Point center() const { return {x + w * 0.5f, y + h * 0.5f}; }
};

struct Theme {
  ImU32 background = IM_COL32(14, 30, 52, 255);
  ImU32 surface = IM_COL32(28, 52, 84, 255);
  ImU32 surface_pressed = IM_COL32(48, 86, 132, 255);
  ImU32 accent = IM_COL32(255, 196, 61, 255);
  ImU32 accent_text = IM_COL32(20, 24, 32, 255);
  ImU32 accent_pressed = IM_COL32(255, 216, 128, 255);  // a Primary button held down (rebuild_theme)
  ImU32 accent_ink = IM_COL32(255, 196, 61, 255);  // the accent as text or lines on `background`
  ImU32 text = IM_COL32(245, 247, 250, 255);
  ImU32 text_muted = IM_COL32(170, 186, 206, 255);
  ImU32 danger = IM_COL32(232, 88, 76, 255);
  float corner = 18.0f;  // logical units
};

enum class ButtonKind { Normal, Primary, Quiet };

class Ui {
 public:
  Ui(TextRenderer& text, GestureRecognizer& gestures) : m_text(text), m_gestures(gestures) {}

  // [frame]
  void begin_frame(int pixel_w, int pixel_h, float scale, double now_ms, ImDrawList* list);
  void end_frame();
  float scale() const { return m_scale; }
  float width() const { return m_width; }    // logical
  float height() const { return m_height; }  // logical
  double now_ms() const { return m_now; }
  const GestureFrame& gestures() const { return m_gestures.frame(); }
  ImDrawList* draw_list() const { return m_list; }
  // The colour to clear the window with before drawing this frame (the contract above); the
  // kiosk's dark blue when no screen filled the window first.
  ImU32 clear_color() const { return m_clear_color; }
  static constexpr ImU32 kDefaultClear = IM_COL32(13, 26, 46, 255);
  TextRenderer& text() { return m_text; }
  const Theme& theme() const { return m_theme; }

  // [animation and timers]
  void request_frame() { m_wants_frame = true; }
  void wake_at(double ms);
  bool wants_frame() const { return m_wants_frame; }
  double wake_time() const { return m_wake; }  // < 0: none

  // [accessibility] large text multiplies every text size; high contrast swaps the theme.
  void set_text_scale(float s) { m_text_scale = s; }
  float text_scale() const { return m_text_scale; }
  void set_high_contrast(bool on);
  bool high_contrast() const { return m_high_contrast; }
  // A tour's accent (content pack `theme`, colours already contrast-checked by content's
  // theme_colors()): `normal` and `high_contrast` variants; applied while use_pack_accent(true)
  // (visitor screens), the kiosk's own accent otherwise (staff screens).
  struct Accent {
    ImU32 accent, accent_text, accent_ink;
  };
  void set_pack_accent(Accent normal, Accent high_contrast);
  // Back to the kiosk's own accent (a pack with the default theme replaced a themed one).
  void clear_pack_accent();
  // A Primary button's fill while pressed, from its accent and label colour (theme.accent_pressed).
  static ImU32 pressed_colour(ImU32 accent, ImU32 text);
  void use_pack_accent(bool on);

  // [images] path drawn into r, cropped to fill (cover) or letterboxed; zoom >= 1 magnifies
  // around center_uv (0..1 in the image). While it decodes, or if it cannot be decoded, a
  // placeholder is drawn (and the loop keeps rendering until it is ready).
  void set_images(ImageCache* images) { m_images = images; }
  void image(Rect r, const std::string& path, float alpha = 1.0f, float zoom = 1.0f,
             Point center_uv = {0.5f, 0.5f}, bool cover = true);
  // At zoom 1 the picture is read from a copy made for r's size in pixels (ImageCache::fitted_key:
  // a file read, not a decode); zoomed, from the file itself (the sized copy stands in while it
  // decodes).
  // prefetch_image: what image(r, path, ...) will need, decoded on the worker while the screen
  // is idle (ImageCache I1-I3); keep_pixels for the very next picture (attract), else only its
  // cached copy is made (the home grid, for every exhibit).
  void prefetch_image(Rect r, const std::string& path, bool cover, bool keep_pixels);
  // The same, from a small cached copy of the picture (ImageCache::thumbnail).
  void thumbnail(Rect r, const std::string& path);

  // [layout direction] right-to-left screens mirror rectangles horizontally.
  void set_rtl(bool rtl) { m_rtl = rtl; }
  bool rtl() const { return m_rtl; }
  Rect mirror(Rect r) const { return m_rtl ? Rect{m_width - r.x - r.w, r.y, r.w, r.h} : r; }
  // Mirrors r inside `outer` (not the whole screen) for right-to-left layouts.
  Rect mirror_within(Rect outer, Rect r) const {
    return m_rtl ? Rect{outer.x + outer.w - (r.x - outer.x) - r.w, r.y, r.w, r.h} : r;
  }

  // [widgets] rectangles in logical units; ids are stable names ("lang.km", "home.back").
  // A button fires on a tap that started and ended inside it; never on a drag.
  bool button(std::string_view id, Rect r, std::string_view label, std::string_view lang,
              ButtonKind kind = ButtonKind::Normal, float text_size = 34.0f);
  // Text inside r; style.size is in logical units.
  void label(Rect r, std::string_view text, TextStyle style, ImU32 color);
  // Vertically centred variant of label().
  void label_centered(Rect r, std::string_view text, TextStyle style, ImU32 color);
  float text_height(std::string_view text, TextStyle style, float width);
  // style, its size lowered (to 80% of the normal text size at most, whatever the text scale)
  // until the text fits r: no line wider than r, no line cut by max_lines, no taller than r.
  // label(), label_centered() and buttons fit their text this way: screens that can grow a box
  // for large text measure first and do; a fixed box (a header, a key) keeps its text inside.
  // What still cannot fit is drawn anyway, and the layout audit reports it.
  TextStyle fit(std::string_view text, TextStyle style, Rect r);
  float text_width(std::string_view text, TextStyle style);  // one line, logical units
  void fill(Rect r, ImU32 color, float rounding = 0.0f);
  // A region that reacts to a long press; returns the held fraction in [0,1] while pressed
  // inside it, and sets *fired on the frame the threshold is crossed.
  float long_press_area(std::string_view id, Rect r, bool* fired);
  // Taps outside the clip do not reach widgets (content scrolled under a header).
  void set_input_clip(Rect r) { m_input_clip = r; }
  void clear_input_clip() { m_input_clip = {-1e9f, -1e9f, 2e9f, 2e9f}; }
  // A tap anywhere inside r that no button took.
  bool tapped(Rect r) const;
  // The second tap of a double tap must not pass through to the screen the first one opened:
  // a tap pressed before until_ms within 60 units of `at` reaches no widget.
  void hold_taps_near(Point at, double until_ms) {
    m_hold_at = at;
    m_hold_until = until_ms;
  }

  // Registers a non-button region (e.g. an image) so the harness can find it by id.
  void register_id(std::string_view id, Rect r) { register_widget(id, r, false); }
  // [text input] The app queues SDL text and editing keys between frames; the focused field
  // takes them while it draws. A tap on a field focuses it (one focused field at a time).
  void push_text_input(std::string_view piece) { m_text_pieces.emplace_back(piece); }
  void push_key(FieldKey key, bool shift) { m_keys.emplace_back(key, shift); }
  // Draws `field` in r (logical units); returns true when its text changed this frame.
  bool text_field(std::string_view id, Rect r, TextField& field, std::string_view lang,
                  std::string_view placeholder = {}, float text_size = 32.0f);
  void focus(std::string_view id) { m_focused_id = id; }
  const std::string& focused_id() const { return m_focused_id; }
  // The field focused in this frame (drawn before the call), for the on-screen keyboard.
  TextField* focused_field() const { return m_focused_field; }
  bool text_input_pending() const { return !m_text_pieces.empty() || !m_keys.empty(); }

  // [harness] widgets drawn in the previous completed frame.
  bool widget_rect(std::string_view id, Rect* out) const;
  const std::map<std::string, Rect, std::less<>>& widgets() const { return m_last_widgets; }

  ImVec2 px(Point p) const { return ImVec2(p.x * m_scale, p.y * m_scale); }

  // [layout audit] Records this and every later frame into `audit` (null: stop recording).
  void set_audit(LayoutAudit* audit) {
    m_audit = audit;
    if (m_audit) m_audit->set_background(m_theme.background);
  }
  LayoutAudit* audit() const { return m_audit; }

 private:
  // interactive: a tap target (buttons, fields, long-press areas); else a region tests look up.
  void register_widget(std::string_view id, Rect r, bool interactive = true);
  // Draws text laid out in `placed`; `box` is what the screen gave it (the audit compares).
  void draw_label(Rect box, Rect placed, std::string_view text, TextStyle style, ImU32 color);
  void audit_text(Rect box, Rect placed, std::string_view text, const TextStyle& px_style, ImU32 color);
  Rect draw_clip() const;  // the draw list's clip rectangle, logical units

  TextRenderer& m_text;
  GestureRecognizer& m_gestures;
  Theme m_theme;
  ImDrawList* m_list = nullptr;
  ImU32 m_clear_color = kDefaultClear;
  float m_scale = 1, m_width = 0, m_height = 0;
  double m_now = 0;
  bool m_rtl = false;
  float m_text_scale = 1.0f;
  bool m_high_contrast = false;
  bool m_has_pack_accent = false, m_use_pack_accent = false;
  Accent m_pack_accent{}, m_pack_accent_hc{};
  void rebuild_theme();
  ImageCache* m_images = nullptr;
  void draw_image(Rect r, const Image* img, float alpha, float zoom, Point center_uv, bool cover);
  bool m_wants_frame = false;
  double m_wake = -1;
  bool m_tap_taken = false;
  Point m_hold_at;
  double m_hold_until = -1;
  Rect m_input_clip{-1e9f, -1e9f, 2e9f, 2e9f};
  std::map<std::string, Rect, std::less<>> m_widgets, m_last_widgets;
  std::vector<std::string> m_text_pieces;
  std::vector<std::pair<FieldKey, bool>> m_keys;
  std::string m_focused_id;
  TextField* m_focused_field = nullptr;
  LayoutAudit* m_audit = nullptr;
  std::string m_container_id;  // the button whose label is being drawn
  Rect m_container_rect;
  ImU32 m_container_pressed = 0;  // that button's fill while pressed (the audit judges both)
};

}  // namespace kiosk::ui
