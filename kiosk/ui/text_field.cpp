// kiosk/ui/text_field.cpp — routes ImGui keys/text and gesture taps to an EditBuffer; draws it.
#include "text_field.h"

#include <algorithm>
#include <cmath>

#include "text/text_engine.h"
#include "text/utf8.h"

namespace kiosk::ui {

namespace kt = kiosk::text;

TextField::TextField(std::size_t max_code_points) : m_buffer(max_code_points) {}

void TextField::tap(ImVec2 pixel, bool extend) {
  m_focused = true;
  m_has_tap = true;
  m_tap = pixel;
  m_tap_extend = extend;
}

void TextField::move(int direction) {
  for (int i = 0; i < (direction < 0 ? -direction : direction); ++i)
    key(direction < 0 ? FieldKey::Left : FieldKey::Right);
}

void TextField::key(FieldKey key, bool shift) {
  // Queued and applied in draw(), in order, against the layout of the text at that moment.
  if (m_pending_keys.size() < 256) m_pending_keys.emplace_back(key, shift);
}

void TextField::apply(FieldKey key, bool shift, const kt::Layout& layout) {
  switch (key) {
    case FieldKey::Left: m_buffer.move_visual(layout, -1, shift); break;
    case FieldKey::Right: m_buffer.move_visual(layout, +1, shift); break;
    case FieldKey::Home: m_buffer.move_home(shift); break;
    case FieldKey::End: m_buffer.move_end(shift); break;
    case FieldKey::Backspace: m_buffer.backspace(); break;
    case FieldKey::Delete: m_buffer.delete_forward(layout); break;
    case FieldKey::SelectAll: m_buffer.select_all(); break;
    case FieldKey::Copy:
    case FieldKey::Cut:
      if (m_buffer.has_selection()) {
        ImGui::SetClipboardText(m_buffer.selected_text().c_str());
        if (key == FieldKey::Cut) m_buffer.backspace();
      }
      break;
    case FieldKey::Paste:
      if (const char* clip = ImGui::GetClipboardText()) m_buffer.insert(clip);
      break;
  }
}

void TextField::handle_keys() {
  if (!m_poll_imgui) return;
  ImGuiIO& io = ImGui::GetIO();
  // Text: ImGui decoded SDL's UTF-8 pieces into code points; re-encode and insert.
  if (!io.InputQueueCharacters.empty()) {
    std::string piece;
    for (ImWchar c : io.InputQueueCharacters) {
      if (c >= 0x20 && c != 0x7F) kt::append_utf8(piece, static_cast<char32_t>(c));
    }
    io.InputQueueCharacters.resize(0);  // consumed: no other widget types it too
    m_buffer.insert_input_piece(piece);
  }
  auto pressed = [](ImGuiKey k) {
    int index = ImGui::GetKeyIndex(k);
    return index >= 0 && ImGui::IsKeyPressed(index, true);
  };
  const bool shift = io.KeyShift;
  if (pressed(ImGuiKey_LeftArrow)) key(FieldKey::Left, shift);
  if (pressed(ImGuiKey_RightArrow)) key(FieldKey::Right, shift);
  if (pressed(ImGuiKey_Home)) key(FieldKey::Home, shift);
  if (pressed(ImGuiKey_End)) key(FieldKey::End, shift);
  if (pressed(ImGuiKey_Backspace)) key(FieldKey::Backspace);
  if (pressed(ImGuiKey_Delete)) key(FieldKey::Delete);
  if (io.KeyCtrl) {
    if (pressed(ImGuiKey_A)) key(FieldKey::SelectAll);
    if (pressed(ImGuiKey_C)) key(FieldKey::Copy);
    if (pressed(ImGuiKey_X)) key(FieldKey::Cut);
    if (pressed(ImGuiKey_V)) key(FieldKey::Paste);
  }
}

bool TextField::draw(TextRenderer& renderer, ImDrawList* list, ImVec2 rect_min, ImVec2 rect_max,
                     const TextStyle& style, std::string_view placeholder,
                     const TextFieldColors& colors) {
  const std::uint64_t revision = m_buffer.revision();
  if (m_focused) handle_keys();

  const float height = rect_max.y - rect_min.y;
  const float pad = std::max(4.0f, std::round(style.size * 0.4f));
  const float inner_w = std::max(1.0f, rect_max.x - rect_min.x - 2 * pad);
  TextStyle one_line = style;
  one_line.max_lines = 0;
  kt::TextEngine& engine = renderer.engine();
  kt::Style field_style = to_engine_style(one_line);
  field_style.keep_trailing_spaces = true;  // the caret stands after a typed space
  auto layout = engine.layout(m_buffer.text(), field_style, 0);

  // Keys, in the order they came, each against the layout of the text as it is then.
  for (const auto& [k, shift] : m_pending_keys) {
    const std::uint64_t before = m_buffer.revision();
    apply(k, shift, *layout);
    if (m_buffer.revision() != before) layout = engine.layout(m_buffer.text(), field_style, 0);
  }
  m_pending_keys.clear();
  m_buffer.snap(*layout);

  // Horizontal placement: right-aligned when right-to-left and short; scrolled to keep the caret.
  const float text_w = layout->width;
  float base_x = layout->rtl && text_w < inner_w ? inner_w - text_w : 0;
  kt::CaretRect caret = m_buffer.caret_rect(*layout);
  if (text_w <= inner_w) {
    m_scroll = 0;
  } else {
    m_scroll = std::clamp(m_scroll, caret.x - inner_w, caret.x);
    m_scroll = std::clamp(m_scroll, 0.0f, text_w - inner_w);
  }
  const ImVec2 origin(std::round(rect_min.x + pad + base_x - m_scroll),
                      std::round(rect_min.y + (height - layout->height) * 0.5f));

  if (m_has_tap) {
    m_buffer.click(*layout, m_tap.x - origin.x, m_tap.y - origin.y, m_tap_extend);
    m_has_tap = false;
    caret = m_buffer.caret_rect(*layout);
  }

  list->AddRectFilled(rect_min, rect_max, colors.background, 6.0f);
  list->AddRect(rect_min, rect_max, m_focused ? colors.frame_focused : colors.frame, 6.0f, 0,
                m_focused ? 3.0f : 1.5f);
  list->PushClipRect(ImVec2(rect_min.x + 2, rect_min.y + 2), ImVec2(rect_max.x - 2, rect_max.y - 2), true);
  if (m_buffer.has_selection()) {
    auto [b, e] = m_buffer.selection();
    for (const kt::ClusterBox& box : layout->clusters) {
      if (box.start >= b && box.end <= e) {
        const kt::LayoutLine& line = layout->lines[box.line];
        list->AddRectFilled(ImVec2(origin.x + box.x0, origin.y + line.top),
                            ImVec2(origin.x + box.x1, origin.y + line.top + line.height), colors.selection);
      }
    }
  }
  if (m_buffer.text().empty() && !placeholder.empty()) {
    renderer.draw(list, ImVec2(rect_min.x + pad, origin.y), inner_w, placeholder, one_line, colors.placeholder);
  } else {
    renderer.draw_layout(list, origin, *layout, colors.text);
  }
  if (m_focused) {
    const float cx = std::round(origin.x + caret.x);
    const float top = origin.y + caret.top;
    list->AddRectFilled(ImVec2(cx - 1, top), ImVec2(cx + 1, top + std::max(caret.height, style.size)),
                        colors.caret);
  }
  list->PopClipRect();
  return m_buffer.revision() != revision;
}

}  // namespace kiosk::ui
