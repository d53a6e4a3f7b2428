// kiosk/core/health.h — how the kiosk is doing, for staff (the Health screen), technicians
// (`kiosk --health`, JSON) and the staff home screen's warnings.
//
// The report is plain data. The store's part is read here (read_store_health); the platform's
// part (disk, memory, power) and the pack's verdict are filled in by the app, which owns them.
//
// Rules:
//  H1. Reading health never writes to the store and never blocks on a long check: the open
//      check (quick_check, store.h invariants 8 and 9) is the one the store passed when it was
//      opened, or the one still running after open (then "checking", or what it found);
//      the full integrity_check runs only on demand, on its own thread and connection
//      (IntegrityJob), so the UI thread stays within its frame budget on a large store.
//  H2. A problem staff must act on is one of the catalog keys health_problems() returns, worst
//      first: a damaged store (the integrity check found problems), a disk nearly full (less
//      than kLowDiskBytes free), a content pack that was refused (the kiosk runs the last good
//      one), or people kept unsent for long (more than kUnsentWarnDays since the last receipt).
//      The staff home screen shows the first one in the staff language. Right after a start
//      on a large store, while the open check runs after open (store.h invariant 9) and writes
//      wait for it, "health.problem.store_checking" comes second to a damaged store: staff
//      know why Save is refused for those seconds.
//  H3. The JSON has no personal data: counts, sizes, times and verdicts only.
//  H4. The exact count of people not yet sent is a count(DISTINCT) over every unacknowledged
//      change (0.7-0.9 s at 100,000 unsent people), so the staff home screen, which needs only
//      H2's problems, asks for PendingCount::any: one indexed EXISTS, people_pending stays -1.
//      The Health screen and `kiosk --health` ask for the exact count.
#pragma once

#include "staff.h"
#include "store.h"
#include "store_job.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::core {

inline constexpr std::int64_t kLowDiskBytes = std::int64_t{512} << 20;  // 512 MiB
inline constexpr int kUnsentWarnDays = 14;

struct Health {
  std::string version;             // the kiosk build
  double uptime_s = -1;            // since the kiosk started (-1: not the running kiosk, a tool)
  double machine_uptime_s = -1;    // since the computer started
  // Store
  std::int64_t store_bytes = -1;   // database + WAL file
  double open_check_ms = 0;        // how long the open quick_check took
  std::string open_check = "ok";   // store.h invariant 9: "ok", "checking" or the problem found
  std::string integrity = "not_run";  // "not_run", "running", "ok" or the first problem found
  std::int64_t people_pending = -1;   // participants headquarters has not confirmed (-1: not counted, H4)
  bool any_people_pending = false;    // at least one (always read)
  bool enrolled = false;
  std::string last_receipt_at, last_sent_at, last_backup_at;  // ISO-8601 UTC, empty: never
  LockoutState pin_pad;
  // Platform (-1: unknown)
  std::int64_t disk_free_bytes = -1, disk_total_bytes = -1;
  std::int64_t rss_bytes = -1;
  std::string power = "unknown";   // "ac", "charging", "charged", "battery", "no_battery", "unknown"
  int battery_percent = -1;
  int battery_minutes = -1;
  // Content
  std::string pack_id;
  bool pack_fell_back = false;     // the configured pack was refused; the last good one runs
  std::string pack_warning;        // the checker's reason, for technicians (English, file:line)
};

// Fills the store's part of *h: size, open check time, unsent people, sync times, PIN pad.
// Reads only (H1). Returns false (with *error) when the store could not be read.
enum class PendingCount { exact, any };  // H4
bool read_store_health(Store& store, const std::string& store_path, Health* h, std::string* error,
                       PendingCount pending = PendingCount::exact);

// H2: the catalog keys of the problems staff must act on, worst first. `now_iso` is the store
// clock's "YYYY-MM-DDTHH:MM:SS..." (for the unsent-for-long rule).
std::vector<std::string> health_problems(const Health& h, const std::string& now_iso);

// The report as one JSON object (H3), with "problems" (the keys of health_problems) and "ok".
std::string health_json(const Health& h, const std::string& now_iso);

// The full integrity_check on demand (H1), on a StoreJob (store_job.h): result() is "not_run"
// before the first start(), "running", "ok", or the first problem (or why it could not run).
class IntegrityJob {
 public:
  void start(const std::string& store_path);  // no-op while one is running
  std::string result() const;
  bool running() const { return m_job.running(); }

 private:
  StoreJob<std::string> m_job;
};

}  // namespace kiosk::core
