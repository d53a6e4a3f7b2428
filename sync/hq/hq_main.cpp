// hq — headquarters: the library of everything kiosks send, and the endpoint they send it to.
// Every command prints --help; exit 0 on success, 1 with a one-line reason otherwise, 2 for a
// usage error. The library directory is given once, before the command: hq --library DIR CMD.
#include "check.h"
#include "library.h"
#include "report.h"
#include "server.h"

#include "unicode/unicode.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

using kiosk::hq::Library;
using kiosk::hq::Table;

const char* kUsage =
    "usage: hq init DIR\n"
    "       hq --library DIR COMMAND [options]\n"
    "commands:\n"
    "  enroll --device NAME --tour TOUR --out FILE [--url URL]   a kiosk's enrollment file\n"
    "  revoke --device NAME           refuse every later bundle of that device\n"
    "  serve --listen HOST:PORT       receive bundles over HTTP (e.g. 127.0.0.1:8080)\n"
    "  import FILE... [--receipts DIR]   ingest bundles from a USB stick; writes receipts\n"
    "  receipt --device NAME --out FILE  the device's current signed receipt\n"
    "  downlink --tour TOUR --out FILE [--device NAME] [--set KEY=VALUE,...]   package for kiosks\n"
    "  devices | gaps                 devices and their marks | missing ranges per device\n"
    "  persons | organizations [--search TEXT] [--sources] [--id ID]   the libraries\n"
    "  events                         events with their participants per activity\n"
    "  merge list|show|accept|reject|undo|history   the review queue and merges\n"
    "  staff add|list|pin|role|deactivate|activate   a tour's staff accounts (sent sealed)\n"
    "  user add|list|password|role|deactivate|activate   headquarters' web accounts\n"
    "  report --year YYYY --out FOLDER [--country CC] [--lang en|zh]   the yearly report\n"
    "  backup open FILE --out STORE.sqlite3   decrypt a kiosk's backup for `kiosk --restore`\n"
    "  pack build DIR --out FILE [--tour TOUR]   a content pack file for kiosks, signed\n"
    "  (listings take --format table|csv|json; every command takes --help)\n";

