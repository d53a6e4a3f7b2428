// The bytes of sync (sync/README.md): bundles round-trip, and every damaged input is refused
// with a reason, never a crash.
#include "format.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <random>

using namespace kiosk::sync;

namespace {

struct Parties {
  SigningKeys device = SigningKeys::generate();
  SealingKeys hq_box = SealingKeys::generate();
  SigningKeys hq_sign = SigningKeys::generate();
  Key32 secret{};
  Parties() {
    REQUIRE(init_crypto());
    secret.fill(7);
  }
  BundleHeader header(std::int64_t first = 1, std::int64_t last = 2) const {
    BundleHeader h;
    h.device = *parse_uuid("0b6f1c2e-1d3a-4c5b-9e8f-0123456789ab");
    h.incarnation = *parse_uuid("11111111-2222-4333-8444-555555555555");
    h.incarnation_base = 1;
    h.first_seq = first;
    h.last_seq = last;
    h.created_ms = 1795946400000;
    h.device_public_key = device.public_key;
    return h;
  }
  Bytes bundle(std::string_view plain) const {
    return seal_bundle(header(), plain, device.secret_key, secret, hq_box.public_key);
  }
};

bool accepted(const Bytes& b, const Parties& p, std::string* why) {
  const auto h = parse_bundle_header(b, why);
  if (!h) return false;
  if (!enrollment_proof_ok(*h, p.secret)) {
    *why = "proof";
    return false;
  }
  if (!bundle_signature_ok(b, h->device_public_key)) {
    *why = "signature";
    return false;
  }
  return open_bundle(b, p.hq_box, why).has_value();
}

}  // namespace

TEST_CASE("a bundle round-trips and hides its payload", "[format]") {
  Parties p;
  const std::string plain = R"([{"seq":1,"given_name":"Sophea"},{"seq":2}])";
  const Bytes b = p.bundle(plain);
  std::string why;
  const auto h = parse_bundle_header(b, &why);
  REQUIRE(h);
  CHECK(h->first_seq == 1);
  CHECK(h->last_seq == 2);
  CHECK(uuid_text(h->device) == "0b6f1c2e-1d3a-4c5b-9e8f-0123456789ab");
  CHECK(enrollment_proof_ok(*h, p.secret));
  Key32 other = p.secret;
  other[0] ^= 1;
  CHECK_FALSE(enrollment_proof_ok(*h, other));
  CHECK(bundle_signature_ok(b, p.device.public_key));
  CHECK_FALSE(bundle_signature_ok(b, SigningKeys::generate().public_key));
  const auto opened = open_bundle(b, p.hq_box, &why);
  REQUIRE(opened);
  CHECK(*opened == plain);
  // R1: the name is nowhere in the bytes.
  const std::string bytes(b.begin(), b.end());
  CHECK(bytes.find("Sophea") == std::string::npos);
  // Another headquarters cannot open it.
  SealingKeys other_hq = SealingKeys::generate();
  CHECK_FALSE(open_bundle(b, other_hq, &why));
  CHECK(why.find("not sealed to this headquarters") != std::string::npos);
}

TEST_CASE("a payload of many chunks round-trips", "[format]") {
  Parties p;
  std::string plain(300 * 1024 + 17, 'x');
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<char>('a' + i % 26);
  const Bytes b = p.bundle(plain);
  std::string why;
  const auto opened = open_bundle(b, p.hq_box, &why);
  REQUIRE(opened);
  CHECK(*opened == plain);
}

TEST_CASE("every single-bit flip and every truncation is refused", "[format]") {
  Parties p;
  const Bytes good = p.bundle(R"([{"seq":1},{"seq":2}])");
  std::string why;
  REQUIRE(accepted(good, p, &why));
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= static_cast<std::uint8_t>(1u << (i % 8));
    INFO("flipped byte " << i);
    CHECK_FALSE(accepted(bad, p, &why));
    CHECK_FALSE(why.empty());
  }
  for (std::size_t n = 0; n < good.size(); n += (n < 300 ? 1 : 7)) {
    INFO("truncated to " << n);
    CHECK_FALSE(accepted(Bytes(good.begin(), good.begin() + static_cast<long>(n)), p, &why));
  }
  Bytes longer = good;
  longer.push_back(0);
  CHECK_FALSE(accepted(longer, p, &why));
}

