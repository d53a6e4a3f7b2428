// sync/format.h — the bytes that travel between a kiosk and headquarters: bundles, receipts and
// the enrollment (provisioning) file. Pure functions over libsodium; no SQLite, no network.
// The format is specified, with its numbered invariants, in sync/README.md; this header is its
// C++ face. Every parse_* returns a reason naming the field that is wrong, never a crash, for
// any input bytes (tests/sync/fuzz_format).
//
// Contract: thread-safe (no state); call sodium_init() once before use (init_crypto() does).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::sync {

using Bytes = std::vector<std::uint8_t>;
using Key32 = std::array<std::uint8_t, 32>;
using Key64 = std::array<std::uint8_t, 64>;
using Uuid = std::array<std::uint8_t, 16>;

// sodium_init(); false only when the system has no entropy source.
bool init_crypto();

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" <-> 16 bytes. parse_uuid is strict (lower or upper hex).
std::optional<Uuid> parse_uuid(std::string_view text);
std::string uuid_text(const Uuid& id);
std::string to_base64(const std::uint8_t* data, std::size_t size);
bool from_base64(std::string_view text, std::uint8_t* out, std::size_t size);  // exact size
std::string to_hex(const std::uint8_t* data, std::size_t size);
Key32 sha256(const std::uint8_t* data, std::size_t size);

// Key pairs. Headquarters: an Ed25519 signing pair and an X25519 sealing pair. A kiosk: an
// Ed25519 signing pair it makes itself at enrollment.
struct SigningKeys {
  Key32 public_key{};
  Key64 secret_key{};
  static SigningKeys generate();
};
struct SealingKeys {
  Key32 public_key{};
  Key32 secret_key{};
  static SealingKeys generate();
};

// [BUNDLE] -------------------------------------------------------------------------------------
inline constexpr std::uint16_t kBundleFormat = 1;
inline constexpr std::size_t kBundleHeaderSize = 248;   // bytes before the ciphertext
inline constexpr std::size_t kBundleMaxBytes = 64u << 20;
inline constexpr std::int64_t kBundleMaxEntries = 100000;

struct BundleHeader {
  std::uint16_t format = kBundleFormat;
  Uuid device{};        // headquarters' id for the kiosk (from the enrollment file)
  Uuid incarnation{};   // the kiosk store's incarnation (kiosk/core/store.h invariant 7)
  std::int64_t incarnation_base = 1;
  std::int64_t first_seq = 0, last_seq = 0;
  std::int64_t created_ms = 0;
  Key32 device_public_key{};  // Ed25519; bound at headquarters by the enrollment proof
  Key32 enrollment_proof{};   // HMAC-SHA512-256(enrollment secret, device..device_public_key)
};

// Seals `plaintext` (the JSON array of change-log entries) into a bundle: encrypted to
// `hq_box_public` (a fresh XChaCha20-Poly1305 secretstream key sealed with crypto_box_seal),
// signed with the device's Ed25519 secret key. Fills header.enrollment_proof from the secret.
Bytes seal_bundle(BundleHeader header, std::string_view plaintext, const Key64& device_secret,
                  const Key32& enrollment_secret, const Key32& hq_box_public);

// Reads and checks the header (magic, format, sizes, seq order). No key needed.
std::optional<BundleHeader> parse_bundle_header(const Bytes& bundle, std::string* why);
// True when the proof in the header was made with `enrollment_secret`.
bool enrollment_proof_ok(const BundleHeader& header, const Key32& enrollment_secret);
// True when the device signature over header and ciphertext verifies with `device_public`.
bool bundle_signature_ok(const Bytes& bundle, const Key32& device_public);
// Decrypts a bundle whose header parsed and whose signature verified. nullopt with a reason when
// the sealed key does not open with headquarters' keys, a chunk fails authentication, the
// stream is truncated (no final chunk) or has bytes after it.
std::optional<std::string> open_bundle(const Bytes& bundle, const SealingKeys& hq_box,
                                       std::string* why);

// [RECEIPT] ------------------------------------------------------------------------------------
inline constexpr std::uint16_t kReceiptFormat = 1;

struct ReceiptMark {
  Uuid incarnation{};
  std::int64_t base_seq = 1;
  std::int64_t high_water = 0;  // every seq base_seq..high_water of this incarnation is held
};
struct Receipt {
  Uuid device{};
  std::int64_t issued_ms = 0;
  std::vector<ReceiptMark> marks;
};
Bytes sign_receipt(const Receipt& receipt, const Key64& hq_sign_secret);
// Parses and verifies with headquarters' public key; nullopt with a reason otherwise.
std::optional<Receipt> parse_receipt(const Bytes& bytes, const Key32& hq_sign_public,
                                     std::string* why);

