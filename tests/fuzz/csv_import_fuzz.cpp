// tests/fuzz/csv_import_fuzz.cpp — the organization CSV import: kiosk/core/csv_reader.h
// parse_csv() on the bytes, then Registry::import_organizations_csv() of the same bytes as a file
// into one store opened once (in the temp folder) with one supervisor.
// Checks: rows start on increasing physical lines; the import is all-or-nothing (an import with
// errors leaves the organization counts as they were).
#include "csv_reader.h"
#include "fuzz_target.h"
#include "registry.h"
#include "staff.h"
#include "store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;

struct ImportFixture {
  fs::path dir;
  std::string csv_path;
  std::unique_ptr<kiosk::core::Store> store;
  std::string staff_id;

  ImportFixture() {
    dir = fs::temp_directory_path() / ("kiosk-fuzz-csv-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    csv_path = (dir / "organizations.csv").string();
    std::string error;
    store = kiosk::core::Store::open((dir / "store.sqlite3").string(), &error);
    fuzz_check(store != nullptr, "the fuzz store opens");
    // Durability is not under test here, and an fsync per input would cap the fuzzer at a few
    // hundred inputs a second.
    sqlite3_exec(store->handle(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
    kiosk::core::StaffDirectory staff(*store);
    const auto s = staff.add_staff("Fuzz Supervisor", "2468", "supervisor", "");
    fuzz_check(s.ok(), "the fuzz supervisor is added");
    staff_id = s.id;
  }
  ~ImportFixture() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto doc = kiosk::core::parse_csv(text, "fuzz.csv");
  int last_line = 0;
  for (const auto& row : doc.rows) {
    fuzz_check(row.line > last_line, "rows start on increasing physical lines");
    last_line = row.line;
  }

  static ImportFixture fixture;
  {
    std::ofstream f(fixture.csv_path, std::ios::binary | std::ios::trunc);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  kiosk::core::Registry registry(*fixture.store);
  const auto before = registry.organization_counts();
  const auto report = registry.import_organizations_csv(fixture.csv_path, fixture.staff_id);
  const auto after = registry.organization_counts();
  if (!report.ok()) {
    fuzz_check(before.headquarters == after.headquarters && before.local == after.local,
               "a refused import changes nothing");
  } else {
    fuzz_check(after.headquarters == before.headquarters + report.inserted,
               "every inserted organization is counted");
  }
  return 0;
}
