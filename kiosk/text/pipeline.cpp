// kiosk/text/pipeline.cpp — one paragraph from UTF-8 to positioned glyphs in lines.
//
// DESIGN NOTE
//
//   UTF-8 ─sanitize─> text ─ubidi─> levels ─script+font─> runs ─hb_shape─> glyphs per run
//        ─ICU line breaks ∩ cluster edges─> break opportunities ─greedy fill by shaped advances─>
//        lines ─ubidi_reorderVisual per line─> visual pieces ─> PlacedGlyph / ClusterBox / metrics
//
// Invariants (each names the function that keeps it):
//  1. Offsets are bytes of the sanitized text, everywhere. (lay_out_paragraph takes sanitized text;
//     the engine sanitizes.)
//  2. Bidi is resolved once per paragraph over the whole text, before anything is split; the
//     paragraph level comes from the language, or from the first strong character when the
//     language has no fixed direction. (resolve_bidi)
//  3. A run has one bidi level, one script and one face. Common characters (spaces, digits,
//     punctuation) take the script of the character before them (or after, at the start) and stay
//     in the face before them when it has the glyph; inherited characters (combining marks, ZWJ,
//     ZWNJ) always stay with their base's script and face, so a cluster is never split between
//     faces. (itemize)
//  4. Each run is shaped on its own with its direction, script and language set, with one code
//     point of context on each side so joining across run edges is right; the cache key holds
//     exactly what HarfBuzz saw, so a cached result is the result. (shape_run)
//  5. A line may only break where ICU's line iterator for the language allows it AND at a cluster
//     edge of the shaped text AND not before a Myanmar/Khmer final consonant (which ICU's
//     dictionaries allow in unknown words); a cluster is never split across lines. When a single word is wider
//     than the line, it is broken at cluster edges (never inside one). (legal_break_mask, wrap)
//  6. Widths are sums of shaped advances of whole clusters; trailing white space on a line does
//     not count and is not drawn. (wrap, place_line)
//  7. Within a line, pieces of runs are put in visual order with ubidi_reorderVisual over their
//     levels; each run's glyphs are already in visual order from HarfBuzz. (place_line)
//  8. A line's ascent/descent is the larger of its faces' metrics (for Khmer, Myanmar and Arabic
//     measured from the ink of tall and deep sample stacks, FontLibrary::metrics) and the ink of
//     the glyphs actually on it, so stacked marks are never clipped by the next line. (place_line)
//  9. Alignment Start/End is resolved against the paragraph direction (Start = right in RTL).
//     (align_lines)
// 10. Every cache is bounded; very long input is cut by the engine before it gets here.
// 11. A character that is drawn but that no face has (an emoji) is a run of its own with face
//     kPlaceholderFace: one glyph per such character (its code point as the glyph id), the
//     advance and ink of placeholder_box(), never HarfBuzz's .notdef. Invisible characters after
//     it (U+FE0F, ZWJ) join its cluster. (itemize, shape_paragraph; drawn by TextEngine)
//
// [SECTIONS]  bidi · itemize · shape · breaks · wrap · place · serialize
#include "pipeline.h"

#include <unicode/ubidi.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "placeholder.h"
#include "utf8.h"

