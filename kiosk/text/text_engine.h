// kiosk/text/text_engine.h — the text engine's front door: layout, measurement, glyph bitmaps.
//
// Contract:
//  - layout() sanitizes the UTF-8 (invalid bytes become U+FFFD), cuts text longer than
//    EngineConfig::max_text_bytes (at a code point edge, logged once), and returns a shared,
//    immutable Layout. The same (text, style, wrap width) returns the same cached Layout object
//    without shaping anything; the cache holds at most layout_cache_entries layouts and about
//    layout_cache_bytes of them (shaped runs likewise), dropping the least recently used.
//  - measure == layout: there is no separate measuring path, so measured and drawn sizes agree.
//  - quads() turns a layout into textured rectangles in atlas pixel coordinates, rasterizing
//    glyphs that are not in the atlas yet. Call begin_frame() once per frame before any quads()
//    so that glyphs in use this frame are protected from eviction.
//  - Not thread-safe; one engine per UI thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "font_library.h"
#include "glyph_atlas.h"
#include "layout.h"

namespace kiosk::text {

struct EngineConfig {
  FontConfig fonts;
  AtlasConfig atlas;
  std::size_t shape_cache_entries = 4096;
  std::size_t shape_cache_bytes = 8u << 20;
  std::size_t layout_cache_entries = 512;
  std::size_t layout_cache_bytes = 16u << 20;
  std::size_t max_text_bytes = 64 * 1024;
};

// A glyph bitmap to draw: destination rectangle in pixels, source rectangle in atlas pixels.
struct GlyphQuad {
  std::uint16_t page;
  float x0, y0, x1, y1;
  std::uint16_t u0, v0, u1, v1;
};

struct EngineStats {
  std::size_t layouts_built = 0;     // layout cache misses
  std::size_t layout_hits = 0;
  std::size_t runs_shaped = 0;       // hb_shape() calls
  std::size_t glyphs_rasterized = 0;
  std::size_t layout_cache_size = 0;
  std::size_t layout_cache_bytes = 0;
  std::size_t shape_cache_size = 0;
  AtlasStats atlas;
};

class TextEngine {
 public:
  explicit TextEngine(EngineConfig config = {});
  ~TextEngine();
  TextEngine(const TextEngine&) = delete;
  TextEngine& operator=(const TextEngine&) = delete;

  // wrap_width <= 0: no wrapping (mandatory breaks only).
  std::shared_ptr<const Layout> layout(std::string_view utf8, const Style& style, float wrap_width);

  void begin_frame();
  // Appends a quad per visible glyph of `layout` drawn with its top-left at (x, y). Glyphs that
  // find no room in a full atlas are skipped for this frame.
  void quads(const Layout& layout, float x, float y, std::vector<GlyphQuad>& out);

  // Line-break opportunities the layout would use (kiosk-text breaks).
  std::vector<std::uint32_t> break_opportunities(std::string_view utf8, std::string_view lang);

  FontLibrary& fonts();
  GlyphAtlas& atlas();
  EngineStats stats() const;
  void clear_caches();  // drops laid-out paragraphs and shaped runs (benchmarks: cold start)

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::text
