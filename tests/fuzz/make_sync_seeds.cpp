// tests/fuzz/make_sync_seeds.cpp — writes valid seeds for the sync_format fuzz target with the
// real writers of sync/format.h, each prefixed by the target's mode byte (sync_format_fuzz.cpp):
//   make_sync_seeds OUT_DIR
// Receipts, downlinks and statistics are signed by the target's fixed test key (seed 0x5A...),
// so they pass the signature check with or without the re-sign bit.
#include "format.h"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

using namespace kiosk::sync;

namespace {

void write_seed(const std::string& dir, const std::string& name, std::uint8_t mode,
                const Bytes& file) {
  std::ofstream f(dir + "/" + name, std::ios::binary | std::ios::trunc);
  f.put(static_cast<char>(mode));
  f.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || !init_crypto()) {
    std::fprintf(stderr, "usage: make_sync_seeds OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  Key32 pub{};
  Key64 sec{};
  unsigned char seed[crypto_sign_SEEDBYTES];
  std::memset(seed, 0x5A, sizeof seed);
  crypto_sign_seed_keypair(pub.data(), sec.data(), seed);
  const Uuid device = *parse_uuid("0b3c6a8e-1f2d-4e5a-9b7c-123456789abc");

  BundleHeader h;
  h.device = device;
  h.incarnation = *parse_uuid("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  h.first_seq = 1;
  h.last_seq = 2;
  h.created_ms = 1'795'946'400'000;
  h.device_public_key = pub;
  Key32 enrollment_secret{};
  enrollment_secret.fill(7);
  const SealingKeys hq_box = SealingKeys::generate();
  write_seed(dir, "bundle.bin", 0,
             seal_bundle(h, R"([{"seq":1,"op":"insert"},{"seq":2,"op":"update"}])", sec,
                         enrollment_secret, hq_box.public_key));

  Receipt r;
  r.device = device;
  r.issued_ms = 1'795'946'500'000;
  r.marks.push_back({h.incarnation, 1, 2});
  write_seed(dir, "receipt.bin", 1, sign_receipt(r, sec));

  Downlink d;
  d.version = 1'795'946'600'000;
  d.tour = "cambodia";
  d.device = device;
  d.payload = R"({"organizations":[{"id":"hq-1","name":"School","kind":"school"}],"events":[]})";
  write_seed(dir, "downlink.bin", 2, sign_downlink(d, sec));

  Stats s;
  s.device = device;
  s.created_ms = 1'795'946'700'000;
  s.payload = R"([{"day":"2026-12-01","exhibit":"volcano","lang":"km","opened":3,"dwell_s":40}])";
  write_seed(dir, "stats.bin", 3, sign_stats(s, sec));

  Enrollment e;
  e.device = device;
  e.device_name = "Kiosk 1 — Phnom Penh";
  e.tour = "cambodia";
  e.hq_url = "http://10.0.0.5:8080";
  e.hq_sign_public = pub;
  e.hq_box_public = hq_box.public_key;
  e.secret = enrollment_secret;
  const std::string text = enrollment_text(e);
  write_seed(dir, "enrollment.toml.bin", 4, Bytes(text.begin(), text.end()));
  return 0;
}
