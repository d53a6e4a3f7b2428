// sync/hq/web_text.h — words, templates and stylesheet of headquarters' web pages (web.h).
#pragma once

#include <string>

namespace kiosk::hq::web {

// The word for `key` in "en" or "zh"; an unknown "col.x" key gives "x", any other its key.
std::string tr(const std::string& lang, const std::string& key);
bool has_word(const std::string& key);

extern const char* kLayout;       // title, body (HTML), user{name, role, csrf, nav[]}, notice, error
extern const char* kLogin;        // the sign-in form
extern const char* kHome;         // tiles[{href, value, label, warn}]
extern const char* kSearch;       // a GET search form with selects
extern const char* kTable;        // columns[], rows[{cells[{text, href}], action}], pager
extern const char* kPostButton;   // one POST button with its CSRF token
extern const char* kAccountForm;  // a new account
extern const char* kReportForm;   // year, country, language
extern const char* kCss;

}  // namespace kiosk::hq::web
