// kiosk/text/text_engine.cpp — caches around the pipeline, and rasterization into the atlas.
#include "text_engine.h"

#include "placeholder.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <cmath>

#include "lru_cache.h"
#include "pipeline.h"
#include "utf8.h"

namespace kiosk::text {
namespace {

struct LayoutKey {
  std::string text;  // as given, before sanitizing (sanitizing is part of the work saved)
  std::string lang;
  std::int32_t size64;
  bool bold;
  Align align;
  int max_lines;
  bool keep_trailing_spaces;
  std::int32_t width64;
  bool operator==(const LayoutKey&) const = default;
};

struct LayoutKeyHash {
  std::size_t operator()(const LayoutKey& k) const {
    std::size_t h = std::hash<std::string_view>()(k.text);
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(std::hash<std::string_view>()(k.lang));
    mix(static_cast<std::size_t>(k.size64));
    mix(k.bold ? 1u : 0u);
    mix(static_cast<std::size_t>(k.align));
    mix(static_cast<std::size_t>(k.max_lines));
    mix(k.keep_trailing_spaces ? 1u : 0u);
    mix(static_cast<std::size_t>(k.width64));
    return h;
  }
};

constexpr int kSubpixelSteps = 4;

}  // namespace

struct TextEngine::Impl {
  explicit Impl(EngineConfig c)
      : config(std::move(c)),
        fonts(config.fonts),
        atlas(config.atlas),
        caches(config.shape_cache_entries, config.shape_cache_bytes),
        layouts(config.layout_cache_entries, config.layout_cache_bytes) {}
  EngineConfig config;
  FontLibrary fonts;
  GlyphAtlas atlas;
  PipelineCaches caches;
  LruCache<LayoutKey, std::shared_ptr<const Layout>, LayoutKeyHash> layouts;
  std::size_t layouts_built = 0;
  std::size_t layout_hits = 0;
  std::size_t glyphs_rasterized = 0;
  bool warned_long = false;
  std::int32_t ft_size64 = 0;
  FaceId ft_size_face = kNoFace;

