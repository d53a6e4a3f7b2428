// kiosk/app/health_report.cpp — collect_health (health_report.h H-A1, H-A2) and `kiosk --health`
// (admin_commands.h).
#include "health_report.h"

#include "admin_tool.h"
#include "kiosk_backup.h"
#include "platform.h"
#include "store.h"

#include <cstdio>

namespace kiosk::app {

core::Health collect_health(const HealthSources& from) {
  core::Health h;
  h.version = KIOSK_VERSION;
  h.uptime_s = from.uptime_s;
  std::string error;
  if (!core::read_store_health(from.store, store_path(from.config), &h, &error, from.pending))
    std::fprintf(stderr, "kiosk: health: %s\n", error.c_str());
  const platform::SystemFacts sys = platform::system_facts(from.config.data_dir);
  h.disk_free_bytes = sys.disk_free_bytes;
  h.disk_total_bytes = sys.disk_total_bytes;
  h.rss_bytes = sys.rss_bytes;
  h.power = sys.power;
  h.battery_percent = sys.battery_percent;
  h.battery_minutes = sys.battery_minutes;
  h.machine_uptime_s = sys.machine_uptime_s;
  h.pack_id = from.pack.id;
  h.pack_fell_back = from.pack_choice.fell_back;
  h.pack_warning = from.pack_choice.warning;
  h.integrity = from.integrity;
  h.last_backup_at = sync::last_backup_at(from.config.data_dir);
  return h;
}

// `kiosk --health`: the report as JSON on stdout, for a technician or a monitoring script. Exit
// 0 when health_problems() is empty, 1 when staff have something to act on (or the store cannot
// be opened), 2 never (usage errors are main's).
int AdminTool::health() {
  std::string error;
  if (!open_store(&error)) return open_failed(error);
  content::Pack pack;
  PackChoice choice;
  if (!m_config.pack_path.empty()) {
    // The same decisions the kiosk makes at start, as a look that changes nothing (pack_guard.h
    // G3): a running kiosk's pack copies are never touched by a health check.
    if (choose_pack(m_config.pack_path, m_config.data_dir, &choice, &error, PackLook::look)) {
      std::vector<std::string> problems;
      if (!content::load_pack(choice.path, &pack, &problems)) choice.fell_back = true;
    } else {
      choice.fell_back = true;
      choice.warning = error;
    }
  }
  const core::Health h = collect_health(HealthSources{*m_store, m_config, pack, choice, "not_run", -1});
  std::printf("%s\n", core::health_json(h, m_store->now_iso()).c_str());
  return core::health_problems(h, m_store->now_iso()).empty() ? 0 : 1;
}

}  // namespace kiosk::app
