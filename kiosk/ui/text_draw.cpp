// kiosk/ui/text_draw.cpp — the bridge from the text engine (kiosk/text) to Dear ImGui.
//
// The engine lays out and rasterizes into single-channel atlas pages; this file mirrors each
// page in a GL texture (one coverage byte per texel, swizzled to white RGBA with alpha = coverage, because ImGui's
// OpenGL3 shader multiplies texture RGBA by the vertex colour) and emits one textured quad per
// glyph into the ImDrawList.
//
// Invariants:
//  1. A page's texture exists before any quad that samples it is emitted (ensure_texture() in
//     draw), and rows rasterized during a frame are uploaded in end_frame(), before rendering.
//  2. Atlas pages never move or resize, so UVs emitted earlier in the frame stay valid; glyphs
//     used this frame are never evicted (GlyphAtlas contract), so their pixels stay too.
//  3. The GL texture binding is restored after every texture operation, so ImGui's backend state
//     is untouched.
#include "text_draw.h"
#include "log.h"

#include <GL/gl.h>

#include <cstdint>
#include <vector>

#include "text/text_engine.h"

namespace kiosk::ui {

namespace kt = kiosk::text;

struct TextRenderer::Impl {
  explicit Impl(const TextConfig& config) : engine(make_config(config)) { engine.begin_frame(); }

  static kt::EngineConfig make_config(const TextConfig& config) {
    kt::EngineConfig c;
    c.fonts.log = [](std::string_view message) { log::warn(message); };  // a missing font, a cut paragraph
    if (!config.font_dir.empty()) {
      c.fonts.search_dirs = {config.font_dir, "/usr/share/fonts/truetype/noto",
                             "/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/dejavu"};
    }
    return c;
  }

  ~Impl() {
    if (!textures.empty()) glDeleteTextures(static_cast<GLsizei>(textures.size()), textures.data());
    if (imgui_font != 0) glDeleteTextures(1, &imgui_font);
  }

  // One byte of coverage per texel; the swizzle makes it read as white with alpha = coverage,
  // which is what ImGui's shader multiplies by the vertex colour (a quarter of RGBA's memory).
  // Every coverage texture has this one format and sampler state (use_for_imgui_font()).
  static GLuint make_coverage_texture(int w, int h, const unsigned char* pixels) {
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    GLuint tex = 0;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    return tex;
  }

  GLuint ensure_texture(std::size_t page_index) {
    const auto& pages = engine.atlas().pages();
    while (textures.size() <= page_index) {
      const kt::AtlasPage& page = pages[textures.size()];
      textures.push_back(make_coverage_texture(page.size, page.size, page.pixels.data()));
      // Whatever was dirty is in the texture now.
      int y0 = 0, y1 = 0;
      engine.atlas().take_dirty(textures.size() - 1, &y0, &y1);
    }
    return textures[page_index];
  }

  void upload_dirty() {
    const auto& pages = engine.atlas().pages();
    GLint previous = 0;
    bool bound = false;
    for (std::size_t i = 0; i < textures.size() && i < pages.size(); ++i) {
      int y0 = 0, y1 = 0;
      if (!engine.atlas().take_dirty(i, &y0, &y1)) continue;
      if (!bound) {
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        bound = true;
      }
      glBindTexture(GL_TEXTURE_2D, textures[i]);
      const std::uint8_t* rows = pages[i].pixels.data() + static_cast<std::size_t>(y0) * static_cast<std::size_t>(pages[i].size);
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, y0, pages[i].size, y1 - y0, GL_RED, GL_UNSIGNED_BYTE, rows);
    }
    if (bound) glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
  }

  void emit(ImDrawList* list, ImVec2 top_left, const kt::Layout& layout, ImU32 color) {
    quads.clear();
    engine.quads(layout, top_left.x, top_left.y, quads);
    if (quads.empty()) return;
    const auto& pages = engine.atlas().pages();
    // Usually one page; group by page so each texture is pushed once.
    for (std::size_t page = 0; page < pages.size(); ++page) {
      int count = 0;
      for (const kt::GlyphQuad& q : quads) count += q.page == page ? 1 : 0;
      if (count == 0) continue;
      GLuint tex = ensure_texture(page);
      const float inv = 1.0f / static_cast<float>(pages[page].size);
      list->PushTextureID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(tex)));
      list->PrimReserve(count * 6, count * 4);
      for (const kt::GlyphQuad& q : quads) {
        if (q.page != page) continue;
        list->PrimRectUV(ImVec2(q.x0, q.y0), ImVec2(q.x1, q.y1), ImVec2(q.u0 * inv, q.v0 * inv),
                         ImVec2(q.u1 * inv, q.v1 * inv), color);
      }
      list->PopTextureID();
    }
  }

  kt::TextEngine engine;
  std::vector<GLuint> textures;  // one per atlas page
  GLuint imgui_font = 0;          // ImGui's own font atlas, when use_for_imgui_font() made it
  std::vector<kt::GlyphQuad> quads;
};

