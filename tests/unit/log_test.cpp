// platform/log.h: the line format (rule 1) and the size cap with rotation (rule 2), without a
// kiosk. tests/service/run.sh checks the same on the running kiosk.
#include "log.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a log line has the UTC time with milliseconds, the level and the message") {
  // 2026-12-04T14:35:07.123Z is 1796394907123 ms after the epoch.
  CHECK(kiosk::log::format_line(1796394907123, kiosk::log::Level::warn, "disk low") ==
        "2026-12-04T14:35:07.123Z WARN disk low\n");
  CHECK(kiosk::log::format_line(5, kiosk::log::Level::error, "x") == "1970-01-01T00:00:00.005Z ERROR x\n");
}

TEST_CASE("control characters in a message cannot split or forge log lines") {
  const std::string line = kiosk::log::format_line(
      0, kiosk::log::Level::info, "a\nb\r\t1970-01-01T00:00:00.000Z ERROR forged\x7f");
  CHECK(line == "1970-01-01T00:00:00.000Z INFO a b  1970-01-01T00:00:00.000Z ERROR forged \n");
  CHECK(line.find('\n') == line.size() - 1);
}

TEST_CASE("the log rotates to kiosk.log.1 before a line would pass the cap") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("kiosk-log-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  REQUIRE(kiosk::log::open(dir.string(), kiosk::log::kMinBytes, &error));
  CHECK(kiosk::log::path() == (dir / "kiosk.log").string());
  const std::string body(100, 'x');
  for (int i = 0; i < 100; ++i) kiosk::log::info("line " + std::to_string(i) + " " + body);
  kiosk::log::close();
  CHECK(kiosk::log::path().empty());
  const std::string now = read_all(dir / "kiosk.log"), older = read_all(dir / "kiosk.log.1");
  CHECK(now.size() <= kiosk::log::kMinBytes);
  CHECK(older.size() <= kiosk::log::kMinBytes);
  CHECK(older.size() > kiosk::log::kMinBytes - 200);  // filled up to the cap before rotating
  CHECK(now.find("line 99 ") != std::string::npos);   // the newest line is in kiosk.log
  CHECK(now.back() == '\n');
  CHECK(older.back() == '\n');                        // whole lines only, in both files
  // Reopening appends instead of truncating (a larger cap: no rotation now).
  REQUIRE(kiosk::log::open(dir.string(), kiosk::log::kDefaultMaxBytes, &error));
  kiosk::log::info("again");
  kiosk::log::close();
  CHECK(read_all(dir / "kiosk.log").rfind(now, 0) == 0);
  fs::remove_all(dir);
}

TEST_CASE("a log that cannot be opened says where and why") {
  std::string error;
  CHECK_FALSE(kiosk::log::open("/dev/null/no-such-dir", 1 << 20, &error));
  CHECK(error.find("/dev/null/no-such-dir/kiosk.log: cannot open the log file") == 0);
  CHECK(kiosk::log::path().empty());
}
