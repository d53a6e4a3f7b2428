#include "pack_guard.h"

#include "check.h"
#include "pack.h"
#include "pack_store.h"

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

// G2: the configured folder as last seen, and its verdict ("ok", or the refusal's lines).
struct State {
  std::string path, fingerprint, refusal;
};

State read_state(const std::string& file) {
  State s;
  std::ifstream in(file);
  std::getline(in, s.path);
  std::getline(in, s.fingerprint);
  for (std::string line; std::getline(in, line);) s.refusal += (s.refusal.empty() ? "" : "\n") + line;
  return s;
}

void write_state(const std::string& file, const State& s) {
  const std::string text = s.path + '\n' + s.fingerprint + '\n' + s.refusal + (s.refusal.empty() ? "" : "\n");
  std::string why;  // the verdict is only a cache: failing to keep it means checking again next time
  sync::write_file_durably(file, reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), 0644, &why);
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
                 std::string* error, PackLook look) {
  const bool change = look == PackLook::choose;  // G3: only start-up changes anything
  sync::init_crypto();
  sync::PackStore store(data_dir + "/packs");
  if (change) store.collect_garbage();  // a staging folder left by a crash, a pack two installs old
  const std::string state_file = data_dir + "/pack-state.txt";
  State state = read_state(state_file);
  const std::string canonical = fs::absolute(configured).lexically_normal().string();
  const std::string fp = fingerprint(canonical);
  auto warn = [&](const std::string& key, const std::string& text) {
    out->fell_back = true;
    if (out->warning_key.empty()) out->warning_key = key;
    out->warning += (out->warning.empty() ? "" : "\n") + text;
  };

  // P7: the copy about to run is whole, or the previous one takes its place.
  std::string why;
  std::optional<sync::InstalledPack> current = store.current(&why);
  if (current && !store.verify(*current, &why)) {
    std::string prev_why;
    auto prev = store.previous(&prev_why);
    const bool prev_ok = prev && store.verify(*prev, &prev_why) && (!change || store.rollback().ok());
    warn("content.warning.damaged", "the kiosk's copy of the content pack is damaged: " + why +
                                        (prev_ok ? "\n  running the previous pack instead" : ""));
    current = prev_ok ? prev : std::nullopt;
  } else if (!current && !why.empty()) {
    warn("content.warning.damaged", why);
  }

  const bool folder_changed = !(state.path == canonical && state.fingerprint == fp);
  std::string would_run;  // G3: the folder start-up would adopt, seen by a look
  if (folder_changed || !current) {
    std::string messages;
    const bool ok = passes(canonical, &messages);
    if (ok && !change) {
      // G3: start-up would copy it in and run it; a look reports it and leaves it there.
      would_run = canonical;
    } else if (ok) {
      sync::StagedPack staged;
      sync::PackOutcome o = store.stage_folder(canonical, {}, {}, &staged);
      if (o.ok()) o = store.commit(&staged);
      if (o.ok()) {
        current = store.current(&why);
        write_state(state_file, {canonical, fp, {}});
      } else {
        warn("content.warning.not_copied", "the content pack " + canonical + " could not be copied in: " + o.detail);
      }
    } else {
      state = {canonical, fp, "the content pack " + canonical + " was refused by the checker:" + messages};
      if (change) write_state(state_file, state);
    }
  }
  if (state.path == canonical && state.fingerprint == fp && !state.refusal.empty()) {
    if (!current) {
      *error = state.refusal;
      return false;
    }
    warn("content.warning.refused", state.refusal + "\n  running the last good pack instead: " + current->run_path);
  }
  if (!would_run.empty()) {
    out->path = would_run;
    return true;
  }
  if (!current) {
    *error = "no content pack to run: " + (out->warning.empty() ? why : out->warning);
    return false;
  }
  out->path = current->run_path;
  return true;
}

PackToRun load_pack_to_run(const std::string& configured, const std::string& data_dir) {
  PackToRun out;
  if (!choose_pack(configured, data_dir, &out.choice, &out.error)) return out;
  std::vector<std::string> pack_errors;
  if (!content::load_pack(out.choice.path, &out.pack, &pack_errors)) {
    out.error = "the content pack was refused:";
    for (const std::string& e : pack_errors) out.error += "\n  " + e;
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace kiosk::app
