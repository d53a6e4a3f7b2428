// platform/service_notify.h — telling systemd the kiosk is up and alive (sd_notify).
//
// The kiosk's unit (platform/systemd/roadshow-kiosk.service) is Type=notify with WatchdogSec:
// systemd restarts the kiosk when it stops petting the watchdog, e.g. a render loop stuck in a
// driver or a deadlock, which a plain Restart=on-failure would never see.
//
// Contract:
//  1. service_ready() says READY=1; the loop calls it once, after the first frame is on screen.
//  2. service_heartbeat(now_ms) says WATCHDOG=1 at most once per kHeartbeatMs (cheaper than once
//     per frame, and far inside any sane WatchdogSec); the loop calls it once per frame AND on
//     every idle wake-up, so an untouched kiosk still pets it (idle waits are capped at
//     kIdleWakeMs for that, app.h).
//  3. Without systemd (NOTIFY_SOCKET unset: a terminal, the tests) both do nothing and cost one
//     getenv. Under cage the kiosk is cage's child, not the unit's main process: the unit sets
//     NotifyAccess=all so systemd accepts the messages, and they are sent without checking
//     WATCHDOG_PID (which names cage).
//  4. service_stopping() says STOPPING=1 when the loop leaves on a stop request.
#pragma once

namespace kiosk::platform {

inline constexpr double kHeartbeatMs = 1000;
inline constexpr int kIdleWakeMs = 2000;  // the longest an idle loop sleeps without a look

void service_ready();
void service_heartbeat(double now_ms);
void service_stopping();

}  // namespace kiosk::platform
