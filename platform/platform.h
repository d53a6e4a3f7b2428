// platform/platform.h — the thin seam over the operating system.
//
// Everything the kiosk needs from the OS goes through here: a window with an OpenGL 3 context,
// per-user data and config paths (XDG), and a monotonic clock. SDL types stay in the .cpp; the
// header forward-declares them so callers above need not include SDL.
//
// Contract:
//  - Window::open() returns nullptr and fills *error when no display or no GL context can be had
//    (e.g. DISPLAY unset, no offscreen driver); the caller reports it and exits non-zero.
//  - One Window per process; destroy it before SDL_Quit (the destructor does both).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct SDL_Window;

namespace kiosk::platform {

struct WindowOptions {
  bool fullscreen = true;
  int width = 1920;   // used when windowed
  int height = 1080;  // used when windowed
  std::string title = "Roadshow Kiosk";
};

class Window {
 public:
  static std::unique_ptr<Window> open(const WindowOptions& options, std::string* error);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  SDL_Window* sdl_window() const { return m_window; }
  void* gl_context() const { return m_gl; }
  // Drawable size in pixels (what glViewport and screenshots use).
  void drawable_size(int* w, int* h) const;
  void swap();
  // Reads the back buffer (call after rendering, before swap) as tightly packed RGBA rows, top row
  // first. Returns false on a GL error.
  bool read_pixels(int w, int h, unsigned char* rgba_out) const;
  const char* video_driver() const;

 private:
  Window(SDL_Window* w, void* gl) : m_window(w), m_gl(gl) {}
  SDL_Window* m_window = nullptr;
  void* m_gl = nullptr;
};

// XDG base directories for this application, e.g. ~/.local/share/roadshow-kiosk.
std::string default_data_dir();
std::string default_config_path();
// The system-wide configuration the Debian package installs (a conffile): used when no
// --config is given and the user has no default_config_path() of their own.
std::string system_config_path();

// Where removable media (USB sticks) are mounted on this OS: the folders to look in for files
// headquarters sends (/media, /run/media, /mnt on Linux). Some may not exist.
std::vector<std::string> removable_media_roots();

// Creates dir (and parents) and checks that a file can be written inside it. On failure returns
// false and fills *error with the path and the OS reason.
bool ensure_writable_dir(const std::string& dir, std::string* error);

// What the Health screen shows of the machine (core/health.h); -1 or "unknown" where the OS does
// not tell. Cheap (a statvfs, one /proc read, SDL's power query): call it on demand, not per frame.
struct SystemFacts {
  std::int64_t disk_free_bytes = -1, disk_total_bytes = -1;  // of the file system holding data_dir
  std::int64_t rss_bytes = -1;                               // this process's resident memory
  std::string power = "unknown";  // "ac" (no battery), "charging", "charged", "battery", "unknown"
  int battery_percent = -1, battery_minutes = -1;
  double machine_uptime_s = -1;  // /proc/uptime
};
SystemFacts system_facts(const std::string& data_dir);

// This process's resources, for the soak's samples (kiosk/app/soak_metrics.h); -1 where the OS
// does not tell. A few /proc reads: call it every few seconds, not per frame.
struct ProcessFacts {
  std::int64_t rss_bytes = -1;  // resident memory (/proc/self/statm)
  int open_fds = -1;            // open file descriptors (/proc/self/fd, not counting the listing's own)
  int threads = -1;             // threads (/proc/self/status)
  std::int64_t heap_bytes = -1;  // malloc's bytes in use (glibc mallinfo2): RSS less what the
                                 // allocator keeps free, mapped files and GL buffers outside malloc
  std::int64_t malloc_held_bytes = -1;  // what malloc holds from the system (arenas + mmapped
                                        // blocks): above heap_bytes, its free lists
};
ProcessFacts process_facts();

// Called first thing in main(): fixes the C library's malloc to hand blocks of 256 KiB and more
// (decoded pictures, frame buffers) straight back to the system when freed. glibc's default
// raises that threshold after the first large free, after which each picture's pixels land
// in the heap and leave it fragmented: the soak measured RSS growing by steps for hours
// (TESTING.md "Soak"; BENCHMARKS.md "Soak"). Nothing else changes; safe to call once or more.
void tune_allocator();

// Milliseconds on a monotonic clock; only differences mean anything.
double monotonic_ms();
// CPU time consumed by the calling thread, in microseconds (for frame-cost benchmarks).
double thread_cpu_us();

}  // namespace kiosk::platform
