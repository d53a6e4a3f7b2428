// sync/http_client.h — the kiosk's HTTP client for sending to headquarters, loaded when first used.
//
// Design note:
//  H1. The kiosk does not link cpp-httplib. Its client (with OpenSSL and brotli behind it) lives
//      in the module kiosk-http.so (http_module.cpp), which open_http_client() loads on the first
//      send. Linked, those libraries cost about 10 ms before main() on every start, more than the
//      rest of the kiosk's libraries together (issue 15, start to first frame; BENCHMARKS.md).
//  H2. The module is looked for, in order, beside the executable, in ../lib/roadshow-kiosk/
//      relative to it (the Debian package: /usr/bin/kiosk, /usr/lib/roadshow-kiosk/), and at the
//      path the build wrote it to (a build tree). The first that exists is loaded; one that exists
//      but does not load, or lacks the entry point, is an error naming the file and dlerror().
//  H3. The module is never unloaded: clients it made may live until exit.
//  H4. A missing or broken module fails the send with a message that names what to install or
//      rebuild; it never touches the store (nothing is acknowledged without a receipt, K2).
//
// Contract: a client is used by one thread at a time (KioskSync's). open_http_client() is
// thread-safe; the module is loaded once per process.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::sync {

// One request's outcome: `ok` when headquarters answered (any status); otherwise `error` says why
// not in cpp-httplib's words ("Connection", "Read", ...).
struct HttpReply {
  bool ok = false;
  int status = 0;
  std::string body;
  std::string error;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpReply get(const std::string& path) = 0;
  virtual HttpReply post(const std::string& path, const void* body, std::size_t size,
                         const std::string& content_type) = 0;
};

// A client for `base_url` ("http://host:port" or "https://..."), with `timeout_s` for reads and
// writes and at most 10 s to connect. nullptr with *error set when the module cannot be loaded (H4).
std::unique_ptr<HttpClient> open_http_client(const std::string& base_url, int timeout_s, std::string* error);

// H2's candidates, in order, for this process.
std::vector<std::string> http_module_candidates();
// For tests: open_http_client() from these candidates instead of H2's, loading them anew each call.
std::unique_ptr<HttpClient> open_http_client_from(const std::vector<std::string>& candidates,
                                                  const std::string& base_url, int timeout_s, std::string* error);

// The module's entry point (H1): C linkage, so the loader finds it by name. Returns nullptr only
// when the client cannot be made (out of memory). Version 1 of this interface; a change to HttpClient changes the name.
using HttpOpenFn = HttpClient* (*)(const char* base_url, int timeout_s);
inline constexpr const char* kHttpOpenSymbol = "kiosk_http_open_v1";

}  // namespace kiosk::sync