const std::map<std::string, std::string> kHelp = {
    {"init", "usage: hq init DIR\n  Creates DIR with an empty library (library.sqlite3) and\n"
             "  headquarters' keys (keys/sign.secret Ed25519, keys/box.secret X25519; mode 0600).\n"},
    {"enroll", "usage: hq --library DIR enroll --device NAME --tour TOUR --out FILE [--url URL]\n"
               "  Registers a kiosk and writes its enrollment file (device id, headquarters'\n"
               "  public keys, tour, a one-time secret). Load it with `kiosk --enroll FILE`.\n"},
    {"revoke", "usage: hq --library DIR revoke --device NAME\n"
               "  Refuses every later bundle from that device (records already held stay).\n"},
    {"serve", "usage: hq --library DIR serve --listen HOST:PORT\n"
              "  POST /api/v1/bundles, GET /api/v1/receipt?device=ID, GET /healthz.\n"},
    {"import", "usage: hq --library DIR import FILE... [--receipts DIR]\n"
               "  Ingests bundle files (a folder means every *.rkb in it, and the kiosks'\n"
               "  visit statistics *.rks), each in one\n"
               "  transaction; writes receipt-<device>.rkr for each device into --receipts\n"
               "  (default: the folder of the first file, i.e. the USB stick).\n"
               "  Exit 1 if any file was refused (the others are still ingested).\n"},
    {"receipt", "usage: hq --library DIR receipt --device NAME --out FILE\n"},
    {"backup", "usage: hq --library DIR backup open FILE --out STORE.sqlite3\n"
               "  Verifies a kiosk backup (*.rka, from `kiosk --backup`) with the device's key and\n"
               "  decrypts it with headquarters' key into STORE.sqlite3 (mode 0600, never over a\n"
               "  file). Restore it on a kiosk with `kiosk --restore STORE.sqlite3 --data-dir NEW`.\n"},
    {"report", kiosk::hq::kReportHelp},
    {"downlink", "usage: hq --library DIR downlink --tour TOUR --out FILE [--device NAME]\n"
                 "                [--set KEY=VALUE,...]\n"
                 "  Writes headquarters' signed package for the kiosks of TOUR (or one device):\n"
                 "  the organization library and the map of merged kiosk organizations onto it,\n"
                 "  the tour's events, its kiosk settings and its staff accounts (sealed to each\n"
                 "  kiosk that has sent at least once; see hq staff --help). Kiosks\n"
                 "  load it from a USB stick (kiosk --import-downlink FILE) or fetch it after\n"
                 "  Send now. --set saves settings for the tour first: staff.lang=km,\n"
                 "  staff.lock_s=600 (60-3600), kiosk.visitor_reset_s=90 (30-600).\n"},
    {"pack", "usage: hq --library DIR pack build PACKDIR --out FILE [--tour TOUR]\n"
             "  Checks the content pack in PACKDIR with the same checker as `kiosk-content check`\n"
             "  (any error: nothing written), then writes one file with a manifest (pack id,\n"
             "  version = build time, languages, exhibits, the hash of every file) signed with\n"
             "  headquarters' key (sync/pack_file.h). Kiosks install it from a USB stick (the\n"
             "  Content screen, or kiosk --install-pack FILE). --tour: only kiosks enrolled for\n"
             "  that tour take it.\n"},
    {"devices", "usage: hq --library DIR devices [--format table|csv|json]\n"},
    {"gaps", "usage: hq --library DIR gaps [--format table|csv|json]\n"
             "  Missing sequence ranges per device and incarnation (empty: nothing missing).\n"},
    {"persons", "usage: hq --library DIR persons [--search TEXT] [--sources]\n"
                "                [--format table|csv|json]\n"
                "       hq --library DIR persons --id ID [--section NAME] [--format table|csv|json]\n"
                "  The talent library: one row per canonical person (kiosk records merged into\n"
                "  one), how many kiosk records (sources) it joins and its newest version time.\n"
                "  Each field is the newest non-empty value among its kiosk records (rule V1,\n"
                "  sync/hq/library_records.cpp); the CSV and JSON exports add organization,\n"
                "  grade, interests, consent.* (text version, language shown, SHA-256 of the text,\n"
                "  signed at) and one extra.<id> column per tour field found.\n"
                "  --sources lists the kiosk records themselves, one row each.\n"
                "  --id ID shows one person (ID: a person id, or the id of one of its kiosk\n"
                "  records): every field with the kiosk record, kiosk and time it came from, its\n"
                "  kiosk records, consents and participations (one row per event and activity).\n"
                "  --section fields|sources|consents|participations shows one part only; CSV\n"
                "  shows one part (fields unless --section says another).\n"},
    {"organizations", "usage: hq --library DIR organizations [--search TEXT] [--sources]\n"
                      "                [--format table|csv|json]\n"
                      "       hq --library DIR organizations --id ID [--section fields|sources]\n"
                      "  The organization library (canonical, each field the newest non-empty value\n"
                      "  of its kiosk records), or --sources: the kiosk records. --id ID shows one\n"
                      "  organization's fields with the kiosk record each came from.\n"},
    {"events", "usage: hq --library DIR events [--format table|csv|json]\n"
               "  Every event the kiosks sent (or that attendances name before it arrived), one\n"
               "  row per activity with its participants, and a row (all) per event. A person\n"
               "  merged from several kiosk records counts once; voided kiosk records not at all.\n"},
    {"staff", "usage: hq --library DIR staff add --tour TOUR --name NAME --role staff|supervisor\n"
              "       hq --library DIR staff list [--tour TOUR]\n"
              "       hq --library DIR staff pin --tour TOUR NAME\n"
              "       hq --library DIR staff role --tour TOUR NAME --role staff|supervisor\n"
              "       hq --library DIR staff deactivate|activate --tour TOUR NAME\n"
              "  Staff accounts for every kiosk of a tour. The PIN (4 to 8 digits) is read from\n"
              "  standard input, e.g. `echo 2468 | hq --library L staff add ...`, and kept only as\n"
              "  an argon2id hash. The next downlink carries the tour's accounts sealed to each\n"
              "  kiosk that has sent at least once, so a USB stick never shows names or hashes.\n"
              "  Nothing is deleted: deactivate, and the kiosks deactivate the account too.\n"},
    {"user", "usage: hq --library DIR user add --name NAME --role viewer|editor|admin\n"
             "       hq --library DIR user list\n"
             "       hq --library DIR user password NAME\n"
             "       hq --library DIR user role NAME --role viewer|editor|admin\n"
             "       hq --library DIR user deactivate|activate NAME\n"
             "  Accounts of headquarters staff for the web pages of `hq serve` (sign in at\n"
             "  http://HOST:PORT/). The password (10 to 200 characters) is read from standard\n"
             "  input and kept only as an argon2id hash. viewer reads; editor also decides\n"
             "  merges; admin also manages accounts. The library always keeps an active admin.\n"},
    {"merge", "usage: hq --library DIR merge list [--state open|accepted|rejected|all]\n"
              "       hq --library DIR merge show CANDIDATE      the evidence side by side\n"
              "       hq --library DIR merge accept CANDIDATE [--actor NAME]\n"
              "       hq --library DIR merge reject CANDIDATE [--actor NAME]\n"
              "       hq --library DIR merge undo MERGE [--actor NAME]\n"
              "       hq --library DIR merge history            every merge (exact and reviewed)\n"
              "  Exact matches (same name in Latin letters, birth and organization) merge on\n"
              "  ingest; near matches wait here. A merge never moves or deletes a kiosk record;\n"
              "  undo separates the two again.\n"},
};

