// sync/hq/web.cpp — headquarters' web pages (rules W1-W7 in web.h).
//
// [SECTIONS]
//   RENDERING   pages in the layout, tables, buttons
//   SESSIONS    the cookie, the CSRF check, roles
//   PAGES       sign-in, overview, libraries, review queue, history, kiosks, events, accounts
#include "web.h"

#include "report.h"
#include "web_text.h"

#include <httplib.h>
#include <kainjow/mustache.hpp>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace kiosk::hq {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;
using kainjow::mustache::mustache;
using web::tr;

constexpr const char* kCookie = "hq_session";
constexpr std::size_t kPageSize = 50;

data flag(bool b) { return data(b ? data::type::bool_true : data::type::bool_false); }

std::string render(const char* tmpl, const data& d) {
  mustache m{std::string(tmpl)};
  return m.render(d);
}

bool is_uuid(const std::string& s) {
  return s.size() == 36 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
         });
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// [SESSIONS] ---------------------------------------------------------------------------------
struct Visit {
  std::string lang = "en";
  std::optional<Library::WebSession> session;
  std::string path;  // with its query, for "back" links
};

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < header.size()) {
    const std::size_t end = std::min(header.find(';', pos), header.size());
    std::string part = header.substr(pos, end - pos);
    part.erase(0, part.find_first_not_of(' '));
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

std::string current_path(const httplib::Request& req) {
  std::string p = req.path;
  std::string q;
  for (const auto& [k, v] : req.params) q += (q.empty() ? "?" : "&") + url_encode(k) + "=" + url_encode(v);
  return p + q;
}

Visit visit(const httplib::Request& req, Library& lib, std::mutex& mu) {
  Visit v;
  v.path = current_path(req);
  {
    std::lock_guard<std::mutex> lock(mu);
    v.session = lib.web_session_find(cookie_value(req, kCookie));
  }
  const std::string chosen = cookie_value(req, "hq_lang");
  if (chosen == "en" || chosen == "zh") v.lang = chosen;
  else if (v.session) v.lang = v.session->user.lang;
  else if (req.get_header_value("Accept-Language").rfind("zh", 0) == 0) v.lang = "zh";
  return v;
}

int role_rank(const std::string& role) { return role == "admin" ? 3 : role == "editor" ? 2 : role == "viewer" ? 1 : 0; }

bool csrf_ok(const Visit& v, const httplib::Request& req) {
  if (!v.session || !req.has_param("csrf")) return false;
  const std::string& got = req.get_param_value("csrf");
  const std::string& want = v.session->csrf;
  return got.size() == want.size() && sodium_memcmp(got.data(), want.data(), want.size()) == 0;
}

void security_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self';"
                 " frame-ancestors 'none'; base-uri 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

// [RENDERING] --------------------------------------------------------------------------------
struct Page {
  Page(std::string title, std::string html) : title_key(std::move(title)), body(std::move(html)) {}
  // A page that only says why something was not done.
  static Page failure(std::string title, std::string why, int status) {
    Page p(std::move(title), "");
    p.error = std::move(why);
    p.status = status;
    return p;
  }
  std::string title_key, body, notice, error;
  int status = 200;
};

void send(httplib::Response& res, const Visit& v, const Page& p) {
  data d;
  d.set("lang", v.lang);
  d.set("app", tr(v.lang, "app"));
  d.set("title", tr(v.lang, p.title_key));
  d.set("body", p.body);
  d.set("here", url_encode(v.path));
  if (!p.notice.empty()) d.set("notice", p.notice);
  if (!p.error.empty()) d.set("error", p.error);
  if (v.session) {
    data user;
    user.set("name", v.session->user.name);
    user.set("role", tr(v.lang, "role." + v.session->user.role));
    user.set("csrf", v.session->csrf);
    user.set("signed_in_as", tr(v.lang, "signed_in_as"));
    user.set("sign_out", tr(v.lang, "sign_out"));
    list nav;
    const char* items[][2] = {{"/", "nav.home"},           {"/persons", "nav.persons"},
                              {"/organizations", "nav.organizations"}, {"/merges", "nav.merges"},
                              {"/history", "nav.history"}, {"/devices", "nav.devices"},
                              {"/events", "nav.events"},   {"/report", "nav.report"},
                              {"/accounts", "nav.accounts"}};
    for (const auto& item : items) {
      if (std::string(item[0]) == "/accounts" && v.session->user.role != "admin") continue;
      data n;
      n.set("href", item[0]);
      n.set("label", tr(v.lang, item[1]));
      const std::string href = item[0];
      n.set("current", flag(href == "/" ? v.path == "/" : v.path.rfind(href, 0) == 0));
      nav.push_back(n);
    }
    user.set("nav", nav);
    d.set("user", user);
  }
  security_headers(res);
  res.status = p.status;
  res.set_content(render(web::kLayout, d), "text/html; charset=utf-8");
}

// A library table as HTML. link(column, value) gives a cell's link ("" for none); action(row)
// gives HTML for a last column (a POST button), "" for none. Shows rows [offset, offset+limit).
struct TableView {
  std::string caption;
  std::function<std::string(const std::string&, const std::string&)> link;
  std::function<std::string(const std::vector<std::string>&)> action;
  std::size_t offset = 0, limit = 0;  // 0: all
  std::string page_url;               // with "page=" to append
  std::size_t page = 0;
};

TableView captioned(std::string caption) {
  TableView v;
  v.caption = std::move(caption);
  return v;
}

std::string table_html(const Table& t, const std::string& lang, const TableView& view = TableView()) {
  data d;
  if (!view.caption.empty()) d.set("caption", view.caption);
  d.set("none", tr(lang, "none"));
  d.set("empty", flag(t.rows.empty()));
  list columns;
  for (const auto& c : t.columns) columns.push_back(data(tr(lang, "col." + c)));
  d.set("columns", columns);
  const std::size_t first = std::min(view.offset, t.rows.size());
  const std::size_t last = view.limit ? std::min(t.rows.size(), first + view.limit) : t.rows.size();
  list rows;
  bool any_action = false;
  for (std::size_t r = first; r < last; ++r) {
    data row;
    list cells;
    for (std::size_t c = 0; c < t.columns.size() && c < t.rows[r].size(); ++c) {
      data cell;
      const std::string& value = t.rows[r][c];
      const std::string href = view.link ? view.link(t.columns[c], value) : "";
      // A record's id is a link, not something to read: its first 8 characters are enough.
      cell.set("text", !href.empty() && is_uuid(value) ? value.substr(0, 8) + "…" : value);
      if (!href.empty()) cell.set("href", href);
      cells.push_back(cell);
    }
    row.set("cells", cells);
    if (view.action) {
      const std::string a = view.action(t.rows[r]);
      any_action = true;
      row.set("action", a.empty() ? std::string(" ") : a);
    }
    rows.push_back(row);
  }
  d.set("actions", flag(any_action));
  d.set("rows", rows);
  if (view.limit) {
    d.set("count", std::to_string(t.rows.size()) + " " + tr(lang, "results"));
    data pager;
    bool show = false;
    if (view.page > 0) {
      pager.set("prev", view.page_url + std::to_string(view.page - 1));
      show = true;
    }
    if (last < t.rows.size()) {
      pager.set("next", view.page_url + std::to_string(view.page + 1));
      show = true;
    }
    pager.set("prev_label", tr(lang, "page.prev"));
    pager.set("next_label", tr(lang, "page.next"));
    if (show) d.set("pager", pager);
  }
  return render(web::kTable, d);
}

std::string post_button(const Visit& v, const std::string& action, const std::string& label,
                        bool primary = false,
                        const std::vector<std::pair<std::string, std::string>>& fields = {}) {
  data d;
  d.set("action", action);
  d.set("csrf", v.session ? v.session->csrf : "");
  d.set("label", label);
  d.set("primary", flag(primary));
  list f;
  for (const auto& [k, val] : fields) {
    data x;
    x.set("name", k);
    x.set("value", val);
    f.push_back(x);
  }
  d.set("fields", f);
  return render(web::kPostButton, d);
}

std::string entity_link(const std::string& column, const std::string& value) {
  if (!is_uuid(value)) return {};
  if (column == "person") return "/persons/" + value;
  if (column == "organization") return "/organizations/" + value;
  return {};
}

Table filter_rows(const Table& t, const std::map<std::string, std::string>& wanted) {
  Table out;
  out.columns = t.columns;
  for (const auto& row : t.rows) {
    bool keep = true;
    for (const auto& [column, value] : wanted) {
      if (value.empty()) continue;
      const auto it = std::find(t.columns.begin(), t.columns.end(), column);
      if (it != t.columns.end() && row[static_cast<std::size_t>(it - t.columns.begin())] != value) keep = false;
    }
    if (keep) out.rows.push_back(row);
  }
  return out;
}

std::size_t page_of(const httplib::Request& req) {
  const std::string p = req.get_param_value("page");
  if (p.empty() || p.size() > 6 || p.find_first_not_of("0123456789") != std::string::npos) return 0;
  return static_cast<std::size_t>(std::stoul(p));
}

std::string search_form(const Visit& v, const std::string& action, const std::string& q,
                        const std::vector<std::tuple<std::string, std::string, std::vector<std::string>, std::string>>& selects) {
  data d;
  d.set("action", action);
  d.set("q", q);
  d.set("placeholder", tr(v.lang, "search.placeholder"));
  d.set("search", tr(v.lang, "search"));
  list sel;
  for (const auto& [name, label_key, values, chosen] : selects) {
    data s;
    s.set("name", name);
    s.set("label", tr(v.lang, label_key));
    list options;
    data all;
    all.set("value", "");
    all.set("text", tr(v.lang, "filter.all"));
    options.push_back(all);
    for (const auto& value : values) {
      data o;
      o.set("value", value);
      o.set("text", value);
      o.set("selected", flag(value == chosen));
      options.push_back(o);
    }
    s.set("options", options);
    sel.push_back(s);
  }
  d.set("selects", sel);
  return render(web::kSearch, d);
}

void redirect(httplib::Response& res, const std::string& to) {
  security_headers(res);
  res.status = 303;
  res.set_header("Location", to);
}

}  // namespace

