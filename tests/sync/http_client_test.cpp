// The kiosk's HTTP client as a module loaded on first use (sync/http_client.h H1-H4): found where
// H2 says, and every way it can be missing or wrong is an error naming the file, never a crash.
#include "http_client.h"
#include "sync_fixture.h"

#include <dlfcn.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>

using namespace sync_test;
using kiosk::sync::http_module_candidates;
using kiosk::sync::open_http_client;
using kiosk::sync::open_http_client_from;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the HTTP module is looked for beside the program, in the package's lib folder, then the build",
          "[http_client]") {
  const auto c = http_module_candidates();
  REQUIRE(c.size() == 3);
  const auto exe_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  CHECK(c[0] == (exe_dir / "kiosk-http.so").string());
  CHECK(c[1] == (exe_dir.parent_path() / "lib/roadshow-kiosk/kiosk-http.so").string());
  CHECK(std::filesystem::exists(c[2]));  // this build's kiosk-http.so
}

TEST_CASE("the real module makes a client that reports a refused connection in httplib's words",
          "[http_client]") {
  std::string why;
  auto client = open_http_client("http://127.0.0.1:9", 5, &why);  // port 9 (discard): nobody listens
  REQUIRE(client);
  CHECK(why.empty());
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = client->get("/api/v1/receipt?device=x");
  CHECK_FALSE(r.ok);
  CHECK(r.status == 0);
  CHECK(r.error == "Connection");
  const auto p = client->post("/api/v1/bundles", "abc", 3, "application/octet-stream");
  CHECK_FALSE(p.ok);
  CHECK(p.error == "Connection");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
}

TEST_CASE("a missing, broken or foreign module is an error that names the file", "[http_client]") {
  std::string why;
  SECTION("none of the candidates exists") {
    CHECK_FALSE(open_http_client_from({"/nonexistent/a/kiosk-http.so", "/nonexistent/b/kiosk-http.so"},
                                      "http://127.0.0.1:9", 5, &why));
    CHECK(contains(why, "no HTTP module"));
    CHECK(contains(why, "/nonexistent/a/kiosk-http.so"));
    CHECK(contains(why, "/nonexistent/b/kiosk-http.so"));
  }
  SECTION("a file that is not a shared library") {
    const std::string dir = fresh_dir("http-module-text");
    const std::string path = dir + "/kiosk-http.so";
    std::ofstream(path) << "not an ELF file\n";
    CHECK_FALSE(open_http_client_from({"/nonexistent/kiosk-http.so", path}, "http://127.0.0.1:9", 5, &why));
    CHECK(contains(why, "cannot load the HTTP module " + path));
  }
  SECTION("a shared library without the entry point") {
    Dl_info info{};
    REQUIRE(dladdr(reinterpret_cast<void*>(&sqlite3_libversion), &info) != 0);
    const std::string sqlite = info.dli_fname;
    CHECK_FALSE(open_http_client_from({sqlite}, "http://127.0.0.1:9", 5, &why));
    CHECK(contains(why, "the HTTP module " + sqlite + " has no kiosk_http_open_v1"));
  }
  SECTION("the first candidate that exists is the one used") {
    const auto c = http_module_candidates();
    CHECK(open_http_client_from({"/nonexistent/kiosk-http.so", c.back()}, "http://127.0.0.1:9", 5, &why));
    CHECK(why.empty());
  }
}
