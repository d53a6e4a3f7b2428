// kiosk/app/health_report.h — the app's side of core/health.h: the report the staff Health
// screen, the staff home's problem band and `kiosk --health` show, assembled from the store
// (core), the machine (platform) and the pack the kiosk chose (pack_guard.h).
//  H-A1. One function assembles it for both the running kiosk and the command, so the screen and
//        the JSON never disagree about what a problem is (core::health_problems decides).
//  H-A2. It reads; it never writes the store, the pack copies or the machine.
#pragma once

#include "config.h"
#include "health.h"
#include "pack.h"
#include "pack_guard.h"

#include <string>

namespace kiosk::core {
class Store;
}

namespace kiosk::app {

struct HealthSources {
  core::Store& store;
  const Config& config;
  const content::Pack& pack;            // the pack running (or the one --health would run)
  const PackChoice& pack_choice;        // and why (fell back, warning)
  std::string integrity = "not_run";  // the on-demand full check (core::IntegrityJob::result)
  double uptime_s = -1;                 // the kiosk's own uptime; < 0 for the command
  core::PendingCount pending = core::PendingCount::exact;  // health.h H4
};

core::Health collect_health(const HealthSources& from);

}  // namespace kiosk::app
