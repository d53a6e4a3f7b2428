// tests/sync_e2e/cut_proxy.cpp — see cut_proxy.h.
#include "cut_proxy.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <vector>

namespace e2e {

namespace {

constexpr int kPollMs = 100;
constexpr auto kConnectionDeadline = std::chrono::seconds(60);

// Writes everything (MSG_NOSIGNAL: the proxy itself must never take a SIGPIPE).
bool send_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

int connect_to(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(s);
    return -1;
  }
  return s;
}

// Content-Length from a complete header block (case-insensitive name); 0 when absent.
std::size_t content_length(const std::string& headers) {
  std::string lower(headers.size(), '\0');
  std::transform(headers.begin(), headers.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto p = lower.find("\r\ncontent-length:");
  if (p == std::string::npos) return 0;
  return static_cast<std::size_t>(std::strtoull(lower.c_str() + p + 17, nullptr, 10));
}

}  // namespace

CutProxy::CutProxy(int hq_port, Plan plan) : m_hq_port(hq_port), m_plan(plan) {
  m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(m_listen >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(m_listen, 8) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  m_port = ntohs(a.sin_port);
  m_thread = std::thread([this] { run(); });
}

CutProxy::~CutProxy() {
  m_stop = true;
  m_thread.join();
  ::close(m_listen);
}

std::string CutProxy::url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

CutProxy::Report CutProxy::report() const {
  std::lock_guard<std::mutex> lock(m_mu);
  return m_report;
}

void CutProxy::run() {
  while (!m_stop) {
    pollfd p{m_listen, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int upstream = connect_to(m_hq_port);
    int index;
    {
      std::lock_guard<std::mutex> lock(m_mu);
      index = m_report.connections++;
    }
    if (upstream >= 0) {
      if (index == m_plan.connection) cut_through(client, upstream);
      else pass_through(client, upstream);
      ::close(upstream);
    }
    ::close(client);
  }
}

void CutProxy::pass_through(int client, int upstream) {
  char buf[65536];
  const auto deadline = std::chrono::steady_clock::now() + kConnectionDeadline;
  while (!m_stop && std::chrono::steady_clock::now() < deadline) {
    pollfd p[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    if (::poll(p, 2, kPollMs) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::recv(p[i].fd, buf, sizeof buf, 0);
      if (n <= 0 || !send_all(i == 0 ? upstream : client, buf, static_cast<std::size_t>(n))) return;
    }
  }
}

void CutProxy::cut_through(int client, int upstream) {
  char buf[65536];
  std::string head;          // request bytes until the end of the headers
  std::size_t forwarded = 0;
  std::size_t limit = m_plan.cut == Cut::request_bytes ? static_cast<std::size_t>(m_plan.offset)
                                                       : static_cast<std::size_t>(-1);
  bool request_done = false;
  auto note = [&](bool cut, std::size_t dropped = 0) {
    std::lock_guard<std::mutex> lock(m_mu);
    m_report.cut = cut;
    m_report.forwarded = forwarded;
    m_report.response_bytes_dropped += dropped;
  };
  const auto deadline = std::chrono::steady_clock::now() + kConnectionDeadline;
  while (!m_stop && std::chrono::steady_clock::now() < deadline) {
    pollfd p[2] = {{request_done ? -1 : client, POLLIN, 0}, {upstream, POLLIN, 0}};
    if (::poll(p, 2, kPollMs) <= 0) continue;
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) return note(false);  // the kiosk gave up first
      if (m_report.header_size == 0) {
        head.append(buf, static_cast<std::size_t>(n));
        const auto end = head.find("\r\n\r\n");
        if (end != std::string::npos) {
          std::lock_guard<std::mutex> lock(m_mu);
          m_report.header_size = end + 4;
          m_report.body_size = content_length(head.substr(0, end + 2));
          const std::size_t whole = m_report.header_size + m_report.body_size;
          if (m_plan.cut == Cut::body_bytes) {
            const std::int64_t body = static_cast<std::int64_t>(m_report.body_size);
            const std::int64_t k = m_plan.offset >= 0 ? m_plan.offset : body + m_plan.offset;
            limit = m_report.header_size + static_cast<std::size_t>(std::clamp<std::int64_t>(k, 0, body));
          } else if (m_plan.cut != Cut::request_bytes) {
            limit = whole;
          }
        }
      }
      const std::size_t allowed = std::min<std::size_t>(static_cast<std::size_t>(n), limit - forwarded);
      if (allowed > 0 && !send_all(upstream, buf, allowed)) return note(false);
      forwarded += allowed;
      if (forwarded >= limit) {
        if (m_plan.cut == Cut::request_bytes || m_plan.cut == Cut::body_bytes ||
            m_plan.cut == Cut::right_after_request)
          return note(true);
        request_done = true;  // before_response: wait for hq's first byte
      }
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(upstream, buf, sizeof buf, 0);
      if (m_plan.cut == Cut::before_response && request_done)
        return note(n > 0, n > 0 ? static_cast<std::size_t>(n) : 0);
      // hq answered before the planned cut (e.g. it refused the request early): pass it on.
      if (n <= 0 || !send_all(client, buf, static_cast<std::size_t>(n))) return note(false);
    }
  }
  note(false);
}

}  // namespace e2e
