// sync/hq/server.h — `hq serve`: headquarters' HTTP endpoint for kiosks (cpp-httplib).
//
//   POST /api/v1/bundles            body: one bundle (sync/README.md); 200 + the device's signed
//                                   receipt, 4xx + one line of reason (refused, library
//                                   unchanged), 503 when the library cannot be written
//   POST /api/v1/stats              body: the kiosk's signed visit statistics; 200, or 422 + reason
//   GET  /api/v1/receipt?device=ID  200 + the device's current signed receipt, 404 if unknown
//   GET  /api/v1/downlink?device=ID 200 + headquarters' signed package for the device's tour
//   GET  /healthz                   200 "ok"
//   everything else                 headquarters staff's web pages (web.h)
// Kiosk endpoints authenticate by device signature, not by session; they are separate from
// anything headquarters staff sign in to.
//
// Contract: serve() blocks until SIGINT/SIGTERM (then returns 0) or fails to bind (returns 1
// with the reason). Requests are handled on cpp-httplib's thread pool; the Library is used under
// one mutex, so ingests are serialized.
#pragma once

#include "library.h"

#include <string>

namespace kiosk::hq {

int serve(Library& library, const std::string& host, int port);

}  // namespace kiosk::hq
