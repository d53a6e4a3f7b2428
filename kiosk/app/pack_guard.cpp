#include "pack_guard.h"

#include "check.h"
#include "pack.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace kiosk::app {
namespace fs = std::filesystem;
namespace {

// Every file the pack uses: its folder, its catalogs and its exhibits' folders.
std::string fingerprint(const std::string& folder) {
  content::PackManifest m;
  std::vector<content::PackProblem> problems;
  std::set<fs::path> roots{fs::path(folder)};
  if (content::read_manifest(folder, &m, &problems)) {
    roots.insert((fs::path(folder) / m.strings_dir).lexically_normal());
    for (const std::string& id : m.exhibit_ids)
      roots.insert((fs::path(folder) / m.exhibits_dir / id).lexically_normal());
  }
  std::size_t h = 0;
  auto mix = [&](const std::string& s) { h = h * 1000003u ^ std::hash<std::string>{}(s); };
  std::error_code ec;
  for (const fs::path& root : roots) {
    mix(root.string());
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      mix(it->path().string());
      mix(std::to_string(it->file_size(ec)));
      mix(std::to_string(it->last_write_time(ec).time_since_epoch().count()));
    }
  }
  std::ostringstream out;
  out << std::hex << h;
  return out.str();
}

struct State {
  std::string last_good_path, last_good_fingerprint;
};

State read_state(const std::string& file) {
  State s;
  std::ifstream in(file);
  std::getline(in, s.last_good_path);
  std::getline(in, s.last_good_fingerprint);
  return s;
}

void write_state(const std::string& file, const State& s) {
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << s.last_good_path << '\n' << s.last_good_fingerprint << '\n';
    if (!out.flush()) return;  // the verdict is only a cache: failing to keep it is harmless
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
}

bool passes(const std::string& folder, std::string* messages) {
  content::CheckReport report = content::check_pack(folder);
  if (report.errors() == 0) return true;
  for (const content::Finding& f : report.findings)
    if (f.severity == content::Severity::Error) *messages += "\n  " + f.text();
  *messages += "\n  " + report.summary();
  return false;
}

}  // namespace

bool choose_pack(const std::string& configured, const std::string& data_dir, PackChoice* out,
                 std::string* error) {
  const std::string state_file = data_dir + "/pack-state.txt";
  State state = read_state(state_file);
  const std::string canonical = fs::absolute(configured).lexically_normal().string();
  const std::string fp = fingerprint(canonical);
  if (state.last_good_path == canonical && state.last_good_fingerprint == fp) {
    out->path = canonical;
    return true;
  }
  std::string messages;
  if (passes(canonical, &messages)) {
    write_state(state_file, {canonical, fp});
    out->path = canonical;
    return true;
  }
  const std::string refusal = "the content pack " + canonical + " was refused by the checker:" + messages;
  if (!state.last_good_path.empty() && state.last_good_path != canonical) {
    std::string old_messages;
    const bool unchanged = fingerprint(state.last_good_path) == state.last_good_fingerprint;
    if (unchanged || passes(state.last_good_path, &old_messages)) {
      out->path = state.last_good_path;
      out->fell_back = true;
      out->warning = refusal + "\n  running the last good pack instead: " + state.last_good_path;
      return true;
    }
  }
  *error = refusal;
  return false;
}

}  // namespace kiosk::app