namespace kiosk::text {

PipelineCaches::~PipelineCaches() = default;

std::size_t ShapeKeyHash::operator()(const ShapeKey& k) const {
  std::size_t h = std::hash<std::string_view>()(k.text);
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  mix(k.run_offset);
  mix(k.run_length);
  mix(k.face);
  mix(static_cast<std::size_t>(k.scale));
  mix(k.rtl ? 1u : 0u);
  mix(static_cast<std::size_t>(k.script));
  mix(std::hash<std::string_view>()(k.lang));
  return h;
}

// [bidi] ---------------------------------------------------------------------------------------

BidiResult resolve_bidi(std::string_view text, const std::vector<CodePoint>& cps, Direction dir) {
  BidiResult out;
  out.levels.assign(cps.size(), dir == Direction::Rtl ? 1 : 0);
  out.rtl = dir == Direction::Rtl;
  if (cps.empty()) return out;
  Utf16Text u16 = to_utf16(text);
  UErrorCode status = U_ZERO_ERROR;
  UBiDi* bidi = ubidi_openSized(static_cast<int32_t>(u16.units.size()), 0, &status);
  UBiDiLevel para = dir == Direction::Rtl ? 1 : dir == Direction::Ltr ? 0 : UBIDI_DEFAULT_LTR;
  ubidi_setPara(bidi, u16.units.data(), static_cast<int32_t>(u16.units.size()), para, nullptr, &status);
  const UBiDiLevel* levels = U_SUCCESS(status) ? ubidi_getLevels(bidi, &status) : nullptr;
  if (U_SUCCESS(status) && levels) {
    out.rtl = (ubidi_getParaLevel(bidi) & 1) != 0;
    std::size_t unit = 0;
    for (std::size_t i = 0; i < cps.size(); ++i) {
      out.levels[i] = levels[unit];
      unit += cps[i].value >= 0x10000 ? 2 : 1;
    }
  }
  ubidi_close(bidi);
  return out;
}

// [itemize] ------------------------------------------------------------------------------------

namespace {

bool is_inherited_like(char32_t cp, hb_script_t script) {
  return script == HB_SCRIPT_INHERITED || cp == 0x200C || cp == 0x200D ||
         (cp >= 0xFE00 && cp <= 0xFE0F);
}

hb_script_t script_of(char32_t cp) {
  static hb_unicode_funcs_t* funcs = hb_unicode_funcs_get_default();
  return hb_unicode_script(funcs, cp);
}

}  // namespace

std::vector<TextRun> itemize(FontLibrary& fonts, std::string_view text,
                             const std::vector<CodePoint>& cps, const BidiResult& bidi,
                             const LanguageInfo& lang, bool bold, FaceId forced_face) {
  const std::size_t n = cps.size();
  std::vector<hb_script_t> scripts(n);
  std::vector<bool> inherited(n);
  // Scripts: inherited and common take the previous real script; leading ones the next.
  hb_script_t last = HB_SCRIPT_COMMON;
  for (std::size_t i = 0; i < n; ++i) {
    hb_script_t s = script_of(cps[i].value);
    inherited[i] = is_inherited_like(cps[i].value, s);
    if (inherited[i] || s == HB_SCRIPT_COMMON || s == HB_SCRIPT_UNKNOWN) {
      scripts[i] = last;
    } else {
      scripts[i] = last = s;
    }
  }
  hb_script_t next = HB_SCRIPT_COMMON;
  for (std::size_t i = n; i-- > 0;) {
    if (scripts[i] == HB_SCRIPT_COMMON) {
      scripts[i] = next;
    } else {
      next = scripts[i];
    }
  }
  // Faces: per code point, with common/inherited characters staying in their neighbour's face.
  std::vector<FaceId> faces(n, forced_face);
  if (forced_face == kNoFace) {
    for (std::size_t i = 0; i < n; ++i) {
      char32_t cp = cps[i].value;
      hb_script_t raw = script_of(cp);
      FaceId prev = i > 0 ? faces[i - 1] : kNoFace;
      if (prev != kNoFace && inherited[i]) {
        faces[i] = prev;
      } else if (prev != kNoFace && (raw == HB_SCRIPT_COMMON || raw == HB_SCRIPT_UNKNOWN) &&
                 fonts.has_glyph(prev, cp)) {
        faces[i] = prev;
      } else {
        faces[i] = fonts.pick_face(cp, family_for_script(scripts[i], lang.family), lang.family, bold);
        if (!fonts.has_glyph(faces[i], cp) && needs_placeholder(cp)) faces[i] = kPlaceholderFace;  // 11
      }
    }
  }
  std::vector<TextRun> runs;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t end = i + 1 < n ? cps[i + 1].offset : static_cast<std::uint32_t>(text.size());
    if (!runs.empty() && runs.back().level == bidi.levels[i] && runs.back().script == scripts[i] &&
        runs.back().face == faces[i]) {
      runs.back().end = end;
    } else {
      runs.push_back({cps[i].offset, end, bidi.levels[i], scripts[i], faces[i]});
    }
  }
  return runs;
}

