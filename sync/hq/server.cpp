#include "server.h"

#include "web.h"

#include <httplib.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

namespace kiosk::hq {

int serve(Library& library, const std::string& host, int port) {
  httplib::Server svr;
  std::mutex mu;
  svr.set_payload_max_length(sync::kBundleMaxBytes);
  svr.set_read_timeout(60, 0);
  svr.set_write_timeout(60, 0);
  svr.Post("/api/v1/bundles", [&](const httplib::Request& req, httplib::Response& res) {
    const Bytes body(req.body.begin(), req.body.end());
    IngestResult r;
    {
      std::lock_guard<std::mutex> lock(mu);
      r = library.ingest(body, "http");
    }
    if (r.accepted()) {
      std::fprintf(stderr, "hq: accepted %s %lld..%lld (%lld new) over http\n",
                   r.device_name.c_str(), static_cast<long long>(r.first_seq),
                   static_cast<long long>(r.last_seq), static_cast<long long>(r.new_entries));
      res.set_content(reinterpret_cast<const char*>(r.receipt.data()), r.receipt.size(),
                      "application/octet-stream");
      return;
    }
    std::fprintf(stderr, "hq: refused a bundle from %s: %s\n",
                 r.device_id.empty() ? req.remote_addr.c_str() : r.device_id.c_str(),
                 r.reason.c_str());
    res.status = r.status == IngestResult::Status::unavailable ? 503 : 422;
    res.set_content(r.reason + "\n", "text/plain; charset=utf-8");
  });
  // The kiosk's anonymous visit statistics, signed by the device (sync/README.md).
  svr.Post("/api/v1/stats", [&](const httplib::Request& req, httplib::Response& res) {
    const Bytes body(req.body.begin(), req.body.end());
    std::string why;
    std::int64_t rows = 0;
    bool ok;
    {
      std::lock_guard<std::mutex> lock(mu);
      ok = library.ingest_stats(body, &rows, &why);
    }
    if (!ok) {
      std::fprintf(stderr, "hq: refused statistics from %s: %s\n", req.remote_addr.c_str(), why.c_str());
      res.status = 422;
      res.set_content(why + "\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_content(std::to_string(rows) + " rows\n", "text/plain; charset=utf-8");
  });
  svr.Get("/api/v1/receipt", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string device = req.get_param_value("device");
    std::string why;
    std::optional<Bytes> receipt;
    {
      std::lock_guard<std::mutex> lock(mu);
      receipt = device.empty() ? std::nullopt : library.receipt(device, &why);
    }
    if (!receipt) {
      res.status = 404;
      res.set_content((device.empty() ? std::string("device= is required") : why) + "\n",
                      "text/plain; charset=utf-8");
      return;
    }
    res.set_content(reinterpret_cast<const char*>(receipt->data()), receipt->size(),
                    "application/octet-stream");
  });
  svr.Get("/api/v1/downlink", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string device = req.get_param_value("device");
    std::string why;
    std::optional<Bytes> package;
    {
      std::lock_guard<std::mutex> lock(mu);
      package = device.empty() ? std::nullopt : library.downlink_for_device(device, &why);
    }
    if (!package) {
      res.status = 404;
      res.set_content((device.empty() ? std::string("device= is required") : why) + "\n",
                      "text/plain; charset=utf-8");
      return;
    }
    res.set_content(reinterpret_cast<const char*>(package->data()), package->size(),
                    "application/octet-stream");
  });
  svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  // Headquarters staff's pages (web.h): sessions and CSRF tokens, apart from the device-signed
  // endpoints above.
  register_web(svr, library, mu);

  // SIGINT/SIGTERM stop the server from a thread that waits for them (no work in a handler).
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::atomic<bool> stopping{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&set, &sig);
    stopping = true;
    svr.stop();
  });
  auto end_stopper = [&] {
    if (!stopping.exchange(true)) pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
  };
  if (!svr.bind_to_port(host.c_str(), port)) {
    std::fprintf(stderr, "hq: cannot listen on %s:%d (in use, or not an address of this machine)\n",
                 host.c_str(), port);
    end_stopper();
    return 1;
  }
  std::printf("hq: listening on http://%s:%d\n", host.c_str(), port);
  std::fflush(stdout);
  const bool ok = svr.listen_after_bind();
  end_stopper();
  return ok ? 0 : 1;
}

}  // namespace kiosk::hq
