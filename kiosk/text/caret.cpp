// kiosk/text/caret.cpp — caret stops from cluster boxes; visual movement; hit testing.
#include "caret.h"
#include "utf8.h"

#include <algorithm>
#include <cmath>

namespace kiosk::text {

std::vector<CaretStop> visual_stops(const Layout& layout) {
  std::vector<CaretStop> stops;
  for (std::uint32_t li = 0; li < layout.lines.size(); ++li) {
    const LayoutLine& line = layout.lines[li];
    std::size_t first = stops.size();
    for (std::uint32_t c = line.first_cluster; c < line.first_cluster + line.cluster_count; ++c) {
      const ClusterBox& box = layout.clusters[c];
      CaretStop left{box.rtl ? box.end : box.start, box.x0, li, !box.rtl};
      CaretStop right{box.rtl ? box.start : box.end, box.x1, li, box.rtl};
      for (const CaretStop& s : {left, right}) {
        if (stops.size() > first && stops.back().offset == s.offset) {
          stops.back().leading = stops.back().leading || s.leading;
          continue;
        }
        stops.push_back(s);
      }
    }
    if (stops.size() == first) {  // an empty line still has one stop
      float x = line.x;
      stops.push_back({line.start, x, li, true});
    }
  }
  return stops;
}

bool is_caret_stop(const Layout& layout, std::uint32_t offset) {
  if (offset == 0 || offset == layout.text.size()) return true;
  for (const ClusterBox& b : layout.clusters)
    if (b.start == offset || b.end == offset) return true;
  // Offsets in text not shown on any line (trimmed spaces) are stops at their code points.
  for (const LayoutLine& l : layout.lines)
    if (offset >= l.end && offset <= l.next) return true;
  return false;
}

std::uint32_t next_logical_stop(const Layout& layout, std::uint32_t offset) {
  auto best = static_cast<std::uint32_t>(layout.text.size());
  for (const ClusterBox& b : layout.clusters) {
    if (b.start > offset) best = std::min(best, b.start);
    if (b.end > offset) best = std::min(best, b.end);
  }
  for (const LayoutLine& l : layout.lines) {
    if (l.next > offset) best = std::min(best, l.next);
    // trimmed spaces: step one byte-sequence at a time
    if (offset >= l.end && offset < l.next) {
      best = std::min<std::uint32_t>(
          {best, static_cast<std::uint32_t>(next_code_point(layout.text, offset)), l.next});
    }
  }
  return best;
}

std::uint32_t prev_logical_stop(const Layout& layout, std::uint32_t offset) {
  std::uint32_t best = 0;
  for (const ClusterBox& b : layout.clusters) {
    if (b.start < offset) best = std::max(best, b.start);
    if (b.end < offset) best = std::max(best, b.end);
  }
  for (const LayoutLine& l : layout.lines) {
    if (l.start < offset) best = std::max(best, l.start);
    if (offset > l.end && offset <= l.next) {
      best = std::max<std::uint32_t>(
          {best, static_cast<std::uint32_t>(prev_code_point(layout.text, offset)), l.end});
    }
  }
  return best;
}

std::uint32_t resolve_stop(const std::vector<CaretStop>& stops, const CaretPos& pos) {
  if (pos.index < stops.size() && stops[pos.index].offset == pos.offset) return pos.index;
  std::uint32_t any = UINT32_MAX;
  for (std::uint32_t i = 0; i < stops.size(); ++i) {
    if (stops[i].offset != pos.offset) continue;
    if (stops[i].leading) return i;
    if (any == UINT32_MAX) any = i;
  }
  if (any != UINT32_MAX) return any;
  // Not a visible stop (inside trimmed spaces): the nearest stop at a smaller offset.
  std::uint32_t best = UINT32_MAX;
  for (std::uint32_t i = 0; i < stops.size(); ++i) {
    if (stops[i].offset <= pos.offset && (best == UINT32_MAX || stops[i].offset > stops[best].offset)) best = i;
  }
  return best == UINT32_MAX ? 0 : best;
}

CaretPos move_visual(const Layout& layout, CaretPos pos, int direction) {
  std::vector<CaretStop> stops = visual_stops(layout);
  if (stops.empty()) return {0, UINT32_MAX};
  std::uint32_t i = resolve_stop(stops, pos);
  std::uint32_t from = stops[i].offset;
  if (direction > 0) {
    while (i + 1 < stops.size()) {
      ++i;
      if (stops[i].offset != from) return {stops[i].offset, i};
    }
  } else {
    while (i > 0) {
      --i;
      if (stops[i].offset != from) return {stops[i].offset, i};
    }
  }
  return {pos.offset, resolve_stop(stops, pos)};
}

CaretRect caret_rect(const Layout& layout, CaretPos pos) {
  std::vector<CaretStop> stops = visual_stops(layout);
  if (stops.empty() || layout.lines.empty()) return {};
  const CaretStop& s = stops[resolve_stop(stops, pos)];
  const LayoutLine& line = layout.lines[s.line];
  return {s.x, line.top, line.height};
}

CaretPos hit_test(const Layout& layout, float x, float y) {
  std::vector<CaretStop> stops = visual_stops(layout);
  if (stops.empty()) return {};
  std::uint32_t line = 0;
  for (std::uint32_t i = 0; i < layout.lines.size(); ++i)
    if (y >= layout.lines[i].top) line = i;
  std::uint32_t best = UINT32_MAX;
  for (std::uint32_t i = 0; i < stops.size(); ++i) {
    if (stops[i].line != line) continue;
    if (best == UINT32_MAX || std::fabs(stops[i].x - x) < std::fabs(stops[best].x - x)) best = i;
  }
  if (best == UINT32_MAX) best = 0;
  return {stops[best].offset, best};
}

}  // namespace kiosk::text