TEST_CASE("bad bundle files get a reason that names the problem", "[format]") {
  std::string why;
  CHECK_FALSE(parse_bundle_header({}, &why));
  CHECK(why.find("0 bytes") != std::string::npos);
  const std::string text = "id,name\n1,School\n";
  CHECK_FALSE(parse_bundle_header(Bytes(text.begin(), text.end()), &why));
  CHECK(why.find("not a Roadshow bundle") != std::string::npos);
  Parties p;
  Bytes newer = p.bundle("[]");
  newer[4] = 2;  // format version 2
  CHECK_FALSE(parse_bundle_header(newer, &why));
  CHECK(why.find("format version 2 is newer") != std::string::npos);
  BundleHeader h = p.header(5, 4);  // last < first
  const Bytes backwards = seal_bundle(h, "[]", p.device.secret_key, p.secret, p.hq_box.public_key);
  CHECK_FALSE(parse_bundle_header(backwards, &why));
  CHECK(why.find("sequence range") != std::string::npos);
}

TEST_CASE("random bytes never crash the parsers", "[format]") {
  Parties p;
  std::mt19937 rng(42);
  std::string why;
  for (int i = 0; i < 2000; ++i) {
    Bytes b(static_cast<std::size_t>(rng() % 600));
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    if (b.size() >= 4 && i % 2) std::memcpy(b.data(), "RSKB", 4);
    if (b.size() >= 6 && i % 4 == 1) b[4] = 1, b[5] = 0;
    (void)accepted(b, p, &why);
    if (b.size() >= 4 && i % 3 == 0) std::memcpy(b.data(), "RSKR", 4);
    (void)parse_receipt(b, p.hq_sign.public_key, &why);
    (void)parse_enrollment(std::string(b.begin(), b.end()), &why);
  }
  SUCCEED("2000 random inputs parsed without a crash");
}

TEST_CASE("receipts verify with headquarters' key only", "[format]") {
  Parties p;
  Receipt r;
  r.device = *parse_uuid("0b6f1c2e-1d3a-4c5b-9e8f-0123456789ab");
  r.issued_ms = 5;
  r.marks.push_back({*parse_uuid("11111111-2222-4333-8444-555555555555"), 1, 40});
  r.marks.push_back({*parse_uuid("21111111-2222-4333-8444-555555555555"), 41, 52});
  const Bytes b = sign_receipt(r, p.hq_sign.secret_key);
  std::string why;
  const auto back = parse_receipt(b, p.hq_sign.public_key, &why);
  REQUIRE(back);
  REQUIRE(back->marks.size() == 2);
  CHECK(back->marks[1].base_seq == 41);
  CHECK(back->marks[1].high_water == 52);
  CHECK_FALSE(parse_receipt(b, SigningKeys::generate().public_key, &why));
  CHECK(why.find("signature") != std::string::npos);
  for (std::size_t i = 0; i < b.size(); ++i) {
    Bytes bad = b;
    bad[i] ^= 0x10;
    CHECK_FALSE(parse_receipt(bad, p.hq_sign.public_key, &why));
  }
}

TEST_CASE("enrollment files round-trip and bad ones name the field", "[format]") {
  Parties p;
  Enrollment e;
  e.device = *parse_uuid("0b6f1c2e-1d3a-4c5b-9e8f-0123456789ab");
  e.device_name = "កៀស-ភ្នំពេញ-1";
  e.tour = "kh-2026";
  e.hq_url = "http://127.0.0.1:8080";
  e.hq_sign_public = p.hq_sign.public_key;
  e.hq_box_public = p.hq_box.public_key;
  e.secret = p.secret;
  const std::string text = enrollment_text(e);
  std::string why;
  const auto back = parse_enrollment(text, &why);
  REQUIRE(back);
  CHECK(back->device_name == e.device_name);
  CHECK(back->secret == e.secret);
  CHECK(back->hq_box_public == e.hq_box_public);
  std::string broken = text;
  broken.replace(broken.find("device_id = '") + 13, 4, "zzzz");
  CHECK_FALSE(parse_enrollment(broken, &why));
  CHECK(why.find("device_id") != std::string::npos);
  CHECK_FALSE(parse_enrollment("format = 1\n[[[", &why));
  CHECK(why.find("line") != std::string::npos);
  CHECK_FALSE(parse_enrollment(std::string(9000, 'a'), &why));
  std::string deep = "format = 1\n";
  for (int i = 0; i < 5000; ++i) deep += "a.";
  CHECK_FALSE(parse_enrollment(deep + "a = 1\n", &why));  // too big to reach the parser
  // Small enough, but 3,000 levels deep: refused before toml++ could recurse into it.
  std::string nested = "format = 1\n";
  for (int i = 0; i < 3000; ++i) nested += "a.";
  CHECK_FALSE(parse_enrollment(nested + "a = 1\n", &why));
  CHECK(why.find("line 2") != std::string::npos);
  CHECK(why.find("32") != std::string::npos);  // names the limit
}
