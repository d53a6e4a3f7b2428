// kiosk/ui/pinyin_input.h — Chinese pinyin input over librime (Debian's librime and
// rime-data-luna-pinyin: the luna_pinyin_simp schema, simplified characters).
//
// Design note — librime's life in the kiosk:
//  P1. librime (and the glog it sets up) is process-global and can be set up once per process:
//      at most one PinyinInput works per process; a second reports problem() and is never offered.
//  P2. The constructor returns at once; a worker thread (started by the constructor, or by start()
//      with start_now false: the kiosk starts it after its first frame, issue 15) sets librime up
//      with the shared data
//      (/usr/share/rime-data) and the kiosk's own user data folder, and deploys: the first time it
//      compiles the schema into <user_data_dir>/build (about a second on a kiosk), later starts
//      only check it is current (milliseconds). prepare_ms() says how long it took.
//  P3. Until then (ready() false) letters typed are kept and fed to librime once it is ready, so
//      a fast typist loses nothing (input_method.h I3).
//  P4. No user dictionary: the schema is patched with translator/enable_user_dict: false, so the
//      names typed on a kiosk never land in librime's files (input_method.h I4); the user data
//      folder holds only configuration and the compiled schema.
//  P5. At most 24 letters are composed at once (more are ignored): names are a few syllables,
//      and librime's work grows with its input.
//  P6. After ready() every call is on the UI thread; the destructor joins the worker and
//      finalizes librime, so destroy it before main() returns (the app owns it): finalizing from
//      a static destructor runs after librime's own statics are gone and crashes.
#pragma once

#include "input_method.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::ui {

struct PinyinOptions {
  std::string shared_data_dir = "/usr/share/rime-data";
  std::string user_data_dir;  // required: the kiosk's own folder (<data dir>/input/rime)
  std::string schema = "luna_pinyin_simp";
  int page_size = 9;
  bool start_now = true;  // false: the worker waits for start() (P2)
};

class PinyinInput final : public InputMethod {
 public:
  explicit PinyinInput(PinyinOptions options);
  ~PinyinInput() override;
  void start();  // P2: starts the worker when the options deferred it; once
  PinyinInput(const PinyinInput&) = delete;
  PinyinInput& operator=(const PinyinInput&) = delete;

  // Blocks until the worker is done (tests, `kiosk --prepare-input`); returns ready().
  bool wait_ready();
  double prepare_ms() const { return m_prepare_ms.load(); }

  bool ready() const override { return m_ready.load(std::memory_order_acquire); }
  std::string problem() const override;
  bool composing() const override { return !m_composition.empty() || !m_pending.empty(); }
  bool key(std::string_view letters) override;
  bool add_stroke(const InkStroke&) override { return false; }
  bool backspace() override;
  std::string composition() const override { return m_pending.empty() ? m_composition : m_pending; }
  const std::vector<std::string>& candidates() const override { return m_candidates; }
  bool has_next_page() const override { return m_more; }
  bool has_previous_page() const override { return m_page > 0; }
  void page(int direction) override;
  std::string choose(std::size_t index) override;
  std::string commit() override;
  const std::vector<InkStroke>& ink() const override { return m_no_ink; }
  void clear() override;

 private:
  void prepare();           // the worker (P2)
  bool catch_up();          // P3: feeds pending letters once ready; false while not ready
  void refresh();           // reads librime's context into the members below
  std::string take_commit();

  PinyinOptions m_options;
  std::thread m_worker;
  std::atomic<bool> m_ready{false};
  std::atomic<bool> m_done{false};
  std::atomic<double> m_prepare_ms{0};
  mutable std::mutex m_problem_mutex;
  std::string m_problem;
  bool m_owns_rime = false;
  std::uintptr_t m_session = 0;

  std::string m_pending;  // letters typed before ready (P3)
  std::string m_composition;
  std::vector<std::string> m_candidates;
  bool m_more = false;
  int m_page = 0;
  std::vector<InkStroke> m_no_ink;
};

}  // namespace kiosk::ui
