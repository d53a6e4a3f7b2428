#include "image_cache.h"

#include <stb_image_write.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
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
  CHECK(img.error == path + ": image is too large: 20000x1 pixels (limit 4096 on each side); not decoded");
}

// The image cache and the pack checker pass the same gate (content/src/image_header.h): what
// one refuses from its header, the other refuses with the same reason.
TEST_CASE("the image cache refuses what the pack checker refuses, for the same reason", "[images]") {
  const fs::path dir = scratch("gate");
  // A PNG whose IHDR states 100000x100000: stbi_info() alone calls it "unknown image type".
  std::vector<unsigned char> px(4 * 4 * 4, 10);
  const std::string giant = (dir / "giant.png").string();
  REQUIRE(stbi_write_png(giant.c_str(), 4, 4, 4, px.data(), 4 * 4));
  {
    std::fstream f(giant, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(16);
    f.write("\x00\x01\x86\xA0\x00\x01\x86\xA0", 8);
  }
  CHECK(decode_image_file(giant).error ==
        giant + ": image is too large: 100000x100000 pixels (limit 4096 on each side); not decoded");
  // 9 MiB on disk: over the packs' 8 MiB (the cache once allowed 16).
  const std::string heavy = (dir / "heavy.png").string();
  std::ofstream(heavy, std::ios::binary) << std::string(9u << 20, '\0');
  CHECK(decode_image_file(heavy).error ==
        heavy + ": image is too large: 9437184 bytes (limit 8 MiB); not decoded");
  // A BMP and a JPEG that stb_image would decode: only the PNG decoder sees a file (stb's JPEG
  // decoder crashes on tests/fuzz/corpus/image_header/found-jpeg-crashes-stb.jpg).
  const std::string bmp = (dir / "picture.bmp").string();
  REQUIRE(stbi_write_bmp(bmp.c_str(), 4, 4, 4, px.data()));
  CHECK(decode_image_file(bmp).error == bmp + ": image cannot be decoded: not a PNG image");
  const std::string jpg = (dir / "picture.jpg").string();
  REQUIRE(stbi_write_jpg(jpg.c_str(), 4, 4, 4, px.data(), 90));
  CHECK(decode_image_file(jpg).error ==
        jpg + ": image cannot be decoded: a JPEG; images must be PNG files");
  // A PNG within the limits decodes.
  const std::string png = (dir / "small.png").string();
  REQUIRE(stbi_write_png(png.c_str(), 4, 4, 4, px.data(), 4 * 4));
  const DecodedImage ok = decode_image_file(png);
  CHECK(ok.error.empty());
  CHECK(ok.width == 4);
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

// The harness's screenshot wait (issue 15 item 5): loading() stays true until end_frame()
// uploads, so waiting on it alone never ended; wait_decoded() waits on the decode itself.
TEST_CASE("wait_decoded returns when the decodes are done, and names what is still decoding", "[images]") {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  // A decoder held until the test releases it: "slow.png" stays in decoding as long as needed.
  ImageCache cache(64u << 20, {}, [&](const std::string& path) {
    if (path == "slow.png") {
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return release; });
    }
    DecodedImage failed;
    failed.error = path + ": image not found";
    return failed;
  });  // no GL context: get() and wait_decoded() only, never end_frame()
  CHECK(cache.wait_decoded(0).empty());  // nothing asked for
  CHECK(cache.get("slow.png") == nullptr);
  CHECK(cache.get("queued.png") == nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<std::string> left = cache.wait_decoded(50);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(50));  // it waited
  CHECK(left == std::vector<std::string>{"slow.png", "queued.png"});
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  CHECK(cache.wait_decoded(20000).empty());  // done (a failed decode counts as done)
  CHECK(cache.loading());                    // still to be uploaded by end_frame()
  CHECK(cache.get("slow.png") == nullptr);   // asked again before the upload: not queued twice
  CHECK(cache.wait_decoded(0).empty());
}

