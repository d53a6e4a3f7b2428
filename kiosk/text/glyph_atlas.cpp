// kiosk/text/glyph_atlas.cpp — shelf packing, page growth and least-recently-used eviction.
#include "glyph_atlas.h"

#include <algorithm>
#include <cstring>

namespace kiosk::text {
namespace {
constexpr int kPadding = 1;  // empty pixels around each glyph so bilinear sampling never bleeds
// Shelf heights come in steps of 4 px so glyphs of similar height share shelves.
int shelf_height_for(int h) { return (h + 2 * kPadding + 3) & ~3; }
}  // namespace

GlyphAtlas::GlyphAtlas(AtlasConfig config) : m_config(config) {
  if (m_config.page_size < 64) m_config.page_size = 64;
  if (m_config.max_pages < 1) m_config.max_pages = 1;
}

const AtlasSlot* GlyphAtlas::find(const GlyphKey& key) {
  auto it = m_slots.find(key);
  if (it == m_slots.end()) return nullptr;
  if (it->second.w != 0) m_shelves[it->second.shelf].last_used = m_frame;
  return &it->second;
}

void GlyphAtlas::mark_dirty(AtlasPage& page, int y0, int y1) {
  if (page.dirty_y0 == page.dirty_y1) {
    page.dirty_y0 = y0;
    page.dirty_y1 = y1;
  } else {
    page.dirty_y0 = std::min(page.dirty_y0, y0);
    page.dirty_y1 = std::max(page.dirty_y1, y1);
  }
}

bool GlyphAtlas::take_dirty(std::size_t index, int* y0, int* y1) {
  AtlasPage& page = m_pages.at(index);
  if (page.dirty_y0 == page.dirty_y1) return false;
  *y0 = page.dirty_y0;
  *y1 = page.dirty_y1;
  page.dirty_y0 = page.dirty_y1 = 0;
  return true;
}

bool GlyphAtlas::find_room(int w, int h, std::uint32_t* shelf_index) {
  const int size = m_config.page_size;
  const int need_w = w + 2 * kPadding;
  const int need_h = shelf_height_for(h);
  // 1. An open shelf of a fitting height (not much taller than needed) with room on the right.
  std::uint32_t best = UINT32_MAX;
  for (std::uint32_t i = 0; i < m_shelves.size(); ++i) {
    const Shelf& s = m_shelves[i];
    if (s.height >= need_h && s.height <= need_h + need_h / 2 + 4 && s.cursor + need_w <= size) {
      if (best == UINT32_MAX || s.height < m_shelves[best].height) best = i;
    }
  }
  if (best != UINT32_MAX) {
    *shelf_index = best;
    return true;
  }
  // 2. A new shelf in a page with rows left, adding a page if allowed.
  for (std::size_t p = 0;; ++p) {
    if (p == m_pages.size()) {
      if (static_cast<int>(m_pages.size()) >= m_config.max_pages) break;
      AtlasPage page;
      page.size = size;
      page.pixels.assign(static_cast<std::size_t>(size) * static_cast<std::size_t>(size), 0);
      page.generation = static_cast<std::uint32_t>(m_pages.size() + 1);
      m_pages.push_back(std::move(page));
      m_page_fill.push_back(0);
    }
    if (m_page_fill[p] + need_h <= size && need_w <= size) {
      m_shelves.push_back({static_cast<std::uint16_t>(p), m_page_fill[p], need_h, 0, m_frame, {}});
      m_page_fill[p] += need_h;
      *shelf_index = static_cast<std::uint32_t>(m_shelves.size() - 1);
      return true;
    }
  }
  // 3. Full: empty the least-recently-used shelf tall enough, never one used this frame.
  std::uint32_t victim = UINT32_MAX;
  for (std::uint32_t i = 0; i < m_shelves.size(); ++i) {
    const Shelf& s = m_shelves[i];
    if (s.height < need_h || s.last_used >= m_frame || need_w > size) continue;
    if (victim == UINT32_MAX || s.last_used < m_shelves[victim].last_used ||
        (s.last_used == m_shelves[victim].last_used && s.height < m_shelves[victim].height))
      victim = i;
  }
  if (victim == UINT32_MAX) victim = merge_shelves(need_h);
  if (victim == UINT32_MAX) return false;
  evict(victim);
  // A much taller shelf (one joined earlier) is cut back to this glyph's height; the rest
  // becomes a free shelf of its own, so small glyphs do not waste a tall row.
  if (m_shelves[victim].height >= need_h + 8) {
    Shelf rest{m_shelves[victim].page, m_shelves[victim].y + need_h, m_shelves[victim].height - need_h, 0, 0, {}};
    m_shelves[victim].height = need_h;
    // Reuse a husk's index if there is one, so the shelf list stays bounded.
    auto husk = std::find_if(m_shelves.begin(), m_shelves.end(), [](const Shelf& s) { return s.height == 0; });
    if (husk != m_shelves.end()) {
      *husk = std::move(rest);
    } else {
      m_shelves.push_back(std::move(rest));
    }
  }
  *shelf_index = victim;
  return true;
}

// A glyph taller than every evictable shelf: join vertically adjacent shelves of one page, none
// used this frame, into one tall enough, choosing the run whose newest use is oldest. The first
// shelf keeps its index and grows; the others become empty husks of height 0 (indices stay valid).
std::uint32_t GlyphAtlas::merge_shelves(int need_h) {
  std::uint32_t best_first = UINT32_MAX;
  std::uint64_t best_age = 0;
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < m_shelves.size(); ++i)
    if (m_shelves[i].height > 0) order.push_back(i);  // husks of earlier merges take no room
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Shelf& x = m_shelves[a];
    const Shelf& y = m_shelves[b];
    return x.page != y.page ? x.page < y.page : x.y < y.y;
  });
  for (std::size_t i = 0; i < order.size(); ++i) {
    int height = 0;
    std::uint64_t newest = 0;
    for (std::size_t j = i; j < order.size(); ++j) {
      const Shelf& s = m_shelves[order[j]];
      if (s.page != m_shelves[order[i]].page || s.last_used >= m_frame) break;
      if (j > i && s.y != m_shelves[order[j - 1]].y + m_shelves[order[j - 1]].height) break;
      height += s.height;
      newest = std::max(newest, s.last_used);
      if (height >= need_h) {
        if (best_first == UINT32_MAX || newest < best_age) {
          best_first = static_cast<std::uint32_t>(i);
          best_age = newest;
        }
        break;
      }
    }
  }
  if (best_first == UINT32_MAX) return UINT32_MAX;
  const std::uint32_t keep = order[best_first];
  int total = m_shelves[keep].height;
  for (std::size_t j = best_first + 1; total < need_h; ++j) {
    const std::uint32_t absorbed = order[j];
    total += m_shelves[absorbed].height;
    evict(absorbed);
    m_shelves[absorbed].height = 0;  // an empty husk: fits nothing, keeps indices valid
  }
  m_shelves[keep].height = total;
  return keep;
}

