// tests/fuzz/pack_check_fuzz.cpp — a whole content pack through the checker and the kiosk's
// loaders (content/src/check.h check_pack, pack.h load_pack, exhibit.h load_exhibit).
//
// Each input is cut at every line "@@" (the bytes "\n@@\n") into up to five files of a scratch
// pack folder, in this order:
//   pack.toml | strings/en.po | exhibits/e/exhibit.toml | exhibits/e/en.toml |
//   exhibits/e/illustration.png
// A part that is missing leaves its file missing, so the checker's "missing" paths are fuzzed
// too. (Nothing else is ever written in the folder: the checker and loaders only read.) The seeds (corpus/pack_check/) list the one
// exhibit "e" in English, so a mutation reaches every stage of the checker, and the loaders
// after a clean check (check.h item 4).
// Checks: every finding is one line with no control character (staff read it in a terminal and
// in the kiosk's log) and names a problem; a refused load says why; and "a pack the checker
// passes is a pack the kiosk loads": with no error from check_pack(), load_pack() and
// load_exhibit() succeed on the same folder.
#include "check.h"
#include "exhibit.h"
#include "fuzz_target.h"
#include "pack.h"

#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 5> k_parts = {
    "pack.toml", "strings/en.po", "exhibits/e/exhibit.toml", "exhibits/e/en.toml",
    "exhibits/e/illustration.png"};
constexpr std::string_view k_separator = "\n@@\n";

// The scratch pack folder (its two sub-folders made once); removed when the process ends.
struct ScratchPack {
  fs::path folder =
      fs::temp_directory_path() / ("kiosk-fuzz-pack-check-" + std::to_string(::getpid()));
  ScratchPack() {
    fs::create_directories(folder / "exhibits/e");
    fs::create_directories(folder / "strings");
  }
  ~ScratchPack() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

bool one_clean_line(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchPack scratch;
  const fs::path& dir = scratch.folder;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t from = 0;
  for (size_t part = 0; part < k_parts.size(); ++part) {
    if (from > input.size()) {  // no such part: its file is missing
      std::error_code ec;
      fs::remove(dir / k_parts[part], ec);
      continue;
    }
    size_t to = part + 1 < k_parts.size() ? input.find(k_separator, from) : std::string_view::npos;
    if (to == std::string_view::npos) to = input.size();
    const std::string_view bytes = input.substr(from, to - from);
    std::ofstream(dir / k_parts[part], std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    from = to + k_separator.size();
  }

  const std::string folder = dir.string();
  const kiosk::content::CheckReport report = kiosk::content::check_pack(folder);
  for (const kiosk::content::Finding& f : report.findings) {
    const std::string line = f.text();
    if (!one_clean_line(line)) std::fprintf(stderr, "finding: [%s]\n", line.c_str());
    fuzz_check(one_clean_line(line), "a finding is one line without control characters");
    fuzz_check(!f.problem.empty(), "a finding names its problem");
  }

  kiosk::content::Pack pack;
  std::vector<std::string> errors;
  const bool loaded = kiosk::content::load_pack(folder, &pack, &errors);
  if (!loaded) fuzz_check(!errors.empty(), "a refused pack says why");
  bool exhibits_loaded = loaded;
  if (loaded) {
    for (const kiosk::content::ExhibitSummary& summary : pack.exhibits) {
      kiosk::content::Exhibit exhibit;
      const size_t before = errors.size();
      if (!kiosk::content::load_exhibit(summary, pack.languages, &exhibit, &errors)) {
        fuzz_check(errors.size() > before, "a refused exhibit says why");
        exhibits_loaded = false;
      }
    }
  }
  if (report.errors() == 0) {
    for (const std::string& e : errors) std::fprintf(stderr, "loader: %s\n", e.c_str());
    fuzz_check(exhibits_loaded, "a pack the checker passes is a pack the kiosk loads");
  }
  return 0;
}
