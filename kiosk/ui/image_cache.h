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
//
// Sizes and prefetching (issue 15 item 4: an exhibit opens in under 100 ms under load, the attract
// loop stays under 0.5% of a core):
//  - fitted_key(path, w, h, cover) names a copy of the picture scaled down to fit a w x h pixel box
//    (rounded up to 64 px). It is made once from the file and kept in thumb_dir as raw pixels
//    (make_fitted), so drawing it later costs a file read, not a PNG decode (15-90 ms for a
//    1200x800 illustration on this project's machines).
//  I1. prefetch(key, keep) decodes on the worker without drawing: it never counts in loading()
//      (no frame is rendered for it) nor in wait_decoded(); a screen asks for it while idle.
//  I2. keep = true holds the decoded pixels (at most kKeepPrefetched, newest first, no texture)
//      until get(key) asks for them: then they are uploaded in that same call, so the frame that
//      first draws the picture shows it (the attract fade never shows a placeholder). keep = false
//      only makes the cached copy on disk and drops the pixels (the home grid warms every
//      exhibit's copy); such a key is not warmed twice.
//  I3. The worker takes what a screen draws (get()) before any prefetch; get() of a key being
//      prefetched makes it an ordinary request (counted in loading(), ahead of the prefetches).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
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
// The same for any box: scaled down (never up), aspect kept, to fit inside max_width x max_height
// or, with cover, to cover it (for pictures cropped to fill); cached in cache_dir as raw RGBA (a
// small header and the pixels) keyed by the source's path, size, time and the box. A cached file
// that does not read back whole is made again.
DecodedImage make_fitted(const std::string& path, int max_width, int max_height, const std::string& cache_dir,
                         bool cover);

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
  // I1-I3 above.
  void prefetch(const std::string& key, bool keep_pixels);
  static constexpr std::size_t kKeepPrefetched = 2;
  // Whether end_frame() has taken in a finished prefetch of key (kept or warmed); for tests.
  bool prefetch_done(const std::string& key) const { return m_prefetched.count(key) || m_warmed.count(key); }
  // The key of path's copy fitted to (or covering) a box of box_w x box_h pixels, for get() and
  // prefetch().
  static std::string fitted_key(const std::string& path, float box_w, float box_h, bool cover);
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
  struct Flight {
    bool prefetch = false;  // asked for by prefetch() only (I1)
    bool keep = false;      // keep its pixels when done (I2)
  };
  void worker();
  Entry& upload(const std::string& path, DecodedImage& img);

  std::size_t m_budget;
  std::string m_thumb_dir;
  Decoder m_decoder;
  std::size_t m_resident = 0;
  long m_frame = 0;
  std::map<std::string, Entry> m_images;  // uploaded or failed
  std::map<std::string, DecodedImage> m_prefetched;  // I2: kept pixels, not yet drawn
  std::deque<std::string> m_prefetch_order;          // m_prefetched's keys, oldest first
  std::set<std::string> m_warmed;                    // I2: prefetched with keep = false, done

  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_decode_done;            // the worker finished one (wait_decoded)
  int m_decoding = 0;                               // drawn requests queued or decoding (not prefetches)
  std::string m_current;                            // the path the worker is decoding
  std::deque<std::string> m_queue;                  // paths waiting for the worker
  std::deque<std::string> m_prefetch_queue;         // I3: taken when m_queue is empty
  std::map<std::string, DecodedImage> m_decoded;    // finished by the worker, not yet uploaded
  std::map<std::string, Flight> m_in_flight;        // queued, decoding or decoded, not yet taken
  bool m_stop = false;
  std::thread m_thread;
};

}  // namespace kiosk::ui
