// Tampered, truncated, replayed and foreign bundles (issue 9 item 6 and "Bad input"; README R2,
// R3, R4): every one is refused by `hq serve` with a 4xx and a one-line reason AND by `hq import`
// with exit 1 and the reason on stderr, and the library file is byte-for-byte the same afterwards
// (sha256 of library.sqlite3 with its WAL folded in, hq stopped, before and after).
//
// Devices: A (active, the bundle every tampering starts from), B (active), C (enrolled, never
// sent: pending), D (active, then revoked with `hq revoke`), F (enrolled at another hq).
// Bundle offsets are the README's: version 4..5, device 8..23, incarnation 24..39, created 64..71,
// device key 72..103, sealed stream key 136..215, ciphertext length 240..247, ciphertext 248..,
// signature the last 64 bytes.
#include "e2e_support.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace e2e;
using kiosk::sync::SyncCode;

namespace {

constexpr std::size_t kCipher = 248;
constexpr std::size_t kSig = 64;

struct Bad {
  std::string name;   // also the file name on the "stick"
  Bytes bytes;
  std::string reason; // a piece the reason must contain ("" = any non-empty reason)
};

std::uint64_t u64_at(const Bytes& b, std::size_t off) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[off + static_cast<std::size_t>(i)];
  return v;
}

Bytes with_u64(Bytes b, std::size_t off, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[off + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  return b;
}

// Ciphertext changed in length (cut or padded) with the length field fixed and a valid device
// signature: only the stream itself (R3) can tell.
Bytes resized_ciphertext(const Bytes& b, std::ptrdiff_t delta, const kiosk::core::SyncIdentity& id) {
  const std::size_t n = u64_at(b, 240);
  const std::size_t m = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(n) + delta);
  Bytes out(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(kCipher + std::min(n, m)));
  out.resize(kCipher + m, 0);
  out = with_u64(out, 240, m);
  out.resize(out.size() + kSig, 0);
  return resigned(out, id);
}

}  // namespace

