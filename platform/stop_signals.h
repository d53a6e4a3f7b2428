// platform/stop_signals.h — SIGTERM and SIGINT as a polite request to stop.
//
// Contract:
//  1. install_stop_signals() replaces the default action of SIGTERM and SIGINT (which kills the
//     process mid-frame) with a handler that only records the signal. It is installed without
//     SA_RESTART, so a blocking wait returns early (EINTR) and the loop gets to look.
//  2. The kiosk's loops (live, script, screenshot, benchmarks) check stop_requested() at least
//     once per frame, per script command and per idle wake-up (app.h: idle waits are capped),
//     then leave through their normal path: the store is closed, "stopped" is logged, exit 0.
//  3. One-shot command-line tools (--add-staff, --sync-now, ...) do not install it: each of their
//     changes is one SQLite transaction, so the default action (the process ends) never leaves a
//     half-written store, and a technician's Ctrl+C ends them at once.
//  4. SDL must not install its own handlers (SDL_HINT_NO_SIGNAL_HANDLERS, set by
//     platform::Window::open): they turn the signals into SDL_QUIT, which kiosk mode ignores.
//  5. The flag is process-wide (a signal handler cannot reach an object); async-signal-safe.
#pragma once

namespace kiosk::platform {

void install_stop_signals();
// True once SIGTERM or SIGINT arrived.
bool stop_requested();
// "SIGTERM", "SIGINT", or "" when none arrived.
const char* stop_signal_name();

}  // namespace kiosk::platform
