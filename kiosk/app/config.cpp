#include "config.h"

#include <algorithm>
#include <cmath>

#include "toml_safety.h"
#include <toml++/toml.h>

#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

namespace kiosk::app {
namespace {

std::string where(const std::string& path, const toml::source_region& src) {
  std::ostringstream out;
  out << path;
  if (src.begin.line > 0) out << ':' << src.begin.line;
  return out.str();
}

struct KeyRule {
  // Reads the node into the config; returns an empty string or the reason it is invalid.
  std::function<std::string(const toml::node&, Config&)> apply;
};

std::string read_number(const toml::node& n, double lo, double hi, double* out) {
  std::optional<double> v = n.value<double>();
  if (!v) return "expected a number";
  // nan compares false with everything, so a range test alone lets it through: ui_scale = nan
  // crashed the first frame, idle_timeout_s = nan never left Attract, long_press_s = nan never
  // opened the PIN pad. inf is as meaningless here.
  if (!std::isfinite(*v) || *v < lo || *v > hi) {
    std::ostringstream m;
    m << "must be between " << lo << " and " << hi << ", got " << *v;
    return m.str();
  }
  *out = *v;
  return {};
}

std::string resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty()) return p;
  std::filesystem::path path(p);
  if (path.is_absolute()) return p;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

}  // namespace

bool load_config(const std::string& path, Config* config, std::string* error) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    *error = path + ": configuration file not found (or not a regular file)";
    return false;
  }
  toml::table root;
  core::TomlRefusal refusal;
  if (!core::parse_toml_file_checked(path, &root, &refusal)) {
    *error = path + (refusal.line > 0 ? ":" + std::to_string(refusal.line) : "") + ": " +
             refusal.reason;
    return false;
  }
  const std::string base = std::filesystem::absolute(path).parent_path().string();

  using Rules = std::map<std::string, KeyRule>;
  const std::map<std::string, Rules> sections = {
      {"kiosk",
       {{"pack",
         {[&](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<std::string>();
           if (!v || v->empty()) return "expected a non-empty string (folder of a content pack)";
           c.pack_path = resolve(base, *v);
           return {};
         }}},
        {"data_dir",
         {[&](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<std::string>();
           if (!v) return "expected a string (empty for the XDG default)";
           c.data_dir = resolve(base, *v);
           return {};
         }}},
        {"forms_dir",
         {[&](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<std::string>();
           if (!v) return "expected a string (folder of registration form schemas)";
           c.forms_dir = resolve(base, *v);
           return {};
         }}},
        {"fullscreen",
         {[](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<bool>();
           if (!v || !n.is_boolean()) return "expected true or false";
           c.fullscreen = *v;
           return {};
         }}},
        {"ui_scale",
         {[](const toml::node& n, Config& c) { return read_number(n, 0.5, 3.0, &c.ui_scale); }}},
        {"idle_timeout_s",
         {[](const toml::node& n, Config& c) {
           return read_number(n, 5, 24 * 3600, &c.idle_timeout_s);
         }}}}},
      {"staff",
       {{"long_press_s",
         {[](const toml::node& n, Config& c) {
           return read_number(n, 0.5, 10, &c.staff_long_press_s);
         }}},
        {"session_idle_s",
         {[](const toml::node& n, Config& c) {
           return read_number(n, 10, 24 * 3600, &c.staff_session_idle_s);
         }}},
        {"language",
         {[](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<std::string>();
           const bool code = v && v->size() >= 2 && v->size() <= 3 &&
                             std::all_of(v->begin(), v->end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
           if (!code || !n.is_string()) return "expected a language code such as \"km\" or \"en\"";
           c.staff_language = *v;
           return {};
         }}}}},
      {"sync",
       {{"url",
         {[](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<std::string>();
           if (!v || !n.is_string()) return "expected a string such as \"http://hq.example:8080\"";
           if (!v->empty() && v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0)
             return "must start with http:// or https://";
           if (v->size() > 512) return "longer than 512 characters";
           c.sync_url = *v;
           return {};
         }}},
        {"retention_days",
         {[](const toml::node& n, Config& c) -> std::string {
           const auto v = n.value_exact<std::int64_t>();
           if (!v || *v < 1 || *v > 3650) return "expected a whole number of days from 1 to 3650";
           c.retention_days = static_cast<int>(*v);
           return {};
         }}}}},
      {"backup",
       {{"folder",
         {[&](const toml::node& n, Config& c) -> std::string {
           auto v = n.value<std::string>();
           if (!v || !n.is_string()) return "expected a string (a folder on a stick or disk; empty: off)";
           c.backup_folder = v->empty() ? std::string() : resolve(base, *v);
           return {};
         }}},
        {"every_hours",
         {[](const toml::node& n, Config& c) { return read_number(n, 1, 720, &c.backup_every_hours); }}}}},
      {"log",
       {{"max_kib",
         {[](const toml::node& n, Config& c) -> std::string {
           const auto v = n.value_exact<std::int64_t>();
           if (!v || *v < 64 || *v > 1048576) return "expected a whole number of KiB from 64 to 1048576";
           c.log_max_kib = static_cast<int>(*v);
           return {};
         }}}}},
  };

  Config next = *config;
  for (auto&& [section_key, section_node] : root) {
    const std::string section(section_key.str());
    auto rules = sections.find(section);
    if (rules == sections.end() || !section_node.is_table()) {
      *error = where(path, section_key.source()) + ": unknown section '" + section +
               "' (known: [kiosk], [staff], [sync], [backup], [log])";
      return false;
    }
    for (auto&& [key, node] : *section_node.as_table()) {
      const std::string name(key.str());
      auto rule = rules->second.find(name);
      if (rule == rules->second.end()) {
        *error = where(path, key.source()) + ": unknown key '" + section + "." + name + "'";
        return false;
      }
      std::string reason = rule->second.apply(node, next);
      if (!reason.empty()) {
        *error = where(path, node.source()) + ": key '" + section + "." + name + "': " + reason;
        return false;
      }
    }
  }
  *config = next;
  return true;
}

}  // namespace kiosk::app
