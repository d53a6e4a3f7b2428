// kiosk/app/admin_tool.h — inside the administrative commands (admin_commands.h, rules C1-C5):
// what every command shares. One file per group of commands implements its members:
// admin_commands.cpp (staff, organizations, dispatch), health_report.cpp (--health),
// backup_commands.cpp, sync_commands.cpp, pack_commands.cpp. Not for screens or the loop.
#pragma once

#include "admin_commands.h"

#include <memory>
#include <string>

namespace kiosk::app {

class AdminTool {
 public:
  explicit AdminTool(const Options& options) : m_options(options) {}
  int run();  // the command the options name (wants_admin_command)

 private:
  bool load_config(std::string* error);  // C1: config and data directory only
  bool open_store(std::string* error);   // C1: config, then the store
  int open_failed(const std::string& error) const;  // prints "kiosk: <error>", returns 1
  int import_organizations();
  int add_staff();
  int set_pin();
  int health();         // health_report.cpp
  int backup();         // backup_commands.cpp
  int restore();
  int sync_command();   // sync_commands.cpp
  int pack_command();   // pack_commands.cpp

  const Options& m_options;
  Config m_config;
  std::unique_ptr<core::Store> m_store;
};

}  // namespace kiosk::app
