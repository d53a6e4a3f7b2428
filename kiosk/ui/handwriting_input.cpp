// kiosk/ui/handwriting_input.cpp — see handwriting_input.h (design note H1-H5 there).
#include "handwriting_input.h"

#include <unistd.h>
#include <zinnia.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

namespace kiosk::ui {

namespace {
constexpr const char* kInstallHint =
    " (install tegaki-zinnia-simplified-chinese: platform/setup/install-deps)";
}  // namespace

HandwritingInput::HandwritingInput(HandwritingOptions options) : m_options(std::move(options)) {
  // H1: a model that is not there is said at once; reading it is the worker's first job.
  if (::access(m_options.model.c_str(), R_OK) != 0) {
    m_problem = "handwriting: " + m_options.model + ": " + std::strerror(errno) + kInstallHint;
    return;
  }
  if (m_options.start_now) start();
}

void HandwritingInput::start() {
  if (!m_worker.joinable() && m_problem.empty()) m_worker = std::thread([this] { work(); });
}

HandwritingInput::~HandwritingInput() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
  }
  m_changed.notify_all();
  if (m_worker.joinable()) m_worker.join();
  if (m_character) zinnia_character_destroy(m_character);
  if (m_recognizer) zinnia_recognizer_destroy(m_recognizer);
}

// The worker, before its first classification (H1).
void HandwritingInput::open_model() {
  std::string problem;
  zinnia_recognizer_t* r = zinnia_recognizer_new();
  if (!r) {
    problem = "handwriting: zinnia could not start";
  } else if (!zinnia_recognizer_open(r, m_options.model.c_str())) {
    problem = "handwriting: " + m_options.model + ": " + zinnia_recognizer_strerror(r) + kInstallHint;
    zinnia_recognizer_destroy(r);
    r = nullptr;
  } else if (!(m_character = zinnia_character_new())) {
    problem = "handwriting: zinnia could not start";
    zinnia_recognizer_destroy(r);
    r = nullptr;
  }
  m_recognizer = r;
  std::lock_guard<std::mutex> lock(m_mutex);
  m_problem = problem;
  m_opened = r != nullptr;
  m_changed.notify_all();
}

bool HandwritingInput::ready() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_opened;
}

std::string HandwritingInput::problem() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_problem;
}

bool HandwritingInput::wait_ready(double timeout_ms) const {
  std::unique_lock<std::mutex> lock(m_mutex);
  m_changed.wait_for(lock, std::chrono::duration<double, std::milli>(timeout_ms),
                     [this] { return m_opened || !m_problem.empty(); });
  return m_opened;
}

bool HandwritingInput::add_stroke(const InkStroke& stroke) {
  // I3: strokes drawn while the model is still being read are kept and classified after it.
  if (stroke.empty() || !problem().empty()) return false;
  InkStroke kept;
  for (const InkPoint& p : stroke)
    if (std::isfinite(p.x) && std::isfinite(p.y))
      kept.push_back({std::clamp(p.x, 0.0f, 1.0f), std::clamp(p.y, 0.0f, 1.0f)});
  if (kept.empty()) return false;
  m_strokes.push_back(std::move(kept));
  request();
  return true;
}

bool HandwritingInput::backspace() {
  if (m_strokes.empty()) return false;
  m_strokes.pop_back();
  if (m_strokes.empty()) clear();
  else request();
  return true;
}

// H5: the strokes as they are now go to the worker; a request it has not started is replaced.
void HandwritingInput::request() {
  ++m_generation;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending = Request{m_strokes, m_generation};
  }
  m_changed.notify_all();
}

void HandwritingInput::work() {
  open_model();
  std::unique_lock<std::mutex> lock(m_mutex);
  for (;;) {
    m_changed.wait(lock, [this] { return m_stop || m_pending.has_value(); });
    if (m_stop) return;
    Request job = std::move(*m_pending);
    m_pending.reset();
    lock.unlock();
    if (m_options.before_classify) m_options.before_classify();
    std::vector<std::string> found = classify(job.strokes);
    lock.lock();
    if (job.generation > m_result_generation) {
      m_result_generation = job.generation;
      m_result = std::move(found);
    }
    m_changed.notify_all();
  }
}

std::vector<std::string> HandwritingInput::classify(const std::vector<InkStroke>& strokes) {
  std::vector<std::string> out;
  if (!m_recognizer) return out;  // the model could not be read: problem() says why
  zinnia_character_clear(m_character);
  zinnia_character_set_width(m_character, kCanvas);
  zinnia_character_set_height(m_character, kCanvas);
  for (std::size_t s = 0; s < strokes.size(); ++s)
    for (const InkPoint& p : strokes[s])
      zinnia_character_add(m_character, s, static_cast<int>(std::lround(p.x * kCanvas)),
                           static_cast<int>(std::lround(p.y * kCanvas)));
  zinnia_result_t* result = zinnia_recognizer_classify(m_recognizer, m_character, m_options.max_candidates);
  if (!result) return out;
  for (std::size_t i = 0; i < zinnia_result_size(result); ++i) {
    const char* v = zinnia_result_value(result, i);
    if (v && *v && std::find(out.begin(), out.end(), v) == out.end()) out.emplace_back(v);
  }
  zinnia_result_destroy(result);
  return out;
}

bool HandwritingInput::busy() const {
  if (m_strokes.empty()) return false;
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_result_generation != m_generation;
}

const std::vector<std::string>& HandwritingInput::candidates() const {
  if (!m_strokes.empty()) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_result_generation == m_generation && m_shown_generation != m_generation) {
      m_candidates = m_result;
      m_shown_generation = m_generation;
    }
  }
  return m_candidates;
}

bool HandwritingInput::wait_idle(double timeout_ms) const {
  if (m_strokes.empty()) return true;
  std::unique_lock<std::mutex> lock(m_mutex);
  return m_changed.wait_for(lock, std::chrono::duration<double, std::milli>(timeout_ms),
                            [this] { return m_result_generation == m_generation; });
}

std::string HandwritingInput::choose(std::size_t index) {
  if (index >= m_candidates.size()) return {};
  std::string text = m_candidates[index];
  clear();
  return text;
}

std::string HandwritingInput::commit() {
  // The best reading of every stroke on the pad, not of the strokes before the last (H5).
  wait_idle();
  candidates();
  if (m_candidates.empty()) {
    clear();
    return {};
  }
  return choose(0);
}

void HandwritingInput::clear() {
  m_strokes.clear();
  m_candidates.clear();
  ++m_generation;  // a result still on its way is for strokes no longer on the pad
  std::lock_guard<std::mutex> lock(m_mutex);
  m_pending.reset();
}

}  // namespace kiosk::ui
