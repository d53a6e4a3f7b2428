// platform/instance_lock.cpp — InstanceLock (instance_lock.h K1-K4).
#include "instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace kiosk::platform {

namespace {

std::string lock_path(const std::string& data_dir) { return data_dir + "/kiosk.lock"; }

std::string read_holder(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string s = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "unknown" : s;
}

}  // namespace

InstanceLock::~InstanceLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing drops the flock (K1)
}

InstanceLock::InstanceLock(InstanceLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

InstanceLock& InstanceLock::operator=(InstanceLock&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

bool InstanceLock::acquire(const std::string& data_dir, std::string* error) {
  const std::string path = lock_path(data_dir);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    *error = e == EWOULDBLOCK ? "another kiosk (pid " + read_holder(fd) + ") is running with the data folder " +
                                    data_dir + "; stop it first"
                              : "cannot lock " + path + ": " + std::strerror(e);
    ::close(fd);
    return false;
  }
  const std::string pid = std::to_string(::getpid()) + "\n";  // K4: for the message only
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only for messages; the lock itself is held.
  }
  if (m_fd >= 0) ::close(m_fd);
  m_fd = fd;
  return true;
}

}  // namespace kiosk::platform
