// A restored copy of a kiosk's store registering new people after its original did (issue 9
// item 6; core store.h invariant 7, README "Sequence numbers and incarnations"). The store is
// closed and copied (a backup); the original registers more people and syncs; then the copy is
// opened as a restore — a new incarnation starting after the backup's last seq — registers other
// new people with the same seq numbers and syncs too. Headquarters must hold every person of
// both, once, both runs of seqs side by side, and each kiosk's mark must reach its own last_seq.
#include "e2e_support.h"

#include <catch2/catch.hpp>

using namespace e2e;
using kiosk::sync::SyncCode;

TEST_CASE("a restored copy of a store registers after its original synced: both held, once",
          "[restored]") {
  TempDir dir("restored");
  const std::string library = dir / "library";
  init_library(library);
  Kiosk original(dir / "kiosk.sqlite3");
  original.enroll(enroll_device(library, "kiosk-restore"));
  original.register_people(10, "before-backup");
  const std::int64_t backup_seq = original.last_seq();

  // The backup: the store closed, its file copied (as a backup tool or a disk image would).
  original.close();
  REQUIRE(!fs::exists(original.path() + "-wal"));
  const std::string backup = dir / "backup.sqlite3";
  fs::copy_file(original.path(), backup);
  original.reopen();

  HqServer hq(library, dir.path().string());
  original.register_people(7, "original-after");
  auto o = original.sync().send_now(hq.url(), {}, 10);
  INFO(o.detail);
  REQUIRE(o.code == SyncCode::ok);
  REQUIRE(original.acked_seq() == original.last_seq());

  // The restore: the copy opened in its new place starts a new incarnation after the backup.
  Kiosk restored(backup, original.staff_id(), original.event_id());
  const auto incs = restored.incarnations();
  REQUIRE(incs.size() == 2);
  CHECK(incs[1].base_seq == backup_seq + 1);
  CHECK(incs[1].id != original.incarnations().back().id);
  CHECK(restored.acked_seq() == 0);  // the backup was taken before anything was sent
  restored.register_people(5, "restored-after");
  // Both stores used the same seq numbers after the backup, for different people.
  REQUIRE(restored.last_seq() == backup_seq + 10);
  REQUIRE(original.last_seq() == backup_seq + 14);

  o = restored.sync().send_now(hq.url(), {}, 10);
  INFO(o.detail);
  REQUIRE(o.code == SyncCode::ok);
  CHECK(restored.acked_seq() == restored.last_seq());
  // The original syncs again (nothing new): it keeps its own mark.
  o = original.sync().send_now(hq.url(), {}, 10);
  INFO(o.detail);
  REQUIRE(o.ok());
  CHECK(original.acked_seq() == original.last_seq());

  hq.stop();
  LibraryDb lib(library);
  require_exactly_once(lib, {&original, &restored});
  CHECK(lib.integer("SELECT count(*) FROM person_source") == 10 + 7 + 5);
  CHECK(lib.integer("SELECT count(*) FROM entry") == original.last_seq() + (restored.last_seq() - backup_seq));
  CHECK(require_mark_backed(lib, original) == original.last_seq());
  CHECK(require_mark_backed(lib, restored) == restored.last_seq());
  // hq lists both incarnations, and nothing is missing in either.
  CHECK(lib.integer("SELECT count(*) FROM incarnation") == 2);
  const auto gaps = run_hq({"--library", library, "gaps", "--format", "csv"});
  REQUIRE(gaps.exit_code == 0);
  CHECK(parse_csv(gaps.out).size() == 1);  // the header only
}
