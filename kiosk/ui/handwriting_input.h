// kiosk/ui/handwriting_input.h — Chinese handwriting on the touch screen over zinnia, with
// Debian's tegaki-zinnia-simplified-chinese model.
//
// Design note:
//  H1. The model is opened (memory-mapped) in the constructor, a few milliseconds; a missing or
//      unreadable model leaves problem() set and the layout is never offered.
//  H2. Every stroke added re-classifies the whole character (zinnia is stateless between calls);
//      candidates() is zinnia's best `max_candidates`, best first, as one page.
//  H3. Strokes are kept in pad fractions (0..1) and scaled to a kCanvas-square character for
//      zinnia, so the pad's size on screen does not change what is recognised.
//  H4. choose() and commit() forget the strokes: the next character starts on an empty pad.
#pragma once

#include "input_method.h"

#include <string>
#include <vector>

struct zinnia_recognizer_t;
struct zinnia_character_t;

namespace kiosk::ui {

struct HandwritingOptions {
  std::string model = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";
  std::size_t max_candidates = 10;
};

class HandwritingInput final : public InputMethod {
 public:
  static constexpr int kCanvas = 1000;  // H3

  explicit HandwritingInput(HandwritingOptions options = {});
  ~HandwritingInput() override;
  HandwritingInput(const HandwritingInput&) = delete;
  HandwritingInput& operator=(const HandwritingInput&) = delete;

  bool ready() const override { return m_recognizer != nullptr; }
  std::string problem() const override { return m_problem; }
  bool composing() const override { return !m_strokes.empty(); }
  bool key(std::string_view) override { return false; }
  bool add_stroke(const InkStroke& stroke) override;
  bool backspace() override;
  std::string composition() const override { return {}; }
  const std::vector<std::string>& candidates() const override { return m_candidates; }
  bool has_next_page() const override { return false; }
  bool has_previous_page() const override { return false; }
  void page(int) override {}
  std::string choose(std::size_t index) override;
  std::string commit() override;
  const std::vector<InkStroke>& ink() const override { return m_strokes; }
  void clear() override;

 private:
  void classify();

  HandwritingOptions m_options;
  std::string m_problem;
  zinnia_recognizer_t* m_recognizer = nullptr;
  zinnia_character_t* m_character = nullptr;
  std::vector<InkStroke> m_strokes;
  std::vector<std::string> m_candidates;
};

}  // namespace kiosk::ui
