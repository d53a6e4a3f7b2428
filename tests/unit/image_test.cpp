#include "image_cache.h"

#include <stb_image_write.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <vector>

using namespace kiosk::ui;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / "kiosk-image-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST_CASE("a picture too large is refused from its header, never decoded", "[images]") {
  const fs::path dir = scratch("large");
  std::vector<unsigned char> row(20000 * 4, 200);
  const std::string path = (dir / "wide.png").string();
  REQUIRE(stbi_write_png(path.c_str(), 20000, 1, 4, row.data(), 20000 * 4));
  DecodedImage img = decode_image_file(path);
  CHECK_FALSE(img.rgba);
  CHECK(img.error == path + ": too large (20000x1 px, limit 4096)");
}

TEST_CASE("a corrupt picture and a missing one are refused with their path", "[images]") {
  const fs::path dir = scratch("corrupt");
  const std::string path = (dir / "broken.png").string();
  std::ofstream(path, std::ios::binary) << "\x89PNG\r\n\x1a\n garbage";
  CHECK(decode_image_file(path).error.rfind(path + ": ", 0) == 0);
  CHECK(decode_image_file((dir / "none.png").string()).error == (dir / "none.png").string() + ": image not found");
}

TEST_CASE("thumbnails are made once, then read from the cache", "[images]") {
  const fs::path dir = scratch("thumbs");
  std::vector<unsigned char> px(1200 * 800 * 4, 90);
  const std::string src = (dir / "big.png").string();
  REQUIRE(stbi_write_png(src.c_str(), 1200, 800, 4, px.data(), 1200 * 4));
  const std::string cache = (dir / "cache").string();
  DecodedImage first = make_thumbnail(src, 480, cache);
  REQUIRE(first.rgba);
  CHECK(first.width == 480);
  CHECK(first.height == 320);
  std::vector<fs::path> made;
  for (const auto& e : fs::directory_iterator(cache)) made.push_back(e.path());
  REQUIRE(made.size() == 1);
  const auto stamp = fs::last_write_time(made[0]);
  DecodedImage second = make_thumbnail(src, 480, cache);
  CHECK(second.width == 480);
  CHECK(fs::last_write_time(made[0]) == stamp);  // read back, not made again
  CHECK(std::distance(fs::directory_iterator(cache), fs::directory_iterator()) == 1);
}
