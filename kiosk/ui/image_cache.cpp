#include "image_cache.h"
#include "log.h"

#include "image_header.h"

#include <GL/gl.h>
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

DecodedImage make_thumbnail(const std::string& path, int max_width, const std::string& cache_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
  std::ostringstream key;
  key << std::hex << std::hash<std::string>{}(path + "|" + std::to_string(size) + "|" +
                                             std::to_string(time) + "|" + std::to_string(max_width));
  const std::string cached = cache_dir.empty() ? std::string() : cache_dir + "/" + key.str() + ".png";
  if (!cached.empty() && fs::is_regular_file(cached, ec)) {
    DecodedImage hit = decode_image_file(cached);
    if (hit.error.empty()) return hit;
  }
  DecodedImage full = decode_image_file(path);
  if (!full.error.empty() || full.width <= max_width) return full;
  DecodedImage small;
  small.width = max_width;
  small.height = std::max(1, full.height * max_width / full.width);
  unsigned char* px = static_cast<unsigned char*>(
      std::malloc(static_cast<size_t>(small.width) * static_cast<size_t>(small.height) * 4));
  small.rgba = std::shared_ptr<unsigned char>(px, [](unsigned char* p) { std::free(p); });
  if (!px || !stbir_resize_uint8(full.rgba.get(), full.width, full.height, 0, px, small.width,
                                 small.height, 0, 4))
    return full;
  if (!cached.empty()) {
    fs::create_directories(cache_dir, ec);
    const std::string tmp = cached + ".tmp";
    if (stbi_write_png(tmp.c_str(), small.width, small.height, 4, px, small.width * 4))
      fs::rename(tmp, cached, ec);
  }
  return small;
}

ImageCache::ImageCache(std::size_t budget_bytes, std::string thumb_dir, Decoder decoder)
    : m_budget(budget_bytes), m_thumb_dir(std::move(thumb_dir)), m_decoder(std::move(decoder)) {
  if (!m_decoder)
    m_decoder = [dir = m_thumb_dir](const std::string& path) {
      // "thumb:" marks a thumbnail request (see thumbnail()).
      return path.rfind("thumb:", 0) == 0 ? make_thumbnail(path.substr(6), kThumbWidth, dir)
                                          : decode_image_file(path);
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
      m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
      if (m_stop) return;
      path = std::move(m_queue.front());
      m_queue.pop_front();
      m_current = path;
    }
    DecodedImage img = m_decoder(path);
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_decoded[path] = std::move(img);
      m_current.clear();
      --m_decoding;
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
  std::lock_guard<std::mutex> lock(m_mutex);
  if (!m_in_flight[path]) {
    m_in_flight[path] = true;
    ++m_decoding;
    m_queue.push_back(path);
    m_wake.notify_one();
  }
  return nullptr;
}

const Image* ImageCache::thumbnail(const std::string& path) { return get("thumb:" + path); }

bool ImageCache::loading() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  for (const auto& [path, flying] : m_in_flight)
    if (flying) return true;
  return false;
}

std::vector<std::string> ImageCache::wait_decoded(double timeout_ms) {
  std::unique_lock<std::mutex> lock(m_mutex);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(static_cast<long long>(std::max(0.0, timeout_ms) * 1000));
  m_decode_done.wait_until(lock, deadline, [this] { return m_decoding == 0; });
  std::vector<std::string> left;
  if (!m_current.empty()) left.push_back(m_current);
  left.insert(left.end(), m_queue.begin(), m_queue.end());
  return left;
}

void ImageCache::end_frame() {
  std::map<std::string, DecodedImage> done;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    done.swap(m_decoded);
    for (const auto& [path, img] : done) m_in_flight.erase(path);
  }
  for (auto& [path, img] : done) {
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
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, img.width, img.height, 0, GL_RGBA,
                   GL_UNSIGNED_BYTE, img.rgba.get());
      e.image.width = img.width;
      e.image.height = img.height;
      e.bytes = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4;
      m_resident += e.bytes;
    }
    m_images[path] = std::move(e);
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
