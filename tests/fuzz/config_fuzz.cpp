// tests/fuzz/config_fuzz.cpp — the kiosk's TOML configuration (kiosk/app/config.h load_config).
// load_config() reads a path, so each input is written to one file in the temp folder first.
// Checks: never throws or crashes; a refusal carries a one-line reason naming the file.
#include "config.h"
#include "fuzz_target.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

// The one file every input is written to; removed when the process ends.
struct ScratchFile {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("kiosk-fuzz-config-" + std::to_string(::getpid()) + ".toml"))
                         .string();
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchFile scratch;
  const std::string& path = scratch.path;
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  kiosk::app::Config config;
  std::string error;
  if (!kiosk::app::load_config(path, &config, &error)) {
    fuzz_check(!error.empty(), "a refused config must say why");
    if (error.find('\n') != std::string::npos) std::fprintf(stderr, "reason: [%s]\n", error.c_str());
    fuzz_check(error.find('\n') == std::string::npos, "the reason must be one line");
  }
  return 0;
}
