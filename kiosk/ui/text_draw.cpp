// Interim TextRenderer over ImGui's own font, until the text engine (kiosk/text) lands.
// It cannot shape, reorder or break Khmer/Burmese/Arabic; it exists so the shell has one seam
// through which all visible text flows.
#include "text_draw.h"

namespace kiosk::ui {

struct TextRenderer::Impl {};

TextRenderer::TextRenderer(const TextConfig&) : m_impl(std::make_unique<Impl>()) {}
TextRenderer::~TextRenderer() = default;

ImVec2 TextRenderer::measure(std::string_view utf8, const TextStyle& style, float wrap_width) {
  ImFont* font = ImGui::GetFont();
  return font->CalcTextSizeA(style.size, 1e9f, wrap_width > 0 ? wrap_width : 0.0f, utf8.data(),
                             utf8.data() + utf8.size());
}

void TextRenderer::draw(ImDrawList* list, ImVec2 top_left, float box_width, std::string_view utf8,
                        const TextStyle& style, ImU32 color) {
  ImVec2 size = measure(utf8, style, box_width);
  float x = top_left.x;
  bool rtl = is_rtl_language(style.lang);
  if (box_width > 0) {
    TextAlign a = style.align;
    if (rtl && a != TextAlign::Center) a = (a == TextAlign::Start) ? TextAlign::End : TextAlign::Start;
    if (a == TextAlign::Center) x += (box_width - size.x) * 0.5f;
    if (a == TextAlign::End) x += box_width - size.x;
  }
  list->AddText(ImGui::GetFont(), style.size, ImVec2(x, top_left.y), color, utf8.data(),
                utf8.data() + utf8.size(), box_width > 0 ? box_width : 0.0f);
}

void TextRenderer::end_frame() {}

bool is_rtl_language(std::string_view lang) {
  return lang == "ar" || lang == "fa" || lang == "ur" || lang == "he";
}

}  // namespace kiosk::ui