// [shape] --------------------------------------------------------------------------------------

const std::vector<ShapedGlyph>& shape_run(PipelineCaches& caches, hb_font_t* font, std::int32_t scale,
                                          std::string_view text, const TextRun& run,
                                          const LanguageInfo& lang) {
  std::size_t ctx_start = prev_code_point(text, run.start);
  std::size_t ctx_end = next_code_point(text, run.end);
  ShapeKey key{std::string(text.substr(ctx_start, ctx_end - ctx_start)),
               static_cast<std::uint32_t>(run.start - ctx_start),
               run.end - run.start,
               run.face,
               scale,
               (run.level & 1) != 0,
               run.script,
               lang.tag};
  if (auto* hit = caches.shapes.find(key)) return *hit;

  hb_buffer_t* buf = hb_buffer_create();
  hb_buffer_add_utf8(buf, key.text.data(), static_cast<int>(key.text.size()),
                     key.run_offset, static_cast<int>(key.run_length));
  hb_buffer_set_direction(buf, key.rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  hb_buffer_set_script(buf, run.script);
  hb_buffer_set_language(buf, hb_language_from_string(lang.tag.c_str(), -1));
  hb_shape(font, buf, nullptr, 0);
  ++caches.shaped_runs;

  unsigned count = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &count);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &count);
  std::vector<ShapedGlyph> glyphs;
  glyphs.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    hb_glyph_extents_t ext{};
    std::int32_t top = 0, bottom = 0;
    if (hb_font_get_glyph_extents(font, info[i].codepoint, &ext) && ext.height != 0) {
      top = pos[i].y_offset + ext.y_bearing;
      bottom = -(pos[i].y_offset + ext.y_bearing + ext.height);
    }
    glyphs.push_back({info[i].codepoint, info[i].cluster - key.run_offset, pos[i].x_advance,
                      pos[i].x_offset, pos[i].y_offset, top, bottom});
  }
  hb_buffer_destroy(buf);
  const std::size_t bytes = sizeof(ShapeKey) + key.text.size() + glyphs.size() * sizeof(ShapedGlyph) + 64;
  return caches.shapes.insert(key, std::move(glyphs), bytes);
}

// [breaks] -------------------------------------------------------------------------------------

std::vector<BreakOpportunity> line_breaks(PipelineCaches& caches, std::string_view text,
                                          const LanguageInfo& lang) {
  std::vector<BreakOpportunity> out;
  std::string locale_id = lang.code.empty() ? "en" : lang.code;
  auto it = caches.line_breakers.find(locale_id);
  if (it == caches.line_breakers.end()) {
    if (caches.line_breakers.size() >= 16) caches.line_breakers.clear();  // bounded: few languages
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createLineInstance(icu::Locale(locale_id.c_str()), status));
    if (U_FAILURE(status)) bi.reset();
    it = caches.line_breakers.emplace(locale_id, std::move(bi)).first;
  }
  icu::BreakIterator* bi = it->second.get();
  if (!bi || text.empty()) {
    out.push_back({static_cast<std::uint32_t>(text.size()), false});
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  bi->setText(ut, status);
  if (U_SUCCESS(status)) {
    for (int32_t p = bi->next(); p != icu::BreakIterator::DONE; p = bi->next()) {
      int32_t rule = bi->getRuleStatus();
      out.push_back({static_cast<std::uint32_t>(p), rule >= UBRK_LINE_HARD && rule < UBRK_LINE_HARD_LIMIT});
    }
  }
  // Detach the iterator from our buffer before it goes away.
  static const char16_t kEmpty[1] = {0};
  UErrorCode ignore = U_ZERO_ERROR;
  UText* empty = utext_openUChars(nullptr, kEmpty, 0, &ignore);
  bi->setText(empty, ignore);
  utext_close(empty);
  utext_close(ut);
  if (out.empty() || out.back().offset != text.size())
    out.push_back({static_cast<std::uint32_t>(text.size()), false});
  return out;
}

// [wrap] ---------------------------------------------------------------------------------------

