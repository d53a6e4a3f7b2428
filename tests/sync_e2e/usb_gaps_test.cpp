// USB bundles imported out of order with one file withheld, then supplied (issue 9 item 6;
// README R6, R8, R9). The kiosk exports in three rounds onto the same stick folder (nothing is
// acknowledged in between, so each round re-exports from seq 1): 30 people, then 2,500 (the
// 5,000-entry cut makes two files), then 30. The stick then holds 1-62, 1-5000, 5001-5062 and
// 5001-5122. `hq import` takes them newest first with 1-5000 withheld: `hq gaps` must report
// exactly 63..5000, and the receipt hq import writes must move the kiosk's mark to 62 and no
// further; the withheld file then closes the gap and its receipt moves the mark to the end.
// Everything here goes through the `hq` executable (init, enroll, import, gaps, devices).
#include "e2e_support.h"

#include <catch2/catch.hpp>

using namespace e2e;
using kiosk::sync::SyncCode;

namespace {

std::string ending(const std::string& name, const std::string& range) {
  return name.size() > range.size() ? name.substr(name.size() - range.size()) : name;
}

// The one file in `dir` whose name ends with "-FIRST-LAST.rkb".
fs::path bundle_file(const fs::path& dir, const std::string& range) {
  fs::path found;
  for (const auto& n : files_in(dir))
    if (ending(n, "-" + range + ".rkb") == "-" + range + ".rkb") found = dir / n;
  INFO("no bundle file for " << range << " in " << dir);
  REQUIRE(!found.empty());
  return found;
}

std::vector<std::vector<std::string>> gaps(const std::string& library) {
  const auto r = run_hq({"--library", library, "gaps", "--format", "csv"});
  INFO("hq gaps: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(!rows.empty());
  CHECK(rows[0] == std::vector<std::string>{"device", "incarnation", "first_missing", "last_missing"});
  rows.erase(rows.begin());
  return rows;
}

std::string device_column(const std::string& library, const std::string& device, const std::string& column) {
  const auto r = run_hq({"--library", library, "devices", "--format", "csv"});
  REQUIRE(r.exit_code == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() >= 2);
  const auto& head = rows[0];
  const auto col = std::find(head.begin(), head.end(), column) - head.begin();
  REQUIRE(col < static_cast<long>(head.size()));
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].at(0) == device) return rows[i].at(static_cast<std::size_t>(col));
  FAIL("hq devices does not list " << device << "\n" << r.out);
  return {};
}

std::string entries_held(const std::string& library, const std::string& device) {
  return device_column(library, device, "entries_held");
}

void import(const std::string& library, const fs::path& file, const std::string& expect_new) {
  const auto r = run_hq({"--library", library, "import", file.string()});
  INFO("hq import " << file.filename() << ": exit " << r.exit_code << "\n" << r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(", " + expect_new + " new") != std::string::npos);
}

}  // namespace

TEST_CASE("USB bundles imported newest first with one withheld: gaps name it, marks stop at it",
          "[usb]") {
  TempDir dir("usb");
  const std::string library = dir / "library";
  const std::string toml = dir / "kiosk-usb.toml";
  REQUIRE(run_hq({"init", library}).exit_code == 0);
  const auto enrolled = run_hq({"--library", library, "enroll", "--device", "kiosk-usb", "--tour",
                                "kh-2026", "--out", toml});
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  Kiosk kiosk(dir / "kiosk.sqlite3");
  const auto e = kiosk.sync().enroll_file(toml);
  INFO(e.detail);
  REQUIRE(e.ok());
  const std::string inc = kiosk.incarnations().at(0).id;

  const fs::path stick = dir.path() / "stick";
  fs::create_directories(stick);
  auto export_round = [&](int people, const char* tag, int files) {
    kiosk.register_people(people, tag);
    const auto o = kiosk.sync().export_bundles(stick.string());
    INFO("export round " << tag << ": " << o.detail);
    REQUIRE(o.code == SyncCode::ok);
    CHECK(o.bundles == files);
    CHECK(o.entries == kiosk.last_seq());  // nothing acknowledged: every round starts at 1
    CHECK(kiosk.acked_seq() == 0);
  };
  export_round(30, "r1", 1);    // 1-62
  export_round(2500, "r2", 2);  // 1-5000, 5001-5062
  export_round(30, "r3", 2);    // 1-5000 (again, same name), 5001-5122
  const std::int64_t last = kiosk.last_seq();
  REQUIRE(last == 5122);
  const auto names = files_in(stick);
  INFO("on the stick: " << names.size() << " files");
  REQUIRE(names.size() == 4);  // no .partial left, the re-exported 1-5000 replaced the first

  const fs::path withheld_dir = dir.path() / "withheld";
  fs::create_directories(withheld_dir);
  const fs::path withheld = withheld_dir / bundle_file(stick, "1-5000").filename();
  fs::rename(bundle_file(stick, "1-5000"), withheld);
  const fs::path receipt = stick / kiosk::sync::KioskSync::receipt_file_name(kiosk.hq_device_id());

  // Newest first. After the first file hq holds 5001..5122 of an incarnation it knows from 1.
  import(library, bundle_file(stick, "5001-5122"), "122");
  CHECK(gaps(library) == std::vector<std::vector<std::string>>{{"kiosk-usb", inc, "1", "5000"}});
  auto applied = kiosk.sync().import_receipt_file(receipt.string());
  INFO(applied.detail);
  REQUIRE(applied.ok());
  CHECK(kiosk.acked_seq() == 0);  // hq's mark is still 0: nothing below the gap is held

  import(library, bundle_file(stick, "5001-5062"), "0");
  import(library, bundle_file(stick, "1-62"), "62");
  CHECK(gaps(library) == std::vector<std::vector<std::string>>{{"kiosk-usb", inc, "63", "5000"}});
  CHECK(entries_held(library, "kiosk-usb") == "62");
  CHECK(device_column(library, "kiosk-usb", "missing") == "4938");  // 63..5000
  CHECK_FALSE(device_column(library, "kiosk-usb", "last_receipt").empty());
  applied = kiosk.sync().import_receipt_file(stick.string());  // a folder: every *.rkr in it
  INFO(applied.detail);
  REQUIRE(applied.ok());
  CHECK(applied.acked_after == 62);
  CHECK(kiosk.acked_seq() == 62);
  {
    LibraryDb lib(library);
    CHECK(require_mark_backed(lib, kiosk) == 62);
    CHECK(lib.integer("SELECT count(*) FROM entry") == 62 + 122);
  }

  // The withheld file arrives: the gap closes and the mark reaches the end.
  import(library, withheld, "4938");
  CHECK(gaps(library).empty());
  CHECK(entries_held(library, "kiosk-usb") == std::to_string(last));
  CHECK(device_column(library, "kiosk-usb", "missing") == "0");
  const fs::path receipt2 = withheld_dir / receipt.filename();  // written beside the imported file
  REQUIRE(fs::exists(receipt2));
  applied = kiosk.sync().import_receipt_file(receipt2.string());
  INFO(applied.detail);
  REQUIRE(applied.ok());
  CHECK(applied.acked_after == last);
  CHECK(kiosk.acked_seq() == last);
  LibraryDb lib(library);
  require_exactly_once(lib, {&kiosk});
  CHECK(require_mark_backed(lib, kiosk) == last);
}