int fail(const std::string& why) {
  std::fprintf(stderr, "hq: %s\n", why.c_str());
  return 1;
}

std::size_t width(const std::string& s) {
  return kiosk::unicode::count_code_points(s);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

int print_table(const Table& t, const std::string& format) {
  if (format == "csv") {
    std::fputs(kiosk::hq::table_csv(t).c_str(), stdout);  // formula cells escaped (report.h E5)
  } else if (format == "json") {
    std::printf("%s\n", kiosk::hq::table_json(t).c_str());
  } else if (format == "table") {
    std::vector<std::size_t> w(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c) w[c] = width(t.columns[c]);
    for (const auto& row : t.rows)
      for (std::size_t c = 0; c < row.size(); ++c) w[c] = std::max(w[c], width(row[c]));
    auto line = [&](const std::vector<std::string>& cells) {
      std::string out;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        out += cells[c];
        if (c + 1 < cells.size()) out += std::string(w[c] - width(cells[c]) + 2, ' ');
      }
      std::printf("%s\n", out.c_str());
    };
    line(t.columns);
    for (const auto& row : t.rows) line(row);
    if (t.rows.empty()) std::printf("(none)\n");
  } else {
    return fail("--format must be table, csv or json");
  }
  return 0;
}

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  bool help = false;
};

// Options that take a value; everything else starting with -- is unknown.
bool parse_args(int argc, char** argv, int from, Args* a, std::string* why) {
  static const char* kValued[] = {"--device", "--tour", "--out", "--url", "--listen",
                                  "--receipts", "--format", "--search", "--id", "--state", "--actor",
                                  "--section",
                                  "--set", "--name", "--role",
                                  "--year", "--country", "--lang", "--target-people",
                                  "--target-organizations"};
  for (int i = from; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a->help = true;
      continue;
    }
    if (s == "--sources") {
      a->options[s] = "1";
      continue;
    }
    if (s.rfind("--", 0) == 0) {
      bool known = false;
      for (const char* k : kValued) known = known || s == k;
      if (!known) {
        *why = "unknown option '" + s + "'";
        return false;
      }
      if (i + 1 >= argc) {
        *why = s + " needs a value";
        return false;
      }
      a->options[s] = argv[++i];
      continue;
    }
    a->positional.push_back(s);
  }
  return true;
}

