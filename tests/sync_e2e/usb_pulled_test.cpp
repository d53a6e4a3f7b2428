// A USB stick pulled out during export (issue 9 "Bad input"; kiosk_sync.h K1, K4): the export
// fails with SyncCode::io, leaves no partial bundle file anywhere, and the kiosk is unchanged
// (its store file's fingerprint, with the WAL folded in, is the same before and after).
// Cases: the folder is gone before the export starts; the path is a file; the folder disappears
// after the first of two bundle files was written (the progress callback moves it away, as an
// unmount would); the stick is full (a child process exports under RLIMIT_FSIZE = 1 MiB, so the
// first 3.5 MB bundle cannot be written).
#include "e2e_support.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace e2e;
using kiosk::sync::SyncCode;

namespace {

// sha256 of the store file once its WAL is folded in (the store must be closed).
std::string store_fingerprint(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  const int rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  std::error_code ec;
  REQUIRE((!fs::exists(path + "-wal", ec) || fs::file_size(path + "-wal", ec) == 0));
  return sha256_hex(read_bytes(path));
}

// Every file in `dir` is a complete bundle that verifies with the kiosk's key; no temp files.
void require_only_whole_bundles(const fs::path& dir, const kiosk::core::SyncIdentity& id) {
  kiosk::sync::Key32 pk{};
  std::copy(id.device_sign_pk.begin(), id.device_sign_pk.end(), pk.begin());
  for (const auto& name : files_in(dir)) {
    INFO(dir / name);
    CHECK(name.find(".partial") == std::string::npos);
    CHECK(fs::path(name).extension() == ".rkb");
    std::string why;
    const Bytes b = read_bytes(dir / name);
    CHECK(kiosk::sync::parse_bundle_header(b, &why));
    CHECK(kiosk::sync::bundle_signature_ok(b, pk));
  }
}

}  // namespace

TEST_CASE("a USB stick pulled out during export: io, no partial file, the kiosk unchanged", "[usb-pulled]") {
  TempDir dir("usb-pulled");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  kiosk.enroll(enroll_device(library, "kiosk-usb-pulled"));
  kiosk.register_people(2600, "pulled");  // 5202 entries: two bundles, 1-5000 and 5001-5202
  const auto id = kiosk.identity();
  const std::int64_t last = kiosk.last_seq();
  kiosk.close();
  const std::string before = store_fingerprint(kiosk.path());
  kiosk.reopen();

  {
    INFO("the folder is gone before the export starts");
    const fs::path gone = dir.path() / "gone";
    const auto o = kiosk.sync().export_bundles(gone.string());
    INFO(o.detail);
    CHECK(o.code == SyncCode::io);
    CHECK(o.detail.find("not a folder") != std::string::npos);
    CHECK(!fs::exists(gone));
  }
  {
    INFO("the path is a file");
    const fs::path file = dir.path() / "not-a-folder";
    write_bytes(file, Bytes{'x'});
    const auto o = kiosk.sync().export_bundles(file.string());
    INFO(o.detail);
    CHECK(o.code == SyncCode::io);
    CHECK(read_bytes(file) == Bytes{'x'});
    for (const auto& name : files_in(dir.path())) CHECK(name.find(".partial") == std::string::npos);
  }
  {
    INFO("the folder disappears after the first bundle file");
    const fs::path stick = dir.path() / "stick";
    const fs::path pulled = dir.path() / "pulled";
    fs::create_directories(stick);
    bool moved = false;
    const auto o = kiosk.sync().export_bundles(stick.string(), [&](double f) {
      // 0.5 + 0.5 * (i + 1) / 2 after bundle i: 0.75 once the first file is written.
      if (!moved && f >= 0.75) {
        fs::rename(stick, pulled);
        moved = true;
      }
    });
    INFO(o.detail);
    REQUIRE(moved);
    CHECK(o.code == SyncCode::io);
    CHECK(!fs::exists(stick));
    // What reached the stick before it went away is whole and verifies: only the first bundle.
    CHECK(files_in(pulled).size() == 1);
    require_only_whole_bundles(pulled, id);
  }
  {
    INFO("the stick is full");
    const fs::path stick = dir.path() / "full-stick";
    fs::create_directories(stick);
    kiosk.close();  // the child opens its own connection
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      signal(SIGXFSZ, SIG_IGN);
      rlimit rl{1 << 20, 1 << 20};
      setrlimit(RLIMIT_FSIZE, &rl);
      std::string error;
      auto store = kiosk::core::Store::open(kiosk.path(), &error);
      if (!store) _exit(100);
      const auto o = kiosk::sync::KioskSync(*store).export_bundles(stick.string());
      store.reset();
      _exit(static_cast<int>(o.code));
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    kiosk.reopen();
    REQUIRE(WIFEXITED(status));
    INFO("the child's export ended with SyncCode " << WEXITSTATUS(status));
    CHECK(WEXITSTATUS(status) == static_cast<int>(SyncCode::io));
    CHECK(files_in(stick).empty());
  }

  // The kiosk is unchanged, and a good stick still gets both bundles.
  CHECK(kiosk.last_seq() == last);
  CHECK(kiosk.acked_seq() == 0);
  kiosk.close();
  CHECK(store_fingerprint(kiosk.path()) == before);
  kiosk.reopen();
  const fs::path good = dir.path() / "good-stick";
  fs::create_directories(good);
  const auto o = kiosk.sync().export_bundles(good.string());
  INFO(o.detail);
  REQUIRE(o.code == SyncCode::ok);
  CHECK(o.bundles == 2);
  CHECK(files_in(good).size() == 2);
  require_only_whole_bundles(good, id);
}
