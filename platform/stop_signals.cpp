// SIGTERM / SIGINT as a stop request (stop_signals.h).
#include "stop_signals.h"

#include <csignal>

namespace kiosk::platform {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;  // rule 5: the only state a handler may touch

extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

}  // namespace

void install_stop_signals() {
  struct sigaction sa{};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // rule 1: no SA_RESTART, blocking waits return early
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

bool stop_requested() { return g_stop_signal != 0; }

const char* stop_signal_name() {
  switch (g_stop_signal) {
    case 0: return "";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    default: return "a signal";  // impossible: only those two are installed
  }
}

}  // namespace kiosk::platform
