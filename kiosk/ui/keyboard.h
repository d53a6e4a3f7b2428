// kiosk/ui/keyboard.h — the on-screen keyboard widget: draws the active layout of a
// KeyboardController with kiosk::ui::Ui and turns taps into edits of a text::EditBuffer.
//
// All typing logic (layouts, shift, layout switching, Unicode order, held pre-base vowels and
// coeng) lives in keyboard_logic.h and is unit-tested; this file only lays keys out, hit-tests and
// draws them.
//
// Contract:
//  - Construct with a KeyboardLibrary that outlives the widget (load it once at start-up from
//    content/keyboards). Call set_layouts() when a field gets focus, with the layouts that field
//    allows in switch order, e.g. {"khmer", "latin", "numeric"} or {"phone"}.
//  - draw(ui, rect, buffer) once per frame while the keyboard is on screen, between
//    Ui::begin_frame() and end_frame(), after the widgets that lie under its long-press popup.
//    rect is in logical units; keys are at least kMinKey x kMinKey when rect is at least
//    min_size() (at 1080p a full-width keyboard 420-520 units high is comfortable).
//  - Every key registers the widget id "kbd.<layout>.<key-name>" (names from the layout file;
//    the shift layer's own names while shift is on, e.g. kbd.latin.T). Long-press popup cells are
//    "kbd.<layout>.<key-name>.<n>" (n from 1) while the popup is open.
//  - A key with extras opens its popup after kLongPressMs held; the person slides onto an extra
//    and lifts, or lifts and then taps an extra (a tap elsewhere closes it). Backspace repeats
//    while held.
//  - The keyboard never mirrors: layouts list keys left to right as they sit on the real keyboard
//    (the Arabic layout follows the Arabic PC keyboard, ض at the top left).
//  - preview() is what the composer holds (a Burmese ေ typed before its consonant, a Khmer coeng):
//    the field should draw it greyed after the caret. Held keys are also lit on the keyboard.
//  - Call commit(buffer) when the field loses focus: a held pre-base vowel attaches or is dropped.
//  - A frame with a key press asks Ui for one more frame (request_frame) so the field drawn above
//    shows the new text; long press and backspace repeat use wake_at().
//  - A layout with an input method (pinyin, handwriting; keyboard_logic.h rules 8-11) has a
//    candidate bar one row high above its keys: candidates are buttons "kbd.<layout>.cand.<text>"
//    (the first, lit, is what space and ✓ store), "kbd.<layout>.prev" / ".next" turn pages. A
//    handwriting layout also has a square writing pad "kbd.<layout>.pad" (pad_rows rows high)
//    between the bar and the keys: each finger stroke on it is one stroke of the character.
//  - Not thread-safe; UI thread only.
//
// Use from a screen:
//   KeyboardLibrary keyboards;                      // once, at start-up
//   keyboards.load_dir(content_dir + "/keyboards", &errors);
//   OnScreenKeyboard kbd(keyboards);
//   kbd.set_layouts({"khmer", "latin", "numeric"}); // when a name field gets focus
//   ... each frame, after the form:
//   KeyboardEvent ev = kbd.draw(ui, {0, ui.height() - 460, ui.width(), 460}, field.buffer());
//   if (ev.done) focus_next_field();               // kbd.commit(buffer) when focus moves away
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keyboard_logic.h"
#include "ui.h"

namespace kiosk::text {
class EditBuffer;
}

namespace kiosk::ui {

struct KeyboardEvent {
  bool changed = false;  // the buffer's text changed this frame
  bool done = false;     // the Done key was tapped (held text committed first)
};

class OnScreenKeyboard {
 public:
  static constexpr double kLongPressMs = 450;    // hold time that opens the extras popup
  static constexpr double kRepeatDelayMs = 500;  // backspace starts repeating after this
  static constexpr double kRepeatEveryMs = 90;
  static constexpr float kMinKey = 64;           // logical units
  static constexpr float kGap = 8;               // between keys, logical units

  // `inputs` (optional) are the input methods layouts may name; both must outlive the widget.
  explicit OnScreenKeyboard(const KeyboardLibrary& library, const InputMethodSet* inputs = nullptr)
      : m_controller(library, inputs) {}

  // The layouts the focused field allows (switch-key order); the first becomes active.
  // Returns false if none of the names is a loaded layout.
  bool set_layouts(const std::vector<std::string>& names);
  // Makes one of the allowed layouts active (e.g. the language of the name being typed).
  bool select(std::string_view name, kiosk::text::EditBuffer* buffer = nullptr);
  std::string layout_name() const;

  KeyboardEvent draw(Ui& ui, Rect rect, kiosk::text::EditBuffer& buffer);

  std::string preview() const { return m_controller.composer().preview(); }
  void commit(kiosk::text::EditBuffer& buffer) {
    m_stroke.clear();
    m_controller.commit(buffer);
  }
  // Smallest rect (logical units) in which the active layout's keys are kMinKey square.
  Rect min_size() const;

  KeyboardController& controller() { return m_controller; }

 private:
  struct PlacedKey {
    const KeyDef* key;
    Rect rect;
  };
  // The rows the active layout takes: its key rows, plus the candidate bar and the pad.
  int extra_rows() const;
  std::vector<PlacedKey> place(Rect rect) const;
  void draw_candidates(Ui& ui, Rect bar, kiosk::text::EditBuffer& buffer, KeyboardEvent* ev);
  void draw_pad(Ui& ui, Rect area);
  void draw_key(Ui& ui, const PlacedKey& k, bool interactive, kiosk::text::EditBuffer& buffer,
                KeyboardEvent* ev);
  void draw_popup(Ui& ui, kiosk::text::EditBuffer& buffer, KeyboardEvent* ev);
  std::vector<Rect> popup_cells(const Ui& ui) const;
  void apply(const KeyPress& p, KeyboardEvent* ev);
  std::string key_id(const KeyFace& face) const;
  float label_size(Ui& ui, const Rect& r, std::string_view label, std::string_view lang) const;

  KeyboardController m_controller;
  // Long-press popup: the key whose extras are shown, and whether the opening press is still down.
  const KeyDef* m_popup = nullptr;
  Rect m_popup_key;
  bool m_popup_pressing = false;
  int m_popup_hover = -1;
  const KeyDef* m_tapped = nullptr;  // the key tapped this frame; pressed after drawing
  // The stroke being written on the pad (pad fractions), sent to the input method on release.
  InkStroke m_stroke;
  bool m_stroking = false;
  // Backspace repeat while held.
  double m_next_repeat = -1;
  bool m_repeated = false;
};

}  // namespace kiosk::ui
