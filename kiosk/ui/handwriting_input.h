// kiosk/ui/handwriting_input.h — Chinese handwriting on the touch screen over zinnia, with
// Debian's tegaki-zinnia-simplified-chinese model.
//
// Design note:
//  H1. The model is read on the engine's worker, first thing (20-30 ms that a kiosk's start to
//      first frame used to wait for, issue 15; the kiosk starts the worker after that frame,
//      start_now false); ready() is false until then, and strokes drawn
//      meanwhile are kept and classified after it (input_method.h I3). A model file that is not
//      there or not readable sets problem() in the constructor; one zinnia cannot read sets it
//      when the worker finds out. With problem() set the layout is never offered.
//  H2. Every stroke added re-classifies the whole character (zinnia is stateless between calls);
//      candidates() is zinnia's best `max_candidates`, best first, as one page.
//  H3. Strokes are kept in pad fractions (0..1) and scaled to a kCanvas-square character for
//      zinnia, so the pad's size on screen does not change what is recognised.
//  H4. choose() and commit() forget the strokes: the next character starts on an empty pad.
//  H5. Classification (about 9 ms a stroke) runs on the engine's own worker thread, never on the
//      UI thread: add_stroke() and backspace() hand the strokes over and return; the worker
//      classifies the latest request only (an older one still queued is dropped) and the
//      candidates of the strokes now on the pad appear on the first candidates() call after it
//      finished. Until then candidates() keeps showing the previous ones and busy() is true (the
//      keyboard asks for frames). commit() waits for the pending result (one classification at
//      most), so the best reading of every stroke is what it returns. zinnia's recognizer and
//      character are touched by the worker alone; everything else is the UI thread's (I5).
#pragma once

#include "input_method.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

struct zinnia_recognizer_t;
struct zinnia_character_t;

namespace kiosk::ui {

struct HandwritingOptions {
  std::string model = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";
  std::size_t max_candidates = 10;
  bool start_now = true;  // false: the worker (and the model's read) waits for start() (H1)
  // Tests only: called on the worker before each classification (e.g. to hold it there).
  std::function<void()> before_classify;
};

class HandwritingInput final : public InputMethod {
 public:
  static constexpr int kCanvas = 1000;  // H3

  explicit HandwritingInput(HandwritingOptions options = {});
  ~HandwritingInput() override;
  void start();  // H1: starts the worker when the options deferred it; once
  HandwritingInput(const HandwritingInput&) = delete;
  HandwritingInput& operator=(const HandwritingInput&) = delete;

  bool ready() const override;
  bool busy() const override;
  std::string problem() const override;
  bool composing() const override { return !m_strokes.empty(); }
  bool key(std::string_view) override { return false; }
  bool add_stroke(const InkStroke& stroke) override;
  bool backspace() override;
  std::string composition() const override { return {}; }
  const std::vector<std::string>& candidates() const override;
  bool has_next_page() const override { return false; }
  bool has_previous_page() const override { return false; }
  void page(int) override {}
  std::string choose(std::size_t index) override;
  std::string commit() override;
  const std::vector<InkStroke>& ink() const override { return m_strokes; }
  void clear() override;
  // Waits (at most timeout_ms) until the candidates of the strokes on the pad are ready; false
  // on timeout. For tests and the harness; the kiosk itself never waits (H5).
  bool wait_idle(double timeout_ms = 5000) const;
  // Waits (at most timeout_ms) until the model is read; true when it could be (H1).
  bool wait_ready(double timeout_ms = 5000) const;

 private:
  struct Request {
    std::vector<InkStroke> strokes;
    std::uint64_t generation = 0;
  };
  void request();                                              // UI thread
  void work();                                                 // the worker
  void open_model();                                           // the worker, first
  std::vector<std::string> classify(const std::vector<InkStroke>& strokes);  // the worker

  HandwritingOptions m_options;
  zinnia_recognizer_t* m_recognizer = nullptr;  // the worker's
  zinnia_character_t* m_character = nullptr;   // the worker's
  // UI thread.
  std::vector<InkStroke> m_strokes;
  std::uint64_t m_generation = 0;  // bumped by every change of m_strokes
  mutable std::vector<std::string> m_candidates;
  mutable std::uint64_t m_shown_generation = 0;  // the strokes m_candidates are for
  // Shared, under m_mutex.
  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  std::optional<Request> m_pending;
  std::uint64_t m_result_generation = 0;
  std::vector<std::string> m_result;
  bool m_stop = false;
  std::string m_problem;
  bool m_opened = false;
  std::thread m_worker;  // last: started once the rest exists
};

}  // namespace kiosk::ui
