// tests/sync/sync_fixture.h — a headquarters library and an enrolled kiosk store, in-process.
#pragma once

#include "change_log.h"
#include "kiosk_sync.h"
#include "library.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace sync_test {

namespace fs = std::filesystem;

inline std::string fresh_dir(const std::string& name) {
  static const core_test::ProcessDir dir("kiosk-sync-test-");  // removed at the process's exit
  const fs::path d = dir.path() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

// Bytes of the library file and its WAL: equal before and after means nothing was written.
inline std::string library_bytes(const std::string& dir) {
  std::string all;
  for (const char* f : {"library.sqlite3", "library.sqlite3-wal"}) {
    std::ifstream in(fs::path(dir) / f, std::ios::binary);
    all += std::string(std::istreambuf_iterator<char>(in), {});
    all += '|';
  }
  return all;
}

struct Hq {
  std::string dir;
  std::unique_ptr<kiosk::hq::Library> lib;
  explicit Hq(const std::string& name) : dir(fresh_dir(name)) {
    std::string why;
    REQUIRE(kiosk::hq::Library::init(dir, &why));
    lib = kiosk::hq::Library::open(dir, &why);
    REQUIRE(lib);
  }
  kiosk::sync::Enrollment enroll(const std::string& device) {
    std::string why;
    auto e = lib->enroll(device, "kh-2026", "", &why);
    REQUIRE(e);
    return *e;
  }
  std::int64_t persons() { return lib->count("person_source"); }
  std::int64_t entries() { return lib->count("entry"); }
  // Headquarters' signing key, for packages a test forges "as headquarters".
  kiosk::sync::Key64 sign_secret() const {
    kiosk::sync::Key64 sk{};
    std::ifstream in(fs::path(dir) / "keys" / "sign.secret", std::ios::binary);
    in.read(reinterpret_cast<char*>(sk.data()), 64);
    return sk;
  }
};

// A kiosk store (core_test::Fixture: a supervisor and an event) enrolled at `hq`.
struct Kiosk : core_test::Fixture {
  explicit Kiosk(const std::string& name, Hq& hq, const std::string& device)
      : core_test::Fixture(name + ".sqlite3") {
    const auto o = kiosk::sync::KioskSync(*store).enroll(hq.enroll(device));
    REQUIRE(o.ok());
  }
  void register_people(int n, const std::string& family = "Sok") {
    kiosk::core::Registry reg(*store);
    for (int i = 0; i < n; ++i) {
      const auto saved = reg.register_participant(registration("Dara" + std::to_string(i), family), staff_id);
      INFO(saved.detail);
      REQUIRE(saved.ok());
    }
  }
  std::vector<kiosk::sync::Bytes> bundles() {
    auto b = kiosk::sync::KioskSync(*store).pending_bundles();
    REQUIRE(b.ok());
    return b.value;
  }
  std::int64_t last() { return kiosk::core::ChangeLog(*store).last_seq().value; }
  std::int64_t acked() { return kiosk::core::ChangeLog(*store).acked_seq().value; }
};

// Every pending bundle of `k` ingested at `hq` over "http", and each receipt applied.
inline void send(Hq& hq, Kiosk& k) {
  for (const auto& b : k.bundles()) {
    const auto r = hq.lib->ingest(b, "http");
    REQUIRE(r.accepted());
    REQUIRE(kiosk::sync::KioskSync(*k.store).apply_receipt(r.receipt).ok());
  }
}

}  // namespace sync_test