namespace {

bool is_space_at_line_end(char32_t cp) {
  return cp == 0x20 || cp == 0x09 || cp == 0x0A || cp == 0x0B || cp == 0x0C || cp == 0x0D ||
         cp == 0x85 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B && cp != 0x2007) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

char32_t decode_at(std::string_view text, std::size_t offset) {
  std::size_t end = next_code_point(text, offset);
  auto cps = decode_utf8(text.substr(offset, end - offset));
  return cps.empty() ? 0 : cps[0].value;
}

// Everything the line stages need about the shaped paragraph.
struct ShapedParagraph {
  std::string_view text;
  std::vector<TextRun> runs;
  std::vector<const std::vector<ShapedGlyph>*> glyphs;  // per run (owned by the shape cache)
  std::vector<std::vector<ShapedGlyph>> owned;          // copies, so cache eviction cannot bite
  std::vector<std::uint8_t> cluster_edge;               // per byte + 1: a cluster starts/ends here
  std::vector<double> advance_before;                   // per byte + 1: prefix sum of advances (px)

  double width(std::uint32_t a, std::uint32_t b) const { return advance_before[b] - advance_before[a]; }
  // Drops trailing white space. With keep_final_spaces (text fields), the paragraph's last line
  // keeps its spaces, so the caret can stand after a typed space; only a final newline goes.
  bool keep_final_spaces = false;
  std::uint32_t trim_end(std::uint32_t a, std::uint32_t b) const {
    const bool last = keep_final_spaces && b == text.size();
    while (b > a) {
      std::size_t p = prev_code_point(text, b);
      char32_t cp = decode_at(text, p);
      if (last ? (cp != 0x0A && cp != 0x0D && cp != 0x2028 && cp != 0x2029) : !is_space_at_line_end(cp))
        break;
      b = static_cast<std::uint32_t>(p);
    }
    return b;
  }
};

ShapedParagraph shape_paragraph(FontLibrary& fonts, PipelineCaches& caches, std::string_view text,
                                const LanguageInfo& lang, bool bold, std::int32_t size64) {
  ShapedParagraph sp;
  sp.text = text;
  auto cps = decode_utf8(text);
  BidiResult bidi = resolve_bidi(text, cps, lang.direction);
  sp.runs = itemize(fonts, text, cps, bidi, lang, bold);
  sp.owned.reserve(sp.runs.size());
  std::vector<double> cluster_advance(text.size() + 1, 0.0);
  sp.cluster_edge.assign(text.size() + 1, 0);
  for (const TextRun& run : sp.runs) {
    if (run.face == kNoFace) {
      sp.owned.emplace_back();
    } else if (run.face == kPlaceholderFace) {  // invariant 11
      std::vector<ShapedGlyph> boxes;
      for (const CodePoint& cp : decode_utf8(text.substr(run.start, run.end - run.start))) {
        if (!needs_placeholder(cp.value)) continue;  // invisible: joins the box before it
        const PlaceholderBox b = placeholder_box(fonts, cp.value, size64);
        boxes.push_back({cp.value, cp.offset, b.advance, 0, 0, b.top, b.bottom});
      }
      if ((run.level & 1) != 0) std::reverse(boxes.begin(), boxes.end());  // visual order, as HarfBuzz
      sp.owned.push_back(std::move(boxes));
    } else {
      sp.owned.push_back(shape_run(caches, fonts.hb_font(run.face, size64), size64, text, run, lang));
    }
    sp.cluster_edge[run.start] = 1;
    sp.cluster_edge[run.end] = 1;
    for (const ShapedGlyph& g : sp.owned.back()) {
      sp.cluster_edge[run.start + g.cluster] = 1;
      cluster_advance[run.start + g.cluster] += g.x_advance / 64.0;
    }
  }
  for (auto& v : sp.owned) sp.glyphs.push_back(&v);
  sp.advance_before.assign(text.size() + 1, 0.0);
  for (std::size_t i = 0; i < text.size(); ++i)
    sp.advance_before[i + 1] = sp.advance_before[i] + cluster_advance[i];
  return sp;
}

// True when a break at `offset` would split a written syllable although it falls between two
// shaped clusters: a Myanmar consonant killed by asat (U+103A, possibly after the dot below
// U+1037) or a Khmer consonant with bantoc (U+17CB) closes the syllable before it. ICU's
// dictionary engines split such syllables in words they do not know (e.g. Burmese ပ|န့်).
bool splits_syllable(std::string_view text, std::uint32_t offset) {
  if (offset == 0 || offset >= text.size()) return false;
  char32_t cp = decode_at(text, offset);
  std::size_t n1 = next_code_point(text, offset);
  char32_t next = n1 < text.size() ? decode_at(text, n1) : 0;
  std::size_t n2 = next_code_point(text, n1);
  char32_t next2 = n2 < text.size() ? decode_at(text, n2) : 0;
  char32_t prev = decode_at(text, prev_code_point(text, offset));
  bool prev_is_script = (prev >= 0x1000 && prev <= 0x109F) || (prev >= 0x1780 && prev <= 0x17FF);
  if (!prev_is_script) return false;
  if (cp >= 0x1000 && cp <= 0x1021)
    return next == 0x103A || (next == 0x1037 && next2 == 0x103A);
  if (cp >= 0x1780 && cp <= 0x17A2) return next == 0x17CB;
  return false;
}

std::vector<BreakOpportunity> legal_breaks_of(const ShapedParagraph& sp, PipelineCaches& caches,
                                              const LanguageInfo& lang) {
  std::vector<BreakOpportunity> out;
  for (const BreakOpportunity& b : line_breaks(caches, sp.text, lang)) {
    if (!b.hard && splits_syllable(sp.text, b.offset)) continue;
    if (sp.cluster_edge[b.offset]) {
      out.push_back(b);
    } else if (b.hard) {
      // Defensive: a mandatory break inside a cluster (a mark after a newline) moves to its end.
      std::uint32_t p = b.offset;
      while (p < sp.text.size() && !sp.cluster_edge[p]) ++p;
      out.push_back({p, true});
    }
  }
  return out;
}

struct LineSpan {
  std::uint32_t start, end, next;  // shown range and where the next line starts
};

// Greedy fill: take the last legal break that fits; a word wider than the line breaks at
// cluster edges. wrap_width <= 0: only mandatory breaks.
std::vector<LineSpan> wrap(const ShapedParagraph& sp, const std::vector<BreakOpportunity>& breaks,
                           double wrap_width) {
  std::vector<LineSpan> lines;
  const auto total = static_cast<std::uint32_t>(sp.text.size());
  const double limit = wrap_width > 0 ? wrap_width + 0.01 : std::numeric_limits<double>::infinity();
  std::uint32_t start = 0;
  std::uint32_t fit = 0;  // last break that fits, 0 = none yet
  auto emit = [&](std::uint32_t end) {
    lines.push_back({start, sp.trim_end(start, end), end});
    start = end;
    fit = 0;
  };
  for (std::size_t i = 0; i < breaks.size();) {
    const BreakOpportunity& b = breaks[i];
    if (b.offset <= start) {
      ++i;
      continue;
    }
    if (sp.width(start, sp.trim_end(start, b.offset)) <= limit) {
      fit = b.offset;
      ++i;
      if (b.hard && b.offset < total) emit(b.offset);
      continue;
    }
    if (fit > start) {
      emit(fit);
      continue;  // re-examine this break on the new line
    }
    // One unbreakable piece wider than the line: cut it at the last cluster edge that fits.
    std::uint32_t cut = start + 1;
    while (cut < b.offset && !sp.cluster_edge[cut]) ++cut;
    for (std::uint32_t p = cut + 1; p < b.offset; ++p) {
      if (!sp.cluster_edge[p]) continue;
      if (sp.width(start, p) > limit) break;
      cut = p;
    }
    emit(cut);
  }
  if (start < total || lines.empty()) lines.push_back({start, sp.trim_end(start, total), total});
  return lines;
}

// [place] --------------------------------------------------------------------------------------

struct Piece {
  std::size_t run;  // index into runs, or SIZE_MAX for the ellipsis
  std::uint32_t a, b;
  std::uint8_t level;
};

struct Ellipsis {
  TextRun run{};
  std::vector<ShapedGlyph> glyphs;
  double width = 0;
};

void place_line(FontLibrary& fonts, const ShapedParagraph& sp, const LineSpan& span,
                const Ellipsis* ellipsis, bool rtl, std::int32_t size64, FaceId primary, float top,
                Layout& out) {
  std::vector<Piece> pieces;
  for (std::size_t r = 0; r < sp.runs.size(); ++r) {
    const TextRun& run = sp.runs[r];
    std::uint32_t a = std::max(run.start, span.start), b = std::min(run.end, span.end);
    if (a < b) pieces.push_back({r, a, b, run.level});
  }
  if (ellipsis) pieces.push_back({SIZE_MAX, span.end, span.end, static_cast<std::uint8_t>(rtl ? 1 : 0)});
  std::vector<UBiDiLevel> levels;
  for (const Piece& p : pieces) levels.push_back(p.level);
  std::vector<int32_t> order(pieces.size());
  if (!pieces.empty()) ubidi_reorderVisual(levels.data(), static_cast<int32_t>(levels.size()), order.data());

  LayoutLine line;
  line.start = span.start;
  line.end = span.end;
  line.next = span.next;
  line.ellipsized = ellipsis != nullptr;
  line.first_glyph = static_cast<std::uint32_t>(out.glyphs.size());
  line.first_cluster = static_cast<std::uint32_t>(out.clusters.size());
  const auto line_index = static_cast<std::uint32_t>(out.lines.size());
  FaceMetrics pm = primary != kNoFace ? fonts.metrics(primary, size64) : FaceMetrics{};
  double ascent = pm.ascender, descent = pm.descender;
  double pen = 0;
  std::vector<FaceId> seen_faces;
  for (int32_t vi : order) {
    const Piece& p = pieces[static_cast<std::size_t>(vi)];
    const TextRun& run = p.run == SIZE_MAX ? ellipsis->run : sp.runs[p.run];
    const std::vector<ShapedGlyph>& glyphs = p.run == SIZE_MAX ? ellipsis->glyphs : *sp.glyphs[p.run];
    if (run.face != kNoFace && run.face != kPlaceholderFace &&
        std::find(seen_faces.begin(), seen_faces.end(), run.face) == seen_faces.end()) {
      seen_faces.push_back(run.face);
      FaceMetrics m = fonts.metrics(run.face, size64);
      ascent = std::max(ascent, static_cast<double>(m.ascender));
      descent = std::max(descent, static_cast<double>(m.descender));
    }
    // Cluster starts inside the piece, to know where each cluster ends logically.
    std::vector<std::uint32_t> starts;
    for (const ShapedGlyph& g : glyphs) {
      std::uint32_t c = run.start + g.cluster;
      if (p.run == SIZE_MAX || (c >= p.a && c < p.b)) starts.push_back(c);
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    bool piece_rtl = (p.level & 1) != 0;
    for (std::size_t gi = 0; gi < glyphs.size(); ++gi) {
      const ShapedGlyph& g = glyphs[gi];
      std::uint32_t c = run.start + g.cluster;
      if (p.run != SIZE_MAX && (c < p.a || c >= p.b)) continue;
      // Control characters (tab, stray C0/C1 codes) keep their advance but draw nothing: no box.
      const auto lead = p.run == SIZE_MAX ? 0x20u : static_cast<unsigned char>(sp.text[c]);
      const bool control = lead < 0x20 || lead == 0x7F ||
                           (lead == 0xC2 && c + 1 < sp.text.size() &&
                            static_cast<unsigned char>(sp.text[c + 1]) < 0xA0);
      out.glyphs.push_back({control ? kNoFace : run.face, g.glyph, static_cast<float>(pen + g.x_offset / 64.0),
                            static_cast<float>(-g.y_offset / 64.0), p.run == SIZE_MAX ? span.end : c});
      ascent = std::max(ascent, g.ink_top / 64.0);
      descent = std::max(descent, g.ink_bottom / 64.0);
      double x0 = pen;
      pen += g.x_advance / 64.0;
      if (p.run == SIZE_MAX) continue;  // the ellipsis is not a caret stop
      if (!out.clusters.empty() && out.clusters.size() > line.first_cluster &&
          out.clusters.back().start == c) {
        out.clusters.back().x1 = static_cast<float>(pen);
      } else {
        auto next_start = std::upper_bound(starts.begin(), starts.end(), c);
        std::uint32_t end = next_start == starts.end() ? p.b : *next_start;
        out.clusters.push_back({c, end, static_cast<float>(x0), static_cast<float>(pen), line_index, piece_rtl});
      }
    }
  }
  line.glyph_count = static_cast<std::uint32_t>(out.glyphs.size()) - line.first_glyph;
  line.cluster_count = static_cast<std::uint32_t>(out.clusters.size()) - line.first_cluster;
  line.width = static_cast<float>(pen);
  line.ascent = static_cast<float>(std::ceil(ascent));
  line.descent = static_cast<float>(std::ceil(descent));
  line.top = top;
  line.baseline = top + line.ascent;
  line.height = line.ascent + line.descent + std::max(0.0f, pm.line_gap);
  for (std::uint32_t i = line.first_glyph; i < line.first_glyph + line.glyph_count; ++i)
    out.glyphs[i].y += line.baseline;
  out.lines.push_back(line);
}

void align_lines(Layout& out, Align align, float wrap_width) {
  out.width = 0;
  for (const LayoutLine& l : out.lines) out.width = std::max(out.width, l.width);
  out.box_width = wrap_width > 0 ? wrap_width : out.width;
  bool right = (align == Align::End) != out.rtl;  // Start is the right edge in RTL
  for (LayoutLine& l : out.lines) {
    float x = 0;
    if (align == Align::Center) {
      x = std::floor((out.box_width - l.width) * 0.5f);
    } else if (right) {
      x = out.box_width - l.width;
    }
    l.x = x;
    for (std::uint32_t i = l.first_glyph; i < l.first_glyph + l.glyph_count; ++i) out.glyphs[i].x += x;
    for (std::uint32_t i = l.first_cluster; i < l.first_cluster + l.cluster_count; ++i) {
      out.clusters[i].x0 += x;
      out.clusters[i].x1 += x;
    }
  }
}

}  // namespace

std::vector<BreakOpportunity> legal_breaks(FontLibrary& fonts, PipelineCaches& caches,
                                           const std::string& text, const Style& style) {
  LanguageInfo lang = language_info(style.lang);
  auto size64 = static_cast<std::int32_t>(std::lround(style.size * 64.0f));
  ShapedParagraph sp = shape_paragraph(fonts, caches, text, lang, style.bold, size64);
  return legal_breaks_of(sp, caches, lang);
}

Layout lay_out_paragraph(FontLibrary& fonts, PipelineCaches& caches, std::string text,
                         const Style& style, float wrap_width) {
  Layout out;
  out.text = std::move(text);
  LanguageInfo lang = language_info(style.lang);
  out.size64 = std::max<std::int32_t>(64, static_cast<std::int32_t>(std::lround(style.size * 64.0f)));
  FaceId primary = fonts.face_for(lang.family, style.bold);
  if (primary == kNoFace) primary = fonts.face_for(FontFamily::Latin, style.bold);

  ShapedParagraph sp = shape_paragraph(fonts, caches, out.text, lang, style.bold, out.size64);
  sp.keep_final_spaces = style.keep_trailing_spaces;
  out.rtl = lang.direction == Direction::Rtl;
  if (lang.direction == Direction::FirstStrong) {
    auto cps = decode_utf8(out.text);
    out.rtl = resolve_bidi(out.text, cps, lang.direction).rtl;
  }
  std::vector<BreakOpportunity> breaks = legal_breaks_of(sp, caches, lang);
  std::vector<LineSpan> spans = wrap(sp, breaks, wrap_width);

  // Ellipsis: keep max_lines - 1 lines, and fill the last with as much as fits before "…".
  Ellipsis ellipsis;
  bool cut = style.max_lines > 0 && spans.size() > static_cast<std::size_t>(style.max_lines);
  if (cut) {
    out.truncated = true;
    spans.resize(static_cast<std::size_t>(style.max_lines));
    static const std::string kDots = "\xE2\x80\xA6";  // U+2026
    FaceId face = fonts.pick_face(0x2026, lang.family, lang.family, style.bold);
    ellipsis.run = {0, static_cast<std::uint32_t>(kDots.size()), static_cast<std::uint8_t>(out.rtl ? 1 : 0),
                    HB_SCRIPT_COMMON, face};
    if (face != kNoFace)
      ellipsis.glyphs = shape_run(caches, fonts.hb_font(face, out.size64), out.size64, kDots, ellipsis.run, lang);
    for (auto& g : ellipsis.glyphs) {
      ellipsis.width += g.x_advance / 64.0;
      g.cluster = 0;
    }
    ellipsis.run.start = 0;
    LineSpan& last = spans.back();
    double room = wrap_width > 0 ? wrap_width - ellipsis.width : std::numeric_limits<double>::infinity();
    std::uint32_t best = last.start;
    for (std::uint32_t p = last.start + 1; p <= last.end; ++p) {
      if (!sp.cluster_edge[p]) continue;
      std::uint32_t t = sp.trim_end(last.start, p);
      if (sp.width(last.start, t) > room) break;
      best = t;
    }
    last.end = best;
  }
  float top = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    bool last = i + 1 == spans.size();
    place_line(fonts, sp, spans[i], cut && last ? &ellipsis : nullptr, out.rtl, out.size64, primary, top, out);
    top += out.lines.back().height;
  }
  out.height = top;
  align_lines(out, style.align, wrap_width);
  return out;
}