// [DOWNLINK] -------------------------------------------------------------------------------------
// What headquarters sends kiosks (README "Downlink"): a JSON payload (organization directory,
// events, kiosk settings) for one tour, optionally one device, signed with headquarters' key.
// Not encrypted as a whole; its staff accounts (names, PIN hashes) travel sealed to each kiosk
// (seal_for_device below, README "Staff accounts").
inline constexpr std::uint16_t kDownlinkFormat = 1;
struct Downlink {
  std::int64_t version = 0;   // headquarters' build time (unix ms): only newer ones apply
  std::string tour;
  std::optional<Uuid> device;  // only this device, or every device of the tour
  std::string payload;         // JSON object
};
Bytes sign_downlink(const Downlink& d, const Key64& hq_sign_secret);
std::optional<Downlink> parse_downlink(const Bytes& bytes, const Key32& hq_sign_public,
                                       std::string* why);

// [STATS] ---------------------------------------------------------------------------------------
// The kiosk's anonymous visit statistics (kiosk/core/visit_stats.h: per day, exhibit and
// language, no person) for headquarters' report (README "Visit statistics"): the whole table,
// signed by the device; a newer file replaces the rows it holds. Not encrypted: it identifies
// no one. Layout: RSKS | format 2 | device 16 | created 8 | payload length 8 | payload | sig 64.
inline constexpr std::uint16_t kStatsFormat = 1;
inline constexpr std::size_t kStatsMaxBytes = 8u << 20;
struct Stats {
  Uuid device{};
  std::int64_t created_ms = 0;
  std::string payload;  // JSON array of {day, exhibit, lang, opened, dwell_s, quiz_right, quiz_wrong}
};
Bytes sign_stats(const Stats& s, const Key64& device_secret);
// Structure only (magic, format, sizes); nullopt with a reason otherwise.
std::optional<Stats> parse_stats(const Bytes& bytes, std::string* why);
// True when the device signature over everything before it verifies with `device_public`.
bool stats_signature_ok(const Bytes& bytes, const Key32& device_public);

// [BACKUP] --------------------------------------------------------------------------------------
// A copy of a kiosk's whole store (a SQLite file) for a USB stick (README "Backups"): encrypted
// to headquarters like a bundle, so a lost stick shows nothing, and signed by the device.
// Layout: RSKA | format 2 | header size 2 | device 16 | incarnation 16 | created 8 | plain size 8
// | device key 32 | sealed key 80 | stream header 24 | cipher length 8 | chunks | sig 64.
// The first chunk authenticates bytes 0..88 (everything before the sealed key).
inline constexpr std::uint16_t kBackupFormat = 1;
inline constexpr std::size_t kBackupHeaderSize = 200;
inline constexpr std::size_t kBackupMaxBytes = std::size_t{2} << 30;  // 2 GiB
struct BackupHeader {
  std::uint16_t format = kBackupFormat;
  Uuid device{};       // headquarters' id for the kiosk
  Uuid incarnation{};  // the store's incarnation when it was copied
  std::int64_t created_ms = 0;
  std::uint64_t plain_size = 0;  // bytes of the SQLite file inside
  Key32 device_public_key{};     // Ed25519: the signature's key (checked against hq's device row)
};
Bytes seal_backup(const BackupHeader& header, std::string_view sqlite_file, const Key64& device_secret,
                  const Key32& hq_box_public);
// True when the first four bytes are a backup's (so a restore can say what it was given).
bool looks_like_backup(const Bytes& bytes);
// Header and sizes only; nullopt with a reason (a newer format says so).
std::optional<BackupHeader> parse_backup_header(const Bytes& bytes, std::string* why);
// Verifies the signature with `device_public` (headquarters' record of the device, never the key
// in the header alone) and decrypts; nullopt with a reason on any failure.
std::optional<std::string> open_backup(const Bytes& bytes, const Key32& device_public,
                                       const SealingKeys& hq_box, std::string* why);

// [SEALED FOR ONE KIOSK] A part of a downlink only one kiosk may read (its staff accounts):
// crypto_box_seal to the X25519 form of the device's Ed25519 signing key (the key headquarters
// bound from the kiosk's first bundle), as base64. nullopt when the key is not a valid point.
std::optional<std::string> seal_for_device(std::string_view plaintext, const Key32& device_sign_public);
// Opens it with the device's Ed25519 pair; nullopt with a reason when the text is not base64,
// is too large (> max_bytes) or was not sealed to this device.
std::optional<std::string> open_for_device(std::string_view sealed_base64,
                                           const Key32& device_sign_public,
                                           const Key64& device_sign_secret, std::size_t max_bytes,
                                           std::string* why);

// [ENROLLMENT] ---------------------------------------------------------------------------------
// The provisioning file `hq enroll` writes and `kiosk --enroll` reads: a small TOML text.
struct Enrollment {
  Uuid device{};
  std::string device_name, tour, hq_url;
  Key32 hq_sign_public{}, hq_box_public{}, secret{};
};
std::string enrollment_text(const Enrollment& e);
std::optional<Enrollment> parse_enrollment(std::string_view text, std::string* why);

// Reads a whole file (at most max_bytes); nullopt with "FILE: reason" otherwise.
std::optional<Bytes> read_file(const std::string& path, std::size_t max_bytes, std::string* why);
// Writes durably: a temporary file in the same folder, fsync, rename, fsync of the folder.
// `mode` is the new file's permission bits (0600 for secrets).
bool write_file_durably(const std::string& path, const std::uint8_t* data, std::size_t size,
                        unsigned mode, std::string* why);

}  // namespace kiosk::sync
