// Finding headquarters' files on a USB stick or in the import folder.
#include "import_files.h"
#include "test_support.h"

#include <fstream>

using namespace kiosk::core;
namespace fs = std::filesystem;

namespace {
void touch(const fs::path& p, const std::string& text = "id\n") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}
}  // namespace

TEST_CASE("import files: prefix and suffix without case, depth limit, sorted, missing roots", "[import]") {
  const fs::path root = fs::temp_directory_path() / "kiosk-import-test";
  fs::remove_all(root);
  touch(root / "stick" / "ORGANIZATIONS-2026.CSV");
  touch(root / "stick" / "hq" / "organizations.csv", "id,name\n1,a\n");
  touch(root / "stick" / "a" / "b" / "c" / "d" / "organizations-deep.csv");  // 4 folders down
  touch(root / "stick" / "notes.txt");
  touch(root / "stick" / "organizations.csv.bak");
  touch(root / "import" / "organizations-local.csv");
  fs::create_directory_symlink(root / "stick", root / "import" / "loop");  // not followed
  const auto files = find_import_files({(root / "stick").string(), (root / "missing").string(),
                                        (root / "import").string()},
                                       "organizations", ".csv");
  REQUIRE(files.size() == 3);
  CHECK(files[0].name == "ORGANIZATIONS-2026.CSV");
  CHECK(files[1].name == "organizations-local.csv");
  CHECK(files[2].name == "organizations.csv");
  CHECK(files[2].bytes == 12);  // "id,name\n1,a\n"
  CHECK(files[2].path.find("/hq/") != std::string::npos);
  CHECK(find_import_files({(root / "stick").string()}, "organizations", ".csv", 5).size() == 3);
  CHECK(find_import_files({(root / "stick").string()}, "organizations", ".csv", 5, 1).size() == 1);
  CHECK(find_import_files({}, "organizations", ".csv").empty());
  fs::remove_all(root);
}