// Issue 15 item 4: a picture is read at the size it is drawn, from a copy made once.
TEST_CASE("fitted copies fit or cover the box, are read back, and a broken copy is made again", "[images]") {
  const fs::path dir = scratch("fitted");
  std::vector<unsigned char> px(1200 * 800 * 4);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<unsigned char>(i * 7 % 251);
  const std::string src = (dir / "big.png").string();
  REQUIRE(stbi_write_png(src.c_str(), 1200, 800, 4, px.data(), 1200 * 4));
  const std::string cache = (dir / "cache").string();

  const DecodedImage fit = make_fitted(src, 806, 904, cache, false);  // the exhibit's box
  REQUIRE(fit.rgba);
  CHECK(fit.width == 806);
  CHECK(fit.height == 537);
  const DecodedImage cover = make_fitted(src, 600, 300, cache, true);  // cropped to fill
  CHECK(cover.width == 600);
  CHECK(cover.height == 400);
  const DecodedImage small_box_cover = make_fitted(src, 806, 904, cache, true);
  CHECK(small_box_cover.width == 1200);  // covering would need more than the source: never scaled up
  std::vector<fs::path> made;
  for (const auto& e : fs::directory_iterator(cache)) made.push_back(e.path());
  CHECK(made.size() == 3);

  // Read back: the same pixels, the file untouched.
  fs::path fit_file;
  for (const auto& f : made)
    if (fs::file_size(f) == 16 + 806u * 537u * 4u) fit_file = f;
  REQUIRE(!fit_file.empty());
  const auto stamp = fs::last_write_time(fit_file);
  const DecodedImage again = make_fitted(src, 806, 904, cache, false);
  REQUIRE(again.rgba);
  CHECK(fs::last_write_time(fit_file) == stamp);
  CHECK(std::equal(fit.rgba.get(), fit.rgba.get() + 806 * 537 * 4, again.rgba.get()));

  // A copy cut short (power lost while the disk was writing it) is not used: made again, whole.
  fs::resize_file(fit_file, 1000);
  const DecodedImage remade = make_fitted(src, 806, 904, cache, false);
  REQUIRE(remade.rgba);
  CHECK(remade.width == 806);
  CHECK(fs::file_size(fit_file) == 16 + 806u * 537u * 4u);
  CHECK(std::equal(fit.rgba.get(), fit.rgba.get() + 806 * 537 * 4, remade.rgba.get()));

  // The key rounds the box up to 64 px, so a box a few pixels off shares the copy.
  CHECK(ImageCache::fitted_key("a.png", 806.4f, 900.0f, false) == "fit:832x960:a.png");
  CHECK(ImageCache::fitted_key("a.png", 800.0f, 950.0f, false) == "fit:832x960:a.png");
  CHECK(ImageCache::fitted_key("a.png", 1005.0f, 670.0f, true) == "cover:1024x704:a.png");
}

TEST_CASE("prefetches render no frame, wait behind what is drawn, and are served without a second decode", "[images]") {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::vector<std::string> order;  // the decoder's calls, in order
  ImageCache cache(64u << 20, {}, [&](const std::string& path) {
    {
      std::unique_lock<std::mutex> lock(m);
      order.push_back(path);
      if (path == "slow.png") cv.wait(lock, [&] { return release; });
    }
    DecodedImage failed;  // a failure needs no GL context: end_frame() keeps it as a failed Image
    failed.error = path + ": image not found";
    return failed;
  });
  auto settle = [&](const std::string& key) {  // until end_frame() has taken key's prefetch in
    for (int i = 0; i < 400 && !cache.prefetch_done(key); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      cache.end_frame();
    }
    return cache.prefetch_done(key);
  };

  CHECK(cache.get("slow.png") == nullptr);  // the worker is busy with it until released
  cache.prefetch("next.png", true);
  cache.prefetch("warm.png", false);
  CHECK(cache.get("drawn.png") == nullptr);  // asked for after the prefetches...
  CHECK(cache.wait_decoded(0) == std::vector<std::string>{"slow.png", "drawn.png"});  // I1
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  REQUIRE(cache.wait_decoded(20000).empty());
  cache.end_frame();
  CHECK(!cache.loading());  // the drawn ones are in; the prefetches never counted (I1)
  REQUIRE(settle("next.png"));
  REQUIRE(settle("warm.png"));
  {
    std::lock_guard<std::mutex> lock(m);
    // ...and decoded before them (I3).
    CHECK(order == std::vector<std::string>{"slow.png", "drawn.png", "next.png", "warm.png"});
  }
  // I2: the kept one is there on the first get(), without another decode.
  const Image* next = cache.get("next.png");
  REQUIRE(next != nullptr);
  CHECK(next->failed);
  // A warmed one is not warmed again; drawing it is an ordinary request.
  cache.prefetch("warm.png", false);
  CHECK(!cache.loading());
  CHECK(cache.get("warm.png") == nullptr);
  CHECK(cache.loading());
  REQUIRE(cache.wait_decoded(20000).empty());
  std::lock_guard<std::mutex> lock(m);
  CHECK(order == std::vector<std::string>{"slow.png", "drawn.png", "next.png", "warm.png", "warm.png"});
}

TEST_CASE("a picture asked for on screen while it is being prefetched counts as loading", "[images]") {
  std::mutex m;
  std::condition_variable cv;
  bool release = false, started = false;
  ImageCache cache(64u << 20, {}, [&](const std::string& path) {
    std::unique_lock<std::mutex> lock(m);
    started = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    DecodedImage failed;
    failed.error = path + ": image not found";
    return failed;
  });
  cache.prefetch("next.png", true);
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return started; });
  }
  CHECK(!cache.loading());
  CHECK(cache.get("next.png") == nullptr);  // drawn now: the loop must render until it arrives
  CHECK(cache.loading());
  CHECK(cache.wait_decoded(0) == std::vector<std::string>{"next.png"});
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  CHECK(cache.wait_decoded(20000).empty());
  cache.end_frame();
  CHECK(!cache.loading());
  const Image* img = cache.get("next.png");  // uploaded as a drawn request, decoded once
  REQUIRE(img != nullptr);
  CHECK(img->failed);
}
