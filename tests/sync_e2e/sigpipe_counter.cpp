// tests/sync_e2e/main.cpp — Catch2's main, plus a SIGPIPE counter.
//
// The kiosk keeps SIGPIPE's default disposition (nothing in kiosk/ or sync/ changes it), so a
// SIGPIPE raised inside KioskSync::send_now would kill the kiosk. Here it is counted instead, so
// a test can assert that a cut connection raised none (sigpipe_count() before == after) and go on
// checking the marks rather than dying without a message.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>

namespace {
std::atomic<int> g_sigpipes{0};
void count_sigpipe(int) { g_sigpipes.fetch_add(1, std::memory_order_relaxed); }
}  // namespace

namespace e2e {
int sigpipe_count() { return g_sigpipes.load(); }
}  // namespace e2e

int main(int argc, char** argv) {
  struct sigaction sa {};
  sa.sa_handler = count_sigpipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGPIPE, &sa, nullptr);
  return Catch::Session().run(argc, argv);
}
