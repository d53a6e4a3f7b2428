// kiosk/ui/handwriting_input.cpp — see handwriting_input.h (design note H1-H4 there).
#include "handwriting_input.h"

#include <zinnia.h>

#include <algorithm>
#include <cmath>

namespace kiosk::ui {

HandwritingInput::HandwritingInput(HandwritingOptions options) : m_options(std::move(options)) {
  zinnia_recognizer_t* r = zinnia_recognizer_new();
  if (!r) {
    m_problem = "handwriting: zinnia could not start";
    return;
  }
  if (!zinnia_recognizer_open(r, m_options.model.c_str())) {
    m_problem = "handwriting: " + m_options.model + ": " + zinnia_recognizer_strerror(r) +
                " (install tegaki-zinnia-simplified-chinese: platform/setup/install-deps)";
    zinnia_recognizer_destroy(r);
    return;
  }
  m_character = zinnia_character_new();
  if (!m_character) {
    m_problem = "handwriting: zinnia could not start";
    zinnia_recognizer_destroy(r);
    return;
  }
  m_recognizer = r;
}

HandwritingInput::~HandwritingInput() {
  if (m_character) zinnia_character_destroy(m_character);
  if (m_recognizer) zinnia_recognizer_destroy(m_recognizer);
}

bool HandwritingInput::add_stroke(const InkStroke& stroke) {
  if (!ready() || stroke.empty()) return false;
  InkStroke kept;
  for (const InkPoint& p : stroke)
    if (std::isfinite(p.x) && std::isfinite(p.y))
      kept.push_back({std::clamp(p.x, 0.0f, 1.0f), std::clamp(p.y, 0.0f, 1.0f)});
  if (kept.empty()) return false;
  m_strokes.push_back(std::move(kept));
  classify();
  return true;
}

bool HandwritingInput::backspace() {
  if (m_strokes.empty()) return false;
  m_strokes.pop_back();
  classify();
  return true;
}

void HandwritingInput::classify() {
  m_candidates.clear();
  if (!ready() || m_strokes.empty()) return;
  zinnia_character_clear(m_character);
  zinnia_character_set_width(m_character, kCanvas);
  zinnia_character_set_height(m_character, kCanvas);
  for (std::size_t s = 0; s < m_strokes.size(); ++s)
    for (const InkPoint& p : m_strokes[s])
      zinnia_character_add(m_character, s, static_cast<int>(std::lround(p.x * kCanvas)),
                           static_cast<int>(std::lround(p.y * kCanvas)));
  zinnia_result_t* result = zinnia_recognizer_classify(m_recognizer, m_character, m_options.max_candidates);
  if (!result) return;
  for (std::size_t i = 0; i < zinnia_result_size(result); ++i) {
    const char* v = zinnia_result_value(result, i);
    if (v && *v && std::find(m_candidates.begin(), m_candidates.end(), v) == m_candidates.end())
      m_candidates.emplace_back(v);
  }
  zinnia_result_destroy(result);
}

std::string HandwritingInput::choose(std::size_t index) {
  if (index >= m_candidates.size()) return {};
  std::string text = m_candidates[index];
  clear();
  return text;
}

std::string HandwritingInput::commit() {
  if (m_candidates.empty()) {
    clear();
    return {};
  }
  return choose(0);
}

void HandwritingInput::clear() {
  m_strokes.clear();
  m_candidates.clear();
}

}  // namespace kiosk::ui
