// kiosk/text/caret.h — where a caret may stand in a Layout, and how arrows move it.
//
// A caret stop is a cluster edge: HarfBuzz's cluster values (not Unicode grapheme breaks, which
// split a Khmer syllable after the coeng) decide where the caret may rest. Each cluster box has
// a left and a right edge; in a right-to-left cluster the left edge is its logical end.
//
// Contract:
//  - visual_stops() lists every stop line by line, left to right. At a direction boundary one
//    offset appears twice (two visual places); a CaretPos remembers which by its index.
//  - move_visual() steps to the next stop to the left (-1) or right (+1) whose offset differs,
//    so arrows move visually in mixed-direction text and never loop.
//  - Functions take the layout of the buffer's current text; a stale index is ignored.
#pragma once

#include <cstdint>
#include <vector>

#include "layout.h"

namespace kiosk::text {

struct CaretStop {
  std::uint32_t offset;
  float x;
  std::uint32_t line;
  bool leading;  // the edge where the cluster that starts at `offset` begins
};

struct CaretPos {
  std::uint32_t offset = 0;
  std::uint32_t index = UINT32_MAX;  // into visual_stops(); UINT32_MAX: not known
};

// Where the caret is drawn: x, and the line's top and height.
struct CaretRect {
  float x = 0, top = 0, height = 0;
};

std::vector<CaretStop> visual_stops(const Layout& layout);
bool is_caret_stop(const Layout& layout, std::uint32_t offset);
// Smallest stop > offset (or text size) / largest stop < offset (or 0), in logical order.
std::uint32_t next_logical_stop(const Layout& layout, std::uint32_t offset);
std::uint32_t prev_logical_stop(const Layout& layout, std::uint32_t offset);
// The stop index for `pos`: its hint if still right, else the leading edge at the offset.
std::uint32_t resolve_stop(const std::vector<CaretStop>& stops, const CaretPos& pos);
CaretPos move_visual(const Layout& layout, CaretPos pos, int direction);
CaretRect caret_rect(const Layout& layout, CaretPos pos);
CaretPos hit_test(const Layout& layout, float x, float y);

}  // namespace kiosk::text
