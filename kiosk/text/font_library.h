// kiosk/text/font_library.h — the faces the kiosk reads with, and per-code-point fallback.
//
// Contract:
//  - FontLibrary owns every FreeType face and HarfBuzz face/font it hands out; the pointers stay
//    valid until the library is destroyed, except hb_font() results, which are valid until the
//    next hb_font() call for a size not seen before (callers use them at once and do not keep them).
//  - Faces load on first use (face_for()); the CJK collection is only opened when a code point
//    needs it or a Chinese paragraph is laid out.
//  - A missing font file is logged once through FontConfig::log and the family falls back to the
//    others; pick_face() always returns a usable face when at least one font loaded at all.
//  - Not thread-safe.
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "language.h"

namespace kiosk::text {

using FaceId = std::uint16_t;
inline constexpr FaceId kNoFace = 0xFFFF;
// Not a font: a character no face has, drawn as a box with its code point (placeholder.h). A
// glyph of this face holds the code point as its glyph id.
inline constexpr FaceId kPlaceholderFace = 0xFFFE;

using LogFn = std::function<void(std::string_view)>;

struct FontConfig {
  std::vector<std::string> search_dirs;  // empty: Debian's Noto (and DejaVu) directories
  LogFn log;                             // empty: stderr
};

// Vertical metrics of a face at one size, in pixels (descender positive, below the baseline).
// For Khmer, Myanmar and Arabic faces they are measured from the ink of a sample of tall and deep
// stacks (see design_sample() in font_library.cpp), not taken from the font's declared values;
// lines still grow further for any glyph whose ink goes beyond them.
struct FaceMetrics {
  float ascender = 0;
  float descender = 0;
  float line_gap = 0;
};

class FontLibrary {
 public:
  explicit FontLibrary(FontConfig config);
  ~FontLibrary();
  FontLibrary(const FontLibrary&) = delete;
  FontLibrary& operator=(const FontLibrary&) = delete;

  // The face of a family and weight, loading it on first use; kNoFace when its file is missing.
  FaceId face_for(FontFamily family, bool bold);
  // Adds a face from an explicit file (kiosk-text shape, tests). kNoFace on failure (logged).
  FaceId add_face_file(const std::string& path, unsigned face_index = 0);

  // The face to draw `cp` with. `script_family` is the family the code point's script prefers,
  // `primary` the paragraph language's family. Order: script family, primary, then every family
  // in FontFamily order (CJK last, so it is opened only when nothing else has the glyph).
  // Falls back to the primary face when no face has it (the pipeline then draws a placeholder
  // box naming the code point, placeholder.h, for characters that are drawn at all).
  FaceId pick_face(char32_t cp, FontFamily script_family, FontFamily primary, bool bold);
  bool has_glyph(FaceId face, char32_t cp) const;

  // A HarfBuzz font for `face` whose scale is size64 (26.6 pixels): positions come out in 1/64 px,
  // and FreeType rasterizes the same face at exactly size64 / 64 pixels per em.
  hb_font_t* hb_font(FaceId face, std::int32_t size64);
  hb_face_t* hb_face(FaceId face) const;
  FT_Face ft_face(FaceId face) const;
  FaceMetrics metrics(FaceId face, std::int32_t size64);
  const std::string& face_path(FaceId face) const;
  bool is_family_loaded(FontFamily family, bool bold) const;
  std::size_t face_count() const { return m_faces.size(); }
  void log(std::string_view message) const;

 private:
  struct Face;
  FaceId load(const std::string& path, unsigned index, std::string_view want_family);
  std::string find_file(std::string_view name) const;

  FontConfig m_config;
  FT_Library m_ft = nullptr;
  std::vector<std::unique_ptr<Face>> m_faces;
  // Per family × weight: kNoFace until tried; after a failed try, kMissing.
  std::array<std::array<FaceId, 2>, static_cast<int>(FontFamily::Count)> m_family_face{};
  std::array<std::array<bool, 2>, static_cast<int>(FontFamily::Count)> m_family_tried{};
};

// The family a script prefers (HarfBuzz script tag); Latin for scripts without a family.
FontFamily family_for_script(hb_script_t script, FontFamily primary);

}  // namespace kiosk::text