// [serialize] ----------------------------------------------------------------------------------

std::string serialize_like_hb_shape(const std::vector<std::pair<TextRun, std::vector<ShapedGlyph>>>& runs,
                                    std::string_view text) {
  // hb-shape numbers clusters in code points: the index of the code point starting at each byte.
  std::vector<std::uint32_t> char_index(text.size() + 1, 0);
  std::uint32_t n = 0;
  for (const CodePoint& cp : decode_utf8(text)) char_index[cp.offset] = n++;
  char_index[text.size()] = n;
  std::string out = "[";
  bool first = true;
  char buf[96];
  for (const auto& [run, glyphs] : runs) {
    for (const ShapedGlyph& g : glyphs) {
      if (!first) out += '|';
      first = false;
      std::snprintf(buf, sizeof buf, "%u=%u", g.glyph, char_index[run.start + g.cluster]);
      out += buf;
      if (g.x_offset || g.y_offset) {
        std::snprintf(buf, sizeof buf, "@%d,%d", g.x_offset, g.y_offset);
        out += buf;
      }
      std::snprintf(buf, sizeof buf, "+%d", g.x_advance);
      out += buf;
    }
  }
  out += "]";
  return out;
}

}  // namespace kiosk::text

namespace kiosk::text {

std::string shape_like_hb_shape(FontLibrary& fonts, FaceId face, std::int32_t scale, std::string_view utf8) {
  std::string text = sanitize_utf8(utf8);
  auto cps = decode_utf8(text);
  // hb-shape takes its language from the locale and its direction from the script.
  LanguageInfo lang = language_info(hb_language_to_string(hb_language_get_default()));
  lang.direction = Direction::FirstStrong;
  BidiResult bidi = resolve_bidi(text, cps, lang.direction);
  std::vector<TextRun> runs = itemize(fonts, text, cps, bidi, lang, false, face);
  PipelineCaches caches(64);
  std::vector<UBiDiLevel> levels;
  for (const TextRun& r : runs) levels.push_back(r.level);
  std::vector<int32_t> order(runs.size());
  if (!runs.empty()) ubidi_reorderVisual(levels.data(), static_cast<int32_t>(levels.size()), order.data());
  std::vector<std::pair<TextRun, std::vector<ShapedGlyph>>> shaped;
  for (int32_t i : order) {
    const TextRun& run = runs[static_cast<std::size_t>(i)];
    shaped.emplace_back(run, shape_run(caches, fonts.hb_font(face, scale), scale, text, run, lang));
  }
  return serialize_like_hb_shape(shaped, text);
}

}  // namespace kiosk::text
