// sync/hq/web.h — headquarters' web pages, served by `hq serve` beside the kiosks' API: sign-in,
// the talent and organization libraries, the merge review queue and history, devices, events,
// accounts and the yearly report. Server-rendered HTML from mustache templates (kainjow), plain
// CSS, no JavaScript; English and Chinese.
//
// Rules
//  W1. Every page but /login and /app.css needs a session: the cookie `hq_session` (HttpOnly,
//      SameSite=Strict, Path=/, 12 h) whose SHA-256 names a live session of an active account
//      (library_web.cpp); otherwise GET answers 303 to /login and POST 403, nothing changed.
//  W2. Every POST of a signed-in page carries its session's CSRF token (hidden field `csrf`),
//      compared in constant time; a missing or wrong token answers 403 and changes nothing.
//  W3. Roles: viewer reads; editor also accepts, rejects and undoes merges; admin also manages
//      accounts. A request above the role answers 403 and changes nothing.
//  W4. The library always keeps an active admin; a new password, a lower role or a deactivation
//      ends the account's sessions (library_web.cpp).
//  W5. Every change is audited with the actor "web:<name>": merges (through Library), accounts,
//      sign-in, sign-out and failed sign-ins (without the password).
//  W6. Everything shown is escaped by the templates ({{...}}); names sit in <bdi> so Khmer,
//      Burmese and Arabic names keep their own direction inside left-to-right pages. The
//      Content-Security-Policy allows no script and nothing from another origin.
//  W7. The password check (argon2id, ~0.2 s) runs outside the library mutex, so a sign-in never
//      holds up a kiosk's upload.
//
//   GET  /login ─POST /login (name, password)─ ok ──> 303 / + cookie      wrong ──> 401 + form
//   any page without a live session ─────────────────────────────────────────────> 303 /login
//   POST without its CSRF token / above the role ────────────────────────────────> 403
#pragma once

#include "library.h"

#include <mutex>

namespace httplib {
class Server;
}

namespace kiosk::hq {

// Adds the web routes to `svr`; every use of `library` happens under `mu`.
void register_web(httplib::Server& svr, Library& library, std::mutex& mu);

}  // namespace kiosk::hq
