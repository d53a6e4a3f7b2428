#include "image_cache.h"

#include <GL/gl.h>
#include <stb_image.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace kiosk::ui {

DecodedImage decode_image_file(const std::string& path) {
  DecodedImage out;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.error = path + ": image not found";
    return out;
  }
  if (size > ImageCache::kMaxFileBytes) {
    out.error = path + ": too large (" + std::to_string(size >> 20) + " MiB file, limit " +
                std::to_string(ImageCache::kMaxFileBytes >> 20) + " MiB)";
    return out;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  int w = 0, h = 0, comp = 0;
  if (!f || !stbi_info_from_file(f.get(), &w, &h, &comp)) {
    out.error = path + ": not a decodable image (" + (stbi_failure_reason() ? stbi_failure_reason() : "unreadable") + ")";
    return out;
  }
  if (w > ImageCache::kMaxSide || h > ImageCache::kMaxSide || w <= 0 || h <= 0) {
    out.error = path + ": too large (" + std::to_string(w) + "x" + std::to_string(h) +
                " px, limit " + std::to_string(ImageCache::kMaxSide) + ")";
    return out;
  }
  stbi_uc* pixels = stbi_load_from_file(f.get(), &w, &h, &comp, 4);
  if (!pixels) {
    out.error = path + ": corrupt image (" + (stbi_failure_reason() ? stbi_failure_reason() : "decode failed") + ")";
    return out;
  }
  out.width = w;
  out.height = h;
  out.rgba = std::shared_ptr<unsigned char>(pixels, [](unsigned char* p) { stbi_image_free(p); });
  return out;
}

ImageCache::ImageCache(std::size_t budget_bytes)
    : m_budget(budget_bytes), m_thread([this] { worker(); }) {}

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
    }
    DecodedImage img = decode_image_file(path);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_decoded[path] = std::move(img);
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
    m_queue.push_back(path);
    m_wake.notify_one();
  }
  return nullptr;
}

bool ImageCache::loading() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  for (const auto& [path, flying] : m_in_flight)
    if (flying) return true;
  return false;
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
      std::fprintf(stderr, "kiosk: %s\n", img.error.c_str());
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