int run_import(Library& lib, const Args& a) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& p : a.positional) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.path().extension() == ".rkb" || e.path().extension() == ".rks") found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  if (files.empty()) return fail("import: no bundle files given (see hq import --help)");
  std::string receipts = a.options.count("--receipts") ? a.options.at("--receipts") : "";
  if (receipts.empty()) {
    const fs::path first(a.positional.front());
    std::error_code ec;
    receipts = fs::is_directory(first, ec) ? first.string()
                                           : (first.has_parent_path() ? first.parent_path().string() : ".");
  }
  int refused = 0;
  std::map<std::string, std::string> devices;  // id -> name
  for (const auto& f : files) {
    std::string why;
    const auto bytes = kiosk::sync::read_file(f, kiosk::sync::kBundleMaxBytes, &why);
    if (!bytes) {
      std::fprintf(stderr, "hq: %s\n", why.c_str());
      ++refused;
      continue;
    }
    if (fs::path(f).extension() == ".rks") {  // a kiosk's visit statistics
      std::int64_t rows = 0;
      if (!lib.ingest_stats(*bytes, &rows, &why)) {
        std::fprintf(stderr, "hq: %s: refused: %s\n", f.c_str(), why.c_str());
        ++refused;
      } else {
        std::printf("%s: visit statistics, %lld rows\n", f.c_str(), static_cast<long long>(rows));
      }
      continue;
    }
    const auto r = lib.ingest(*bytes, "file");
    if (!r.accepted()) {
      std::fprintf(stderr, "hq: %s: refused: %s\n", f.c_str(), r.reason.c_str());
      ++refused;
      continue;
    }
    devices[r.device_id] = r.device_name;
    std::printf("%s: %s seq %lld..%lld, %lld new\n", f.c_str(), r.device_name.c_str(),
                static_cast<long long>(r.first_seq), static_cast<long long>(r.last_seq),
                static_cast<long long>(r.new_entries));
  }
  for (const auto& [id, name] : devices) {
    std::string why;
    const auto receipt = lib.receipt(id, &why);
    const std::string path = (fs::path(receipts) / ("receipt-" + id + ".rkr")).string();
    if (!receipt || !kiosk::sync::write_file_durably(path, receipt->data(), receipt->size(), 0644, &why)) {
      std::fprintf(stderr, "hq: cannot write the receipt for %s: %s\n", name.c_str(), why.c_str());
      ++refused;
      continue;
    }
    std::printf("receipt for %s: %s\n", name.c_str(), path.c_str());
  }
  if (refused) {
    std::fprintf(stderr, "hq: %d of %zu files refused or failed\n", refused, files.size());
    return 1;
  }
  return 0;
}

int run_merge(Library& lib, const Args& a, const std::string& format) {
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  const std::string actor = a.options.count("--actor") ? a.options.at("--actor") : "hq-cli";
  auto number = [&](std::int64_t* out) {
    if (a.positional.size() != 2) return false;
    char* end = nullptr;
    *out = std::strtoll(a.positional[1].c_str(), &end, 10);
    return end && *end == '\0' && *out > 0;
  };
  std::string why;
  std::int64_t id = 0;
  if (sub == "list")
    return print_table(lib.merge_queue(a.options.count("--state") ? a.options.at("--state") : "open"), format);
  if (sub == "history") return print_table(lib.merges(), format);
  if (sub == "show") {
    if (!number(&id)) return fail("merge show needs a candidate number (see hq merge list)");
    const Table t = lib.merge_show(id, &why);
    if (!why.empty()) return fail(why);
    return print_table(t, format);
  }
  if (sub == "accept") {
    if (!number(&id)) return fail("merge accept needs a candidate number (see hq merge list)");
    const auto m = lib.merge_accept(id, actor, &why);
    if (m <= 0) return fail(why);
    std::printf("merged (merge %lld; undo with: hq merge undo %lld)\n", static_cast<long long>(m),
                static_cast<long long>(m));
    return 0;
  }
  if (sub == "reject") {
    if (!number(&id)) return fail("merge reject needs a candidate number (see hq merge list)");
    if (!lib.merge_reject(id, actor, &why)) return fail(why);
    std::printf("rejected candidate %lld\n", static_cast<long long>(id));
    return 0;
  }
  if (sub == "undo") {
    if (!number(&id)) return fail("merge undo needs a merge number (see hq merge history)");
    if (!lib.merge_undo(id, actor, &why)) return fail(why);
    std::printf("undid merge %lld; both records are separate again\n", static_cast<long long>(id));
    return 0;
  }
  return fail("merge needs list, show, accept, reject, undo or history (see hq merge --help)");
}