// [PAGES] --------------------------------------------------------------------------------------
void register_web(httplib::Server& svr, Library& lib, std::mutex& mu) {
  // Wraps a page handler: W1 (session), W3 (role) for GET.
  auto page = [&lib, &mu](int min_rank, auto body) {
    return [&lib, &mu, min_rank, body](const httplib::Request& req, httplib::Response& res) {
      Visit v = visit(req, lib, mu);
      if (!v.session) return redirect(res, "/login?back=" + url_encode(v.path));
      if (role_rank(v.session->user.role) < min_rank) {
        Page p = Page::failure("error.failed", tr(v.lang, "error.forbidden"), 403);
        return send(res, v, p);
      }
      body(req, res, v);
    };
  };
  // Wraps a POST handler: W1, W2 (CSRF), W3.
  auto action = [&lib, &mu](int min_rank, auto body) {
    return [&lib, &mu, min_rank, body](const httplib::Request& req, httplib::Response& res) {
      Visit v = visit(req, lib, mu);
      if (!v.session) {
        Page p = Page::failure("login.title", tr(v.lang, "login.expired"), 403);
        return send(res, v, p);
      }
      if (!csrf_ok(v, req)) {
        Page p = Page::failure("error.failed", tr(v.lang, "error.csrf"), 403);
        return send(res, v, p);
      }
      if (role_rank(v.session->user.role) < min_rank) {
        Page p = Page::failure("error.failed", tr(v.lang, "error.forbidden"), 403);
        return send(res, v, p);
      }
      body(req, res, v);
    };
  };
  const std::string actor_prefix = "web:";

  svr.Get("/app.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(web::kCss, "text/css; charset=utf-8");
  });
  svr.Get("/lang", [](const httplib::Request& req, httplib::Response& res) {
    const std::string to = req.get_param_value("to") == "zh" ? "zh" : "en";
    std::string back = req.get_param_value("back");
    if (back.empty() || back[0] != '/' || back.rfind("//", 0) == 0) back = "/";  // same site only
    res.set_header("Set-Cookie", "hq_lang=" + to + "; Path=/; Max-Age=31536000; SameSite=Strict");
    redirect(res, back);
  });

  auto login_page = [](const Visit& v, const std::string& name, const std::string& error, int status,
                       const std::string& back) {
    data d;
    d.set("back", back);
    d.set("name_label", tr(v.lang, "login.name"));
    d.set("password_label", tr(v.lang, "login.password"));
    d.set("submit", tr(v.lang, "login.submit"));
    d.set("name", name);
    return [&] { Page p("login.title", render(web::kLogin, d)); p.error = error; p.status = status; return p; }();
  };
  svr.Get("/login", [&lib, &mu, login_page](const httplib::Request& req, httplib::Response& res) {
    Visit v = visit(req, lib, mu);
    if (v.session) return redirect(res, "/");
    send(res, v, login_page(v, "", "", 200, req.get_param_value("back")));
  });
  svr.Post("/login", [&lib, &mu, login_page](const httplib::Request& req, httplib::Response& res) {
    Visit v = visit(req, lib, mu);
    const std::string name = req.get_param_value("name"), password = req.get_param_value("password");
    std::optional<Library::WebAccount> account;
    {
      std::lock_guard<std::mutex> lock(mu);
      account = name.size() <= 60 ? lib.web_account(name) : std::nullopt;
    }
    // W7: the slow check outside the mutex; an unknown name costs the same time.
    const bool right = Library::web_password_matches(account ? account->pwhash : "", password) &&
                       account && account->active;
    std::optional<Library::WebSession> session;
    std::string why;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (right) session = lib.web_session_start(account->user, &why);
      else lib.audit("web:?", "web.sign_in_failed", name.substr(0, 60), "{}");
    }
    if (!session) {
      v.session.reset();
      return send(res, v, login_page(v, name.substr(0, 60), right ? why : tr(v.lang, "login.wrong"), 401,
                                     req.get_param_value("back")));
    }
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + session->token +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                     std::to_string(Library::kWebSessionMs / 1000));
    std::string back = req.get_param_value("back");
    if (back.empty() || back[0] != '/' || back.rfind("//", 0) == 0) back = "/";
    redirect(res, back);
  });
  svr.Post("/logout", action(1, [&lib, &mu](const httplib::Request&, httplib::Response& res, const Visit& v) {
    {
      std::lock_guard<std::mutex> lock(mu);
      lib.web_session_end(v.session->token, v.session->user.name);
    }
    res.set_header("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    redirect(res, "/login");
  }));

  svr.Get("/", page(1, [&lib, &mu](const httplib::Request&, httplib::Response& res, const Visit& v) {
    std::map<std::string, std::int64_t> c;
    {
      std::lock_guard<std::mutex> lock(mu);
      c = lib.web_counts();
    }
    data d;
    list tiles;
    const char* items[][3] = {{"persons", "/persons", "home.persons"},
                              {"organizations", "/organizations", "home.organizations"},
                              {"open_merges", "/merges", "home.open_merges"},
                              {"events", "/events", "home.events"},
                              {"devices", "/devices", "home.devices"},
                              {"silent_devices", "/devices", "home.silent"}};
    for (const auto& item : items) {
      data t;
      t.set("value", std::to_string(c[item[0]]));
      t.set("href", item[1]);
      t.set("label", tr(v.lang, item[2]));
      const std::string key = item[0];
      t.set("warn", flag((key == "silent_devices" || key == "open_merges") && c[key] > 0));
      tiles.push_back(t);
    }
    d.set("tiles", tiles);
    send(res, v, Page{"home.title", render(web::kHome, d)});
  }));

  svr.Get("/persons", page(1, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const std::string q = req.get_param_value("q").substr(0, 100);
    const std::string role = req.get_param_value("role"), gender = req.get_param_value("gender");
    Table t;
    {
      std::lock_guard<std::mutex> lock(mu);
      t = lib.library_persons(q);
    }
    t = filter_rows(t, {{"role", role}, {"gender", gender}});
    TableView view;
    view.link = entity_link;
    view.page = page_of(req);
    view.offset = view.page * kPageSize;
    view.limit = kPageSize;
    view.page_url = "/persons?q=" + url_encode(q) + "&role=" + url_encode(role) + "&gender=" +
                    url_encode(gender) + "&page=";
    const std::string form = search_form(v, "/persons", q,
                                         {{"role", "filter.role", {"student", "teacher", "other"}, role},
                                          {"gender", "filter.gender", {"female", "male", "other", "unspecified"}, gender}});
    send(res, v, Page{"persons.title", form + table_html(t, v.lang, view)});
  }));

  // One person or organization as headquarters shows it (Library::Record, rules V1-V5): every
  // field with the kiosk record it came from, the kiosk records, consents, participations, merges.
  auto record_page = [&lib, &mu](const char* kind) {
    return [&lib, &mu, kind](const httplib::Request& req, httplib::Response& res, const Visit& v) {
      const std::string id = req.matches[1];
      const bool person = std::string(kind) == "person";
      Library::Record r;
      std::string why;
      Table merges;
      bool found;
      {
        std::lock_guard<std::mutex> lock(mu);
        found = person ? lib.person_record(id, &r, &why) : lib.organization_record(id, &r, &why);
        if (found) merges = lib.merges();
      }
      if (!found) return send(res, v, Page::failure(person ? "person.title" : "organization.title", why, 404));
      if (r.id != id) return redirect(res, std::string(person ? "/persons/" : "/organizations/") + r.id);
      Table fields;
      fields.columns = {"field", "value", "source_kind", "device", "version_at"};
      for (const auto& f : r.fields) fields.rows.push_back({f.field, f.value, f.entity, f.device, f.version_at});
      Table mine;
      mine.columns = merges.columns;
      const auto col = [&](const char* name) {
        return static_cast<std::size_t>(std::find(merges.columns.begin(), merges.columns.end(), name) -
                                        merges.columns.begin());
      };
      for (const auto& row : merges.rows)
        if (row[col("kind")] == kind && (row[col("into")] == id || row[col("from")] == id)) mine.rows.push_back(row);
      const std::string base = person ? "/persons/" : "/organizations/";
      TableView mv = captioned(tr(v.lang, "person.history"));
      mv.link = [base](const std::string& column, const std::string& value) {
        return (column == "into" || column == "from") && is_uuid(value) ? base + value : std::string();
      };
      std::string body = table_html(fields, v.lang, captioned(tr(v.lang, "record.fields"))) +
                         table_html(r.sources, v.lang, captioned(tr(v.lang, "person.sources")));
      if (person)
        body += table_html(r.participations, v.lang, captioned(tr(v.lang, "record.participations"))) +
                table_html(r.consents, v.lang, captioned(tr(v.lang, "record.consents")));
      body += table_html(mine, v.lang, mv);
      send(res, v, Page(person ? "person.title" : "organization.title", body));
    };
  };
  svr.Get(R"(/persons/([0-9a-f-]{36}))", page(1, record_page("person")));
  svr.Get(R"(/organizations/([0-9a-f-]{36}))", page(1, record_page("organization")));

  svr.Get("/organizations", page(1, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const std::string q = req.get_param_value("q").substr(0, 100);
    const std::string kind = req.get_param_value("kind");
    Table t;
    {
      std::lock_guard<std::mutex> lock(mu);
      t = lib.library_organizations(q);
    }
    t = filter_rows(t, {{"kind", kind}});
    TableView view;
    view.link = entity_link;
    view.page = page_of(req);
    view.offset = view.page * kPageSize;
    view.limit = kPageSize;
    view.page_url = "/organizations?q=" + url_encode(q) + "&kind=" + url_encode(kind) + "&page=";
    const std::string form = search_form(
        v, "/organizations", q,
        {{"kind", "col.kind", {"school", "university", "society", "ngo", "government", "company", "other"}, kind}});
    send(res, v, Page{"organizations.title", form + table_html(t, v.lang, view)});
  }));

  svr.Get("/merges", page(1, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    std::string state = req.get_param_value("state");
    if (state != "accepted" && state != "rejected" && state != "all") state = "open";
    Table t;
    {
      std::lock_guard<std::mutex> lock(mu);
      t = lib.merge_queue(state);
    }
    TableView view;
    view.link = [](const std::string& column, const std::string& value) {
      return column == "id" ? "/merges/" + value : entity_link(column, value);
    };
    std::string links = "<p class=\"filters\">" + tr(v.lang, "merges.state") + ":";
    for (const char* s : {"open", "accepted", "rejected", "all"})
      links += std::string(" <a href=\"/merges?state=") + s + "\"" +
               (state == s ? " aria-current=\"page\"" : "") + ">" + s + "</a>";
    links += "</p>";
    send(res, v, Page{"merges.title", links + table_html(t, v.lang, view)});
  }));

  svr.Get(R"(/merges/(\d{1,12}))", page(1, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const std::int64_t id = std::stoll(req.matches[1]);
    std::string why;
    Table evidence, queue;
    {
      std::lock_guard<std::mutex> lock(mu);
      evidence = lib.merge_show(id, &why);
      queue = lib.merge_queue("open");
    }
    if (!why.empty()) {
      Page p = Page::failure("merge.title", why, 404);
      return send(res, v, p);
    }
    bool open = false;
    for (const auto& row : queue.rows) open = open || (!row.empty() && row[0] == std::to_string(id));
    TableView ev;
    ev.caption = tr(v.lang, "merge.evidence");
    ev.link = entity_link;
    std::string body = table_html(evidence, v.lang, ev);
    if (open) {
      if (role_rank(v.session->user.role) >= 2)
        body += "<p>" + post_button(v, "/merges/" + std::to_string(id) + "/accept", tr(v.lang, "merge.accept"), true) +
                " " + post_button(v, "/merges/" + std::to_string(id) + "/reject", tr(v.lang, "merge.reject")) + "</p>";
      else
        body += "<p class=\"muted\">" + tr(v.lang, "merge.editor_only") + "</p>";
    }
    send(res, v, Page{"merge.title", body});
  }));

  auto decide = [&lib, &mu, actor_prefix](bool accept) {
    return [&lib, &mu, actor_prefix, accept](const httplib::Request& req, httplib::Response& res, const Visit& v) {
      const std::int64_t id = std::stoll(req.matches[1]);
      std::string why;
      bool ok;
      {
        std::lock_guard<std::mutex> lock(mu);
        ok = accept ? lib.merge_accept(id, actor_prefix + v.session->user.name, &why) > 0
                    : lib.merge_reject(id, actor_prefix + v.session->user.name, &why);
      }
      if (!ok) {
        Page p = Page::failure("merge.title", why, 409);
        return send(res, v, p);
      }
      redirect(res, accept ? "/history?done=accepted" : "/merges?done=rejected");
    };
  };
  svr.Post(R"(/merges/(\d{1,12})/accept)", action(2, decide(true)));
  svr.Post(R"(/merges/(\d{1,12})/reject)", action(2, decide(false)));

  svr.Get("/history", page(1, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    Table t;
    {
      std::lock_guard<std::mutex> lock(mu);
      t = lib.merges();
    }
    std::reverse(t.rows.begin(), t.rows.end());  // newest first
    TableView view;
    const auto kind_col = static_cast<std::size_t>(std::find(t.columns.begin(), t.columns.end(), "kind") - t.columns.begin());
    const bool editor = role_rank(v.session->user.role) >= 2;
    const auto undone_col = static_cast<std::size_t>(std::find(t.columns.begin(), t.columns.end(), "undone_at") - t.columns.begin());
    view.action = [&](const std::vector<std::string>& row) {
      if (!editor || undone_col >= row.size() || !row[undone_col].empty()) return std::string();
      return post_button(v, "/history/" + row[0] + "/undo", tr(v.lang, "history.undo"));
    };
    // Rows are persons or organizations: "into" and "from" link to the record of their kind.
    std::map<std::string, std::string> kind_of;
    for (const auto& row : t.rows)
      if (kind_col < row.size() && row.size() >= 5) kind_of[row[3]] = kind_of[row[4]] = row[kind_col];
    view.link = [kind_of](const std::string& column, const std::string& value) {
      if ((column != "into" && column != "from") || !is_uuid(value)) return std::string();
      const auto it = kind_of.find(value);
      return it != kind_of.end() && it->second == "person" ? "/persons/" + value : std::string();
    };
    view.page = page_of(req);
    view.offset = view.page * kPageSize;
    view.limit = kPageSize;
    view.page_url = "/history?page=";
    const std::string done = req.get_param_value("done");
    Page p("history.title", table_html(t, v.lang, view));
    if (done == "accepted") p.notice = tr(v.lang, "merge.accepted");
    if (done == "undone") p.notice = tr(v.lang, "history.undone");
    send(res, v, p);
  }));
  svr.Post(R"(/history/(\d{1,12})/undo)", action(2, [&lib, &mu, actor_prefix](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    std::string why;
    bool ok;
    {
      std::lock_guard<std::mutex> lock(mu);
      ok = lib.merge_undo(std::stoll(req.matches[1]), actor_prefix + v.session->user.name, &why);
    }
    if (!ok) {
      Page p = Page::failure("history.title", why, 409);
      return send(res, v, p);
    }
    redirect(res, "/history?done=undone");
  }));

  svr.Get("/devices", page(1, [&lib, &mu](const httplib::Request&, httplib::Response& res, const Visit& v) {
    Table devices, gaps;
    {
      std::lock_guard<std::mutex> lock(mu);
      devices = lib.devices();
      gaps = lib.gaps();
    }
    // A column saying which kiosks have been silent for a week (or never sent).
    const auto last_col = static_cast<std::size_t>(std::find(devices.columns.begin(), devices.columns.end(), "last_bundle") - devices.columns.begin());
    const std::time_t week_ago = std::time(nullptr) - 7 * 24 * 3600;
    char cutoff[32];
    std::tm tm{};
    gmtime_r(&week_ago, &tm);
    std::strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%S", &tm);
    devices.columns.push_back(tr(v.lang, "devices.silent"));
    for (auto& row : devices.rows)
      row.push_back(last_col < row.size() && row[last_col] >= cutoff ? "" : "⚠");
    send(res, v, Page{"devices.title", table_html(devices, v.lang) +
                                           table_html(gaps, v.lang, captioned(tr(v.lang, "devices.gaps")))});
  }));

  svr.Get("/events", page(1, [&lib, &mu](const httplib::Request&, httplib::Response& res, const Visit& v) {
    Table t;
    std::string why;
    bool ok;
    {
      std::lock_guard<std::mutex> lock(mu);
      ok = lib.events_by_activity(&t, &why);
    }
    if (!ok) return send(res, v, Page::failure("events.title", why, 503));
    send(res, v, Page{"events.title", table_html(t, v.lang)});
  }));

  svr.Get("/accounts", page(3, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    Table t;
    {
      std::lock_guard<std::mutex> lock(mu);
      t = lib.web_users();
    }
    TableView view;
    view.action = [&](const std::vector<std::string>& row) {
      std::string html;
      for (const char* role : {"viewer", "editor", "admin"})
        if (row[1] != role)
          html += post_button(v, "/accounts/role", tr(v.lang, "accounts.make") + " " + tr(v.lang, std::string("role.") + role),
                              false, {{"name", row[0]}, {"role", role}}) + " ";
      const bool active = row[3] == "active";
      html += post_button(v, "/accounts/active", tr(v.lang, active ? "accounts.deactivate" : "accounts.activate"), false,
                          {{"name", row[0]}, {"active", active ? "0" : "1"}});
      return html;
    };
    data f;
    f.set("csrf", v.session->csrf);
    f.set("title", tr(v.lang, "accounts.add"));
    f.set("name_label", tr(v.lang, "login.name"));
    f.set("password_label", tr(v.lang, "login.password"));
    f.set("role_label", tr(v.lang, "accounts.role"));
    f.set("save", tr(v.lang, "accounts.save"));
    list roles;
    for (const char* role : {"viewer", "editor", "admin"}) {
      data r;
      r.set("value", role);
      r.set("text", tr(v.lang, std::string("role.") + role));
      roles.push_back(r);
    }
    f.set("roles", roles);
    Page p("accounts.title", table_html(t, v.lang, view) + render(web::kAccountForm, f));
    const std::string done = req.get_param_value("done"), error = req.get_param_value("error");
    if (done == "1") p.notice = tr(v.lang, "accounts.saved");
    send(res, v, p);
  }));
  auto account_change = [&lib, &mu, actor_prefix](const char* field) {
    return [&lib, &mu, actor_prefix, field](const httplib::Request& req, httplib::Response& res, const Visit& v) {
      std::string why;
      bool ok;
      const std::string value = req.get_param_value(std::string(field) == "role" ? "role" : "active");
      {
        std::lock_guard<std::mutex> lock(mu);
        ok = lib.web_user_change(req.get_param_value("name"), field, value, actor_prefix + v.session->user.name, &why);
      }
      if (!ok) {
        Page p = Page::failure("accounts.title", why, 409);
        return send(res, v, p);
      }
      redirect(res, "/accounts?done=1");
    };
  };
  svr.Post("/accounts/role", action(3, account_change("role")));
  svr.Post("/accounts/active", action(3, account_change("active")));
  svr.Post("/accounts", action(3, [&lib, &mu, actor_prefix](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    std::string why;
    // The password is hashed (~0.2 s) inside web_user_add: hold the mutex only for the writes.
    bool ok;
    {
      std::lock_guard<std::mutex> lock(mu);
      ok = lib.web_user_add(req.get_param_value("name"), req.get_param_value("password"),
                            req.get_param_value("role"), actor_prefix + v.session->user.name, &why);
    }
    if (!ok) {
      Page p = Page::failure("accounts.title", why, 409);
      return send(res, v, p);
    }
    redirect(res, "/accounts?done=1");
  }));


  svr.Get("/report", page(1, [](const httplib::Request&, httplib::Response& res, const Visit& v) {
    data d;
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    d.set("year", std::to_string(1900 + tm.tm_year));
    d.set("year_label", tr(v.lang, "report.year"));
    d.set("country_label", tr(v.lang, "report.country"));
    d.set("lang_label", tr(v.lang, "report.lang"));
    d.set("make", tr(v.lang, "report.make"));
    d.set("format_label", tr(v.lang, "report.format"));
    d.set("format_html", tr(v.lang, "report.format.html"));
    d.set("format_sql", tr(v.lang, "report.format.sql"));
    d.set("zh", flag(v.lang == "zh"));
    send(res, v, Page{"report.title", render(web::kReportForm, d)});
  }));
  // The report for ?year=&country=&lang=, as the page to read and print (format=html, the
  // default), the workbook (xlsx) or the queries behind every table (sql).
  svr.Get("/report/view", page(1, [&lib, &mu](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    ReportOptions o;
    const std::string year = req.get_param_value("year");
    if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos)
      return send(res, v, Page::failure("report.title", tr(v.lang, "report.year") + ": '" + year.substr(0, 10) + "'", 400));
    o.year = std::stoi(year);
    o.country = req.get_param_value("country").substr(0, 10);
    for (auto& c : o.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    o.lang = req.get_param_value("lang") == "zh" ? "zh" : "en";
    const std::string format = req.get_param_value("format");
    std::string why, body, type = "text/html; charset=utf-8", file;
    bool ok = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (format == "xlsx" || format == "sql") {
        const auto report = build_report(lib, o, &why);
        if (report && format == "sql") {
          body = report_queries(*report);
          ok = true;
          type = "text/plain; charset=utf-8";
          file = "queries-" + year + ".sql";
        } else if (report) {
          const auto tmp = std::filesystem::temp_directory_path() /
                           ("hq-report-" + std::to_string(::getpid()) + "-" + std::to_string(randombytes_random()) + ".xlsx");
          ok = write_report_xlsx(*report, tmp.string(), &why);
          if (ok) {
            std::ifstream in(tmp, std::ios::binary);
            body.assign(std::istreambuf_iterator<char>(in), {});
          }
          std::error_code ec;
          std::filesystem::remove(tmp, ec);
          type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
          file = "report-" + year + (o.country.empty() ? "" : "-" + o.country) + ".xlsx";
        }
      } else {
        body = report_html(lib, o, &why);
        ok = !body.empty();
      }
    }
    if (!ok) return send(res, v, Page::failure("report.title", why, 400));
    // The report is a document of its own (inline styles and SVG): a policy for it alone.
    res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "no-store");
    if (!file.empty()) res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    res.set_content(body, type);
  }));
}

}  // namespace kiosk::hq
