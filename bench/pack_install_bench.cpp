// Issue 16 item 5: installing the largest content pack from a folder into a kiosk's data
// directory (sync/pack_store.h: copy into staging with a hash of every byte, fsync of every file
// and folder, the content checker, the durable pointer switch), against copying the same files
// with `cp` in the same run, interleaved. Also: `cp` followed by `sync -f` on the copy (so the
// baseline's bytes reach the disk too), the checker alone, and installing the same pack as a
// signed file (`hq pack build` output). Prints medians; see BENCHMARKS.md.
//
//   pack_install_bench [--pack DIR] [--runs N] [--work DIR]
#include "check.h"
#include "pack_file.h"
#include "pack_store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace kiosk::sync;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

int main(int argc, char** argv) {
  std::string pack = "content/packs/demo", work = "/tmp/pack-install-bench";
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--pack") pack = argv[i + 1];
    else if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--work") work = argv[i + 1];
  }
  init_crypto();
  std::string root, why;
  const auto d = describe_pack_folder(pack, &root, &why);
  if (!d) {
    std::fprintf(stderr, "pack_install_bench: %s\n", why.c_str());
    return 1;
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  // The same files, for cp: a list relative to the tree root (cp --parents keeps the layout).
  std::string files;
  for (const PackFileEntry& f : d->files) files += " " + shell_quoted(f.path);
  const SigningKeys keys = SigningKeys::generate();
  const std::string packfile = work + "/pack.rkp";
  PackDescription signed_d = *d;
  signed_d.version = 1;
  if (!write_pack_file(signed_d, root, keys.secret_key, packfile, &why)) {
    std::fprintf(stderr, "pack_install_bench: %s\n", why.c_str());
    return 1;
  }
  std::vector<double> t_install, t_file, t_cp, t_cp_sync, t_check;
  for (int r = 0; r < runs; ++r) {
    const std::string cp_dest = work + "/cp-" + std::to_string(r);
    fs::create_directories(cp_dest);
    double t0 = now_ms();
    const std::string cp = "cd " + shell_quoted(root) + " && cp --parents" + files + " " + shell_quoted(cp_dest);
    if (std::system(cp.c_str()) != 0) return 1;
    t_cp.push_back(now_ms() - t0);
    fs::remove_all(cp_dest, ec);
    fs::create_directories(cp_dest);
    t0 = now_ms();
    if (std::system((cp + " && sync -f " + shell_quoted(cp_dest)).c_str()) != 0) return 1;
    t_cp_sync.push_back(now_ms() - t0);
    fs::remove_all(cp_dest, ec);

    PackStore store(work + "/data-" + std::to_string(r) + "/packs");
    StagedPack staged;
    t0 = now_ms();
    PackOutcome o = store.stage_folder(pack, {}, {}, &staged);
    if (o.ok()) o = store.commit(&staged);
    t_install.push_back(now_ms() - t0);
    if (!o.ok()) {
      std::fprintf(stderr, "pack_install_bench: %s\n", o.detail.c_str());
      return 1;
    }
    PackStore store2(work + "/file-" + std::to_string(r) + "/packs");
    t0 = now_ms();
    o = store2.stage_file(packfile, keys.public_key, {}, {}, &staged);
    if (o.ok()) o = store2.commit(&staged);
    t_file.push_back(now_ms() - t0);
    if (!o.ok()) {
      std::fprintf(stderr, "pack_install_bench: %s\n", o.detail.c_str());
      return 1;
    }
    t0 = now_ms();
    kiosk::content::check_pack(pack);
    t_check.push_back(now_ms() - t0);
    fs::remove_all(work + "/data-" + std::to_string(r), ec);
    fs::remove_all(work + "/file-" + std::to_string(r), ec);
  }
  const double install = median(t_install), cp = median(t_cp), cp_sync = median(t_cp_sync);
  std::printf("pack %s: %zu files, %.1f MiB; %d runs, medians\n", d->pack_id.c_str(), d->files.size(),
              static_cast<double>(d->total_bytes()) / (1024.0 * 1024.0), runs);
  std::printf("install_from_folder_ms=%.1f\ninstall_from_file_ms=%.1f\ncp_ms=%.1f\ncp_then_sync_ms=%.1f\n"
              "checker_alone_ms=%.1f\nratio_install_vs_cp=%.2f\nratio_install_vs_cp_sync=%.2f\n"
              "ratio_install_minus_checker_vs_cp_sync=%.2f\n",
              install, median(t_file), cp, cp_sync, median(t_check), install / cp, install / cp_sync,
              (install - median(t_check)) / cp_sync);
  fs::remove_all(work, ec);
  return 0;
}
