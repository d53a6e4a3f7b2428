// kiosk/text/layout.h — the result of laying out one paragraph: positioned glyphs in lines.
//
// Contract:
//  - Coordinates are pixels, y down, relative to the paragraph's top-left corner. A glyph's
//    (x, y) is its pen position on the baseline, offsets already applied.
//  - `text` is the sanitized UTF-8 that was laid out; every offset (cluster, line start/end,
//    caret) is a byte offset into it.
//  - Glyphs and cluster boxes are stored line by line, each line in visual (left-to-right) order.
//  - A Layout is immutable once built and shared (std::shared_ptr<const Layout>) between the
//    cache and its users; holding one keeps it alive after the cache drops it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "font_library.h"

namespace kiosk::text {

enum class Align { Start, Center, End };  // Start is the right edge in right-to-left paragraphs

struct Style {
  std::string lang = "en";
  float size = 28.0f;  // pixels per em; the rasterizer and the shaper use exactly this size
  bool bold = false;
  Align align = Align::Start;
  int max_lines = 0;  // 0: unlimited; else the last shown line ends in an ellipsis when cut
  // Text fields: spaces at the very end of the text are laid out (the caret goes after them).
  // Labels drop them like every line's trailing spaces, so centred text stays centred.
  bool keep_trailing_spaces = false;
};

struct PlacedGlyph {
  FaceId face;  // kNoFace: nothing to draw (a control character such as a tab)
  std::uint32_t glyph;
  float x, y;
  std::uint32_t cluster;  // byte offset of the cluster's first character
};

// One shaped cluster on a line: the unit the caret steps over and hit-testing returns.
struct ClusterBox {
  std::uint32_t start, end;  // logical byte range
  float x0, x1;              // visual extent, x0 <= x1
  std::uint32_t line;
  bool rtl;
};

struct LayoutLine {
  std::uint32_t start = 0, end = 0;  // logical byte range shown (trailing spaces excluded)
  std::uint32_t next = 0;            // where the next line starts (after spaces / newline)
  float x = 0, width = 0;            // left edge after alignment, and width
  float top = 0, baseline = 0, height = 0;
  float ascent = 0, descent = 0;     // from the fonts' metrics and the glyphs' ink, whichever is more
  std::uint32_t first_glyph = 0, glyph_count = 0;
  std::uint32_t first_cluster = 0, cluster_count = 0;
  bool ellipsized = false;
};

struct Layout {
  std::string text;
  std::int32_t size64 = 0;
  bool rtl = false;          // resolved paragraph direction
  float box_width = 0;       // width lines were aligned in (the wrap width, or the widest line)
  float width = 0;           // widest line
  float height = 0;          // sum of line heights
  bool truncated = false;    // max_lines cut text off
  std::vector<PlacedGlyph> glyphs;
  std::vector<ClusterBox> clusters;
  std::vector<LayoutLine> lines;
};

}  // namespace kiosk::text
