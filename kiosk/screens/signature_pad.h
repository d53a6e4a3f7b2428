// kiosk/screens/signature_pad.h — a guardian signs with a finger: strokes captured from the
// gesture layer while the finger is down inside the pad, drawn as polylines, with a Clear button.
//
// Contract:
//  - draw() once per frame while the pad is on screen. A press that STARTS inside the pad is ink
//    (never a scroll): the caller asks capturing() before scrolling. Points are kept in the pad's
//    own coordinates (0..kPadMax on both axes, independent of the window size), so the stored
//    blob (core::encode_signature) does not depend on where the pad was on screen.
//  - A press that started outside the pad never draws, even if it slides in.
//  - The pad registers `id` for the test harness, and the Clear button `<id>.clear`.
//  - Not thread-safe; UI thread only.
#pragma once

#include "signature.h"
#include "ui.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace kiosk::screens {

class SignaturePad {
 public:
  static constexpr std::int32_t kPadMax = 32767;

  // Draws the pad in `pad` (logical units) and the Clear button in `clear`. `hint` is shown
  // greyed while the pad is empty. `enabled` false: the pad ignores presses (it lies under
  // something else, e.g. scrolled out of the visible area).
  void draw(ui::Ui& ui, std::string_view id, ui::Rect pad, ui::Rect clear,
            std::string_view clear_label, std::string_view clear_lang, std::string_view hint,
            std::string_view hint_lang, bool enabled = true);

  bool capturing() const { return m_capturing; }
  bool empty() const { return m_strokes.empty(); }
  std::size_t stroke_count() const { return m_strokes.size(); }
  void clear();
  std::vector<std::uint8_t> encode() const { return core::encode_signature(m_strokes); }

 private:
  void add_point(ui::Rect pad, ui::Point p);

  std::vector<core::Stroke> m_strokes;
  bool m_capturing = false;
};

}  // namespace kiosk::screens
