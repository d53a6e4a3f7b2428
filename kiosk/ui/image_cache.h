// kiosk/ui/image_cache.h — pictures for the screens: decoded off the UI thread, uploaded as GL
// textures, freed when no longer shown.
//
// Contract:
//  - get(path) never blocks on decoding: it returns the Image (texture ready, or failed with a
//    reason) or nullptr while the worker thread decodes it. Screens draw a placeholder for
//    nullptr and for failed images; loading() tells the loop to keep rendering until ready.
//  - Limits are checked from the file header before decoding, by the same gate as the pack
//    checker (content/src/image_header.h read_image_header: 8 MiB, 4096 pixels a side, PNG or
//    JPEG only): anything else is refused with the gate's reason, never decoded.
//  - end_frame() once per frame (UI thread, GL context current): uploads finished decodes and
//    frees textures not used in the last kKeepFrames rendered frames, or beyond the memory
//    budget (least recently used first). Resident texture memory stays under budget_bytes
//    plus the images of one frame.
//  - wait_decoded(timeout) blocks until every picture asked for so far has finished decoding (so
//    the next end_frame() uploads it), or the time-out passes; it returns the paths still being
//    decoded then (empty: all done). The harness waits on this before a screenshot; loading()
//    stays true until end_frame() has uploaded them, so it cannot serve as that wait.
//  - Create after the GL context, destroy before it. UI thread only (the worker is internal).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::ui {

struct Image {
  unsigned texture = 0;  // GL texture name; 0 if failed
  int width = 0, height = 0;
  bool failed = false;
  std::string error;  // why it failed: "FILE: image is too large: 20000x10 pixels (...)", ...
};

// Reads the image header and decodes it to RGBA; pure CPU work (used by the worker and tests).
struct DecodedImage {
  std::shared_ptr<unsigned char> rgba;  // stb_image's own buffer (no copy), width*height*4 bytes
  int width = 0, height = 0;
  std::string error;  // empty on success
};
DecodedImage decode_image_file(const std::string& path);
// A thumbnail of `path`, at most max_width pixels wide: read from cache_dir when made before
// (keyed by the source's path, size and time), else decoded, scaled down, and written there
// (atomically) for next time. An unwritable cache_dir only costs the caching.
DecodedImage make_thumbnail(const std::string& path, int max_width, const std::string& cache_dir);

class ImageCache {
 public:
  // Render-on-demand frames are sparse (an idle Attract renders a few a minute), so "recently"
  // is counted in frames: anything not drawn in the last two rendered frames is freed.
  static constexpr long kKeepFrames = 2;

  // What the worker runs for a path ("thumb:PATH" for thumbnails); the default decodes the file
  // (decode_image_file / make_thumbnail). Tests pass their own to control when a decode ends.
  using Decoder = std::function<DecodedImage(const std::string& path)>;
  explicit ImageCache(std::size_t budget_bytes = 64u << 20, std::string thumb_dir = {},
                      Decoder decoder = {});
  ~ImageCache();
  ImageCache(const ImageCache&) = delete;
  ImageCache& operator=(const ImageCache&) = delete;

  const Image* get(const std::string& path);
  // A small version of path (made once, cached in thumb_dir): for grids of many pictures.
  const Image* thumbnail(const std::string& path);
  static constexpr int kThumbWidth = 480;
  bool loading() const;
  std::vector<std::string> wait_decoded(double timeout_ms);
  void end_frame();
  std::size_t resident_bytes() const { return m_resident; }
  std::size_t texture_count() const { return m_images.size(); }

 private:
  struct Entry {
    Image image;
    long last_used = 0;
    std::size_t bytes = 0;
  };
  void worker();

  std::size_t m_budget;
  std::string m_thumb_dir;
  Decoder m_decoder;
  std::size_t m_resident = 0;
  long m_frame = 0;
  std::map<std::string, Entry> m_images;  // uploaded or failed

  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_decode_done;            // the worker finished one (wait_decoded)
  int m_decoding = 0;                               // queued or being decoded right now
  std::string m_current;                            // the path the worker is decoding
  std::deque<std::string> m_queue;                  // paths waiting for the worker
  std::map<std::string, DecodedImage> m_decoded;    // finished by the worker, not yet uploaded
  std::map<std::string, bool> m_in_flight;          // queued or decoding
  bool m_stop = false;
  std::thread m_thread;
};

}  // namespace kiosk::ui
