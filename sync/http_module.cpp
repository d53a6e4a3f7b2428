// sync/http_module.cpp — kiosk-http.so: the HTTP client on cpp-httplib (http_client.h H1).
// Built as a module (not linked by anything); the kiosk loads it on its first send.
#include "http_client.h"

#include <httplib.h>

#include <algorithm>

namespace {

class HttplibClient final : public kiosk::sync::HttpClient {
 public:
  HttplibClient(const char* base_url, int timeout_s) : m_client(base_url) {
    m_client.set_connection_timeout(std::min(timeout_s, 10), 0);
    m_client.set_read_timeout(timeout_s, 0);
    m_client.set_write_timeout(timeout_s, 0);
  }

  kiosk::sync::HttpReply get(const std::string& path) override { return reply(m_client.Get(path.c_str())); }

  kiosk::sync::HttpReply post(const std::string& path, const void* body, std::size_t size,
                              const std::string& content_type) override {
    return reply(m_client.Post(path.c_str(), static_cast<const char*>(body), size, content_type.c_str()));
  }

 private:
  static kiosk::sync::HttpReply reply(const httplib::Result& res) {
    kiosk::sync::HttpReply r;
    if (!res) {
      r.error = httplib::to_string(res.error());
      return r;
    }
    r.ok = true;
    r.status = res->status;
    r.body = res->body;
    return r;
  }

  httplib::Client m_client;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) kiosk::sync::HttpClient* kiosk_http_open_v1(
    const char* base_url, int timeout_s) {
  try {
    return new HttplibClient(base_url, timeout_s);
  } catch (...) {  // nothing may cross the C boundary; the loader reports nullptr
    return nullptr;
  }
}