TEST_CASE("tampered, truncated, replayed, revoked and foreign bundles are refused, the library unchanged",
          "[refused]") {
  TempDir dir("refused");
  const std::string library = dir / "library";
  const std::string other_hq = dir / "other-hq";
  init_library(library);
  init_library(other_hq);
  Kiosk a(dir / "a.sqlite3"), b(dir / "b.sqlite3"), d(dir / "d.sqlite3"), f(dir / "f.sqlite3");
  a.enroll(enroll_device(library, "kiosk-a"));
  b.enroll(enroll_device(library, "kiosk-b"));
  const auto c_enrollment = enroll_device(library, "kiosk-c");  // pending: never sends
  d.enroll(enroll_device(library, "kiosk-d"));
  f.enroll(enroll_device(other_hq, "kiosk-f"));
  a.register_people(5, "a");
  b.register_people(3, "b");
  d.register_people(3, "d");
  f.register_people(3, "f");

  HqServer hq(library, dir.path().string());
  for (Kiosk* k : {&a, &b, &d}) {
    const auto o = k->sync().send_now(hq.url(), {}, 10);
    INFO(o.detail);
    REQUIRE(o.code == SyncCode::ok);
  }
  const auto revoked = run_hq({"--library", library, "revoke", "--device", "kiosk-d"});
  INFO(revoked.err);
  REQUIRE(revoked.exit_code == 0);
  a.register_people(4, "a2");
  d.register_people(2, "d2");
  const auto a_id = a.identity();
  const std::int64_t a_mark = a.acked_seq();
  const Bytes base = a.pending_bundles().at(0);
  const Bytes from_revoked = d.pending_bundles().at(0);
  const Bytes foreign = f.pending_bundles().at(0);
  const std::size_t n = base.size() - kCipher - kSig;

  // Device ids to replay A's bundle under.
  const auto b_dev = *kiosk::sync::parse_uuid(b.hq_device_id());
  const auto c_dev = c_enrollment.device;
  const auto a_dev = *kiosk::sync::parse_uuid(a.hq_device_id());
  kiosk::sync::Uuid unknown{};
  unknown.fill(0x42);

  // A's own key holder rewriting what hq already holds (seqs 1..a_mark, one name changed).
  Bytes rewritten;
  {
    auto held = kiosk::core::ChangeLog(a.store()).range(1, a_mark);
    REQUIRE(held.ok());
    bool changed = false;
    for (auto& e : held.value) {
      const auto p = e.payload.find("Pa-0");
      if (e.entity == "participant" && p != std::string::npos && !changed) {
        e.payload.replace(p, 4, "Px-0");
        changed = true;
      }
    }
    REQUIRE(changed);
    std::string why;
    auto h = kiosk::sync::parse_bundle_header(base, &why);
    REQUIRE(h);
    h->first_seq = 1;
    h->last_seq = a_mark;
    kiosk::sync::Key64 sk{};
    kiosk::sync::Key32 secret{}, box{};
    std::copy(a_id.device_sign_sk.begin(), a_id.device_sign_sk.end(), sk.begin());
    std::copy(a_id.enroll_secret.begin(), a_id.enroll_secret.end(), secret.begin());
    std::copy(a_id.hq_box_pk.begin(), a_id.hq_box_pk.end(), box.begin());
    rewritten = kiosk::sync::seal_bundle(*h, kiosk::core::entries_json(held.value), sk, secret, box);
  }
  // A bundle whose entries are of a payload format this hq does not know, validly signed.
  Bytes newer_entries;
  {
    auto pending = kiosk::core::ChangeLog(a.store()).range(a_mark + 1, a.last_seq());
    REQUIRE(pending.ok());
    for (auto& e : pending.value) e.format = 2;
    std::string why;
    auto h = kiosk::sync::parse_bundle_header(base, &why);
    REQUIRE(h);
    kiosk::sync::Key64 sk{};
    kiosk::sync::Key32 secret{}, box{};
    std::copy(a_id.device_sign_sk.begin(), a_id.device_sign_sk.end(), sk.begin());
    std::copy(a_id.enroll_secret.begin(), a_id.enroll_secret.end(), secret.begin());
    std::copy(a_id.hq_box_pk.begin(), a_id.hq_box_pk.end(), box.begin());
    newer_entries = kiosk::sync::seal_bundle(*h, kiosk::core::entries_json(pending.value), sk, secret, box);
  }

  std::vector<Bad> bad = {
      {"header-created-flipped", flip_bit(base, 64), "signature"},
      {"header-incarnation-flipped", flip_bit(base, 30), "signature"},
      {"header-device-key-flipped", flip_bit(base, 80), "key"},
      {"ciphertext-flipped", flip_bit(base, kCipher + n / 2), "signature"},
      {"signature-flipped", flip_bit(base, base.size() - 1), "signature"},
      {"ciphertext-flipped-resigned", resigned(flip_bit(base, kCipher + n / 2), a_id), "authentication"},
      {"sealed-key-flipped-resigned", resigned(flip_bit(base, 150), a_id), "sealed"},
      {"header-created-flipped-resigned", resigned(flip_bit(base, 64), a_id), "authentication"},
      {"ciphertext-cut-resigned", resized_ciphertext(base, -100, a_id), "out of range"},
      {"ciphertext-removed-resigned", resized_ciphertext(base, -static_cast<std::ptrdiff_t>(n), a_id), "no final chunk"},
      {"ciphertext-padded-resigned", resized_ciphertext(base, 16, a_id), "after the final chunk"},
      {"bytes-after-signature", [&] { Bytes x = base; x.resize(x.size() + 16, 0); return x; }(), "padded"},
      {"zero-bytes", {}, "empty"},
      {"not-a-bundle", [] { const std::string t = "given_name,family_name\nDara,Sok\n"; return Bytes(t.begin(), t.end()); }(), "not a Roadshow bundle"},
      {"format-version-2", with_u16(base, 4, 2), "format version 2"},
      {"format-version-2-resigned", resigned(with_u16(base, 4, 2), a_id), "format version 2"},
      {"format-version-65535", with_u16(base, 4, 65535), "format version 65535"},
      {"entry-payload-format-2", newer_entries, "format 2"},
      {"replayed-as-active-device-b", with_bytes(base, 8, b_dev.data(), 16), "kiosk-b"},
      {"replayed-as-pending-device-c", with_bytes(base, 8, c_dev.data(), 16), "enrollment proof"},
      {"replayed-as-unknown-device", with_bytes(base, 8, unknown.data(), 16), "unknown device"},
      {"revoked-device-d", from_revoked, "revoked"},
      {"foreign-hq", foreign, "unknown device"},
      {"foreign-hq-as-device-a", with_bytes(foreign, 8, a_dev.data(), 16), ""},
      {"held-seqs-rewritten", rewritten, "different content"},
  };
  for (const std::size_t len : {std::size_t{3}, std::size_t{7}, std::size_t{100}, std::size_t{247},
                                std::size_t{248}, std::size_t{311}, base.size() / 2,
                                base.size() - kSig, base.size() - 1})
    bad.push_back({"truncated-to-" + std::to_string(len), Bytes(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(len)),
                   len < 4 ? "" : "truncated"});

  const fs::path stick = dir.path() / "stick";
  fs::create_directories(stick);
  for (const auto& x : bad) write_bytes(stick / (x.name + ".rkb"), x.bytes);

  hq.stop();
  const std::string before = library_fingerprint(library);
  const std::string counts_before = library_counts(library);
  hq.start();

  for (const auto& x : bad) {
    const auto answer = post_bundle(hq.url(), x.bytes);
    INFO("HTTP, " << x.name << ": " << answer.status << " " << answer.body);
    CHECK(answer.status >= 400);
    CHECK(answer.status < 500);
    CHECK(answer.body.size() > 1);
    CHECK(answer.body.find(x.reason) != std::string::npos);
    CHECK(answer.body.find('\n') == answer.body.size() - 1);  // one line
  }
  REQUIRE(hq.running());
  hq.stop();
  for (const auto& x : bad) {
    const auto r = run_hq({"--library", library, "import", (stick / (x.name + ".rkb")).string()});
    INFO("hq import, " << x.name << ": exit " << r.exit_code << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("refused") != std::string::npos);
    CHECK(r.err.find(x.reason) != std::string::npos);
  }
  const auto all = run_hq({"--library", library, "import", stick.string()});
  INFO("hq import of the whole folder: " << all.err);
  CHECK(all.exit_code == 1);
  CHECK(all.err.find(std::to_string(bad.size()) + " of " + std::to_string(bad.size()) + " files refused") !=
        std::string::npos);
  for (const auto& name : files_in(stick)) CHECK(fs::path(name).extension() != ".rkr");  // no receipt

  const std::string after = library_fingerprint(library);
  INFO("library before: " << counts_before << "\nlibrary after:  " << library_counts(library));
  CHECK(after == before);
  CHECK(a.acked_seq() == a_mark);

  // The untouched bundle is accepted: the refusals were about the changes, not the bundle.
  hq.start();
  const auto good = post_bundle(hq.url(), base);
  INFO(good.body);
  CHECK(good.status == 200);
  const auto sent = a.sync().send_now(hq.url(), {}, 10);
  INFO(sent.detail);
  CHECK(sent.code == SyncCode::ok);
  hq.stop();
  LibraryDb lib(library);
  require_exactly_once(lib, {&a});
  require_exactly_once(lib, {&b});
  CHECK(require_mark_backed(lib, a) == a.last_seq());
  // D: what it sent before the revocation, nothing after.
  CHECK(lib.integer("SELECT count(*) FROM entry WHERE device_id = '" + d.hq_device_id() + "'") ==
        d.acked_seq());
  CHECK(d.acked_seq() < d.last_seq());
}
