// sd_notify for the systemd unit's readiness and watchdog (service_notify.h).
#include "service_notify.h"

#include <systemd/sd-daemon.h>

namespace kiosk::platform {
namespace {
double g_last_heartbeat_ms = -1e18;  // UI thread only (the loop)
}  // namespace

void service_ready() { sd_notify(0, "READY=1"); }

void service_heartbeat(double now_ms) {
  if (now_ms - g_last_heartbeat_ms < kHeartbeatMs) return;
  g_last_heartbeat_ms = now_ms;
  sd_notify(0, "WATCHDOG=1");
}

void service_stopping() { sd_notify(0, "STOPPING=1"); }

}  // namespace kiosk::platform
