// kiosk/app/soak_metrics.h — samples of the kiosk's own resources during a long run (issue 14
// item 7): `kiosk --script F --script-loop SECONDS --metrics FILE`, driven by tests/soak/soak.py
// (`./dev soak`, TESTING.md "Soak").
//
// Contract:
//  1. FILE starts with one '#' line naming the columns, then one line per sample:
//       t_s rss_kib fds threads textures atlas_pages images image_kib pass frames heap_kib layout_kib
//       malloc_kib
//     t_s: real seconds since the sampler opened; rss_kib, fds, threads: the process
//     (platform::process_facts()); textures: the GL textures the kiosk itself holds (glyph atlas
//     pages + decoded pictures; ImGui's own font texture is fixed and not counted); image_kib: the
//     pictures' pixels (the image cache's budget bounds it); pass: which pass of the looped script
//     is running (1-based); frames: frames rendered so far; heap_kib: what malloc has handed out
//     and not had back (-1 where the C library does not tell): when RSS grows and it does not,
//     the growth is the allocator's free lists or memory outside malloc, not a leak of objects;
//     layout_kib: the text engine's cache of laid-out paragraphs (bounded, text_engine.h);
//     malloc_kib: what malloc holds from the system (RSS above it: libraries, fonts, the GL
//     driver's own mappings).
//  2. sample_if_due() writes a sample when interval_ms of real time passed since the previous one
//     (the first call writes at once). Callers call it from their loop; it costs one clock read
//     when nothing is due, a few /proc reads when a sample is taken.
//  3. Each line is flushed as it is written: a run that is killed keeps every sample so far.
//  4. Sampling never fails the run: open() reports an unwritable file (the caller refuses to
//     start); a later failed write is logged once and sampling stops.
//  5. UI thread only (the counts come from the renderer and the image cache).
#pragma once

#include <cstdio>
#include <string>

namespace kiosk::app {

struct SoakCounts {  // what only the kiosk knows; the process figures are read here
  std::size_t atlas_pages = 0, images = 0, image_bytes = 0, layout_cache_bytes = 0;
  int pass = 0;
  long frames = 0;
};

class SoakMetrics {
 public:
  SoakMetrics() = default;
  ~SoakMetrics();
  SoakMetrics(const SoakMetrics&) = delete;
  SoakMetrics& operator=(const SoakMetrics&) = delete;

  // Opens (truncates) path and writes the header. False with "PATH: reason" in *error.
  bool open(const std::string& path, double interval_ms, std::string* error);
  bool is_open() const { return m_file != nullptr; }
  bool due(double now_ms) const;  // a sample is due (2); false when not open
  void sample(double now_ms, const SoakCounts& counts);

 private:
  std::FILE* m_file = nullptr;
  std::string m_path;
  double m_interval_ms = 10000;
  double m_opened_ms = 0;
  double m_last_ms = -1;
};

}  // namespace kiosk::app
