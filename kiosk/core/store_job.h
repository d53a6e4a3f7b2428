// kiosk/core/store_job.h — one piece of store work off the UI thread (health.h H1, the
// organization directory import): the work runs on a thread of its own with a connection of
// its own to the store file (WAL lets it read and write beside the UI's connection), and the
// UI thread polls running() / result() each frame.
//
// Rules:
//  J1. One job at a time per StoreJob: start() while one runs does nothing and returns false.
//  J2. The work's connection is opened with OnDamage::refuse (store.h invariant 8: only the
//      kiosk's first connection may set a damaged file aside); when it cannot be opened the
//      result is on_open_error(the reason) and the work does not run.
//  J3. A mutation in the work is its own transaction(s), committed before result() shows it:
//      what the screen then says "saved" is durable.
//  J4. The destructor waits for a running job (a screen never outlives its work's writes).
#pragma once

#include "store.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace kiosk::core {

template <class Result>
class StoreJob {
 public:
  StoreJob() = default;
  ~StoreJob() {
    if (m_thread.joinable()) m_thread.join();
  }
  StoreJob(const StoreJob&) = delete;
  StoreJob& operator=(const StoreJob&) = delete;

  bool start(const std::string& store_path, std::function<Result(Store&)> work,
             std::function<Result(const std::string&)> on_open_error) {
    if (m_running.exchange(true)) return false;  // J1
    if (m_thread.joinable()) m_thread.join();
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_result.reset();
    }
    m_thread = std::thread([this, store_path, work = std::move(work), on_open_error = std::move(on_open_error)] {
      std::string error;
      std::optional<Result> out;
      if (auto store = Store::open(store_path, &error))  // J2
        out = work(*store);
      else
        out = on_open_error(error);
      {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_result = std::move(out);
      }
      m_running.store(false);
    });
    return true;
  }

  bool running() const { return m_running.load(); }
  // The last finished job's result; nullopt before the first one ends (and while one runs).
  std::optional<Result> result() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_result;
  }

 private:
  std::thread m_thread;
  std::atomic<bool> m_running{false};
  mutable std::mutex m_mutex;
  std::optional<Result> m_result;
};

}  // namespace kiosk::core
