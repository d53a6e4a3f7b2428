#include "image_cache.h"
#include "log.h"

#include "image_header.h"

#include <GL/gl.h>
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>

namespace kiosk::ui {

DecodedImage decode_image_file(const std::string& path) {
  DecodedImage out;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.error = path + ": image not found";
    return out;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    out.error = path + ": image cannot be read";
    return out;
  }
  const content::ImageHeader header = content::read_image_header(f.get(), size);
  if (!header.ok) {
    out.error = path + ": " + header.problem;
    return out;
  }
  int w = 0, h = 0, comp = 0;
  stbi_uc* pixels = stbi_load_from_file(f.get(), &w, &h, &comp, 4);
  if (!pixels) {
    out.error = path + ": image is corrupt: " + content::explain_stb_failure(stbi_failure_reason());
    return out;
  }
  out.width = w;
  out.height = h;
  out.rgba = std::shared_ptr<unsigned char>(pixels, [](unsigned char* p) { stbi_image_free(p); });
  return out;
}

namespace {

// The cached copy's format: a 16-byte header ("KRGBA1" and two NULs, then width and height as
// native 32-bit integers) and the pixels, RGBA, uncompressed. Reading it back is a file read
// (about 1 ms for a 1000x670 picture), where decoding the PNG again costs 15-90 ms.
constexpr char kRawMagic[8] = {'K', 'R', 'G', 'B', 'A', '1', 0, 0};

DecodedImage read_raw(const std::string& file) {
  DecodedImage out;
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
  char magic[8];
  std::uint32_t wh[2] = {0, 0};
  if (!f || std::fread(magic, 1, 8, f.get()) != 8 || std::memcmp(magic, kRawMagic, 8) != 0 ||
      std::fread(wh, sizeof wh[0], 2, f.get()) != 2 || wh[0] == 0 || wh[1] == 0 ||
      wh[0] > static_cast<std::uint32_t>(content::k_max_image_side) ||
      wh[1] > static_cast<std::uint32_t>(content::k_max_image_side)) {
    out.error = file + ": not a cached picture";
    return out;
  }
  const std::size_t bytes = std::size_t{wh[0]} * wh[1] * 4;
  auto* px = static_cast<unsigned char*>(std::malloc(bytes));
  out.rgba = std::shared_ptr<unsigned char>(px, [](unsigned char* p) { std::free(p); });
  if (!px || std::fread(px, 1, bytes, f.get()) != bytes || std::fgetc(f.get()) != EOF) {
    out.rgba.reset();
    out.error = file + ": cached picture is truncated";
    return out;
  }
  out.width = static_cast<int>(wh[0]);
  out.height = static_cast<int>(wh[1]);
  return out;
}

// Written beside, flushed and renamed into place: a reader sees the old file, none, or the whole
// new one. A failure only costs the caching.
void write_raw(const std::string& file, const DecodedImage& img) {
  const std::string tmp = file + ".tmp";
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(tmp.c_str(), "wb"), &std::fclose);
  if (!f) return;
  const std::uint32_t wh[2] = {static_cast<std::uint32_t>(img.width), static_cast<std::uint32_t>(img.height)};
  const std::size_t bytes = std::size_t{wh[0]} * wh[1] * 4;
  const bool ok = std::fwrite(kRawMagic, 1, 8, f.get()) == 8 && std::fwrite(wh, sizeof wh[0], 2, f.get()) == 2 &&
                  std::fwrite(img.rgba.get(), 1, bytes, f.get()) == bytes && std::fflush(f.get()) == 0;
  f.reset();
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, file, ec);
  if (!ok || ec) std::filesystem::remove(tmp, ec);
}

}  // namespace

DecodedImage make_fitted(const std::string& path, int max_width, int max_height, const std::string& cache_dir,
                         bool cover) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
  std::ostringstream key;
  key << std::hex << std::hash<std::string>{}(path + "|" + std::to_string(size) + "|" + std::to_string(time) +
                                             "|" + std::to_string(max_width) + "x" + std::to_string(max_height) +
                                             (cover ? "c" : ""));
  const std::string cached = cache_dir.empty() ? std::string() : cache_dir + "/" + key.str() + ".rgba";
  if (!cached.empty() && fs::is_regular_file(cached, ec)) {
    DecodedImage hit = read_raw(cached);
    if (hit.error.empty()) return hit;
  }
  DecodedImage full = decode_image_file(path);
  if (!full.error.empty()) return full;
  DecodedImage out = full;
  // Scaled down to fit the box, or to cover it (aspect kept), never up.
  const double kw = static_cast<double>(max_width) / full.width, kh = static_cast<double>(max_height) / full.height;
  const double k = std::min(1.0, cover ? std::max(kw, kh) : std::min(kw, kh));
  if (k < 1.0) {
    DecodedImage small;
    small.width = std::max(1, static_cast<int>(std::lround(full.width * k)));
    small.height = std::max(1, static_cast<int>(std::lround(full.height * k)));
    unsigned char* px = static_cast<unsigned char*>(
        std::malloc(static_cast<size_t>(small.width) * static_cast<size_t>(small.height) * 4));
    small.rgba = std::shared_ptr<unsigned char>(px, [](unsigned char* p) { std::free(p); });
    if (!px || !stbir_resize_uint8(full.rgba.get(), full.width, full.height, 0, px, small.width,
                                   small.height, 0, 4))
      return full;
    out = small;
  }
  if (!cached.empty()) {
    fs::create_directories(cache_dir, ec);
    write_raw(cached, out);
  }
  return out;
}

