// sync/http_client.cpp — finds and loads kiosk-http.so (http_client.h H1-H4).
#include "http_client.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <system_error>
#include <vector>

namespace kiosk::sync {

std::vector<std::string> http_module_candidates() {
  std::vector<std::string> out;
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back((exe.parent_path() / "kiosk-http.so").string());
    out.push_back((exe.parent_path().parent_path() / "lib/roadshow-kiosk/kiosk-http.so").string());
  }
#ifdef KIOSK_HTTP_MODULE_BUILT
  out.push_back(KIOSK_HTTP_MODULE_BUILT);
#endif
  return out;
}

namespace {

struct Loaded {
  HttpOpenFn open = nullptr;
  std::string error;
};

Loaded load_module(const std::vector<std::string>& candidates) {
  Loaded l;
  for (const std::string& path : candidates) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    // RTLD_LOCAL: the module's libraries (OpenSSL, brotli) stay out of the kiosk's symbol scope.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      l.error = "cannot load the HTTP module " + path + ": " + (why ? why : "unknown dlopen error") +
                " (install libcpp-httplib0.11, or rebuild)";
      return l;
    }
    void* entry = dlsym(handle, kHttpOpenSymbol);
    if (!entry) {
      l.error = "the HTTP module " + path + " has no " + kHttpOpenSymbol + " (a module of another version; reinstall)";
      return l;  // H3: the handle stays open; nothing of it runs
    }
    l.open = reinterpret_cast<HttpOpenFn>(entry);
    return l;
  }
  l.error = "no HTTP module (kiosk-http.so) in";
  for (const std::string& c : candidates) l.error += " " + c;
  l.error += ": reinstall roadshow-kiosk, or build the kiosk_http target";
  return l;
}

std::unique_ptr<HttpClient> make_client(const Loaded& loaded, const std::string& base_url, int timeout_s,
                                        std::string* error) {
  if (!loaded.open) {
    *error = loaded.error;
    return nullptr;
  }
  std::unique_ptr<HttpClient> client(loaded.open(base_url.c_str(), timeout_s));
  if (!client) *error = "the HTTP module could not make a client for " + base_url;
  return client;
}

}  // namespace

std::unique_ptr<HttpClient> open_http_client(const std::string& base_url, int timeout_s, std::string* error) {
  static std::once_flag once;
  static Loaded loaded;  // H3: one module per process, never unloaded
  std::call_once(once, [] { loaded = load_module(http_module_candidates()); });
  return make_client(loaded, base_url, timeout_s, error);
}

std::unique_ptr<HttpClient> open_http_client_from(const std::vector<std::string>& candidates,
                                                  const std::string& base_url, int timeout_s, std::string* error) {
  return make_client(load_module(candidates), base_url, timeout_s, error);
}

}  // namespace kiosk::sync
