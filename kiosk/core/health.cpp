#include "health.h"

#include "journal.h"
#include "sync_identity.h"

#include <sqlite3.h>

#include <cstdio>
#include <ctime>
#include <filesystem>

namespace kiosk::core {

namespace {

std::int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

// Days from 1970-01-01 of an ISO "YYYY-MM-DD..." prefix; -1 when it is not one.
long long iso_day(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return -1;
  if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return static_cast<long long>(timegm(&tm) / 86400);
}

std::string json_number(std::int64_t v) { return v < 0 ? "null" : std::to_string(v); }
std::string json_text(const std::string& s) { return s.empty() ? "null" : journal::json_quote(s); }

}  // namespace

bool read_store_health(Store& store, const std::string& store_path, Health* h, std::string* error,
                       PendingCount pending) {
  h->store_bytes = file_bytes(store_path) + file_bytes(store_path + "-wal");
  h->open_check_ms = store.open_check_ms();
  switch (store.open_check_state()) {
    case Store::CheckState::passed: h->open_check = "ok"; break;
    case Store::CheckState::checking: h->open_check = "checking"; break;
    case Store::CheckState::damaged: h->open_check = store.open_check_problem(); break;
  }
  SyncIdentityStore ids(store);
  const auto identity = ids.load();
  if (!identity.ok()) {
    if (error) *error = "cannot read the enrollment: " + identity.detail;
    return false;
  }
  h->enrolled = identity.value.has_value();
  if (identity.value) {
    h->last_receipt_at = identity.value->last_receipt_at;
    h->last_sent_at = identity.value->last_sent_at;
  }
  const auto any = ids.any_people_pending();  // H4
  if (!any.ok()) {
    if (error) *error = "cannot look for people not yet sent: " + any.detail;
    return false;
  }
  h->any_people_pending = any.value;
  if (pending == PendingCount::exact) {
    const auto count = ids.people_pending();
    if (!count.ok()) {
      if (error) *error = "cannot count the people not yet sent: " + count.detail;
      return false;
    }
    h->people_pending = count.value;
  }
  h->pin_pad = StaffDirectory(store).lockout();
  return true;
}

std::vector<std::string> health_problems(const Health& h, const std::string& now_iso) {
  std::vector<std::string> out;
  if ((h.integrity != "not_run" && h.integrity != "running" && h.integrity != "ok") ||
      (h.open_check != "ok" && h.open_check != "checking"))
    out.push_back("health.problem.store_damaged");
  else if (h.open_check == "checking")
    out.push_back("health.problem.store_checking");
  if (h.disk_free_bytes >= 0 && h.disk_free_bytes < kLowDiskBytes) out.push_back("health.problem.disk_low");
  if (h.pack_fell_back) out.push_back("health.problem.pack_refused");
  if (h.any_people_pending) {
    // Unsent for long: the last receipt (or, never having had one, nothing to measure from).
    const long long today = iso_day(now_iso), last = iso_day(h.last_receipt_at);
    if (today >= 0 && last >= 0 && today - last > kUnsentWarnDays) out.push_back("health.problem.unsent_long");
  }
  return out;
}

std::string health_json(const Health& h, const std::string& now_iso) {
  const std::vector<std::string> problems = health_problems(h, now_iso);
  char check_ms[32];
  std::snprintf(check_ms, sizeof check_ms, "%.1f", h.open_check_ms);
  std::string j = "{";
  j += "\"version\":" + json_text(h.version);
  j += ",\"at\":" + json_text(now_iso);
  j += ",\"ok\":" + std::string(problems.empty() ? "true" : "false");
  j += ",\"problems\":" + journal::json_string_array(problems);
  j += ",\"uptime_s\":" + json_number(static_cast<std::int64_t>(h.uptime_s));
  j += ",\"machine_uptime_s\":" + json_number(static_cast<std::int64_t>(h.machine_uptime_s));
  j += ",\"store\":{\"bytes\":" + json_number(h.store_bytes) + ",\"open_check\":" + journal::json_quote(h.open_check) +
       ",\"open_check_ms\":" + check_ms + ",\"integrity\":" + journal::json_quote(h.integrity) + "}";
  j += ",\"sync\":{\"enrolled\":" + std::string(h.enrolled ? "true" : "false") +
       ",\"people_pending\":" + json_number(h.people_pending) +
       ",\"last_receipt_at\":" + json_text(h.last_receipt_at) + ",\"last_sent_at\":" + json_text(h.last_sent_at) +
       "}";
  j += ",\"backup\":{\"last_at\":" + json_text(h.last_backup_at) + "}";
  j += ",\"pin_pad\":{\"failed_attempts\":" + std::to_string(h.pin_pad.failed_attempts) +
       ",\"lockouts\":" + std::to_string(h.pin_pad.lockouts) +
       ",\"locked_for_s\":" + std::to_string((h.pin_pad.remaining_ms + 999) / 1000) + "}";
  j += ",\"disk\":{\"free_bytes\":" + json_number(h.disk_free_bytes) +
       ",\"total_bytes\":" + json_number(h.disk_total_bytes) + "}";
  j += ",\"memory\":{\"rss_bytes\":" + json_number(h.rss_bytes) + "}";
  j += ",\"power\":{\"state\":" + journal::json_quote(h.power) +
       ",\"battery_percent\":" + json_number(h.battery_percent) +
       ",\"battery_minutes\":" + json_number(h.battery_minutes) + "}";
  j += ",\"pack\":{\"id\":" + json_text(h.pack_id) +
       ",\"verdict\":" + std::string(h.pack_fell_back ? "\"refused_running_last_good\"" : "\"ok\"") +
       ",\"warning\":" + json_text(h.pack_warning) + "}";
  j += "}";
  return j;
}

void IntegrityJob::start(const std::string& store_path) {
  m_job.start(
      store_path,
      [](Store& store) -> std::string {
        std::vector<std::string> problems;
        const int rc = store.integrity_check(&problems);
        if (!problems.empty()) return problems.front();
        if (rc != SQLITE_OK) return std::string("the check could not run: ") + sqlite3_errstr(rc);
        return "ok";
      },
      [](const std::string& error) { return error; });
}

std::string IntegrityJob::result() const {
  if (m_job.running()) return "running";
  return m_job.result().value_or("not_run");
}

}  // namespace kiosk::core
