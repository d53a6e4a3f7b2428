// tests/sync_e2e/cut_proxy.h — a TCP proxy on 127.0.0.1 that forwards HTTP connections to `hq`
// and cuts one of them at a chosen point, as a network that drops in the middle of an upload.
//
// Connections are handled one after another on the proxy's own thread (KioskSync sends its
// bundles one request at a time). Connections before plan.connection pass through untouched;
// the plan's connection is cut: both sockets closed, nothing more forwarded either way.
// Contract: report() may be called from the test's thread at any time; the destructor stops the
// thread within ~100 ms (every poll has a timeout).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace e2e {

class CutProxy {
 public:
  enum class Cut {
    request_bytes,       // after `offset` bytes of the request (request line, headers, body)
    body_bytes,          // after the headers and `offset` body bytes (negative: from the end)
    before_response,     // the whole request, then cut when hq starts answering (hq ingested it)
    right_after_request  // the whole request, then cut at once, without waiting for the answer
  };
  struct Plan {
    int connection = 0;  // which connection (0 = the first) is cut
    Cut cut = Cut::request_bytes;
    std::int64_t offset = 0;
  };
  struct Report {
    int connections = 0;
    bool cut = false;              // the planned cut happened
    std::size_t forwarded = 0;     // request bytes forwarded to hq on the cut connection
    std::size_t header_size = 0;   // 0 while the headers were not complete
    std::size_t body_size = 0;     // Content-Length
    std::size_t response_bytes_dropped = 0;
  };

  CutProxy(int hq_port, Plan plan);
  ~CutProxy();
  CutProxy(const CutProxy&) = delete;
  CutProxy& operator=(const CutProxy&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT"
  Report report() const;

 private:
  void run();
  void pass_through(int client, int upstream);
  void cut_through(int client, int upstream);
  int m_listen = -1, m_port = 0, m_hq_port = 0;
  Plan m_plan;
  mutable std::mutex m_mu;
  Report m_report;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace e2e