DecodedImage make_thumbnail(const std::string& path, int max_width, const std::string& cache_dir) {
  return make_fitted(path, max_width, content::k_max_image_side, cache_dir, false);
}

std::string ImageCache::fitted_key(const std::string& path, float box_w, float box_h, bool cover) {
  // Rounded up to 64 pixels, so a box that moves by a few pixels (another language's caption)
  // reuses the same copy; the picture is drawn scaled into the exact box.
  auto bucket = [](float v) { return std::max(64, (static_cast<int>(std::ceil(v)) + 63) / 64 * 64); };
  return std::string(cover ? "cover:" : "fit:") + std::to_string(bucket(box_w)) + "x" + std::to_string(bucket(box_h)) + ":" + path;
}

ImageCache::ImageCache(std::size_t budget_bytes, std::string thumb_dir, Decoder decoder)
    : m_budget(budget_bytes), m_thumb_dir(std::move(thumb_dir)), m_decoder(std::move(decoder)) {
  if (!m_decoder)
    m_decoder = [dir = m_thumb_dir](const std::string& key) {
      // "thumb:PATH" is a thumbnail (thumbnail()), "fit:WxH:PATH" / "cover:WxH:PATH" a copy
      // fitted to a box (fitted_key()); anything else the file itself.
      if (key.rfind("thumb:", 0) == 0) return make_thumbnail(key.substr(6), kThumbWidth, dir);
      int w = 0, h = 0, used = 0;
      const bool cover = key.rfind("cover:", 0) == 0;
      if ((cover || key.rfind("fit:", 0) == 0) &&
          std::sscanf(key.c_str() + (cover ? 6 : 4), "%dx%d:%n", &w, &h, &used) == 2 && used > 0)
        return make_fitted(key.substr(static_cast<std::size_t>(used) + (cover ? 6 : 4)), w, h, dir, cover);
      return decode_image_file(key);
    };
  m_thread = std::thread([this] { worker(); });
}

ImageCache::~ImageCache() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
  for (auto& [path, e] : m_images)
    if (e.image.texture) glDeleteTextures(1, &e.image.texture);
}

void ImageCache::worker() {
  for (;;) {
    std::string path;
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stop || !m_queue.empty() || !m_prefetch_queue.empty(); });
      if (m_stop) return;
      // I3: what a screen draws first, prefetches when nothing is waiting.
      std::deque<std::string>& q = m_queue.empty() ? m_prefetch_queue : m_queue;
      path = std::move(q.front());
      q.pop_front();
      m_current = path;
    }
    DecodedImage img = m_decoder(path);
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_decoded[path] = std::move(img);
      m_current.clear();
      auto it = m_in_flight.find(path);
      if (it != m_in_flight.end() && !it->second.prefetch) --m_decoding;
    }
    m_decode_done.notify_all();
  }
}

const Image* ImageCache::get(const std::string& path) {
  auto it = m_images.find(path);
  if (it != m_images.end()) {
    it->second.last_used = m_frame;
    return &it->second.image;
  }
  // I2: a kept prefetch is uploaded here, in the frame that first draws it (no placeholder).
  if (auto kept = m_prefetched.find(path); kept != m_prefetched.end()) {
    DecodedImage img = std::move(kept->second);
    m_prefetched.erase(kept);
    Entry& e = upload(path, img);
    return &e.image;
  }
  std::lock_guard<std::mutex> lock(m_mutex);
  auto flying = m_in_flight.find(path);
  if (flying == m_in_flight.end()) {
    m_in_flight[path] = Flight{};
    ++m_decoding;
    m_queue.push_back(path);
    m_wake.notify_one();
  } else if (flying->second.prefetch) {
    // Asked for on screen while prefetching: it now counts as loading (the loop renders until it
    // is shown), and jumps ahead of the other prefetches if it has not started yet.
    flying->second.prefetch = false;
    flying->second.keep = true;
    if (m_decoded.count(path) == 0) ++m_decoding;
    auto queued = std::find(m_prefetch_queue.begin(), m_prefetch_queue.end(), path);
    if (queued != m_prefetch_queue.end()) {
      m_prefetch_queue.erase(queued);
      m_queue.push_back(path);
      m_wake.notify_one();
    }
  }
  return nullptr;
}

