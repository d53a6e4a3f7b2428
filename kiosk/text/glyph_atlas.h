// kiosk/text/glyph_atlas.h — glyph coverage bitmaps packed into fixed-size pages.
//
// The atlas is a list of square single-channel (coverage) pages. Each page is cut into
// horizontal shelves; a glyph goes on the first shelf of a fitting height with room left.
//
// Contract:
//  - Growth: when no shelf fits, a new shelf is opened; when no page has room, a new page is
//    added, up to AtlasConfig::max_pages. Pages never move or resize, so a Slot (page, x, y)
//    stays valid until its glyph is evicted — UVs emitted earlier in a frame stay right.
//  - Eviction: with every page full, the least-recently-used shelf not used in the current frame
//    is emptied (its glyphs forgotten, its pixels cleared) and reused. When the glyph is taller
//    than every such shelf, adjacent unused shelves of one page are emptied and joined. A glyph used in the current
//    frame is never evicted. If nothing can be evicted, insert() returns nullptr and the caller
//    skips that glyph for this frame (counted in stats().dropped).
//  - Memory is bounded by max_pages × page_size² bytes (plus the bridge's GPU copy).
//  - begin_frame() advances the clock used for "recently"; find() touches the glyph.
//  - Each page records the rows changed since the last take_dirty(); the renderer uploads them.
//  - Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace kiosk::text {

struct GlyphKey {
  std::uint16_t face;
  std::uint32_t glyph;
  std::int32_t size64;
  std::uint8_t subpixel;  // horizontal phase in quarters of a pixel
  bool operator==(const GlyphKey&) const = default;
};

struct GlyphKeyHash {
  std::size_t operator()(const GlyphKey& k) const {
    std::uint64_t h = (static_cast<std::uint64_t>(k.glyph) << 32) ^
                      (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.size64)) << 8) ^
                      (static_cast<std::uint64_t>(k.face) << 48) ^ k.subpixel;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return static_cast<std::size_t>(h);
  }
};

// Where a glyph's bitmap lives and how to place it relative to its pen position.
struct AtlasSlot {
  std::uint16_t page = 0;
  std::uint16_t x = 0, y = 0, w = 0, h = 0;  // w == 0: an empty glyph (space): draw nothing
  std::int16_t left = 0;  // bitmap left edge relative to the pen's integer x
  std::int16_t top = 0;   // bitmap top edge above the baseline
  std::uint32_t shelf = 0;
};

struct AtlasConfig {
  int page_size = 1024;  // pixels, square
  int max_pages = 4;
};

struct AtlasPage {
  int size = 0;
  std::vector<std::uint8_t> pixels;  // size × size coverage
  int dirty_y0 = 0, dirty_y1 = 0;    // rows [y0, y1) changed since take_dirty(); empty if equal
  std::uint32_t generation = 0;      // bumped when the page is created (renderer makes a texture)
};

struct AtlasStats {
  std::size_t glyphs = 0;
  std::size_t pages = 0;
  std::size_t bytes = 0;      // CPU coverage memory
  std::size_t evicted_shelves = 0;
  std::size_t evicted_glyphs = 0;
  std::size_t dropped = 0;    // glyphs that found no room this frame
  std::size_t inserted = 0;
};

class GlyphAtlas {
 public:
  explicit GlyphAtlas(AtlasConfig config = {});

  void begin_frame() { ++m_frame; }
  std::uint64_t frame() const { return m_frame; }

  const AtlasSlot* find(const GlyphKey& key);
  // Copies a w×h coverage bitmap (rows `pitch` bytes apart) in. nullptr when there is no room.
  const AtlasSlot* insert(const GlyphKey& key, int w, int h, int pitch, const std::uint8_t* pixels,
                          int left, int top);

  const std::vector<AtlasPage>& pages() const { return m_pages; }
  // Rows of page `index` changed since the last call; resets them. Returns false when clean.
  bool take_dirty(std::size_t index, int* y0, int* y1);
  AtlasStats stats() const;
  const AtlasConfig& config() const { return m_config; }

 private:
  struct Shelf {
    std::uint16_t page;
    int y, height, cursor;
    std::uint64_t last_used;
    std::vector<GlyphKey> glyphs;
  };
  const AtlasSlot* place(const GlyphKey& key, int w, int h, int pitch, const std::uint8_t* pixels,
                         int left, int top, std::uint32_t shelf_index);
  bool find_room(int w, int h, std::uint32_t* shelf_index);
  void evict(std::uint32_t shelf_index);
  std::uint32_t merge_shelves(int need_h);
  void mark_dirty(AtlasPage& page, int y0, int y1);

  AtlasConfig m_config;
  std::uint64_t m_frame = 1;
  std::vector<AtlasPage> m_pages;
  std::vector<int> m_page_fill;  // first free row per page
  std::vector<Shelf> m_shelves;
  std::unordered_map<GlyphKey, AtlasSlot, GlyphKeyHash> m_slots;
  AtlasStats m_stats;
};

}  // namespace kiosk::text
