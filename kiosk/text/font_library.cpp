// kiosk/text/font_library.cpp — loading Noto faces, lazily, and choosing one per code point.
#include "font_library.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace kiosk::text {

struct FontLibrary::Face {
  std::string path;
  hb_blob_t* blob = nullptr;
  hb_face_t* hb = nullptr;
  FT_Face ft = nullptr;
  std::unordered_map<std::int32_t, hb_font_t*> fonts;  // by size64
  std::unordered_map<char32_t, bool> coverage;          // memo of FT_Get_Char_Index != 0
  int family = -1;                                      // FontFamily when loaded by face_for()
  bool have_design_metrics = false;
  float ascent_em = 0, descent_em = 0, gap_em = 0;      // see FontLibrary::metrics()
  ~Face() {
    for (auto& [size, font] : fonts) hb_font_destroy(font);
    if (ft) FT_Done_Face(ft);
    if (hb) hb_face_destroy(hb);
    if (blob) hb_blob_destroy(blob);
  }
};

namespace {

struct FamilyFiles {
  const char* regular[2];
  const char* bold[2];
  const char* family_name;  // face to pick inside a collection, or nullptr
};

// Files per family, first found wins. Indexed by FontFamily.
constexpr FamilyFiles kFamilyFiles[] = {
    {{"NotoSans-Regular.ttf", nullptr}, {"NotoSans-Bold.ttf", nullptr}, nullptr},
    {{"NotoSansKhmer-Regular.ttf", nullptr}, {"NotoSansKhmer-Bold.ttf", nullptr}, nullptr},
    {{"NotoSansMyanmar-Regular.ttf", nullptr}, {"NotoSansMyanmar-Bold.ttf", nullptr}, nullptr},
    {{"NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf"},
     {"NotoSansArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf"},
     nullptr},
    {{"NotoSansSymbols2-Regular.ttf", "NotoSansSymbols-Regular.ttf"},
     {"NotoSansSymbols2-Regular.ttf", "NotoSansSymbols-Bold.ttf"},
     nullptr},
    {{"DejaVuSans.ttf", nullptr}, {"DejaVuSans-Bold.ttf", nullptr}, nullptr},
    {{"NotoSansCJK-Regular.ttc", nullptr}, {"NotoSansCJK-Bold.ttc", nullptr}, "Noto Sans CJK SC"},
};

static_assert(sizeof(kFamilyFiles) / sizeof(kFamilyFiles[0]) == static_cast<int>(FontFamily::Count),
              "one FamilyFiles entry per FontFamily, in the same order");

}  // namespace

FontFamily family_for_script(hb_script_t script, FontFamily primary) {
  switch (script) {
    case HB_SCRIPT_KHMER: return FontFamily::Khmer;
    case HB_SCRIPT_MYANMAR: return FontFamily::Myanmar;
    case HB_SCRIPT_ARABIC: return FontFamily::Arabic;
    case HB_SCRIPT_HAN:
    case HB_SCRIPT_HIRAGANA:
    case HB_SCRIPT_KATAKANA:
    case HB_SCRIPT_BOPOMOFO:
    case HB_SCRIPT_HANGUL: return FontFamily::Cjk;
    case HB_SCRIPT_LATIN:
    case HB_SCRIPT_GREEK:
    case HB_SCRIPT_CYRILLIC: return FontFamily::Latin;
    default: return primary;
  }
}

FontLibrary::FontLibrary(FontConfig config) : m_config(std::move(config)) {
  if (m_config.search_dirs.empty())
    m_config.search_dirs = {"/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto",
                            "/usr/share/fonts/truetype/dejavu"};
  if (FT_Init_FreeType(&m_ft) != 0) {
    m_ft = nullptr;
    log("kiosk_text: FreeType failed to initialise; no text will render");
  }
  for (auto& f : m_family_face) f = {kNoFace, kNoFace};
}

FontLibrary::~FontLibrary() {
  m_faces.clear();
  if (m_ft) FT_Done_FreeType(m_ft);
}

void FontLibrary::log(std::string_view message) const {
  if (m_config.log) {
    m_config.log(message);
  } else {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }
}

