#include "soak_metrics.h"

#include "log.h"
#include "platform.h"

#include <cerrno>
#include <cstring>

namespace kiosk::app {

SoakMetrics::~SoakMetrics() {
  if (m_file) std::fclose(m_file);
}

bool SoakMetrics::open(const std::string& path, double interval_ms, std::string* error) {
  m_file = std::fopen(path.c_str(), "w");
  if (!m_file) {
    *error = path + ": cannot write the metrics file: " + std::strerror(errno);
    return false;
  }
  m_path = path;
  m_interval_ms = interval_ms;
  m_opened_ms = platform::monotonic_ms();
  std::fputs("# t_s rss_kib fds threads textures atlas_pages images image_kib pass frames heap_kib layout_kib malloc_kib\n", m_file);
  std::fflush(m_file);
  return true;
}

bool SoakMetrics::due(double now_ms) const {
  return m_file && (m_last_ms < 0 || now_ms - m_last_ms >= m_interval_ms);
}

void SoakMetrics::sample(double now_ms, const SoakCounts& c) {
  if (!m_file) return;
  m_last_ms = now_ms;
  const platform::ProcessFacts p = platform::process_facts();
  const int n = std::fprintf(m_file, "%.1f %lld %d %d %zu %zu %zu %zu %d %ld %lld %zu %lld\n",
                             (platform::monotonic_ms() - m_opened_ms) / 1000.0,
                             static_cast<long long>(p.rss_bytes / 1024), p.open_fds, p.threads,
                             c.atlas_pages + c.images, c.atlas_pages, c.images, c.image_bytes / 1024,
                             c.pass, c.frames, static_cast<long long>(p.heap_bytes / 1024),
                             c.layout_cache_bytes / 1024,
                             static_cast<long long>(p.malloc_held_bytes / 1024));
  if (n < 0 || std::fflush(m_file) != 0) {
    log::warn(m_path + ": cannot write the metrics file: " + std::strerror(errno) + "; sampling stops");
    std::fclose(m_file);
    m_file = nullptr;
  }
}

}  // namespace kiosk::app