  const AtlasSlot* rasterize(const GlyphKey& key);
  std::string prepare(std::string_view utf8);
};

std::string TextEngine::Impl::prepare(std::string_view utf8) {
  if (utf8.size() > config.max_text_bytes) {
    // Cut before the code point that holds byte max_text_bytes.
    utf8 = utf8.substr(0, prev_code_point(utf8, config.max_text_bytes + 1));
    if (!warned_long) {
      warned_long = true;
      fonts.log("kiosk_text: paragraph longer than " + std::to_string(config.max_text_bytes) +
                " bytes cut to that length");
    }
  }
  return sanitize_utf8(utf8);
}

const AtlasSlot* TextEngine::Impl::rasterize(const GlyphKey& key) {
  if (key.face == kPlaceholderFace) {  // a character no font has: its box (placeholder.h)
    const PlaceholderBitmap bm = rasterize_placeholder(fonts, key.glyph, key.size64);
    ft_size_face = kNoFace;  // it set the Latin face's FreeType size
    ++glyphs_rasterized;
    return atlas.insert(key, bm.width, bm.height, bm.width, bm.pixels.data(), bm.left, bm.top);
  }
  FT_Face face = fonts.ft_face(key.face);
  if (ft_size_face != key.face || ft_size64 != key.size64) {
    // The rasterizer's pixel size is exactly the shaper's scale (size64 / 64 px per em).
    FT_Set_Char_Size(face, 0, key.size64, 72, 72);
    ft_size_face = key.face;
    ft_size64 = key.size64;
  }
  // Light hinting snaps vertically only and keeps advances and horizontal shapes, so joined
  // Arabic letters meet exactly where HarfBuzz put them.
  if (FT_Load_Glyph(face, key.glyph, FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_BITMAP) != 0) {
    return atlas.insert(key, 0, 0, 0, nullptr, 0, 0);
  }
  ++glyphs_rasterized;
  FT_GlyphSlot slot = face->glyph;
  if (slot->format == FT_GLYPH_FORMAT_OUTLINE && key.subpixel) {
    FT_Outline_Translate(&slot->outline, key.subpixel * 64 / kSubpixelSteps, 0);
  }
  if (FT_Render_Glyph(slot, FT_RENDER_MODE_LIGHT) != 0) {
    return atlas.insert(key, 0, 0, 0, nullptr, 0, 0);
  }
  const FT_Bitmap& bm = slot->bitmap;
  const std::uint8_t* rows = bm.buffer;
  int pitch = bm.pitch;
  if (pitch < 0 && rows) rows += static_cast<std::ptrdiff_t>(-pitch) * (static_cast<int>(bm.rows) - 1);
  if (bm.pixel_mode != FT_PIXEL_MODE_GRAY) return atlas.insert(key, 0, 0, 0, nullptr, 0, 0);
  return atlas.insert(key, static_cast<int>(bm.width), static_cast<int>(bm.rows), pitch, rows,
                      slot->bitmap_left, slot->bitmap_top);
}

TextEngine::TextEngine(EngineConfig config) : m_impl(std::make_unique<Impl>(std::move(config))) {}
TextEngine::~TextEngine() = default;

FontLibrary& TextEngine::fonts() { return m_impl->fonts; }
GlyphAtlas& TextEngine::atlas() { return m_impl->atlas; }
void TextEngine::begin_frame() { m_impl->atlas.begin_frame(); }

std::shared_ptr<const Layout> TextEngine::layout(std::string_view utf8, const Style& style,
                                                 float wrap_width) {
  LayoutKey key{std::string(utf8),
                style.lang,
                static_cast<std::int32_t>(std::lround(style.size * 64.0f)),
                style.bold,
                style.align,
                style.max_lines,
                style.keep_trailing_spaces,
                wrap_width > 0 ? static_cast<std::int32_t>(std::lround(wrap_width * 64.0f)) : 0};
  if (auto* hit = m_impl->layouts.find(key)) {
    ++m_impl->layout_hits;
    return *hit;
  }
  ++m_impl->layouts_built;
  auto layout = std::make_shared<const Layout>(
      lay_out_paragraph(m_impl->fonts, m_impl->caches, m_impl->prepare(utf8), style, wrap_width));
  const std::size_t bytes = sizeof(Layout) + 2 * layout->text.size() +
                            layout->glyphs.size() * sizeof(PlacedGlyph) +
                            layout->clusters.size() * sizeof(ClusterBox) +
                            layout->lines.size() * sizeof(LayoutLine);
  m_impl->layouts.insert(key, layout, bytes);
  return layout;
}

void TextEngine::quads(const Layout& layout, float x, float y, std::vector<GlyphQuad>& out) {
  for (const PlacedGlyph& g : layout.glyphs) {
    if (g.face == kNoFace) continue;
    float px = x + g.x;
    float ix = std::floor(px);
    auto phase = static_cast<std::uint8_t>(std::min(kSubpixelSteps - 1,
                                                    static_cast<int>((px - ix) * kSubpixelSteps + 0.5f)));
    if ((px - ix) * kSubpixelSteps + 0.5f >= kSubpixelSteps) {  // rounds up to the next pixel
      ix += 1;
      phase = 0;
    }
    GlyphKey key{g.face, g.glyph, layout.size64, phase};
    const AtlasSlot* slot = m_impl->atlas.find(key);
    if (!slot) slot = m_impl->rasterize(key);
    if (!slot || slot->w == 0) continue;
    float by = std::round(y + g.y);
    float qx = ix + slot->left, qy = by - slot->top;
    out.push_back({slot->page, qx, qy, qx + slot->w, qy + slot->h, slot->x, slot->y,
                   static_cast<std::uint16_t>(slot->x + slot->w), static_cast<std::uint16_t>(slot->y + slot->h)});
  }
}

std::vector<std::uint32_t> TextEngine::break_opportunities(std::string_view utf8, std::string_view lang) {
  Style style;
  style.lang = std::string(lang);
  std::vector<std::uint32_t> out;
  for (const BreakOpportunity& b :
       legal_breaks(m_impl->fonts, m_impl->caches, m_impl->prepare(utf8), style))
    out.push_back(b.offset);
  return out;
}

EngineStats TextEngine::stats() const {
  EngineStats s;
  s.layouts_built = m_impl->layouts_built;
  s.layout_hits = m_impl->layout_hits;
  s.runs_shaped = m_impl->caches.shaped_runs;
  s.glyphs_rasterized = m_impl->glyphs_rasterized;
  s.layout_cache_size = m_impl->layouts.size();
  s.layout_cache_bytes = m_impl->layouts.weight();
  s.shape_cache_size = m_impl->caches.shapes.size();
  s.atlas = m_impl->atlas.stats();
  return s;
}

void TextEngine::clear_caches() {
  m_impl->layouts.clear();
  m_impl->caches.shapes.clear();
}

}  // namespace kiosk::text