std::string FontLibrary::find_file(std::string_view name) const {
  for (const std::string& dir : m_config.search_dirs) {
    std::filesystem::path p = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  return {};
}

FaceId FontLibrary::load(const std::string& path, unsigned index, std::string_view want_family) {
  if (!m_ft) return kNoFace;
  auto face = std::make_unique<Face>();
  face->path = path;
  face->blob = hb_blob_create_from_file_or_fail(path.c_str());
  if (!face->blob) {
    log("kiosk_text: cannot read font file " + path);
    return kNoFace;
  }
  unsigned length = 0;
  const char* data = hb_blob_get_data(face->blob, &length);
  auto open_ft = [&](long i) {
    FT_Face ft = nullptr;
    if (FT_New_Memory_Face(m_ft, reinterpret_cast<const FT_Byte*>(data), static_cast<FT_Long>(length),
                           i, &ft) != 0)
      return static_cast<FT_Face>(nullptr);
    return ft;
  };
  if (!want_family.empty()) {
    // A collection: find the face whose family name is the one we want (e.g. "Noto Sans CJK SC").
    FT_Face probe = open_ft(0);
    long count = probe ? probe->num_faces : 0;
    if (probe) FT_Done_Face(probe);
    bool found = false;
    for (long i = 0; i < count && !found; ++i) {
      FT_Face f = open_ft(i);
      if (!f) continue;
      if (f->family_name && want_family == f->family_name) {
        index = static_cast<unsigned>(i);
        found = true;
      }
      FT_Done_Face(f);
    }
    if (!found) log("kiosk_text: no face named '" + std::string(want_family) + "' in " + path);
  }
  face->ft = open_ft(static_cast<long>(index));
  if (!face->ft) {
    log("kiosk_text: FreeType cannot open " + path);
    return kNoFace;
  }
  face->hb = hb_face_create(face->blob, index);
  m_faces.push_back(std::move(face));
  return static_cast<FaceId>(m_faces.size() - 1);
}

FaceId FontLibrary::add_face_file(const std::string& path, unsigned face_index) {
  return load(path, face_index, {});
}

FaceId FontLibrary::face_for(FontFamily family, bool bold) {
  int f = static_cast<int>(family);
  int w = bold ? 1 : 0;
  if (m_family_tried[f][w]) return m_family_face[f][w];
  m_family_tried[f][w] = true;
  const FamilyFiles& files = kFamilyFiles[f];
  const char* const* names = bold ? files.bold : files.regular;
  for (int i = 0; i < 2 && names[i]; ++i) {
    std::string path = find_file(names[i]);
    if (path.empty()) continue;
    FaceId id = load(path, 0, files.family_name ? files.family_name : "");
    if (id != kNoFace) {
      m_faces[id]->family = f;
      m_family_face[f][w] = id;
      return id;
    }
  }
  log(std::string("kiosk_text: font file missing: ") + names[0] + (bold ? " (bold)" : "") +
      "; falling back to other faces");
  if (bold) {
    // A missing bold face reads as the regular one rather than as a different family.
    m_family_face[f][w] = face_for(family, false);
  }
  return m_family_face[f][w];
}

bool FontLibrary::is_family_loaded(FontFamily family, bool bold) const {
  return m_family_face[static_cast<int>(family)][bold ? 1 : 0] != kNoFace;
}

bool FontLibrary::has_glyph(FaceId id, char32_t cp) const {
  if (id >= m_faces.size()) return false;
  Face& face = *m_faces[id];
  auto it = face.coverage.find(cp);
  if (it != face.coverage.end()) return it->second;
  bool has = FT_Get_Char_Index(face.ft, cp) != 0;
  if (face.coverage.size() < 65536) face.coverage.emplace(cp, has);
  return has;
}

FaceId FontLibrary::pick_face(char32_t cp, FontFamily script_family, FontFamily primary, bool bold) {
  FaceId first_usable = kNoFace;
  auto try_family = [&](FontFamily family) -> FaceId {
    FaceId id = face_for(family, bold);
    if (id == kNoFace) return kNoFace;
    if (first_usable == kNoFace) first_usable = id;
    return has_glyph(id, cp) ? id : kNoFace;
  };
  if (FaceId id = try_family(script_family); id != kNoFace) return id;
  if (primary != script_family) {
    if (FaceId id = try_family(primary); id != kNoFace) return id;
  }
  for (int f = 0; f < static_cast<int>(FontFamily::Count); ++f) {
    auto family = static_cast<FontFamily>(f);
    if (family == script_family || family == primary) continue;
    if (FaceId id = try_family(family); id != kNoFace) return id;
  }
  // Nobody has it: the primary face's .notdef box makes the gap visible.
  FaceId primary_face = face_for(primary, bold);
  return primary_face != kNoFace ? primary_face : first_usable;
}

hb_font_t* FontLibrary::hb_font(FaceId id, std::int32_t size64) {
  Face& face = *m_faces.at(id);
  auto it = face.fonts.find(size64);
  if (it != face.fonts.end()) return it->second;
  if (face.fonts.size() >= 32) {  // bounded: a UI uses a handful of sizes
    for (auto& [size, font] : face.fonts) hb_font_destroy(font);
    face.fonts.clear();
  }
  hb_font_t* font = hb_font_create(face.hb);  // OpenType font functions: unhinted, exact
  hb_font_set_scale(font, size64, size64);
  face.fonts.emplace(size64, font);
  return font;
}

hb_face_t* FontLibrary::hb_face(FaceId id) const { return m_faces.at(id)->hb; }
FT_Face FontLibrary::ft_face(FaceId id) const { return m_faces.at(id)->ft; }
const std::string& FontLibrary::face_path(FaceId id) const { return m_faces.at(id)->path; }

namespace {

// Text whose ink reaches the highest and lowest points ordinary writing in a script reaches:
// stacked subscripts, vowels above and below, medials, harakat. Several Noto faces declare
// metrics that are either too small for this (Khmer: deep subscripts go below the declared
// descender) or far too large (Arabic, Myanmar: about twice the em), so line spacing for these
// families is measured from this ink instead.
const char* design_sample(int family) {
  switch (static_cast<FontFamily>(family)) {
    case FontFamily::Khmer: return "ក្ស្ត្រ ញ៉ុំ ស៊ើ ផ្ទៀ ល្អ៊ី គ្រឿង ខ្ញុំ ង្គ្រួ ព្រឹក្សា ឡើ ស្ត្រី ឆ្ល៊ោ";
    case FontFamily::Myanmar: return "ကြွှေ့ ဣ ဤ ဦ ဿ ပ္ပံ ဍ္ဍ ကျွှမ်း ကြိုး ညှိ ဋ္ဌ င်္ဂ ဂြိုဟ်";
    case FontFamily::Arabic: return "إلّا كُلُّ ـِّ ـٌّ لآ ـٰ بِسْمِ اللَّهِ ئ ژ ټ ۓ ﷲ";
    default: return nullptr;
  }
}

}  // namespace

FaceMetrics FontLibrary::metrics(FaceId id, std::int32_t size64) {
  Face& face = *m_faces.at(id);
  if (!face.have_design_metrics) {
    face.have_design_metrics = true;
    const auto upem = static_cast<std::int32_t>(hb_face_get_upem(face.hb));
    hb_font_t* font = hb_font(id, upem);
    hb_font_extents_t ext{};
    hb_font_get_h_extents(font, &ext);
    face.ascent_em = static_cast<float>(ext.ascender) / static_cast<float>(upem);
    face.descent_em = static_cast<float>(-ext.descender) / static_cast<float>(upem);
    face.gap_em = static_cast<float>(ext.line_gap) / static_cast<float>(upem);
    if (const char* sample = face.family >= 0 ? design_sample(face.family) : nullptr) {
      hb_buffer_t* buf = hb_buffer_create();
      hb_buffer_add_utf8(buf, sample, -1, 0, -1);
      hb_buffer_guess_segment_properties(buf);
      hb_shape(font, buf, nullptr, 0);
      unsigned n = 0;
      const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
      const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
      // Never tighter than Noto Sans' Latin metrics (1.069 / 0.293 em).
      float top = 1.069f * static_cast<float>(upem), bottom = 0.293f * static_cast<float>(upem);
      for (unsigned i = 0; i < n; ++i) {
        hb_glyph_extents_t g{};
        if (!hb_font_get_glyph_extents(font, info[i].codepoint, &g) || g.height == 0) continue;
        top = std::max(top, static_cast<float>(pos[i].y_offset + g.y_bearing));
        bottom = std::max(bottom, static_cast<float>(-(pos[i].y_offset + g.y_bearing + g.height)));
      }
      hb_buffer_destroy(buf);
      face.ascent_em = top / static_cast<float>(upem);
      face.descent_em = bottom / static_cast<float>(upem);
    }
  }
  const float px = static_cast<float>(size64) / 64.0f;
  return {face.ascent_em * px, face.descent_em * px, face.gap_em * px};
}

}  // namespace kiosk::text
