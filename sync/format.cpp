// sync/format.cpp — bundles, receipts and enrollment files; the layout is in sync/README.md.
//
// [SECTIONS]
//   HELPERS     little-endian integers, UUIDs, base64, hashes, files
//   KEYS        key pair generation
//   SEALED      seal_for_device / open_for_device (a downlink part for one kiosk)
//   BUNDLE      seal_bundle / parse_bundle_header / signatures / open_bundle
//   RECEIPT     sign_receipt / parse_receipt
//   DOWNLINK    sign_downlink / parse_downlink
//   STATS       sign_stats / parse_stats / stats_signature_ok
//   ENROLLMENT  the provisioning file (TOML)
#include "format.h"

#include "toml_safety.h"

#include <sodium.h>
#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::sync {
namespace {

constexpr std::uint8_t kBundleMagic[4] = {'R', 'S', 'K', 'B'};
constexpr std::uint8_t kReceiptMagic[4] = {'R', 'S', 'K', 'R'};
constexpr std::uint8_t kDownlinkMagic[4] = {'R', 'S', 'K', 'D'};
constexpr std::uint8_t kStatsMagic[4] = {'R', 'S', 'K', 'S'};
constexpr std::uint8_t kBackupMagic[4] = {'R', 'S', 'K', 'A'};
constexpr std::size_t kChunk = 64 * 1024;  // plaintext bytes per secretstream message
constexpr std::size_t kSealedKeySize = 32 + crypto_box_SEALBYTES;
static_assert(kSealedKeySize == 80, "README's layout assumes an 80-byte sealed key");

// Offsets of the bundle header (README "Bundle layout").
enum : std::size_t {
  kOffFormat = 4, kOffHeaderSize = 6, kOffDevice = 8, kOffIncarnation = 24, kOffBase = 40,
  kOffFirst = 48, kOffLast = 56, kOffCreated = 64, kOffDeviceKey = 72, kOffProof = 104,
  kOffSealedKey = 136, kOffStreamHeader = 216, kOffCipherLen = 240,
};
static_assert(kOffCipherLen + 8 == kBundleHeaderSize);
static_assert(kOffStreamHeader + crypto_secretstream_xchacha20poly1305_HEADERBYTES == kOffCipherLen);

// [HELPERS]
void put_u16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put_u64(Bytes& b, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint16_t get_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::uint32_t get_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
template <std::size_t N>
void put_bytes(Bytes& b, std::size_t at, const std::array<std::uint8_t, N>& v) {
  std::memcpy(b.data() + at, v.data(), N);
}
template <std::size_t N>
std::array<std::uint8_t, N> get_bytes(const std::uint8_t* p) {
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), p, N);
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool init_crypto() { return sodium_init() >= 0; }

std::optional<Uuid> parse_uuid(std::string_view t) {
  if (t.size() != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-')
    return std::nullopt;
  Uuid out{};
  std::size_t k = 0;
  for (std::size_t i = 0; i < t.size();) {
    if (t[i] == '-') {
      ++i;
      continue;
    }
    const int hi = hex_digit(t[i]), lo = hex_digit(t[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[k++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string uuid_text(const Uuid& id) {
  const std::string h = to_hex(id.data(), id.size());
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

std::string to_base64(const std::uint8_t* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool from_base64(std::string_view text, std::uint8_t* out, std::size_t size) {
  std::size_t got = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, size, text.data(), text.size(), nullptr, &got, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  return got == size && end == text.data() + text.size();
}

Key32 sha256(const std::uint8_t* data, std::size_t size) {
  Key32 out{};
  crypto_hash_sha256(out.data(), data, size);
  return out;
}

std::optional<Bytes> read_file(const std::string& path, std::size_t max_bytes, std::string* why) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *why = path + ": cannot open: " + std::strerror(errno);
    return std::nullopt;
  }
  Bytes out;
  std::uint8_t buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out.size() + n > max_bytes) {
      std::fclose(f);
      *why = path + ": larger than " + std::to_string(max_bytes) + " bytes";
      return std::nullopt;
    }
    out.insert(out.end(), buf, buf + n);
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    *why = path + ": read error: " + std::strerror(errno);
    return std::nullopt;
  }
  return out;
}

bool write_file_durably(const std::string& path, const std::uint8_t* data, std::size_t size,
                        unsigned mode, std::string* why) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string tmp = (dir / ("." + target.filename().string() + ".partial")).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    *why = tmp + ": cannot create: " + std::strerror(errno);
    return false;
  }
  ::fchmod(fd, mode);  // O_CREAT's mode is filtered by the umask
  std::size_t done = 0;
  while (done < size) {
    const ssize_t w = ::write(fd, data + done, size - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      *why = tmp + ": write failed: " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0) {
    *why = tmp + ": fsync failed: " + std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return false;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    *why = path + ": cannot rename into place: " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    const int rc = ::fsync(dfd);
    ::close(dfd);
    if (rc != 0) {
      *why = dir.string() + ": fsync of the folder failed: " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

// [KEYS]
SigningKeys SigningKeys::generate() {
  SigningKeys k;
  crypto_sign_keypair(k.public_key.data(), k.secret_key.data());
  return k;
}

SealingKeys SealingKeys::generate() {
  SealingKeys k;
  crypto_box_keypair(k.public_key.data(), k.secret_key.data());
  return k;
}

// [SEALED] a downlink part only one kiosk opens
std::optional<std::string> seal_for_device(std::string_view plaintext, const Key32& device_sign_public) {
  Key32 box_pk{};
  if (crypto_sign_ed25519_pk_to_curve25519(box_pk.data(), device_sign_public.data()) != 0)
    return std::nullopt;
  Bytes sealed(plaintext.size() + crypto_box_SEALBYTES);
  crypto_box_seal(sealed.data(), reinterpret_cast<const unsigned char*>(plaintext.data()),
                  plaintext.size(), box_pk.data());
  return to_base64(sealed.data(), sealed.size());
}

std::optional<std::string> open_for_device(std::string_view sealed_base64,
                                           const Key32& device_sign_public,
                                           const Key64& device_sign_secret, std::size_t max_bytes,
                                           std::string* why) {
  if (sealed_base64.size() / 4 * 3 > max_bytes + crypto_box_SEALBYTES + 3) {
    *why = "the sealed part is larger than " + std::to_string(max_bytes) + " bytes";
    return std::nullopt;
  }
  Bytes sealed(sealed_base64.size() / 4 * 3 + 3);
  std::size_t got = 0;
  const char* end = nullptr;
  if (sodium_base642bin(sealed.data(), sealed.size(), sealed_base64.data(), sealed_base64.size(),
                        nullptr, &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != sealed_base64.data() + sealed_base64.size() || got < crypto_box_SEALBYTES) {
    *why = "the sealed part is not base64 of a sealed box";
    return std::nullopt;
  }
  Key32 box_pk{}, box_sk{};
  if (crypto_sign_ed25519_pk_to_curve25519(box_pk.data(), device_sign_public.data()) != 0 ||
      crypto_sign_ed25519_sk_to_curve25519(box_sk.data(), device_sign_secret.data()) != 0) {
    *why = "this kiosk's key cannot open sealed parts";
    return std::nullopt;
  }
  std::string plain(got - crypto_box_SEALBYTES, '\0');
  const int rc = crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), sealed.data(),
                                      got, box_pk.data(), box_sk.data());
  sodium_memzero(box_sk.data(), box_sk.size());
  if (rc != 0) {
    *why = "the sealed part was not sealed to this kiosk, or was altered";
    return std::nullopt;
  }
  return plain;
}

// [BUNDLE]
namespace {

// [SEALED STREAM] The encrypted body bundles and backups share (README R4, R5): a fresh
// XChaCha20-Poly1305 secretstream key sealed to headquarters' X25519 key at `sealed_key_at`, the
// stream header at `stream_header_at` (both already reserved in b), then chunks of u32 length +
// ciphertext appended to b; the first chunk carries b[0, ad_len) as associated data, the last
// is tagged FINAL so that truncation is detected.
void push_sealed_stream(Bytes& b, std::size_t sealed_key_at, std::size_t stream_header_at,
                        std::size_t ad_len, std::string_view plaintext, const Key32& hq_box_public) {
  std::uint8_t key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  crypto_secretstream_xchacha20poly1305_keygen(key);
  crypto_box_seal(b.data() + sealed_key_at, key, sizeof key, hq_box_public.data());
  crypto_secretstream_xchacha20poly1305_state st;
  crypto_secretstream_xchacha20poly1305_init_push(&st, b.data() + stream_header_at, key);
  sodium_memzero(key, sizeof key);
  const auto* p = reinterpret_cast<const std::uint8_t*>(plaintext.data());
  std::size_t off = 0;
  do {
    const std::size_t n = std::min(kChunk, plaintext.size() - off);
    const bool last = off + n == plaintext.size();
    const std::size_t at = b.size();
    b.resize(at + 4 + n + crypto_secretstream_xchacha20poly1305_ABYTES);
    const auto clen = static_cast<std::uint32_t>(n + crypto_secretstream_xchacha20poly1305_ABYTES);
    for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(clen >> (8 * i));
    crypto_secretstream_xchacha20poly1305_push(&st, b.data() + at + 4, nullptr, p + off, n,
                                               off == 0 ? b.data() : nullptr, off == 0 ? ad_len : 0,
                                               last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    off += n;
  } while (off < plaintext.size());
}

// The reverse over b[body_at, end): nullopt with a reason when the key does not open with
// headquarters' keys, a chunk fails authentication, or the stream is truncated or followed by
// anything. `what` names the file kind in the reasons ("bundle", "backup").
std::optional<std::string> pull_sealed_stream(const Bytes& b, std::size_t sealed_key_at,
                                              std::size_t stream_header_at, std::size_t ad_len,
                                              std::size_t body_at, std::size_t end,
                                              const SealingKeys& hq_box, const std::string& what,
                                              std::string* why) {
  std::uint8_t key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  if (crypto_box_seal_open(key, b.data() + sealed_key_at, kSealedKeySize, hq_box.public_key.data(),
                           hq_box.secret_key.data()) != 0) {
    *why = "the " + what + "'s key is not sealed to this headquarters (another hq, or tampered)";
    return std::nullopt;
  }
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, b.data() + stream_header_at, key) != 0) {
    sodium_memzero(key, sizeof key);
    *why = "the " + what + "'s stream header is invalid";
    return std::nullopt;
  }
  sodium_memzero(key, sizeof key);
  std::string out;
  std::size_t at = body_at;
  bool final_seen = false, first = true;
  while (at < end) {
    if (final_seen) {
      *why = "bytes after the final chunk";
      return std::nullopt;
    }
    if (end - at < 4) {
      *why = "truncated chunk length";
      return std::nullopt;
    }
    const std::uint32_t clen = get_u32(b.data() + at);
    at += 4;
    if (clen < crypto_secretstream_xchacha20poly1305_ABYTES || clen > end - at ||
        clen > kChunk + crypto_secretstream_xchacha20poly1305_ABYTES) {
      *why = "chunk length " + std::to_string(clen) + " is out of range";
      return std::nullopt;
    }
    const std::size_t n = clen - crypto_secretstream_xchacha20poly1305_ABYTES;
    const std::size_t o = out.size();
    out.resize(o + n);
    unsigned long long got = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&st, reinterpret_cast<unsigned char*>(out.data() + o), &got,
                                                   &tag, b.data() + at, clen, first ? b.data() : nullptr,
                                                   first ? ad_len : 0) != 0) {
      *why = "a chunk failed authentication (bit flip or tampering)";
      return std::nullopt;
    }
    out.resize(o + static_cast<std::size_t>(got));
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    first = false;
    at += clen;
  }
  if (!final_seen) {
    *why = "the encrypted stream is truncated (no final chunk)";
    return std::nullopt;
  }
  return out;
}

}  // namespace

Bytes seal_bundle(BundleHeader h, std::string_view plaintext, const Key64& device_secret,
                  const Key32& enrollment_secret, const Key32& hq_box_public) {
  Bytes b(kBundleHeaderSize, 0);
  std::memcpy(b.data(), kBundleMagic, 4);
  put_u16(b, kOffFormat, h.format);
  put_u16(b, kOffHeaderSize, static_cast<std::uint16_t>(kBundleHeaderSize));
  put_bytes(b, kOffDevice, h.device);
  put_bytes(b, kOffIncarnation, h.incarnation);
  put_u64(b, kOffBase, static_cast<std::uint64_t>(h.incarnation_base));
  put_u64(b, kOffFirst, static_cast<std::uint64_t>(h.first_seq));
  put_u64(b, kOffLast, static_cast<std::uint64_t>(h.last_seq));
  put_u64(b, kOffCreated, static_cast<std::uint64_t>(h.created_ms));
  put_bytes(b, kOffDeviceKey, h.device_public_key);
  crypto_auth(b.data() + kOffProof, b.data() + kOffDevice, kOffProof - kOffDevice,
              enrollment_secret.data());
  // The body, sealed to headquarters: only hq's X25519 secret key opens it (R4, R5).
  push_sealed_stream(b, kOffSealedKey, kOffStreamHeader, kOffSealedKey, plaintext, hq_box_public);
  put_u64(b, kOffCipherLen, static_cast<std::uint64_t>(b.size() - kBundleHeaderSize));
  const std::size_t signed_size = b.size();
  b.resize(signed_size + crypto_sign_BYTES);
  crypto_sign_detached(b.data() + signed_size, nullptr, b.data(), signed_size,
                       device_secret.data());
  return b;
}

std::optional<BundleHeader> parse_bundle_header(const Bytes& b, std::string* why) {
  if (b.empty()) {
    *why = "empty file (0 bytes): not a bundle";
    return std::nullopt;
  }
  if (b.size() < 4 || std::memcmp(b.data(), kBundleMagic, 4) != 0) {
    *why = "not a Roadshow bundle (no RSKB magic)";
    return std::nullopt;
  }
  if (b.size() < 8) {
    *why = "truncated bundle: " + std::to_string(b.size()) + " bytes";
    return std::nullopt;
  }
  BundleHeader h;
  h.format = get_u16(b.data() + kOffFormat);
  if (h.format != kBundleFormat) {
    *why = "bundle format version " + std::to_string(h.format) +
           (h.format > kBundleFormat ? " is newer than this program knows (" : " is unknown (") +
           std::to_string(kBundleFormat) + "); update hq";
    return std::nullopt;
  }
  if (b.size() < kBundleHeaderSize + crypto_sign_BYTES) {
    *why = "truncated bundle: " + std::to_string(b.size()) + " bytes, a header alone is " +
           std::to_string(kBundleHeaderSize);
    return std::nullopt;
  }
  if (get_u16(b.data() + kOffHeaderSize) != kBundleHeaderSize) {
    *why = "bundle header size is not " + std::to_string(kBundleHeaderSize);
    return std::nullopt;
  }
  const std::uint64_t clen = get_u64(b.data() + kOffCipherLen);
  if (clen != b.size() - kBundleHeaderSize - crypto_sign_BYTES) {
    *why = "truncated or padded bundle: the header announces " + std::to_string(clen) +
           " bytes of ciphertext, the file holds " +
           std::to_string(b.size() - kBundleHeaderSize - crypto_sign_BYTES);
    return std::nullopt;
  }
  h.device = get_bytes<16>(b.data() + kOffDevice);
  h.incarnation = get_bytes<16>(b.data() + kOffIncarnation);
  h.incarnation_base = static_cast<std::int64_t>(get_u64(b.data() + kOffBase));
  h.first_seq = static_cast<std::int64_t>(get_u64(b.data() + kOffFirst));
  h.last_seq = static_cast<std::int64_t>(get_u64(b.data() + kOffLast));
  h.created_ms = static_cast<std::int64_t>(get_u64(b.data() + kOffCreated));
  h.device_public_key = get_bytes<32>(b.data() + kOffDeviceKey);
  h.enrollment_proof = get_bytes<32>(b.data() + kOffProof);
  if (h.incarnation_base < 1 || h.first_seq < h.incarnation_base || h.last_seq < h.first_seq ||
      h.last_seq - h.first_seq >= kBundleMaxEntries) {
    *why = "bundle sequence range is invalid: base " + std::to_string(h.incarnation_base) +
           ", " + std::to_string(h.first_seq) + ".." + std::to_string(h.last_seq);
    return std::nullopt;
  }
  return h;
}

bool enrollment_proof_ok(const BundleHeader& h, const Key32& secret) {
  Bytes b(kBundleHeaderSize, 0);
  put_bytes(b, kOffDevice, h.device);
  put_bytes(b, kOffIncarnation, h.incarnation);
  put_u64(b, kOffBase, static_cast<std::uint64_t>(h.incarnation_base));
  put_u64(b, kOffFirst, static_cast<std::uint64_t>(h.first_seq));
  put_u64(b, kOffLast, static_cast<std::uint64_t>(h.last_seq));
  put_u64(b, kOffCreated, static_cast<std::uint64_t>(h.created_ms));
  put_bytes(b, kOffDeviceKey, h.device_public_key);
  return crypto_auth_verify(h.enrollment_proof.data(), b.data() + kOffDevice,
                            kOffProof - kOffDevice, secret.data()) == 0;
}

bool bundle_signature_ok(const Bytes& b, const Key32& device_public) {
  if (b.size() < kBundleHeaderSize + crypto_sign_BYTES) return false;
  const std::size_t signed_size = b.size() - crypto_sign_BYTES;
  return crypto_sign_verify_detached(b.data() + signed_size, b.data(), signed_size,
                                     device_public.data()) == 0;
}

std::optional<std::string> open_bundle(const Bytes& b, const SealingKeys& hq_box,
                                       std::string* why) {
  return pull_sealed_stream(b, kOffSealedKey, kOffStreamHeader, kOffSealedKey, kBundleHeaderSize,
                            b.size() - crypto_sign_BYTES, hq_box, "bundle", why);
}

// [RECEIPT] magic 4 | format 2 | count 2 | device 16 | issued 8 | count x (inc 16, base 8,
// mark 8) | Ed25519 signature 64.
Bytes sign_receipt(const Receipt& r, const Key64& hq_sign_secret) {
  const std::size_t n = std::min<std::size_t>(r.marks.size(), 0xFFFF);
  Bytes b(32 + n * 32, 0);
  std::memcpy(b.data(), kReceiptMagic, 4);
  put_u16(b, 4, kReceiptFormat);
  put_u16(b, 6, static_cast<std::uint16_t>(n));
  put_bytes(b, 8, r.device);
  put_u64(b, 24, static_cast<std::uint64_t>(r.issued_ms));
  for (std::size_t i = 0; i < n; ++i) {
    put_bytes(b, 32 + i * 32, r.marks[i].incarnation);
    put_u64(b, 32 + i * 32 + 16, static_cast<std::uint64_t>(r.marks[i].base_seq));
    put_u64(b, 32 + i * 32 + 24, static_cast<std::uint64_t>(r.marks[i].high_water));
  }
  const std::size_t signed_size = b.size();
  b.resize(signed_size + crypto_sign_BYTES);
  crypto_sign_detached(b.data() + signed_size, nullptr, b.data(), signed_size,
                       hq_sign_secret.data());
  return b;
}

std::optional<Receipt> parse_receipt(const Bytes& b, const Key32& hq_sign_public,
                                     std::string* why) {
  if (b.size() < 4 || std::memcmp(b.data(), kReceiptMagic, 4) != 0) {
    *why = b.empty() ? "empty file (0 bytes): not a receipt" : "not a Roadshow receipt (no RSKR magic)";
    return std::nullopt;
  }
  if (b.size() < 32 + crypto_sign_BYTES) {
    *why = "truncated receipt";
    return std::nullopt;
  }
  const std::uint16_t format = get_u16(b.data() + 4);
  if (format != kReceiptFormat) {
    *why = "receipt format version " + std::to_string(format) + " is not the one this kiosk knows (" +
           std::to_string(kReceiptFormat) + ")";
    return std::nullopt;
  }
  const std::size_t n = get_u16(b.data() + 6);
  if (b.size() != 32 + n * 32 + crypto_sign_BYTES) {
    *why = "truncated or padded receipt";
    return std::nullopt;
  }
  const std::size_t signed_size = b.size() - crypto_sign_BYTES;
  if (crypto_sign_verify_detached(b.data() + signed_size, b.data(), signed_size,
                                  hq_sign_public.data()) != 0) {
    *why = "the receipt's signature is not headquarters' (forged, tampered or another hq)";
    return std::nullopt;
  }
  Receipt r;
  r.device = get_bytes<16>(b.data() + 8);
  r.issued_ms = static_cast<std::int64_t>(get_u64(b.data() + 24));
  for (std::size_t i = 0; i < n; ++i) {
    ReceiptMark m;
    m.incarnation = get_bytes<16>(b.data() + 32 + i * 32);
    m.base_seq = static_cast<std::int64_t>(get_u64(b.data() + 32 + i * 32 + 16));
    m.high_water = static_cast<std::int64_t>(get_u64(b.data() + 32 + i * 32 + 24));
    if (m.base_seq < 1 || m.high_water < m.base_seq - 1) {
      *why = "receipt mark out of range";
      return std::nullopt;
    }
    r.marks.push_back(m);
  }
  return r;
}

// [DOWNLINK] magic 4 | format 2 | tour length 2 | version 8 | device 16 (zero: any) | tour |
// payload length 8 | payload | Ed25519 signature 64.
Bytes sign_downlink(const Downlink& d, const Key64& hq_sign_secret) {
  const std::size_t tour = std::min<std::size_t>(d.tour.size(), 0xFFFF);
  Bytes b(32 + tour + 8 + d.payload.size(), 0);
  std::memcpy(b.data(), kDownlinkMagic, 4);
  put_u16(b, 4, kDownlinkFormat);
  put_u16(b, 6, static_cast<std::uint16_t>(tour));
  put_u64(b, 8, static_cast<std::uint64_t>(d.version));
  if (d.device) put_bytes(b, 16, *d.device);
  std::memcpy(b.data() + 32, d.tour.data(), tour);
  put_u64(b, 32 + tour, d.payload.size());
  std::memcpy(b.data() + 40 + tour, d.payload.data(), d.payload.size());
  const std::size_t signed_size = b.size();
  b.resize(signed_size + crypto_sign_BYTES);
  crypto_sign_detached(b.data() + signed_size, nullptr, b.data(), signed_size, hq_sign_secret.data());
  return b;
}

std::optional<Downlink> parse_downlink(const Bytes& b, const Key32& hq_sign_public,
                                       std::string* why) {
  if (b.size() < 4 || std::memcmp(b.data(), kDownlinkMagic, 4) != 0) {
    *why = b.empty() ? "empty file (0 bytes): not a downlink package"
                     : "not a Roadshow downlink package (no RSKD magic)";
    return std::nullopt;
  }
  if (b.size() < 40 + crypto_sign_BYTES) {
    *why = "truncated downlink package";
    return std::nullopt;
  }
  const std::uint16_t format = get_u16(b.data() + 4);
  if (format != kDownlinkFormat) {
    *why = "downlink format version " + std::to_string(format) +
           (format > kDownlinkFormat ? " is newer than this kiosk knows (" : " is unknown (") +
           std::to_string(kDownlinkFormat) + "); update the kiosk";
    return std::nullopt;
  }
  const std::size_t tour = get_u16(b.data() + 6);
  if (b.size() < 40 + tour + crypto_sign_BYTES ||
      get_u64(b.data() + 32 + tour) != b.size() - 40 - tour - crypto_sign_BYTES) {
    *why = "truncated or padded downlink package";
    return std::nullopt;
  }
  const std::size_t signed_size = b.size() - crypto_sign_BYTES;
  if (crypto_sign_verify_detached(b.data() + signed_size, b.data(), signed_size,
                                  hq_sign_public.data()) != 0) {
    *why = "the package is not signed by this kiosk's headquarters (forged, tampered or foreign)";
    return std::nullopt;
  }
  Downlink d;
  d.version = static_cast<std::int64_t>(get_u64(b.data() + 8));
  const Uuid device = get_bytes<16>(b.data() + 16);
  if (device != Uuid{}) d.device = device;
  d.tour.assign(reinterpret_cast<const char*>(b.data() + 32), tour);
  d.payload.assign(reinterpret_cast<const char*>(b.data() + 40 + tour), signed_size - 40 - tour);
  return d;
}

// [STATS] magic 4 | format 2 | device 16 | created 8 | payload length 8 | payload | signature 64.
Bytes sign_stats(const Stats& st, const Key64& device_secret) {
  Bytes b(38 + st.payload.size(), 0);
  std::memcpy(b.data(), kStatsMagic, 4);
  put_u16(b, 4, kStatsFormat);
  put_bytes(b, 6, st.device);
  put_u64(b, 22, static_cast<std::uint64_t>(st.created_ms));
  put_u64(b, 30, st.payload.size());
  std::memcpy(b.data() + 38, st.payload.data(), st.payload.size());
  const std::size_t signed_size = b.size();
  b.resize(signed_size + crypto_sign_BYTES);
  crypto_sign_detached(b.data() + signed_size, nullptr, b.data(), signed_size, device_secret.data());
  return b;
}

std::optional<Stats> parse_stats(const Bytes& b, std::string* why) {
  if (b.size() < 4 || std::memcmp(b.data(), kStatsMagic, 4) != 0) {
    *why = b.empty() ? "empty file (0 bytes): not a statistics file"
                     : "not a Roadshow statistics file (no RSKS magic)";
    return std::nullopt;
  }
  if (b.size() > kStatsMaxBytes) {
    *why = "statistics file larger than " + std::to_string(kStatsMaxBytes >> 20) + " MiB";
    return std::nullopt;
  }
  if (b.size() < 38 + crypto_sign_BYTES) {
    *why = "truncated statistics file";
    return std::nullopt;
  }
  const std::uint16_t format = get_u16(b.data() + 4);
  if (format != kStatsFormat) {
    *why = "statistics format version " + std::to_string(format) + " is unknown (this headquarters reads " +
           std::to_string(kStatsFormat) + ")";
    return std::nullopt;
  }
  if (get_u64(b.data() + 30) != b.size() - 38 - crypto_sign_BYTES) {
    *why = "truncated or padded statistics file";
    return std::nullopt;
  }
  Stats st;
  st.device = get_bytes<16>(b.data() + 6);
  st.created_ms = static_cast<std::int64_t>(get_u64(b.data() + 22));
  st.payload.assign(reinterpret_cast<const char*>(b.data() + 38), b.size() - 38 - crypto_sign_BYTES);
  return st;
}

bool stats_signature_ok(const Bytes& b, const Key32& device_public) {
  if (b.size() < 38 + crypto_sign_BYTES) return false;
  const std::size_t signed_size = b.size() - crypto_sign_BYTES;
  return crypto_sign_verify_detached(b.data() + signed_size, b.data(), signed_size, device_public.data()) == 0;
}

// [ENROLLMENT]
std::string enrollment_text(const Enrollment& e) {
  toml::table t{
      {"format", 1},
      {"device_id", uuid_text(e.device)},
      {"device_name", e.device_name},
      {"tour", e.tour},
      {"hq_url", e.hq_url},
      {"hq_sign_public_key", to_base64(e.hq_sign_public.data(), 32)},
      {"hq_box_public_key", to_base64(e.hq_box_public.data(), 32)},
      {"enrollment_secret", to_base64(e.secret.data(), 32)},
  };
  std::ostringstream out;
  out << "# Roadshow Kiosk enrollment file. Load it on the kiosk with `kiosk --enroll FILE`,\n"
         "# then destroy it: its secret binds the first kiosk that sends with it.\n"
      << t << "\n";
  return out.str();
}

std::optional<Enrollment> parse_enrollment(std::string_view text, std::string* why) {
  if (text.size() > 8192) {
    *why = "not an enrollment file (larger than 8 KiB)";
    return std::nullopt;
  }
  // The one gate every TOML reader passes (kiosk/core/toml_safety.h): a deeply nested file
  // would overflow the stack inside toml++.
  toml::table t;
  core::TomlRefusal refusal;
  if (!core::parse_toml_checked(text, "enrollment", &t, &refusal)) {
    *why = "line " + std::to_string(refusal.line) + ": " + refusal.reason;
    return std::nullopt;
  }
  auto str = [&](const char* key, std::string* out) {
    const auto v = t[key].value<std::string>();
    if (!v) {
      *why = std::string("field '") + key + "' is missing or not a string";
      return false;
    }
    *out = *v;
    return true;
  };
  auto key32 = [&](const char* key, Key32* out) {
    std::string s;
    if (!str(key, &s)) return false;
    if (!from_base64(s, out->data(), 32)) {
      *why = std::string("field '") + key + "' is not 32 bytes of base64";
      return false;
    }
    return true;
  };
  if (t["format"].value<std::int64_t>() != 1) {
    *why = "field 'format': not an enrollment file of format 1";
    return std::nullopt;
  }
  Enrollment e;
  std::string id;
  if (!str("device_id", &id)) return std::nullopt;
  const auto uuid = parse_uuid(id);
  if (!uuid) {
    *why = "field 'device_id' is not a UUID";
    return std::nullopt;
  }
  e.device = *uuid;
  if (!str("device_name", &e.device_name) || !str("tour", &e.tour) ||
      !key32("hq_sign_public_key", &e.hq_sign_public) ||
      !key32("hq_box_public_key", &e.hq_box_public) || !key32("enrollment_secret", &e.secret))
    return std::nullopt;
  if (const auto url = t["hq_url"].value<std::string>()) e.hq_url = *url;
  return e;
}

// [BACKUP] Offsets of the backup header (format.h, README "Backups").
namespace {
enum : std::size_t {
  kBkOffFormat = 4, kBkOffHeaderSize = 6, kBkOffDevice = 8, kBkOffIncarnation = 24, kBkOffCreated = 40,
  kBkOffPlainSize = 48, kBkOffDeviceKey = 56, kBkOffSealedKey = 88, kBkOffStreamHeader = 168,
  kBkOffCipherLen = 192,
};
static_assert(kBkOffCipherLen + 8 == kBackupHeaderSize);
static_assert(kBkOffSealedKey + kSealedKeySize == kBkOffStreamHeader);
static_assert(kBkOffStreamHeader + crypto_secretstream_xchacha20poly1305_HEADERBYTES == kBkOffCipherLen);
}  // namespace

Bytes seal_backup(const BackupHeader& h, std::string_view sqlite_file, const Key64& device_secret,
                  const Key32& hq_box_public) {
  Bytes b(kBackupHeaderSize, 0);
  std::memcpy(b.data(), kBackupMagic, 4);
  put_u16(b, kBkOffFormat, h.format);
  put_u16(b, kBkOffHeaderSize, static_cast<std::uint16_t>(kBackupHeaderSize));
  put_bytes(b, kBkOffDevice, h.device);
  put_bytes(b, kBkOffIncarnation, h.incarnation);
  put_u64(b, kBkOffCreated, static_cast<std::uint64_t>(h.created_ms));
  put_u64(b, kBkOffPlainSize, static_cast<std::uint64_t>(sqlite_file.size()));
  put_bytes(b, kBkOffDeviceKey, h.device_public_key);
  push_sealed_stream(b, kBkOffSealedKey, kBkOffStreamHeader, kBkOffSealedKey, sqlite_file, hq_box_public);
  put_u64(b, kBkOffCipherLen, static_cast<std::uint64_t>(b.size() - kBackupHeaderSize));
  const std::size_t signed_size = b.size();
  b.resize(signed_size + crypto_sign_BYTES);
  crypto_sign_detached(b.data() + signed_size, nullptr, b.data(), signed_size, device_secret.data());
  return b;
}

bool looks_like_backup(const Bytes& b) { return b.size() >= 4 && std::memcmp(b.data(), kBackupMagic, 4) == 0; }

std::optional<BackupHeader> parse_backup_header(const Bytes& b, std::string* why) {
  if (!looks_like_backup(b)) {
    *why = "not a kiosk backup (wrong magic)";
    return std::nullopt;
  }
  if (b.size() < kBackupHeaderSize + crypto_sign_BYTES) {
    *why = "truncated: " + std::to_string(b.size()) + " bytes, shorter than a backup's header";
    return std::nullopt;
  }
  BackupHeader h;
  h.format = get_u16(b.data() + kBkOffFormat);
  if (h.format != kBackupFormat) {
    *why = "backup format " + std::to_string(h.format) + " is newer than this build reads (" +
           std::to_string(kBackupFormat) + ")";
    return std::nullopt;
  }
  if (get_u16(b.data() + kBkOffHeaderSize) != kBackupHeaderSize) {
    *why = "unexpected header size";
    return std::nullopt;
  }
  h.device = get_bytes<16>(b.data() + kBkOffDevice);
  h.incarnation = get_bytes<16>(b.data() + kBkOffIncarnation);
  h.created_ms = static_cast<std::int64_t>(get_u64(b.data() + kBkOffCreated));
  h.plain_size = get_u64(b.data() + kBkOffPlainSize);
  h.device_public_key = get_bytes<32>(b.data() + kBkOffDeviceKey);
  const std::uint64_t cipher_len = get_u64(b.data() + kBkOffCipherLen);
  if (cipher_len != b.size() - kBackupHeaderSize - crypto_sign_BYTES) {
    *why = "the file is " + std::to_string(b.size()) + " bytes; its header says " +
           std::to_string(cipher_len + kBackupHeaderSize + crypto_sign_BYTES) + " (truncated or extended)";
    return std::nullopt;
  }
  return h;
}

std::optional<std::string> open_backup(const Bytes& b, const Key32& device_public, const SealingKeys& hq_box,
                                       std::string* why) {
  const auto h = parse_backup_header(b, why);
  if (!h) return std::nullopt;
  const std::size_t signed_size = b.size() - crypto_sign_BYTES;
  if (crypto_sign_verify_detached(b.data() + signed_size, b.data(), signed_size, device_public.data()) != 0) {
    *why = "the device signature does not verify (another kiosk's key, or the file was changed)";
    return std::nullopt;
  }
  auto plain = pull_sealed_stream(b, kBkOffSealedKey, kBkOffStreamHeader, kBkOffSealedKey, kBackupHeaderSize,
                                  signed_size, hq_box, "backup", why);
  if (plain && plain->size() != h->plain_size) {
    *why = "the decrypted store is " + std::to_string(plain->size()) + " bytes; the header says " +
           std::to_string(h->plain_size);
    return std::nullopt;
  }
  return plain;
}

}  // namespace kiosk::sync
