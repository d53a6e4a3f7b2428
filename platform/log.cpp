// The kiosk's rotating log file (log.h).
#include "log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

namespace kiosk::log {
namespace {

// The process-wide sink (log.h rule 6). Guarded by `mutex`.
struct Sink {
  std::mutex mutex;
  int fd = -1;
  std::string path;
  std::uint64_t size = 0;
  std::uint64_t max_bytes = kDefaultMaxBytes;
  bool reported_failure = false;
};

Sink& sink() {
  static Sink s;
  return s;
}

const char* level_name(Level level) {
  switch (level) {
    case Level::info: return "INFO";
    case Level::warn: return "WARN";
    case Level::error: return "ERROR";
  }
  return "ERROR";  // impossible: every Level is named above
}

bool write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

int open_append(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

// Rule 7: the first failure is said once on stderr; later lines go to stderr alone.
void give_up_file(Sink& s, const char* what) {
  if (!s.reported_failure)
    std::fprintf(stderr, "kiosk: log file %s: %s failed (%s); logging to stderr only\n",
                 s.path.c_str(), what, std::strerror(errno));
  s.reported_failure = true;
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
}

// Rule 2: kiosk.log -> kiosk.log.1, then a fresh kiosk.log.
void rotate(Sink& s) {
  ::close(s.fd);
  s.fd = -1;
  if (std::rename(s.path.c_str(), (s.path + ".1").c_str()) != 0) return give_up_file(s, "rotation");
  s.fd = open_append(s.path);
  if (s.fd < 0) return give_up_file(s, "reopening after rotation");
  s.size = 0;
}

}  // namespace

std::string format_line(std::int64_t unix_ms, Level level, std::string_view message) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[96];  // room for any int the compiler imagines in each field
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  std::string line = stamp;
  line += ' ';
  line += level_name(level);
  line += ' ';
  for (char c : message) {  // rule 1: control characters cannot split or forge lines
    const auto u = static_cast<unsigned char>(c);
    line += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  line += '\n';
  return line;
}

bool open(const std::string& dir, std::uint64_t max_bytes, std::string* error) {
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.fd >= 0) ::close(s.fd);
  s.path = dir + "/kiosk.log";
  s.max_bytes = std::clamp(max_bytes, kMinBytes, kMaxBytes);
  s.reported_failure = false;
  s.fd = open_append(s.path);
  if (s.fd < 0) {
    *error = s.path + ": cannot open the log file: " + std::strerror(errno);
    s.path.clear();
    return false;
  }
  struct stat st{};
  s.size = ::fstat(s.fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  return true;
}

void close() {
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
  s.path.clear();
}

std::string path() {
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.fd >= 0 ? s.path : std::string();
}

void write(Level level, std::string_view message) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  const std::string line = format_line(ms, level, message);
  Sink& s = sink();
  std::lock_guard<std::mutex> lock(s.mutex);
  // Rule 4: warnings and errors keep their old place on stderr; INFO only for a person watching.
  static const bool stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
  if (level != Level::info || stderr_is_terminal) {
    const size_t after_level = line.find(' ', line.find(' ') + 1) + 1;
    write_all(STDERR_FILENO, "kiosk: " + line.substr(after_level));
  }
  if (s.fd < 0) return;
  if (s.size > 0 && s.size + line.size() > s.max_bytes) {
    rotate(s);
    if (s.fd < 0) return;
  }
  if (!write_all(s.fd, line)) return give_up_file(s, "write");
  s.size += line.size();
}

}  // namespace kiosk::log
