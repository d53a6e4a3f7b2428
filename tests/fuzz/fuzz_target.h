// tests/fuzz/fuzz_target.h — the one entry point every fuzz target defines.
//
// Each tests/fuzz/<name>_fuzz.cpp defines LLVMFuzzerTestOneInput() and is built two ways:
//  - with clang and libFuzzer (KIOSK_FUZZ=ON, `./dev fuzz`): -fsanitize=fuzzer,address,undefined;
//  - with the normal compiler as a "replay" executable (replay_main.cpp), registered in ctest as
//    fuzz/<name>: every file of tests/fuzz/corpus/<name>/ plus a fixed number of deterministic
//    mutations of them (CMakeLists.txt), seconds each, so `./dev test` runs every target without
//    clang.
//
// Contract of a target: any bytes are a legal input; it returns 0; it fails only by crashing,
// tripping a sanitizer or calling fuzz_check() with false (a broken invariant of the code under
// test, e.g. "a refusal must carry a reason"). A target may keep state across calls (a store
// opened once) but no result may depend on an earlier input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

// Aborts (which both libFuzzer and the replay driver report with the input) when `ok` is false.
inline void fuzz_check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_check failed: %s\n", what);
    std::abort();
  }
}