void ImageCache::prefetch(const std::string& key, bool keep_pixels) {
  if (m_images.count(key) || m_prefetched.count(key) || (!keep_pixels && m_warmed.count(key))) return;
  std::lock_guard<std::mutex> lock(m_mutex);
  auto flying = m_in_flight.find(key);
  if (flying != m_in_flight.end()) {
    if (flying->second.prefetch && keep_pixels) flying->second.keep = true;
    return;
  }
  m_in_flight[key] = Flight{true, keep_pixels};
  m_prefetch_queue.push_back(key);
  m_wake.notify_one();
}

const Image* ImageCache::thumbnail(const std::string& path) { return get("thumb:" + path); }

bool ImageCache::loading() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  for (const auto& [path, flight] : m_in_flight)
    if (!flight.prefetch) return true;  // I1: a prefetch is not on screen, nothing to redraw for it
  return false;
}

std::vector<std::string> ImageCache::wait_decoded(double timeout_ms) {
  std::unique_lock<std::mutex> lock(m_mutex);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(static_cast<long long>(std::max(0.0, timeout_ms) * 1000));
  m_decode_done.wait_until(lock, deadline, [this] { return m_decoding == 0; });
  std::vector<std::string> left;
  auto drawn = [&](const std::string& p) {
    auto it = m_in_flight.find(p);
    return it != m_in_flight.end() && !it->second.prefetch;
  };
  if (!m_current.empty() && drawn(m_current)) left.push_back(m_current);
  for (const std::string& p : m_queue)
    if (drawn(p)) left.push_back(p);
  return left;
}

ImageCache::Entry& ImageCache::upload(const std::string& path, DecodedImage& img) {
  Entry e;
  e.last_used = m_frame;
  if (!img.error.empty()) {
    log::warn(img.error);
    e.image.failed = true;
    e.image.error = img.error;
  } else {
    glGenTextures(1, &e.image.texture);
    glBindTexture(GL_TEXTURE_2D, e.image.texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 img.rgba.get());
    e.image.width = img.width;
    e.image.height = img.height;
    e.bytes = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4;
    m_resident += e.bytes;
  }
  Entry& placed = m_images[path];
  if (placed.image.texture) {  // defensive: a key is uploaded once; never leak a texture
    glDeleteTextures(1, &placed.image.texture);
    m_resident -= placed.bytes;
  }
  placed = std::move(e);
  return placed;
}

void ImageCache::end_frame() {
  std::map<std::string, DecodedImage> done;
  std::map<std::string, Flight> flights;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    done.swap(m_decoded);
    for (const auto& [path, img] : done) {
      auto it = m_in_flight.find(path);
      if (it != m_in_flight.end()) {
        flights[path] = it->second;
        m_in_flight.erase(it);
      }
    }
  }
  for (auto& [path, img] : done) {
    const Flight f = flights[path];
    if (!f.prefetch) {
      upload(path, img);
    } else if (f.keep) {
      // I2: kept as pixels (no texture, no frame) until drawn; only the newest few.
      m_prefetched[path] = std::move(img);
      m_prefetch_order.push_back(path);
      while (m_prefetch_order.size() > kKeepPrefetched) {
        m_prefetched.erase(m_prefetch_order.front());
        m_prefetch_order.pop_front();
      }
    } else {
      m_warmed.insert(path);  // its cached copy is on disk now; the pixels are not kept
    }
  }
  // Free what was not shown recently, then the least recently used beyond the budget.
  auto free_entry = [&](std::map<std::string, Entry>::iterator it) {
    if (it->second.image.texture) glDeleteTextures(1, &it->second.image.texture);
    m_resident -= it->second.bytes;
    return m_images.erase(it);
  };
  for (auto it = m_images.begin(); it != m_images.end();)
    it = (m_frame - it->second.last_used > kKeepFrames) ? free_entry(it) : std::next(it);
  while (m_resident > m_budget) {
    auto oldest = m_images.end();
    for (auto it = m_images.begin(); it != m_images.end(); ++it)
      if (it->second.bytes && it->second.last_used < m_frame &&
          (oldest == m_images.end() || it->second.last_used < oldest->second.last_used))
        oldest = it;
    if (oldest == m_images.end()) break;  // everything resident is on screen this frame
    free_entry(oldest);
  }
  ++m_frame;
}

}  // namespace kiosk::ui
