// sync/job_thread.h — one job at a time on a thread of its own, polled by the UI thread: the
// pattern the Sync screen's SyncWorker and the Content screen's PackWorker share.
//
//  J1. start(job, arg) queues a job and marks the snapshot running (job, progress 0) unless a
//      job is queued or running; it never waits for one.
//  J2. The thread runs body(job, arg) for each job, in order. The body changes the snapshot only
//      through update() (under the lock, bumping `generation`) and ends with finish().
//  J3. stop() (and the destructor) lets the running job end, then joins. An owner whose body uses
//      its own members calls stop() first in its destructor, so the thread never outlives them.
//
// Snapshot must have: Job job; bool running; double progress; std::uint64_t generation.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace kiosk::sync {

template <class Job, class Snapshot>
class JobThread {
 public:
  using Body = std::function<void(Job, const std::string&)>;
  JobThread() = default;
  ~JobThread() { stop(); }
  JobThread(const JobThread&) = delete;
  JobThread& operator=(const JobThread&) = delete;

  // Starts the thread; call once, when everything `body` uses is ready.
  void run(Body body) {
    m_thread = std::thread([this, body = std::move(body)] { loop(body); });
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(m_mu);
      m_quit = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
  }

  bool start(Job job, std::string arg) {  // J1
    std::lock_guard<std::mutex> lock(m_mu);
    if (m_snap.running || m_queued) return false;
    m_queued = true;
    m_job = job;
    m_arg = std::move(arg);
    m_snap.job = job;
    m_snap.running = true;
    m_snap.progress = 0;
    ++m_snap.generation;
    m_cv.notify_all();
    return true;
  }

  Snapshot snapshot() const {
    std::lock_guard<std::mutex> lock(m_mu);
    return m_snap;
  }

  template <class F>
  void update(F&& change) {  // J2
    std::lock_guard<std::mutex> lock(m_mu);
    change(m_snap);
    ++m_snap.generation;
  }
  void progress(double fraction) {
    update([fraction](Snapshot& s) { s.progress = fraction; });
  }
  template <class F>
  void finish(F&& change) {
    update([&](Snapshot& s) {
      change(s);
      s.running = false;
      s.progress = 1;
    });
  }

 private:
  void loop(const Body& body) {
    for (;;) {
      Job job;
      std::string arg;
      {
        std::unique_lock<std::mutex> lock(m_mu);
        m_cv.wait(lock, [&] { return m_quit || m_queued; });
        if (m_quit) return;
        job = m_job;
        arg = m_arg;
        m_queued = false;
      }
      body(job, arg);
    }
  }

  mutable std::mutex m_mu;
  std::condition_variable m_cv;
  Snapshot m_snap;
  bool m_queued = false, m_quit = false;
  Job m_job{};
  std::string m_arg;
  std::thread m_thread;
};

}  // namespace kiosk::sync