void GlyphAtlas::evict(std::uint32_t shelf_index) {
  Shelf& s = m_shelves[shelf_index];
  for (const GlyphKey& k : s.glyphs) m_slots.erase(k);
  m_stats.evicted_glyphs += s.glyphs.size();
  ++m_stats.evicted_shelves;
  s.glyphs.clear();
  s.cursor = 0;
  AtlasPage& page = m_pages[s.page];
  std::memset(page.pixels.data() + static_cast<std::size_t>(s.y) * static_cast<std::size_t>(page.size), 0,
              static_cast<std::size_t>(s.height) * static_cast<std::size_t>(page.size));
  mark_dirty(page, s.y, s.y + s.height);
}

const AtlasSlot* GlyphAtlas::insert(const GlyphKey& key, int w, int h, int pitch,
                                    const std::uint8_t* pixels, int left, int top) {
  if (const AtlasSlot* existing = find(key)) return existing;
  if (w <= 0 || h <= 0 || !pixels) {
    // Nothing to draw (a space): remember it so it is not rasterized again.
    AtlasSlot slot;
    slot.left = static_cast<std::int16_t>(left);
    slot.top = static_cast<std::int16_t>(top);
    ++m_stats.inserted;
    return &m_slots.emplace(key, slot).first->second;
  }
  std::uint32_t shelf_index = 0;
  if (!find_room(w, h, &shelf_index)) {
    ++m_stats.dropped;
    return nullptr;
  }
  return place(key, w, h, pitch, pixels, left, top, shelf_index);
}

const AtlasSlot* GlyphAtlas::place(const GlyphKey& key, int w, int h, int pitch,
                                   const std::uint8_t* pixels, int left, int top,
                                   std::uint32_t shelf_index) {
  Shelf& s = m_shelves[shelf_index];
  AtlasPage& page = m_pages[s.page];
  AtlasSlot slot;
  slot.page = s.page;
  slot.x = static_cast<std::uint16_t>(s.cursor + kPadding);
  slot.y = static_cast<std::uint16_t>(s.y + kPadding);
  slot.w = static_cast<std::uint16_t>(w);
  slot.h = static_cast<std::uint16_t>(h);
  slot.left = static_cast<std::int16_t>(left);
  slot.top = static_cast<std::int16_t>(top);
  slot.shelf = shelf_index;
  for (int row = 0; row < h; ++row) {
    std::memcpy(page.pixels.data() + static_cast<std::size_t>(slot.y + row) * static_cast<std::size_t>(page.size) + slot.x,
                pixels + static_cast<std::ptrdiff_t>(row) * pitch, static_cast<std::size_t>(w));
  }
  mark_dirty(page, slot.y, slot.y + h);
  s.cursor += w + 2 * kPadding;
  s.last_used = m_frame;
  s.glyphs.push_back(key);
  ++m_stats.inserted;
  return &m_slots.emplace(key, slot).first->second;
}

AtlasStats GlyphAtlas::stats() const {
  AtlasStats s = m_stats;
  s.glyphs = m_slots.size();
  s.pages = m_pages.size();
  s.bytes = 0;
  for (const AtlasPage& p : m_pages) s.bytes += p.pixels.size();
  return s;
}

}  // namespace kiosk::text