// `hq persons|organizations --id ID`: one record's fields with their provenance (rule V1-V2 in
// library_records.cpp), then its kiosk records, consents and participations; or one --section.
int print_record(Library& lib, const std::string& cmd, const std::string& id,
                 const std::string& section, const std::string& format) {
  const bool person = cmd == "persons";
  Library::Record r;
  std::string why;
  if (!(person ? lib.person_record(id, &r, &why) : lib.organization_record(id, &r, &why)))
    return fail(why);
  Table fields;
  fields.columns = {"field", "value", "from", "record", "kiosk", "version_at"};
  for (const auto& f : r.fields)
    fields.rows.push_back({f.field, f.value, f.entity, f.source_id, f.device, f.version_at});
  const std::vector<std::pair<std::string, const Table*>> parts =
      person ? std::vector<std::pair<std::string, const Table*>>{{"fields", &fields},
                                                                 {"sources", &r.sources},
                                                                 {"consents", &r.consents},
                                                                 {"participations", &r.participations}}
             : std::vector<std::pair<std::string, const Table*>>{{"fields", &fields},
                                                                 {"sources", &r.sources}};
  std::string wanted = section;
  if (wanted.empty() && format == "csv") wanted = "fields";  // one CSV holds one table
  if (!wanted.empty()) {
    for (const auto& [name, table] : parts)
      if (name == wanted) return print_table(*table, format);
    std::string names;
    for (const auto& [name, table] : parts) names += (names.empty() ? "" : "|") + name;
    return fail("--section must be " + names);
  }
  if (format == "json") {
    std::fputs(kiosk::hq::record_json(r).c_str(), stdout);
    return 0;
  }
  if (format != "table") return fail("--format must be table, csv or json");
  const char* noun = person ? "Person" : "Organization";
  std::printf("%s %s", noun, r.id.c_str());
  if (!r.asked.empty()) std::printf("  (you asked for %s, which is part of it)", r.asked.c_str());
  std::printf("\n\nFields: each the newest non-empty value among its %zu kiosk record%s, and the\n"
              "record it came from (rule V1)\n",
              r.sources.rows.size(), r.sources.rows.size() == 1 ? "" : "s");
  print_table(fields, format);
  const std::map<std::string, std::string> headings = {
      {"sources", "Kiosk records (newest version first)"},
      {"consents", "Consents (what was signed; the signature stays in the library)"},
      {"participations", "Participations (one row per event and activity)"}};
  for (std::size_t p = 1; p < parts.size(); ++p) {
    std::printf("\n%s\n", headings.at(parts[p].first).c_str());
    print_table(*parts[p].second, format);
  }
  return 0;
}

Table without_column(Table t, const std::string& name) {
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (t.columns[c] != name) continue;
    t.columns.erase(t.columns.begin() + static_cast<std::ptrdiff_t>(c));
    for (auto& row : t.rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(c));
    break;
  }
  return t;
}

// A PIN or password from standard input (one line), so it never shows in the shell history or
// `ps`.
bool read_secret(std::string* out) {
  char buf[256] = {};
  if (!std::fgets(buf, sizeof buf, stdin)) return false;
  *out = buf;
  while (!out->empty() && (out->back() == '\n' || out->back() == '\r')) out->pop_back();
  return true;
}

