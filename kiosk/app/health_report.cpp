// kiosk/app/health.cpp — the app's side of core/health.h: what the Health screen and
// `kiosk --health` report, assembled from the store (core), the machine (platform) and the pack
// the kiosk chose (pack_guard).
#include "app.h"

#include "health.h"
#include "kiosk_backup.h"
#include "pack_guard.h"

#include <cstdio>

namespace kiosk::app {

core::Health App::collect_health() {
  core::Health h;
  h.version = KIOSK_VERSION;
  if (m_window) h.uptime_s = (platform::monotonic_ms() - m_start_ms) / 1000.0;
  std::string error;
  if (!core::read_store_health(*m_store, store_path(m_config), &h, &error))
    std::fprintf(stderr, "kiosk: health: %s\n", error.c_str());
  const platform::SystemFacts sys = platform::system_facts(m_config.data_dir);
  h.disk_free_bytes = sys.disk_free_bytes;
  h.disk_total_bytes = sys.disk_total_bytes;
  h.rss_bytes = sys.rss_bytes;
  h.power = sys.power;
  h.battery_percent = sys.battery_percent;
  h.battery_minutes = sys.battery_minutes;
  h.machine_uptime_s = sys.machine_uptime_s;
  h.pack_id = m_pack.id;
  h.pack_fell_back = m_pack_choice.fell_back;
  h.pack_warning = m_pack_choice.warning;
  h.integrity = m_integrity.result();
  h.last_backup_at = sync::last_backup_at(m_config.data_dir);
  return h;
}

// `kiosk --health`: the report as JSON on stdout, for a technician or a monitoring script. Exit
// 0 when health_problems() is empty, 1 when staff have something to act on (or the store cannot
// be opened), 2 never (usage errors are main's).
int App::run_health() {
  std::string error;
  if (!open_store_for_tool(&error)) {
    std::fprintf(stderr, "kiosk: %s\n", error.c_str());
    return 1;
  }
  if (!m_config.pack_path.empty()) {
    // The same choice the kiosk makes at start (it may check an edited pack again).
    if (choose_pack(m_config.pack_path, m_config.data_dir, &m_pack_choice, &error)) {
      std::vector<std::string> problems;
      if (!content::load_pack(m_pack_choice.path, &m_pack, &problems)) m_pack_choice.fell_back = true;
    } else {
      m_pack_choice.fell_back = true;
      m_pack_choice.warning = error;
    }
  }
  const core::Health h = collect_health();
  std::printf("%s\n", core::health_json(h, m_store->now_iso()).c_str());
  return core::health_problems(h, m_store->now_iso()).empty() ? 0 : 1;
}

}  // namespace kiosk::app
