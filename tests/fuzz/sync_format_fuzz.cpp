// tests/fuzz/sync_format_fuzz.cpp — the bytes that travel between kiosks and headquarters
// (sync/format.h): parse_bundle_header, parse_receipt, parse_downlink, parse_stats,
// parse_enrollment. Every parse_* must return a value or a reason for any bytes.
//
// Input layout: byte 0 chooses the parser (low 3 bits) and whether to re-sign (bit 3); the rest
// is the file. Receipts, downlinks and stats are signed over everything before their last 64
// bytes, so random bytes never get past the signature check; with the re-sign bit the target
// overwrites those 64 bytes with a valid signature by a fixed test key, which lets the fuzzer
// reach the field checks behind the signature. Bundles' header parse needs no key.
#include "format.h"
#include "fuzz_target.h"

#include <sodium.h>

#include <cstring>
#include <string>
#include <string_view>

namespace {

using namespace kiosk::sync;

struct TestKey {
  Key32 public_key{};
  Key64 secret_key{};
  TestKey() {
    fuzz_check(init_crypto(), "sodium_init");
    unsigned char seed[crypto_sign_SEEDBYTES];
    std::memset(seed, 0x5A, sizeof seed);  // fixed: a found input must reproduce
    crypto_sign_seed_keypair(public_key.data(), secret_key.data(), seed);
  }
  void resign(Bytes& b) const {
    if (b.size() < crypto_sign_BYTES) return;
    const std::size_t signed_size = b.size() - crypto_sign_BYTES;
    crypto_sign_detached(b.data() + signed_size, nullptr, b.data(), signed_size, secret_key.data());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TestKey key;
  if (size == 0) return 0;
  const unsigned mode = data[0] & 7u;
  const bool resign = (data[0] & 8u) != 0;
  Bytes file(data + 1, data + size);
  if (resign) key.resign(file);
  std::string why;
  switch (mode) {
    case 0: {
      const auto h = parse_bundle_header(file, &why);
      if (h) {
        fuzz_check(h->first_seq <= h->last_seq,
                   "a parsed bundle header has its seqs in order");
        (void)bundle_signature_ok(file, key.public_key);
      } else {
        fuzz_check(!why.empty(), "a refused bundle must say why");
      }
      break;
    }
    case 1: {
      const auto r = parse_receipt(file, key.public_key, &why);
      fuzz_check(r.has_value() || !why.empty(), "a refused receipt must say why");
      break;
    }
    case 2: {
      const auto d = parse_downlink(file, key.public_key, &why);
      fuzz_check(d.has_value() || !why.empty(), "a refused downlink must say why");
      break;
    }
    case 3: {
      const auto s = parse_stats(file, &why);
      fuzz_check(s.has_value() || !why.empty(), "refused statistics must say why");
      (void)stats_signature_ok(file, key.public_key);
      break;
    }
    default: {
      const std::string_view text(reinterpret_cast<const char*>(file.data()), file.size());
      const auto e = parse_enrollment(text, &why);
      if (e) {
        // What parses must survive its own writer: enrollment_text() then parse again.
        std::string why2;
        const auto again = parse_enrollment(enrollment_text(*e), &why2);
        fuzz_check(again && again->device == e->device && again->tour == e->tour &&
                       again->device_name == e->device_name && again->secret == e->secret,
                   "an enrollment parsed, written and parsed again is the same");
      } else {
        fuzz_check(!why.empty(), "a refused enrollment must say why");
      }
      break;
    }
  }
  return 0;
}