int run_user(Library& lib, const Args& a, const std::string& format) {
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  auto opt = [&](const char* k) { return a.options.count(k) ? a.options.at(k) : std::string(); };
  std::string why, password;
  if (sub == "list") return print_table(lib.web_users(), format);
  if (sub == "add") {
    if (opt("--name").empty() || opt("--role").empty())
      return fail("user add needs --name NAME --role viewer|editor|admin (password on stdin)");
    if (!read_secret(&password)) return fail("user add: type the password on standard input");
    if (!lib.web_user_add(opt("--name"), password, opt("--role"), "hq-cli", &why)) return fail("user add: " + why);
    std::printf("added %s (%s)\n", opt("--name").c_str(), opt("--role").c_str());
    return 0;
  }
  if (sub != "password" && sub != "role" && sub != "deactivate" && sub != "activate")
    return fail("user needs add, list, password, role, deactivate or activate (see hq user --help)");
  if (a.positional.size() != 2) return fail("user " + sub + " needs one account name");
  std::string field = "active", value = sub == "activate" ? "1" : "0";
  if (sub == "password") {
    if (!read_secret(&password)) return fail("user password: type the new password on standard input");
    field = "password";
    value = password;
  } else if (sub == "role") {
    field = "role";
    value = opt("--role");
  }
  if (!lib.web_user_change(a.positional[1], field, value, "hq-cli", &why)) return fail("user " + sub + ": " + why);
  std::printf("%s: %s done\n", a.positional[1].c_str(), sub.c_str());
  return 0;
}

int run_backup(Library& lib, const Args& a) {
  namespace fs = std::filesystem;
  const std::string out = a.options.count("--out") ? a.options.at("--out") : "";
  if (a.positional.size() != 2 || a.positional[0] != "open" || out.empty())
    return fail("backup needs: open FILE --out STORE.sqlite3 (see hq backup --help)");
  std::error_code ec;
  if (fs::exists(out, ec)) return fail("backup open: " + out + " already exists; choose a new file");
  std::string why, note;
  const auto file = kiosk::sync::read_file(a.positional[1], kiosk::sync::kBackupMaxBytes + 4096, &why);
  if (!file) return fail("backup open: " + why);
  const auto store = lib.open_backup(*file, &note, &why);
  if (!store) return fail("backup open: " + a.positional[1] + ": " + why);
  if (!kiosk::sync::write_file_durably(out, reinterpret_cast<const std::uint8_t*>(store->data()), store->size(), 0600, &why))
    return fail("backup open: " + why);
  if (!note.empty()) std::printf("note: %s\n", note.c_str());
  std::printf("wrote %s (%zu bytes): restore it with kiosk --restore %s --data-dir NEW\n", out.c_str(), store->size(),
              out.c_str());
  return 0;
}

int run_staff(Library& lib, const Args& a, const std::string& format) {
  const std::string sub = a.positional.empty() ? "" : a.positional[0];
  auto opt = [&](const char* k) { return a.options.count(k) ? a.options.at(k) : std::string(); };
  const std::string tour = opt("--tour");
  std::string why, pin;
  if (sub == "list") return print_table(lib.staff_list(tour), format);
  if (sub == "add") {
    if (tour.empty() || opt("--name").empty() || opt("--role").empty())
      return fail("staff add needs --tour TOUR --name NAME --role staff|supervisor (PIN on stdin)");
    if (!read_secret(&pin)) return fail("staff add: type the PIN on standard input");
    const std::string id = lib.staff_add(tour, opt("--name"), opt("--role"), pin, &why);
    if (id.empty()) return fail("staff add: " + why);
    std::printf("added %s (%s) to tour %s: %s\n", opt("--name").c_str(), opt("--role").c_str(),
                tour.c_str(), id.c_str());
    return 0;
  }
  if (sub != "pin" && sub != "role" && sub != "deactivate" && sub != "activate")
    return fail("staff needs add, list, pin, role, deactivate or activate (see hq staff --help)");
  if (tour.empty() || a.positional.size() != 2)
    return fail("staff " + sub + " needs --tour TOUR and one account name or id");
  std::string field = "active", value = sub == "activate" ? "1" : "0";
  if (sub == "pin") {
    if (!read_secret(&pin)) return fail("staff pin: type the new PIN on standard input");
    field = "pin";
    value = pin;
  } else if (sub == "role") {
    field = "role";
    value = opt("--role");
  }
  if (!lib.staff_change(tour, a.positional[1], field, value, &why)) return fail("staff " + sub + ": " + why);
  std::printf("%s: %s done; the next downlink brings it to the kiosks of %s\n",
              a.positional[1].c_str(), sub.c_str(), tour.c_str());
  return 0;
}

}  // namespace

