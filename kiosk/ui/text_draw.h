// kiosk/ui/text_draw.h — the only way the kiosk's UI draws text a person reads.
//
// A thin bridge between the text engine (kiosk/text: fonts, bidi, shaping, line breaking, glyph
// atlas; no ImGui types) and Dear ImGui's draw lists. Screens and widgets call measure() and
// draw(); the bridge owns the GL texture that mirrors the engine's glyph atlas.
//
// Contract:
//  - Create one TextRenderer after the GL context exists and before the first frame; destroy it
//    before the context goes. Not thread-safe: call from the UI thread only.
//  - measure() and draw() with the same text, style and width agree exactly (same cached layout).
//  - Call end_frame() once per frame after every draw() and before ImGui::Render(): it uploads
//    glyphs rasterized during the frame.
//  - draw() places the paragraph inside [top_left.x, top_left.x + box_width]; TextAlign::Start is
//    the left edge for left-to-right languages and the right edge for right-to-left ones.
#pragma once

#include <imgui.h>

#include <memory>
#include <string>
#include <string_view>

namespace kiosk::text {
class TextEngine;
struct Layout;
struct Style;
}  // namespace kiosk::text

namespace kiosk::ui {

enum class TextAlign { Start, Center, End };

struct TextStyle {
  std::string_view lang = "en";  // language code: en, km, my, ar, zh, zu, xh, af, ...
  float size = 28.0f;            // pixel size, UI scale already applied
  bool bold = false;
  TextAlign align = TextAlign::Start;
  int max_lines = 0;  // 0: unlimited; otherwise the last shown line ends in an ellipsis
  // The layout audit accepts an ellipsis here (a one-line list cell whose whole text is shown
  // elsewhere); anywhere else a cut text is a finding (layout_audit.h, 5).
  bool ellipsis_ok = false;
};

struct TextConfig {
  std::string font_dir;  // where Debian's Noto fonts live; empty: the system default
};

class TextRenderer {
 public:
  explicit TextRenderer(const TextConfig& config);
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  // What draw() draws for this text, style and box: the layout and its x offset in the box.
  // Labels never end on one lone glyph cluster, nor a line on one cluster of a word broken
  // across lines, when a narrower wrap with the same number of lines avoids it (better_break());
  // the narrower layout is placed as its alignment asks.
  struct Placed {
    std::shared_ptr<const kiosk::text::Layout> layout;
    float dx = 0;
  };
  Placed place(std::string_view utf8, const TextStyle& style, float box_width);
  // Size of the laid-out paragraph. wrap_width <= 0 lays it out on one line.
  ImVec2 measure(std::string_view utf8, const TextStyle& style, float wrap_width);
  // Draws the paragraph wrapped to box_width (<= 0: one line, starting at top_left).
  void draw(ImDrawList* list, ImVec2 top_left, float box_width, std::string_view utf8,
            const TextStyle& style, ImU32 color);
  // Uploads glyphs rasterized this frame. Once per frame, before ImGui::Render().
  void end_frame();

  // The engine behind the renderer, for widgets that need the layout itself (text fields:
  // caret positions, hit-testing). Layouts it returns can be drawn with draw_layout().
  kiosk::text::TextEngine& engine();
  // Draws a layout from engine().layout() with its top-left corner (its box's left edge) at top_left.
  void draw_layout(ImDrawList* list, ImVec2 top_left, const kiosk::text::Layout& layout, ImU32 color);
  // GL textures this renderer holds: one per glyph atlas page (the soak counts them, soak_metrics.h).
  std::size_t texture_count() const;
  // Makes ImGui's font atlas (its white pixel draws every fill and line) a texture of the glyph
  // pages' format and sampler state, owned here, in place of the OpenGL backend's RGBA one: call
  // after ImGui_ImplOpenGL3_DestroyFontsTexture(). On software GL each texture format is another
  // shader compiled when a frame first draws with it, about 4 ms of the first frame (issue 15).
  void use_for_imgui_font();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Non-space glyph clusters on a layout's last line (0 for an empty layout).
int last_line_clusters(const kiosk::text::Layout& layout);
// Lines (all but the last) that end in one glyph cluster of a word whose rest starts the next
// line: Burmese "ပြ|ကွက်" (ပြကွက်, exhibit), broken at a syllable after its first one.
int lone_fragments(const kiosk::text::Layout& layout);
// A wrap width in [0.5, 1) x width that keeps `layout`'s number of lines, puts at least two
// clusters on its last line and leaves no lone fragment; 0 when there is none (or the layout
// has neither a lone last cluster nor a lone fragment).
float better_break(kiosk::text::TextEngine& engine, std::string_view utf8, const kiosk::text::Style& style,
                   float width, const kiosk::text::Layout& layout);

// True for languages written right to left (ar, fa, ur, he): screens mirror their layout.
bool is_rtl_language(std::string_view lang);

// The engine's style for a UI style (same language, size, weight, alignment, line limit).
kiosk::text::Style to_engine_style(const TextStyle& style);

}  // namespace kiosk::ui
