// tests/fuzz/pack_manifest_fuzz.cpp — a content pack's manifest (content/src/pack.h): each input
// is written as pack.toml of a scratch pack folder, then read_manifest() and load_pack() run on
// it. The folder holds nothing else, so load_pack() stops at the first missing catalog: this
// target covers the manifest, not the catalogs (po_catalog) or the exhibits (not yet fuzzed).
// Checks: a refusal names at least one problem, each with its file.
#include "fuzz_target.h"
#include "pack.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The scratch pack folder; removed when the process ends.
struct ScratchPack {
  fs::path folder = fs::temp_directory_path() / ("kiosk-fuzz-pack-" + std::to_string(::getpid()));
  ScratchPack() { fs::create_directories(folder); }
  ~ScratchPack() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchPack scratch;
  {
    std::ofstream f(scratch.folder / "pack.toml", std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const std::string folder = scratch.folder.string();
  kiosk::content::PackManifest manifest;
  std::vector<kiosk::content::PackProblem> problems;
  if (!kiosk::content::read_manifest(folder, &manifest, &problems)) {
    fuzz_check(!problems.empty(), "a refused manifest names a problem");
    for (const auto& p : problems) fuzz_check(!p.file.empty(), "every problem names its file");
  }
  kiosk::content::Pack pack;
  std::vector<std::string> errors;
  if (!kiosk::content::load_pack(folder, &pack, &errors))
    fuzz_check(!errors.empty(), "a refused pack says why");
  return 0;
}