// `hq pack build PACKDIR --out FILE [--tour TOUR]`: the checker first, then the signed file.
int run_pack(const Library& lib, const Args& a) {
  if (a.positional.size() != 2 || a.positional[0] != "build" || !a.options.count("--out"))
    return fail("pack needs: build PACKDIR --out FILE [--tour TOUR]");
  const std::string folder = a.positional[1];
  const kiosk::content::CheckReport report = kiosk::content::check_pack(folder);
  for (const auto& f : report.findings) std::fprintf(stderr, "%s\n", f.text().c_str());
  if (report.errors() > 0) return fail("the checker refused the pack (" + report.summary() + "); nothing written");
  std::string tree_root, why;
  auto d = kiosk::sync::describe_pack_folder(folder, &tree_root, &why);
  if (!d) return fail(why);
  d->tour = a.options.count("--tour") ? a.options.at("--tour") : "";
  d->version = static_cast<std::int64_t>(std::time(nullptr));
  if (!lib.write_content_pack(*d, tree_root, a.options.at("--out"), &why)) return fail(why);
  std::printf("wrote %s: pack %s, version %lld, %zu languages, %zu exhibits, %zu files, %llu bytes\n",
              a.options.at("--out").c_str(), d->pack_id.c_str(), static_cast<long long>(d->version),
              d->languages.size(), d->exhibits.size(), d->files.size(),
              static_cast<unsigned long long>(d->total_bytes()));
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string library_dir;
  int i = 1;
  if (std::string(argv[1]) == "--library") {
    if (argc < 3) return fail("--library needs a folder");
    library_dir = argv[2];
    i = 3;
  }
  if (i >= argc) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = argv[i];
  Args a;
  std::string why;
  if (!parse_args(argc, argv, i + 1, &a, &why)) {
    std::fprintf(stderr, "hq %s: %s\n%s", cmd.c_str(), why.c_str(),
                 kHelp.count(cmd) ? kHelp.at(cmd).c_str() : kUsage);
    return 2;
  }
  if (!kHelp.count(cmd)) {
    std::fprintf(stderr, "hq: unknown command '%s'\n%s", cmd.c_str(), kUsage);
    return 2;
  }
  if (a.help) {
    std::fputs(kHelp.at(cmd).c_str(), stdout);
    return 0;
  }
  auto opt = [&](const char* k) { return a.options.count(k) ? a.options.at(k) : std::string(); };
  if (cmd == "init") {
    if (a.positional.size() != 1) return fail("init needs exactly one folder (hq init DIR)");
    if (!Library::init(a.positional[0], &why)) return fail(why);
    std::printf("created the library in %s\n", a.positional[0].c_str());
    return 0;
  }
  if (library_dir.empty()) return fail(cmd + " needs --library DIR before the command");
  auto lib = Library::open(library_dir, &why);
  if (!lib) return fail(why);
  const std::string format = a.options.count("--format") ? opt("--format") : "table";
  if (cmd == "enroll") {
    if (opt("--device").empty() || opt("--tour").empty() || opt("--out").empty())
      return fail("enroll needs --device NAME --tour TOUR --out FILE");
    const auto e = lib->enroll(opt("--device"), opt("--tour"), opt("--url"), &why);
    if (!e) return fail(why);
    const std::string text = kiosk::sync::enrollment_text(*e);
    if (!kiosk::sync::write_file_durably(opt("--out"), reinterpret_cast<const std::uint8_t*>(text.data()),
                                         text.size(), 0600, &why))
      return fail(why);
    std::printf("enrolled %s (%s); load %s on the kiosk with `kiosk --enroll`\n",
                opt("--device").c_str(), kiosk::sync::uuid_text(e->device).c_str(), opt("--out").c_str());
    return 0;
  }
  if (cmd == "revoke") {
    if (opt("--device").empty()) return fail("revoke needs --device NAME");
    if (!lib->revoke(opt("--device"), &why)) return fail(why);
    std::printf("revoked %s\n", opt("--device").c_str());
    return 0;
  }
  if (cmd == "serve") {
    const std::string listen = opt("--listen");
    const auto colon = listen.rfind(':');
    const int port = colon == std::string::npos ? 0 : std::atoi(listen.c_str() + colon + 1);
    if (colon == std::string::npos || port <= 0 || port > 65535)
      return fail("serve needs --listen HOST:PORT, e.g. 127.0.0.1:8080");
    return kiosk::hq::serve(*lib, listen.substr(0, colon), port);
  }
  if (cmd == "import") return run_import(*lib, a);
  if (cmd == "receipt") {
    if (opt("--device").empty() || opt("--out").empty())
      return fail("receipt needs --device NAME --out FILE");
    const auto r = lib->receipt(opt("--device"), &why);
    if (!r || !kiosk::sync::write_file_durably(opt("--out"), r->data(), r->size(), 0644, &why))
      return fail(why);
    return 0;
  }
  if (cmd == "downlink") {
    if (opt("--tour").empty() || opt("--out").empty())
      return fail("downlink needs --tour TOUR --out FILE");
    std::string sets = opt("--set");
    while (!sets.empty()) {
      const auto comma = sets.find(',');
      const std::string kv = sets.substr(0, comma);
      sets = comma == std::string::npos ? "" : sets.substr(comma + 1);
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) return fail("--set expects KEY=VALUE, got '" + kv + "'");
      const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
      const bool number = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
      if (!lib->set_tour_setting(opt("--tour"), key, number ? value : json_string(value), &why))
        return fail(why);
    }
    const auto package = lib->downlink(opt("--tour"), opt("--device"), &why);
    if (!package ||
        !kiosk::sync::write_file_durably(opt("--out"), package->data(), package->size(), 0644, &why))
      return fail(why);
    std::printf("wrote %s for tour %s\n", opt("--out").c_str(), opt("--tour").c_str());
    return 0;
  }
  if (cmd == "pack") return run_pack(*lib, a);
  if (cmd == "devices") return print_table(lib->devices(), format);
  if (cmd == "gaps") return print_table(lib->gaps(), format);
  if ((cmd == "persons" || cmd == "organizations") && a.options.count("--id"))
    return print_record(*lib, cmd, opt("--id"), opt("--section"), format);
  if (cmd == "persons" || cmd == "organizations") {
    if (!opt("--sources").empty())
      return print_table(cmd == "persons" ? lib->persons(opt("--search"))
                                          : lib->organizations(opt("--search")), format);
    Table t;
    if (!lib->list_canonical(cmd == "persons" ? "person" : "organization", opt("--search"),
                             Library::Columns::full, &t, &why))
      return fail(why);
    // The 64 hex digits of the consent text's hash are for exports (and --id), not a terminal.
    return print_table(format == "table" ? without_column(t, "consent.text_sha256") : t, format);
  }
  if (cmd == "events") {
    Table t;
    if (!lib->events_by_activity(&t, &why)) return fail(why);
    return print_table(t, format);
  }
  if (cmd == "merge") return run_merge(*lib, a, format);
  if (cmd == "staff") return run_staff(*lib, a, format);
  if (cmd == "backup") return run_backup(*lib, a);
  if (cmd == "user") return run_user(*lib, a, format);
  if (cmd == "report") return kiosk::hq::run_report_command(*lib, a.options);
  return fail("unknown command '" + cmd + "'");  // impossible: kHelp lists every command
}
