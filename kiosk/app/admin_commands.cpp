// kiosk/app/admin_commands.cpp — the shared part of the administrative commands
// (admin_commands.h C1-C5): configuration, the store, dispatch, and the staff and organization
// commands. The other groups live in their own files (admin_tool.h).
#include "admin_tool.h"

#include "platform.h"
#include "registry.h"
#include "staff.h"
#include "store.h"

#include <cstdio>
#include <filesystem>

namespace kiosk::app {

// The kiosk's SQLite store, opened by the UI thread and, with a second connection, by sync.
std::string store_path(const Config& config) { return config.data_dir + "/kiosk.sqlite3"; }

// The configuration file to read: --config (which must exist), else the user's XDG file, else
// the system-wide one of the Debian package; empty when there is none (built-in defaults).
static std::string chosen_config_path(const std::string& explicit_path) {
  if (!explicit_path.empty()) return explicit_path;
  std::error_code ec;
  for (const std::string& p : {platform::default_config_path(), platform::system_config_path()})
    if (std::filesystem::exists(p, ec)) return p;
  return {};
}

bool resolve_config(const Options& options, Config* config, std::string* config_path, std::string* error) {
  *config_path = chosen_config_path(options.config_path);
  if (!config_path->empty() && !load_config(*config_path, config, error)) return false;
  if (!options.pack_override.empty()) config->pack_path = options.pack_override;
  if (!options.data_dir_override.empty()) config->data_dir = options.data_dir_override;
  if (config->data_dir.empty()) config->data_dir = platform::default_data_dir();
  return true;
}

std::unique_ptr<core::Store> open_kiosk_store(const Config& config, std::string* error,
                                              core::Store::OpenCheck check) {
  if (!platform::ensure_writable_dir(config.data_dir, error)) return nullptr;
  // The first connection to the store: a damaged one is set aside (store.h invariant 8).
  return core::Store::open(store_path(config), error, core::Store::OnDamage::set_aside, check);
}

namespace {

// The command the options name, in the order main() gives them precedence; none for the loop modes.
enum class Command { none, sync, pack, add_staff, import_organizations, set_pin, health, backup, restore };

Command command_of(const Options& o) {
  if (!o.enroll_file.empty() || o.sync_now || !o.export_bundle_dir.empty() || !o.import_receipt.empty() ||
      !o.import_downlink.empty())
    return Command::sync;
  if (!o.install_pack.empty() || o.rollback_pack) return Command::pack;
  if (!o.add_staff_name.empty()) return Command::add_staff;
  if (!o.import_organizations.empty()) return Command::import_organizations;
  if (!o.set_pin_name.empty()) return Command::set_pin;
  if (o.health) return Command::health;
  if (!o.backup_dir.empty()) return Command::backup;
  if (!o.restore_file.empty()) return Command::restore;
  return Command::none;
}

}  // namespace

bool wants_admin_command(const Options& o) { return command_of(o) != Command::none; }

int run_admin_command(const Options& options) { return AdminTool(options).run(); }

int AdminTool::run() {
  switch (command_of(m_options)) {
    case Command::sync: return sync_command();
    case Command::pack: return pack_command();
    case Command::add_staff: return add_staff();
    case Command::import_organizations: return import_organizations();
    case Command::set_pin: return set_pin();
    case Command::health: return health();
    case Command::backup: return backup();
    case Command::restore: return restore();
    case Command::none: break;
  }
  std::fprintf(stderr, "kiosk: no administrative command given\n");
  return 2;
}

bool AdminTool::load_config(std::string* error) {
  std::string path;
  return resolve_config(m_options, &m_config, &path, error);
}

bool AdminTool::open_store(std::string* error) {
  if (!load_config(error)) return false;
  m_store = open_kiosk_store(m_config, error);
  return m_store != nullptr;
}

int AdminTool::open_failed(const std::string& error) const {
  std::fprintf(stderr, "kiosk: %s\n", error.c_str());
  return 1;
}

// `kiosk --import-organizations FILE.csv`: the organization directory headquarters provides, for
// a technician setting a kiosk up (staff use the Organization directory screen). All or
// nothing: every error is printed as FILE:LINE: reason and nothing is changed (C2).
int AdminTool::import_organizations() {
  std::string error;
  if (!open_store(&error)) return open_failed(error);
  core::Registry registry(*m_store);
  const core::ImportReport r = registry.import_organizations_csv(m_options.import_organizations, core::kKioskComputer);
  for (const std::string& e : r.errors) std::fprintf(stderr, "%s\n", e.c_str());
  if (!r.ok()) {
    std::fprintf(stderr, "kiosk: nothing imported (%zu errors)\n", r.errors.size());
    return 1;
  }
  std::printf("imported %s: %d new, %d updated organizations\n", m_options.import_organizations.c_str(),
              r.inserted, r.updated);
  return 0;
}

// The PIN for --add-staff / --set-pin (C4): the first line of standard input. False, with the
// reason printed, when there is none or it is not 4-8 digits.
static bool read_pin_from_stdin(const char* flag, std::string* pin) {
  char line[64] = {};
  if (!std::fgets(line, sizeof line, stdin)) {
    std::fprintf(stderr, "kiosk: %s reads the PIN from standard input; none given\n", flag);
    return false;
  }
  *pin = line;
  while (!pin->empty() && (pin->back() == '\n' || pin->back() == '\r')) pin->pop_back();
  if (!core::pin_format_ok(*pin)) {
    std::fprintf(stderr, "kiosk: the PIN must be 4 to 8 digits\n");
    return false;
  }
  return true;
}

// `kiosk --add-staff NAME [--role staff|supervisor]`, PIN on standard input. The first account
// must be a supervisor.
int AdminTool::add_staff() {
  std::string error, pin;
  if (!open_store(&error)) return open_failed(error);
  if (!read_pin_from_stdin("--add-staff", &pin)) return 1;
  core::StaffDirectory directory(*m_store);
  core::StaffRule rule = core::StaffRule::ok;
  auto r = directory.add_staff(m_options.add_staff_name, pin, m_options.add_staff_role, core::kKioskComputer, &rule);
  if (!r.ok()) {
    std::fprintf(stderr, "kiosk: cannot add staff '%s': %s (%s)\n", m_options.add_staff_name.c_str(),
                 rule != core::StaffRule::ok ? core::staff_rule_key(rule) : core::store_error_key(r.error),
                 r.detail.c_str());
    return 1;
  }
  std::printf("added %s '%s' (%s)\n", m_options.add_staff_role.c_str(), m_options.add_staff_name.c_str(),
              r.id.c_str());
  return 0;
}

// `kiosk --set-pin NAME`, new PIN on standard input: the way back when the only supervisor has
// forgotten their PIN, or the pad is locked; a new PIN also opens a locked pad (staff.h L4).
int AdminTool::set_pin() {
  std::string error, pin;
  if (!open_store(&error)) return open_failed(error);
  core::StaffDirectory directory(*m_store);
  const auto who = directory.find_by_name(m_options.set_pin_name);
  if (!who) {
    std::fprintf(stderr, "kiosk: no staff account named '%s'\n", m_options.set_pin_name.c_str());
    return 1;
  }
  if (!read_pin_from_stdin("--set-pin", &pin)) return 1;
  core::StaffRule rule = core::StaffRule::ok;
  auto r = directory.set_pin(who->id, pin, core::kKioskComputer, &rule);
  if (!r.ok()) {
    std::fprintf(stderr, "kiosk: cannot set the PIN of '%s': %s (%s)\n", who->name.c_str(),
                 rule != core::StaffRule::ok ? core::staff_rule_key(rule) : core::store_error_key(r.error),
                 r.detail.c_str());
    return 1;
  }
  std::printf("new PIN set for '%s'\n", who->name.c_str());
  return 0;
}

}  // namespace kiosk::app