kt::Style to_engine_style(const TextStyle& style) {
  kt::Style s;
  s.lang = std::string(style.lang);
  s.size = style.size;
  s.bold = style.bold;
  s.align = style.align == TextAlign::Center ? kt::Align::Center
            : style.align == TextAlign::End  ? kt::Align::End
                                             : kt::Align::Start;
  s.max_lines = style.max_lines;
  return s;
}

TextRenderer::TextRenderer(const TextConfig& config) : m_impl(std::make_unique<Impl>(config)) {}
TextRenderer::~TextRenderer() = default;

int last_line_clusters(const kt::Layout& l) {
  if (l.lines.empty()) return 0;
  const auto last = static_cast<std::uint32_t>(l.lines.size() - 1);
  int n = 0;
  for (const kt::ClusterBox& c : l.clusters) {
    if (c.line != last) continue;
    bool space = true;
    for (std::uint32_t i = c.start; i < c.end && i < l.text.size(); ++i)
      if (l.text[i] != ' ' && l.text[i] != '\n') space = false;
    n += space ? 0 : 1;
  }
  return n;
}

int lone_fragments(const kt::Layout& l) {
  int n = 0;
  auto space = [&](std::uint32_t i) { return i < l.text.size() && (l.text[i] == ' ' || l.text[i] == '\n'); };
  for (std::size_t k = 0; k + 1 < l.lines.size(); ++k) {
    const kt::LayoutLine& line = l.lines[k];
    // Broken inside a word: no space or newline between this line and the next.
    if (line.end <= line.start || line.next != line.end || space(line.end) || space(line.end - 1)) continue;
    std::uint32_t word = line.end;  // where the word's piece on this line starts
    while (word > line.start && !space(word - 1)) --word;
    if (word == line.start) continue;  // the word fills the line: nothing better to do
    int pieces = 0;
    for (const kt::ClusterBox& c : l.clusters)
      if (c.line == k && c.start >= word && c.end <= line.end) ++pieces;
    n += pieces == 1 ? 1 : 0;
  }
  return n;
}

float better_break(kt::TextEngine& engine, std::string_view utf8, const kt::Style& style, float width,
                   const kt::Layout& layout) {
  if (width <= 0 || layout.truncated || layout.lines.size() < 2) return 0;
  if (last_line_clusters(layout) != 1 && lone_fragments(layout) == 0) return 0;
  for (float f = 0.96f; f >= 0.5f; f -= 0.04f) {
    auto narrower = engine.layout(utf8, style, width * f);
    if (narrower->lines.size() != layout.lines.size()) return 0;
    if (last_line_clusters(*narrower) >= 2 && lone_fragments(*narrower) == 0) return width * f;
  }
  return 0;
}

TextRenderer::Placed TextRenderer::place(std::string_view utf8, const TextStyle& style, float box_width) {
  const kt::Style es = to_engine_style(style);
  Placed p{m_impl->engine.layout(utf8, es, box_width), 0};
  const float narrower = better_break(m_impl->engine, utf8, es, box_width, *p.layout);
  if (narrower <= 0) return p;
  p.layout = m_impl->engine.layout(utf8, es, narrower);
  // Where the narrower box sits in the full one: as the paragraph's alignment asks.
  const float spare = box_width - narrower;
  const bool rtl = p.layout->rtl;
  p.dx = style.align == TextAlign::Center ? spare * 0.5f
         : (style.align == TextAlign::End) != rtl ? spare
                                                   : 0.0f;
  return p;
}

ImVec2 TextRenderer::measure(std::string_view utf8, const TextStyle& style, float wrap_width) {
  auto layout = place(utf8, style, wrap_width).layout;
  return ImVec2(layout->width, layout->height);
}

void TextRenderer::draw(ImDrawList* list, ImVec2 top_left, float box_width, std::string_view utf8,
                        const TextStyle& style, ImU32 color) {
  const Placed p = place(utf8, style, box_width);
  m_impl->emit(list, ImVec2(top_left.x + p.dx, top_left.y), *p.layout, color);
}

void TextRenderer::draw_layout(ImDrawList* list, ImVec2 top_left, const kt::Layout& layout, ImU32 color) {
  m_impl->emit(list, top_left, layout, color);
}

void TextRenderer::end_frame() {
  m_impl->upload_dirty();
  m_impl->engine.begin_frame();
}

kt::TextEngine& TextRenderer::engine() { return m_impl->engine; }
std::size_t TextRenderer::texture_count() const { return m_impl->textures.size(); }

void TextRenderer::use_for_imgui_font() {
  ImFontAtlas* fonts = ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  if (m_impl->imgui_font != 0) glDeleteTextures(1, &m_impl->imgui_font);
  m_impl->imgui_font = Impl::make_coverage_texture(w, h, pixels);
  fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(m_impl->imgui_font)));
}

bool is_rtl_language(std::string_view lang) {
  return kt::language_info(lang).direction == kt::Direction::Rtl;
}

}  // namespace kiosk::ui
