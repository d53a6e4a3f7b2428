// kiosk/ui/input_method.h — input methods that compose text from keys or strokes and offer
// candidates to choose from (Chinese pinyin, Chinese handwriting). The interface is pure: the
// on-screen keyboard (keyboard_logic.h) drives it without knowing the engine; the engines over
// librime and zinnia are pinyin_input.h and handwriting_input.h (library kiosk_input_methods).
//
// Contract of every InputMethod:
//  I1. Nothing reaches the text field until choose() returns it: what is composed (pinyin
//      letters, strokes) lives in the input method, and clear() forgets it.
//  I2. candidates() is the current page, best first, every entry non-empty and distinct.
//  I3. An input method that is still preparing (ready() false: librime compiles its schema the
//      first time) keeps what was typed and shows it once ready; one that cannot work at all
//      (problem() non-empty: data missing) is never offered by the keyboard.
//  I4. Nothing typed is kept after clear() or destruction, on disk or in memory: names are
//      personal data (the pinyin engine learns no user words).
//  I5. UI thread only, except where an implementation says otherwise.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::ui {

// A point of a handwritten stroke, as a fraction of the writing pad's side (0..1, y down).
struct InkPoint {
  float x = 0, y = 0;
};
using InkStroke = std::vector<InkPoint>;

class InputMethod {
 public:
  virtual ~InputMethod() = default;

  virtual bool ready() const = 0;
  virtual std::string problem() const = 0;  // "" when it works; else why not (for the log)
  virtual bool composing() const = 0;       // something typed or written awaits a choice
  // Work for what was typed is under way on another thread: the keyboard draws again soon.
  virtual bool busy() const { return false; }

  // Pinyin letters (a-z, ' to separate syllables). Returns false if the method takes no keys.
  virtual bool key(std::string_view letters) = 0;
  // One handwritten stroke (at least one point). Returns false if the method takes no strokes.
  virtual bool add_stroke(const InkStroke& stroke) = 0;
  // Undoes the last letter or stroke; false when nothing is composed (the field's turn).
  virtual bool backspace() = 0;

  // What is being composed, as shown above the candidates ("zhang wei", "张wei"); may be empty.
  virtual std::string composition() const = 0;
  virtual const std::vector<std::string>& candidates() const = 0;
  virtual bool has_next_page() const = 0;
  virtual bool has_previous_page() const = 0;
  virtual void page(int direction) = 0;  // +1 next, -1 previous
  // Chooses candidate `index` of the page. Returns the text for the field; empty while more
  // remains to compose (pinyin "zhangwei": 张 first, then 伟).
  virtual std::string choose(std::size_t index) = 0;
  // End of input (space, ✓, a layout switch, focus leaving the field): returns the best reading
  // of everything composed (the first candidate, as the bar shows it lit) and clears.
  virtual std::string commit() = 0;
  // The strokes written so far, for the pad to draw (empty for key input).
  virtual const std::vector<InkStroke>& ink() const = 0;
  virtual void clear() = 0;
};

// The input methods a keyboard may use, by the name a layout gives in `input = "..."`.
// Holds no ownership; the app owns the engines and outlives every keyboard.
class InputMethodSet {
 public:
  void add(std::string name, InputMethod* method) { m_methods.push_back({std::move(name), method}); }
  InputMethod* find(std::string_view name) const {
    for (const auto& [n, m] : m_methods)
      if (n == name) return m;
    return nullptr;
  }

 private:
  std::vector<std::pair<std::string, InputMethod*>> m_methods;
};

}  // namespace kiosk::ui
