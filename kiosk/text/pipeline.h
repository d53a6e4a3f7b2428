// kiosk/text/pipeline.h — the stages of DESIGN.md's text pipeline, for text_engine.cpp, the CLI
// and the tests. The design note with the invariants is at the top of pipeline.cpp.
//
// Contract:
//  - Every function takes sanitized UTF-8 (sanitize_utf8()); offsets are bytes into it.
//  - PipelineCaches must outlive nothing in particular: results are copied out of it. It is
//    bounded (LruCache) and not thread-safe.
#pragma once

#include <hb.h>
#include <unicode/brkiter.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "font_library.h"
#include "language.h"
#include "layout.h"
#include "lru_cache.h"
#include "utf8.h"


namespace kiosk::text {

// A maximal range of one bidi level, one script and one face.
struct TextRun {
  std::uint32_t start, end;
  std::uint8_t level;
  hb_script_t script;
  FaceId face;
};

struct ShapedGlyph {
  std::uint32_t glyph;
  std::uint32_t cluster;  // byte offset relative to the run start
  std::int32_t x_advance, x_offset, y_offset;  // in the font's scale (1/64 px in layouts)
  std::int32_t ink_top, ink_bottom;            // ink above / below the baseline, same units
};

struct ShapeKey {
  std::string text;  // previous code point + run + next code point (the shaping context)
  std::uint32_t run_offset, run_length;
  FaceId face;
  std::int32_t scale;
  bool rtl;
  hb_script_t script;
  std::string lang;
  bool operator==(const ShapeKey&) const = default;
};
struct ShapeKeyHash {
  std::size_t operator()(const ShapeKey& k) const;
};

struct PipelineCaches {
  explicit PipelineCaches(std::size_t shape_entries, std::size_t shape_bytes = 8u << 20)
      : shapes(shape_entries, shape_bytes) {}
  ~PipelineCaches();
  LruCache<ShapeKey, std::vector<ShapedGlyph>, ShapeKeyHash> shapes;
  std::unordered_map<std::string, std::unique_ptr<icu::BreakIterator>> line_breakers;  // <= 16
  std::size_t shaped_runs = 0;  // hb_shape() calls made (cache misses)
};

// Stage 1-2: bidi levels per code point and the resolved paragraph direction.
struct BidiResult {
  std::vector<std::uint8_t> levels;  // one per code point
  bool rtl = false;
};
BidiResult resolve_bidi(std::string_view text, const std::vector<CodePoint>& cps, Direction dir);

// Stage 3: runs by level × script × face. forced_face != kNoFace puts everything in one face.
std::vector<TextRun> itemize(FontLibrary& fonts, std::string_view text,
                             const std::vector<CodePoint>& cps, const BidiResult& bidi,
                             const LanguageInfo& lang, bool bold, FaceId forced_face = kNoFace);

// Stage 4: shapes one run with `font` (whose scale gives the units), cached.
const std::vector<ShapedGlyph>& shape_run(PipelineCaches& caches, hb_font_t* font, std::int32_t scale,
                                          std::string_view text, const TextRun& run,
                                          const LanguageInfo& lang);

// Stage 5: ICU line-break opportunities (byte offsets, > 0) and whether each is mandatory.
struct BreakOpportunity {
  std::uint32_t offset;
  bool hard;
};
std::vector<BreakOpportunity> line_breaks(PipelineCaches& caches, std::string_view text,
                                          const LanguageInfo& lang);

// Stages 1-7 together.
Layout lay_out_paragraph(FontLibrary& fonts, PipelineCaches& caches, std::string text,
                         const Style& style, float wrap_width);

// Break opportunities the layout would use: ICU's, minus those inside a shaped cluster.
std::vector<BreakOpportunity> legal_breaks(FontLibrary& fonts, PipelineCaches& caches,
                                           const std::string& text, const Style& style);

// What `hb-shape --no-glyph-names [--font-size=S] FONT TEXT` prints, computed by the engine's own
// stages (bidi, itemize forced to `face`, shape per run, runs in visual order). `scale` is the
// hb_font scale: the face's units per em, or hb-shape's --font-size truncated to an integer.
std::string shape_like_hb_shape(FontLibrary& fonts, FaceId face, std::int32_t scale,
                                std::string_view utf8);

// hb-shape's text serialization of shaped runs in visual order ("[gid=cluster+adv|...]").
// hb-shape numbers clusters by code point, not byte: pass the text to convert them.
std::string serialize_like_hb_shape(const std::vector<std::pair<TextRun, std::vector<ShapedGlyph>>>& runs,
                                    std::string_view text);

}  // namespace kiosk::text
