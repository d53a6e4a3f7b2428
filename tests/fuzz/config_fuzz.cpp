// tests/fuzz/config_fuzz.cpp — the kiosk's TOML configuration (kiosk/app/config.h load_config).
// load_config() reads a path, so each input is written to one file in the temp folder first.
// Checks: never throws or crashes; a refusal carries a one-line reason naming the file.
#include "config.h"
#include "fuzz_target.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("kiosk-fuzz-config-" + std::to_string(::getpid()) + ".toml"))
          .string();
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
