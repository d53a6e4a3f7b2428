// bench/hq_bench_common.h — what headquarters' benchmarks (hq_bench, report_bench) share: the
// names their generated people are given, random UUIDs from a seeded generator, a timer.
#pragma once

#include "format.h"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

namespace hq_bench {

inline const char* const kGiven[] = {"Dara", "Sophea", "Vichet", "Bopha", "Aung", "Thida", "Fatima", "Omar",
                                     "Thandiwe", "Sipho", "Lerato", "Pieter", "Anika", "Wei", "Mei", "Chenda"};
inline const char* const kFamily[] = {"Sok", "Chan", "Keo", "Lim", "Myint", "Win", "Hassan", "Ali", "Nkosi",
                                      "Dlamini", "Mokoena", "van der Merwe", "Botha", "Zhang", "Li", "Pich"};

// A version-4 UUID from `rng`: the same seed gives the same library.
inline std::string uuid(std::mt19937_64& rng) {
  kiosk::sync::Uuid u{};
  for (auto& b : u) b = static_cast<std::uint8_t>(rng());
  u[6] = static_cast<std::uint8_t>((u[6] & 0x0F) | 0x40);
  u[8] = static_cast<std::uint8_t>((u[8] & 0x3F) | 0x80);
  return kiosk::sync::uuid_text(u);
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace hq_bench
