// kiosk/ui/pinyin_input.cpp — see pinyin_input.h (design note P1-P5 there).
#include "pinyin_input.h"

#include <dlfcn.h>
#include <rime_api.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kiosk::ui {
namespace fs = std::filesystem;
namespace {

// X11 keysyms librime understands (letters are their ASCII codes).
constexpr int kBackSpace = 0xff08;
constexpr int kPageUp = 0xff55;
constexpr int kPageDown = 0xff56;
// Letters composed at most: a few syllables make a name, and librime's search grows with the
// input (random letters: 0.8 ms a key at 5 letters, 3.4 ms at 20).
constexpr std::size_t kMaxLetters = 24;

// P1: librime can be set up once per process.
std::atomic<bool> g_rime_claimed{false};

// librime is opened by the worker that sets it up (dlopen), not linked into the kiosk: it and its
// eleven libraries (boost, glog, leveldb, opencc...) cost every start about 7 ms of dynamic
// linking before main() (issue 15, start to first frame). Opened once, never closed (P1).
constexpr const char* kRimeLibrary = "librime.so.1";  // Debian's librime1
std::atomic<RimeApi*> g_api{nullptr};

RimeApi* api() { return g_api.load(std::memory_order_acquire); }

bool open_rime(std::string* why) {
  if (api()) return true;
  void* lib = ::dlopen(kRimeLibrary, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* e = ::dlerror();
    *why = std::string("cannot load ") + kRimeLibrary + ": " + (e ? e : "unknown error") +
           " (install librime1: platform/setup/install-deps)";
    return false;
  }
  using GetApi = RimeApi* (*)();
  auto get = reinterpret_cast<GetApi>(::dlsym(lib, "rime_get_api"));
  RimeApi* found = get ? get() : nullptr;
  if (!found) {
    *why = std::string(kRimeLibrary) + " has no usable rime_get_api";
    return false;
  }
  g_api.store(found, std::memory_order_release);
  return true;
}

// Writes `text` to `path` unless it already holds exactly that: librime redeploys when a
// configuration file is newer than its build, so an unchanged file keeps later starts fast.
bool write_if_changed(const fs::path& path, const std::string& text, std::string* error) {
  {
    std::ifstream in(path, std::ios::binary);
    std::stringstream old;
    if (in) old << in.rdbuf();
    if (in && old.str() == text) return true;
  }
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      *error = tmp.string() + ": cannot write";
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    *error = path.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace

PinyinInput::PinyinInput(PinyinOptions options) : m_options(std::move(options)) {
  if (g_rime_claimed.exchange(true)) {
    m_problem = "librime is already in use in this process (it can be set up only once)";
    m_done = true;
    return;
  }
  m_owns_rime = true;
  if (m_options.start_now) start();
}

void PinyinInput::start() {
  if (m_owns_rime && !m_worker.joinable() && !m_done) m_worker = std::thread([this] { prepare(); });
}

PinyinInput::~PinyinInput() {
  if (m_worker.joinable()) m_worker.join();
  if (!m_owns_rime) return;
  if (api()) {  // not opened when the worker never started
    if (m_session) api()->destroy_session(m_session);
    api()->finalize();
  }
  g_rime_claimed = false;
}

bool PinyinInput::wait_ready() {
  if (m_worker.joinable()) m_worker.join();
  return ready();
}

std::string PinyinInput::problem() const {
  std::lock_guard<std::mutex> lock(m_problem_mutex);
  return m_problem;
}

void PinyinInput::prepare() {
  const auto start = std::chrono::steady_clock::now();
  auto fail = [&](std::string why) {
    std::lock_guard<std::mutex> lock(m_problem_mutex);
    m_problem = "pinyin: " + why;
    std::fprintf(stderr, "kiosk: %s (the pinyin keyboard is not offered)\n", m_problem.c_str());
    m_done = true;
  };
  std::error_code ec;
  const fs::path shared(m_options.shared_data_dir), user(m_options.user_data_dir);
  if (m_options.user_data_dir.empty()) return fail("no user data folder given");
  if (!fs::exists(shared / "luna_pinyin.dict.yaml", ec) || !fs::exists(shared / "default.yaml", ec))
    return fail(m_options.shared_data_dir +
                " lacks luna_pinyin.dict.yaml or default.yaml (install rime-data-luna-pinyin and "
                "rime-prelude: platform/setup/install-deps)");
  fs::create_directories(user, ec);
  if (ec) return fail(m_options.user_data_dir + ": " + ec.message());
  std::string error;
  // Only our schema is deployed (default.yaml lists a dozen the kiosk does not have), with a page
  // of page_size candidates; and no user dictionary (P4).
  const std::string defaults = "# written by the kiosk (kiosk/ui/pinyin_input.cpp)\npatch:\n"
                               "  schema_list:\n    - schema: " + m_options.schema + "\n"
                               "  menu/page_size: " + std::to_string(m_options.page_size) + "\n";
  const std::string schema_patch = "# written by the kiosk (kiosk/ui/pinyin_input.cpp): names typed "
                                   "on a kiosk are personal data, librime must not learn them\n"
                                   "patch:\n  translator/enable_user_dict: false\n";
  if (!write_if_changed(user / "default.custom.yaml", defaults, &error) ||
      !write_if_changed(user / (m_options.schema + ".custom.yaml"), schema_patch, &error))
    return fail(error);

  if (!open_rime(&error)) return fail(error);
  RIME_STRUCT(RimeTraits, traits);
  traits.shared_data_dir = m_options.shared_data_dir.c_str();
  traits.user_data_dir = m_options.user_data_dir.c_str();
  traits.distribution_name = "Roadshow Kiosk";
  traits.distribution_code_name = "roadshow-kiosk";
  traits.distribution_version = "1";
  traits.app_name = "rime.roadshow-kiosk";
  traits.min_log_level = 3;  // FATAL only: librime's notes are not the kiosk's log
  traits.log_dir = "";       // and no log files anywhere
  api()->setup(&traits);
  api()->initialize(&traits);
  if (api()->start_maintenance(False)) api()->join_maintenance_thread();
  const RimeSessionId session = api()->create_session();
  if (!session) return fail("librime could not open a session");
  if (!api()->select_schema(session, m_options.schema.c_str())) {
    api()->destroy_session(session);
    return fail("the schema " + m_options.schema + " did not deploy into " + m_options.user_data_dir);
  }
  m_session = session;
  m_prepare_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  m_done = true;
  m_ready.store(true, std::memory_order_release);
}

bool PinyinInput::catch_up() {
  if (!ready()) return false;
  if (!m_pending.empty()) {
    const std::string letters = std::move(m_pending);
    m_pending.clear();
    for (char c : letters) api()->process_key(m_session, static_cast<unsigned char>(c), 0);
    refresh();
  }
  return true;
}

void PinyinInput::refresh() {
  m_composition.clear();
  m_candidates.clear();
  m_more = false;
  m_page = 0;
  RIME_STRUCT(RimeContext, ctx);
  if (!api()->get_context(m_session, &ctx)) return;
  if (ctx.composition.preedit) m_composition = ctx.composition.preedit;
  for (int i = 0; i < ctx.menu.num_candidates; ++i)
    if (ctx.menu.candidates[i].text && *ctx.menu.candidates[i].text)
      m_candidates.emplace_back(ctx.menu.candidates[i].text);
  m_more = ctx.menu.num_candidates > 0 && !ctx.menu.is_last_page;
  m_page = ctx.menu.page_no;
  api()->free_context(&ctx);
}

std::string PinyinInput::take_commit() {
  std::string text;
  RIME_STRUCT(RimeCommit, commit);
  if (api()->get_commit(m_session, &commit)) {
    if (commit.text) text = commit.text;
    api()->free_commit(&commit);
  }
  return text;
}

bool PinyinInput::key(std::string_view letters) {
  for (char c : letters) {
    if (!((c >= 'a' && c <= 'z') || c == '\'')) continue;  // pinyin takes letters and '
    if (c == '\'' && !composing()) continue;                 // a separator starts nothing
    if (!ready()) {
      if (m_pending.size() < kMaxLetters) m_pending.push_back(c);
      continue;
    }
    catch_up();
    const char* input = api()->get_input(m_session);
    if (input && std::strlen(input) >= kMaxLetters) continue;  // a name, not an essay
    api()->process_key(m_session, c, 0);
  }
  if (ready()) refresh();
  return true;
}

bool PinyinInput::backspace() {
  if (!composing()) return false;
  if (!catch_up()) {
    m_pending.pop_back();
    return true;
  }
  api()->process_key(m_session, kBackSpace, 0);
  refresh();
  return true;
}

void PinyinInput::page(int direction) {
  if (!catch_up() || direction == 0) return;
  api()->process_key(m_session, direction > 0 ? kPageDown : kPageUp, 0);
  refresh();
}

std::string PinyinInput::choose(std::size_t index) {
  if (!catch_up() || index >= m_candidates.size()) return {};
  api()->select_candidate_on_current_page(m_session, index);
  std::string text = take_commit();
  refresh();
  return text;
}

std::string PinyinInput::commit() {
  if (!catch_up()) {  // not ready yet: the letters themselves, rather than nothing
    std::string letters = std::move(m_pending);
    m_pending.clear();
    return letters;
  }
  if (!composing()) return {};
  api()->commit_composition(m_session);
  std::string text = take_commit();
  refresh();
  return text;
}

void PinyinInput::clear() {
  m_pending.clear();
  if (ready()) {
    api()->clear_composition(m_session);
    take_commit();
    refresh();
  }
}

}  // namespace kiosk::ui
