// tests/sync_e2e/sigpipe_counter.cpp — a SIGPIPE counter, installed before Catch2's main runs.
//
// The kiosk keeps SIGPIPE's default disposition (nothing in kiosk/ or sync/ changes it), so a
// SIGPIPE raised inside KioskSync::send_now would kill the kiosk. Here it is counted instead, so
// a test can assert that a cut connection raised none (sigpipe_count() before == after) and go on
// checking the marks rather than dying without a message. The handler is installed by a static
// initializer of this file, so the suite shares the one Catch2 main (tests/catch_main.cpp).
#include <signal.h>

#include <atomic>

namespace {

std::atomic<int> g_sigpipes{0};

void count_sigpipe(int) { g_sigpipes.fetch_add(1, std::memory_order_relaxed); }

const bool g_installed = [] {
  struct sigaction sa {};
  sa.sa_handler = count_sigpipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  return sigaction(SIGPIPE, &sa, nullptr) == 0;
}();

}  // namespace

namespace e2e {
int sigpipe_count() { return g_installed ? g_sigpipes.load() : -1; }
}  // namespace e2e
