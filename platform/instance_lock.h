// platform/instance_lock.h — one running kiosk per data directory.
//
//  K1. The kiosk's loop modes (live, script, screenshot, benchmarks) hold an exclusive lock
//      (flock) on <data_dir>/kiosk.lock while they run. The kernel drops it when the process
//      ends, however it ends (SIGKILL, a power cut), so a stale lock never blocks a start.
//  K2. A second kiosk on the same data directory refuses to start, naming the first's pid.
//  K3. Commands that replace what a running kiosk reads (--install-pack, --rollback-pack) take
//      the same lock for their whole run: they refuse while a kiosk runs (saying to use its
//      Content screen or stop it), and no kiosk starts halfway through them. Commands that are
//      one store transaction (WAL lets them run beside the kiosk) do not take it.
//  K4. The lock file holds the holder's pid as text, for the message only; it is never deleted
//      (deleting a locked file would let a second process lock a new one beside it).
#pragma once

#include <string>

namespace kiosk::platform {

class InstanceLock {
 public:
  InstanceLock() = default;
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;
  InstanceLock(InstanceLock&& other) noexcept;
  InstanceLock& operator=(InstanceLock&& other) noexcept;

  // K1/K2: takes the lock of data_dir (which must exist). False with the reason in *error
  // (another kiosk holds it, naming its pid; or the file cannot be opened).
  bool acquire(const std::string& data_dir, std::string* error);
  bool held() const { return m_fd >= 0; }

 private:
  int m_fd = -1;
};

}  // namespace kiosk::platform
