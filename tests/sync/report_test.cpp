// tests/sync/report_test.cpp — the yearly report (sync/hq/report.h) over a library of known
// content built the real way: two kiosk stores register people, their bundles are ingested. Every
// figure is asserted in the CSV files, the XLSX workbook (read back with unzip) and the HTML.
//
// The known library (2026 unless said otherwise):
//   kiosk A: events "Science on Wheels — Phnom Penh" (KH, 2026-11-28, the fixture's), a Khmer-named
//            one in Siem Reap (KH, 2026-03-10) and one in 2025 (KH, 2025-06-01); organizations
//            Preah Sisowath (school KH) and RUPP (university KH). People a1 (2025 event, then the
//            fixture event: returning), a2, a5 (Siem Reap), a3, a4 (fixture event), a6 (voided).
//   kiosk B: the fixture's event again (nobody attends), a Burmese-named one in Yangon (MM,
//            2026-08-15) and an Arabic-named one in Cairo (EG, 2026-05-20); organizations
//            Preah Sisowath again (exact organization merge), a Yangon school, a Cairo school and
//            "+Tech Club" (a formula-looking name). People b1 (a1 again: exact person merge),
//            b2, b3 (Yangon), b4 (a2's name with another birth year: a pending near match), b5, b6.
#include "report.h"
#include "report_text.h"
#include "sync_fixture.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <regex>
#include <sstream>

namespace {

using namespace sync_test;
using Rows = std::vector<std::vector<std::string>>;
namespace hq = kiosk::hq;

std::int64_t ms_at(int y, int m, int d) {
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = m - 1;
  t.tm_mday = d;
  t.tm_hour = 9;
  return static_cast<std::int64_t>(::timegm(&t)) * 1000;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string run_output(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  REQUIRE(f);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  REQUIRE(::pclose(f) == 0);
  return out;
}

struct Known {
  Hq hq{"report"};
  Kiosk a{"report-a", hq, "kiosk-a"};
  Kiosk b{"report-b", hq, "kiosk-b"};

  static std::string event(Kiosk& k, const std::string& name, const std::string& tour,
                           const std::string& city, const std::string& country, const std::string& start) {
    kiosk::core::EventInfo e;
    e.name = name;
    e.tour = tour;
    e.city = city;
    e.country = country;
    e.start_date = start;
    e.end_date = start;
    e.activity_types = {"exhibition_visit"};
    const auto r = kiosk::core::Registry(*k.store).create_event(e, k.staff_id);
    INFO(r.detail);
    REQUIRE(r.ok());
    return r.id;
  }
  static std::string org(Kiosk& k, const std::string& name, const std::string& latin,
                         const std::string& kind, const std::string& country) {
    kiosk::core::Organization o;
    o.name = name;
    o.name_latin = latin;
    o.kind = kind;
    o.country = country;
    const auto r = kiosk::core::Registry(*k.store).add_local_organization(o, k.staff_id);
    INFO(r.detail);
    REQUIRE(r.ok());
    return r.id;
  }
  // birth: "YYYY-MM-DD" or "YYYY" (a year only).
  static std::string person(Kiosk& k, const std::string& native_given, const std::string& given,
                            const std::string& family, const std::string& birth,
                            const std::string& gender, const std::string& role,
                            const std::string& org_id, const std::string& event_id,
                            const std::string& event_start) {
    kiosk::core::Registration r;
    r.person.given_name = native_given;
    r.person.family_name = "";
    r.person.given_name_latin = given;
    r.person.family_name_latin = family;
    if (birth.size() == 10) r.person.birth_date = birth;
    r.person.birth_year = std::stoi(birth.substr(0, 4));
    r.person.gender = gender;
    r.person.role = role;
    if (!org_id.empty()) r.person.organization_id = org_id;
    r.person.guardian_name = "Guardian " + family;
    r.person.guardian_phone = "+855 12 345 678";
    r.event_id = event_id;
    r.activity = "exhibition_visit";
    if (kiosk::core::needs_guardian_consent(r.person, event_start))
      r.consent = core_test::Fixture::consent(r.person.guardian_name);
    const auto saved = kiosk::core::Registry(*k.store).register_participant(r, k.staff_id);
    INFO(saved.detail);
    REQUIRE(saved.ok());
    return saved.id;
  }

  Known() {
    kiosk::core::Registry ra(*a.store), rb(*b.store);
    // Kiosk A.
    *a.clock.now = ms_at(2025, 6, 1);
    const auto sisowath = org(a, "វិទ្យាល័យព្រះស៊ីសុវត្ថិ", "Preah Sisowath High School", "school", "KH");
    const auto rupp = org(a, "សាកលវិទ្យាល័យភូមិន្ទភ្នំពេញ", "Royal University of Phnom Penh", "university", "KH");
    const auto e2025 = event(a, "Science on Wheels 2025", "kh-2025", "Phnom Penh", "KH", "2025-06-01");
    const auto a1 = person(a, "ដារ៉ា", "Dara", "Sok", "2013-05-01", "male", "student", sisowath, e2025, "2025-06-01");
    *a.clock.now = ms_at(2026, 3, 10);
    const auto siem_reap = event(a, "ពិព័រណ៍វិទ្យាសាស្ត្រ សៀមរាប", "kh-2026", "សៀមរាប", "KH", "2026-03-10");
    person(a, "សុភា", "Sophea", "Chan", "2014", "female", "student", sisowath, siem_reap, "2026-03-10");
    person(a, "ចិន្តា", "Chenda", "Pich", "2017-01-01", "female", "student", "", siem_reap, "2026-03-10");
    *a.clock.now = ms_at(2026, 11, 29);
    person(a, "បុប្ផា", "Bopha", "Keo", "1990-02-02", "female", "teacher", rupp, a.event_id, "2026-11-28");
    person(a, "វិចិត្រ", "Vichet", "Lim", "2008-12-31", "male", "student", sisowath, a.event_id, "2026-11-28");
    const auto a6 = person(a, "សុខា", "Sokha", "Voided", "2012-01-01", "female", "student", sisowath, a.event_id, "2026-11-28");
    REQUIRE(ra.add_attendance(a1, a.event_id, "exhibition_visit", a.staff_id).ok());
    REQUIRE(ra.void_participant(a6, "registered twice by mistake", a.staff_id).ok());
    // Kiosk B.
    *b.clock.now = ms_at(2026, 5, 20);
    const auto sisowath_b = org(b, "វិទ្យាល័យព្រះស៊ីសុវត្ថិ", "Preah Sisowath High School", "school", "KH");
    const auto yangon_school = org(b, "အထက တန်းကျောင်း ၁ ရန်ကုန်", "Basic Education High School 1", "school", "MM");
    const auto cairo_school = org(b, "مدرسة القاهرة للعلوم", "Cairo Science School", "school", "EG");
    const auto club = org(b, "+Tech Club", "+Tech Club", "society", "EG");
    const auto cairo = event(b, "معرض العلوم المتنقل", "eg-2026", "القاهرة", "EG", "2026-05-20");
    person(b, "သုဖါ", "Sophea", "Chan", "2012", "female", "student", cairo_school, cairo, "2026-05-20");
    person(b, "فاطمة", "Fatima", "Hassan", "2010-03-03", "female", "student", cairo_school, cairo, "2026-05-20");
    person(b, "عمر", "Omar", "Ali", "2000", "unspecified", "other", club, cairo, "2026-05-20");
    *b.clock.now = ms_at(2026, 8, 15);
    const auto yangon = event(b, "ရန်ကုန် သိပ္ပံပြပွဲ", "mm-2026", "ရန်ကုန်", "MM", "2026-08-15");
    person(b, "ဒါရာ", "Dara", "Sok", "2013-05-01", "male", "student", sisowath_b, yangon, "2026-08-15");
    person(b, "သီတာ", "Thida", "Aung", "2011-07-07", "female", "student", yangon_school, yangon, "2026-08-15");
    person(b, "မြင့်", "Myint", "Win", "1985", "male", "teacher", yangon_school, yangon, "2026-08-15");
    for (auto* k : {&a, &b})
      for (const auto& bundle : k->bundles()) {
        const auto r = hq.lib->ingest(bundle, "file");
        INFO(r.reason);
        REQUIRE(r.accepted());
      }
    // The library is what the comment above says: one exact person merge, one near match.
    REQUIRE(hq.lib->count("merge WHERE kind = 'person'") == 1);
    REQUIRE(hq.lib->count("merge WHERE kind = 'organization'") == 1);
    REQUIRE(hq.lib->count("merge_candidate WHERE state = 'open'") == 1);
  }
};

// RFC 4180 as the report writes it (CRLF rows, quoted fields with "" inside).
Rows parse_csv(const std::string& text) {
  Rows rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string xml_unescape(std::string s) {
  const std::pair<const char*, const char*> ents[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : ents)
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) s.replace(at, std::strlen(from), to);
  return s;
}

// One sheet of an XLSX file as rows of text (numbers as written), read with unzip.
Rows xlsx_sheet(const fs::path& xlsx, int sheet) {
  const std::string strings_xml = run_output("unzip -p '" + xlsx.string() + "' xl/sharedStrings.xml");
  std::vector<std::string> shared;
  const std::regex si("<si><t(?: [^>]*)?>([^<]*)</t></si>");
  for (auto it = std::sregex_iterator(strings_xml.begin(), strings_xml.end(), si); it != std::sregex_iterator(); ++it)
    shared.push_back(xml_unescape((*it)[1].str()));
  const std::string sheet_xml =
      run_output("unzip -p '" + xlsx.string() + "' xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
  Rows rows;
  const std::regex cell("<c r=\"([A-Z]+)([0-9]+)\"([^>]*)>(?:<v>([^<]*)</v>)?</c>");
  for (auto it = std::sregex_iterator(sheet_xml.begin(), sheet_xml.end(), cell); it != std::sregex_iterator(); ++it) {
    const auto row = static_cast<std::size_t>(std::stoi((*it)[2].str()) - 1);
    const auto col = static_cast<std::size_t>((*it)[1].str()[0] - 'A');
    if (rows.size() <= row) rows.resize(row + 1);
    if (rows[row].size() <= col) rows[row].resize(col + 1);
    const std::string v = (*it)[4].str();
    const bool is_shared = (*it)[3].str().find("t=\"s\"") != std::string::npos;
    rows[row][col] = is_shared ? shared.at(static_cast<std::size_t>(std::stoul(v))) : v;
  }
  return rows;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

bool c_nowrap(const std::string& column) {
  return column == "start_date" || column == "month" || column == "tour" || column == "country";
}

bool is_number(const std::string& s) { return !s.empty() && std::regex_match(s, std::regex("-?[0-9]+(\\.[0-9]+)?")); }

// Asserts one table in all three formats: the CSV holds exactly `expected` (codes), the XLSX sheet
// the same figures under translated labels, and the HTML every row as a table row.
void check_table(const fs::path& dir, const hq::Report& report, const std::string& id,
                 const Rows& expected) {
  INFO("table " << id);
  const auto* t = report.find(id);
  REQUIRE(t);
  const std::string lang = report.options.lang;
  // CSV.
  const Rows csv = parse_csv(read_all(dir / (id + ".csv")));
  REQUIRE(!csv.empty());
  CHECK(csv[0] == t->columns);
  CHECK(Rows(csv.begin() + 1, csv.end()) == expected);
  // XLSX: sheet 1 is "about", then the tables in report order.
  int sheet = 2;
  for (const auto& other : report.tables) {
    if (other.id == id) break;
    ++sheet;
  }
  const Rows xl = xlsx_sheet(dir / "report.xlsx", sheet);
  REQUIRE(xl.size() == expected.size() + 1);
  for (std::size_t c = 0; c < t->columns.size(); ++c)
    CHECK(xl[0][c] == hq::report_text::label(lang, t->columns[c]));
  for (std::size_t r = 0; r < expected.size(); ++r)
    for (std::size_t c = 0; c < expected[r].size(); ++c) {
      INFO("xlsx row " << r + 1 << " column " << t->columns[c]);
      const std::string want = is_number(expected[r][c])
                                   ? expected[r][c]
                                   : hq::spreadsheet_safe(hq::report_text::cell(lang, t->columns[c],
                                                                                expected[r][c].substr(expected[r][c][0] == '\'' ? 1 : 0)));
      const std::string got = c < xl[r + 1].size() ? xl[r + 1][c] : std::string();
      if (is_number(want) && is_number(got)) CHECK(std::stod(got) == std::stod(want));  // 10 = 10.0
      else CHECK(got == want);
    }
  // HTML: the per-event summary has its own pages (checked separately).
  if (id == "event_summary") return;
  const std::string html = read_all(dir / "report.html");
  for (const auto& row : expected) {
    std::string tr = "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::string v = row[c];
      if (!v.empty() && v[0] == '\'') v = v.substr(1);  // the CSV's formula escape
      if (is_number(v)) tr += "<td class=\"num\">" + v + "</td>";
      else if (c_nowrap(t->columns[c])) tr += "<td class=\"nowrap\"><bdi dir=\"auto\">" + html_escape(hq::report_text::cell(lang, t->columns[c], v)) + "</bdi></td>";
      else tr += "<td><bdi dir=\"auto\">" + html_escape(hq::report_text::cell(lang, t->columns[c], v)) + "</bdi></td>";
    }
    tr += "</tr>";
    INFO("html row " << tr);
    CHECK(html.find(tr) != std::string::npos);
  }
}

hq::ReportOptions options(int year, const std::string& country = "", const std::string& lang = "en") {
  hq::ReportOptions o;
  o.year = year;
  o.country = country;
  o.lang = lang;
  return o;
}

}  // namespace

TEST_CASE("report: every figure of a known library in CSV, XLSX and HTML", "[report]") {
  Known k;
  const std::string out = fresh_dir("report-out") + "/2026";
  std::string why;
  REQUIRE(hq::write_report(*k.hq.lib, options(2026), out, &why));
  INFO(why);
  const auto report = hq::build_report(*k.hq.lib, options(2026), &why);
  REQUIRE(report);
  const fs::path dir = out;
  const std::string phnom_penh = "Science on Wheels — Phnom Penh";
  check_table(dir, *report, "library_growth",
              {{"2026-01", "0", "1", "10000", "0", "2", "300"},
               {"2026-02", "0", "1", "10000", "0", "2", "300"},
               {"2026-03", "2", "3", "10000", "0", "2", "300"},
               {"2026-04", "0", "3", "10000", "0", "2", "300"},
               {"2026-05", "3", "6", "10000", "3", "5", "300"},
               {"2026-06", "0", "6", "10000", "0", "5", "300"},
               {"2026-07", "0", "6", "10000", "0", "5", "300"},
               {"2026-08", "2", "8", "10000", "0", "5", "300"},
               {"2026-09", "0", "8", "10000", "0", "5", "300"},
               {"2026-10", "0", "8", "10000", "0", "5", "300"},
               {"2026-11", "2", "10", "10000", "0", "5", "300"},
               {"2026-12", "0", "10", "10000", "0", "5", "300"}});
  check_table(dir, *report, "participants_by_country",
              {{"EG", "1", "3", "3"}, {"KH", "2", "5", "5"}, {"MM", "1", "3", "3"}});
  check_table(dir, *report, "participants_by_tour_stop",
              {{"default", "KH", "Phnom Penh", "1", "3"},
               {"eg-2026", "EG", "القاهرة", "1", "3"},
               {"kh-2026", "KH", "សៀមរាប", "1", "2"},
               {"mm-2026", "MM", "ရန်ကုန်", "1", "3"}});
  check_table(dir, *report, "participants_by_event",
              {{"2026-03-10", "ពិព័រណ៍វិទ្យាសាស្ត្រ សៀមរាប", "kh-2026", "KH", "សៀមរាប", "2", "2", "0", "2"},
               {"2026-05-20", "معرض العلوم المتنقل", "eg-2026", "EG", "القاهرة", "3", "2", "0", "2"},
               {"2026-08-15", "ရန်ကုန် သိပ္ပံပြပွဲ", "mm-2026", "MM", "ရန်ကုန်", "3", "2", "1", "1"},
               {"2026-11-28", phnom_penh, "default", "KH", "Phnom Penh", "3", "2", "1", "1"},
               {"2026-11-28", phnom_penh, "default", "KH", "Phnom Penh", "0", "0", "0", "0"}});
  check_table(dir, *report, "participants_by_role",
              {{"student", "7", "70.0"}, {"teacher", "2", "20.0"}, {"other", "1", "10.0"}});
  check_table(dir, *report, "participants_by_gender",
              {{"female", "6", "60.0"}, {"male", "3", "30.0"}, {"unspecified", "1", "10.0"}});
  check_table(dir, *report, "participants_by_age_band",
              {{"under_10", "1", "10.0"}, {"10_12", "1", "10.0"}, {"13_15", "3", "30.0"},
               {"16_17", "2", "20.0"}, {"18_plus", "3", "30.0"}});
  check_table(dir, *report, "girls_and_women",
              {{"EG", "3", "2", "66.7"}, {"KH", "5", "3", "60.0"}, {"MM", "3", "1", "33.3"},
               {"all", "10", "6", "60.0"}});
  check_table(dir, *report, "new_and_returning", {{"new", "9", "90.0"}, {"returning", "1", "10.0"}});
  check_table(dir, *report, "organizations_by_kind_and_country",
              {{"school", "EG", "1"}, {"school", "KH", "1"}, {"school", "MM", "1"},
               {"society", "EG", "1"}, {"university", "KH", "1"}});
  check_table(dir, *report, "exhibit_engagement", {});
  check_table(dir, *report, "data_quality",
              {{"pending_person_merges", "1"}, {"pending_organization_merges", "0"},
               {"people_without_birth_date", "4"}, {"people_gender_unspecified", "1"},
               {"people_without_organization", "1"}, {"organizations_without_country", "0"},
               {"devices_with_gaps", "0"}, {"devices_never_sent", "0"}});
  const std::string sr = "ពិព័រណ៍វិទ្យាសាស្ត្រ សៀមរាប", cairo = "معرض العلوم المتنقل",
                    yangon = "ရန်ကုန် သိပ္ပံပြပွဲ";
  check_table(dir, *report, "event_summary",
              {{"2026-03-10", sr, "KH", "សៀមរាប", "participants", "all", "2"},
               {"2026-03-10", sr, "KH", "សៀមរាប", "gender", "female", "2"},
               {"2026-03-10", sr, "KH", "សៀមរាប", "role", "student", "2"},
               {"2026-03-10", sr, "KH", "សៀមរាប", "age_band", "under_10", "1"},
               {"2026-03-10", sr, "KH", "សៀមរាប", "age_band", "10_12", "1"},
               {"2026-03-10", sr, "KH", "សៀមរាប", "organization", "", "1"},
               {"2026-03-10", sr, "KH", "សៀមរាប", "organization", "វិទ្យាល័យព្រះស៊ីសុវត្ថិ", "1"},
               {"2026-05-20", cairo, "EG", "القاهرة", "participants", "all", "3"},
               {"2026-05-20", cairo, "EG", "القاهرة", "gender", "female", "2"},
               {"2026-05-20", cairo, "EG", "القاهرة", "gender", "unspecified", "1"},
               {"2026-05-20", cairo, "EG", "القاهرة", "role", "student", "2"},
               {"2026-05-20", cairo, "EG", "القاهرة", "role", "other", "1"},
               {"2026-05-20", cairo, "EG", "القاهرة", "age_band", "13_15", "1"},
               {"2026-05-20", cairo, "EG", "القاهرة", "age_band", "16_17", "1"},
               {"2026-05-20", cairo, "EG", "القاهرة", "age_band", "18_plus", "1"},
               {"2026-05-20", cairo, "EG", "القاهرة", "organization", "مدرسة القاهرة للعلوم", "2"},
               {"2026-05-20", cairo, "EG", "القاهرة", "organization", "'+Tech Club", "1"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "participants", "all", "3"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "gender", "male", "2"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "gender", "female", "1"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "role", "student", "2"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "role", "teacher", "1"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "age_band", "13_15", "2"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "age_band", "18_plus", "1"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "organization", "အထက တန်းကျောင်း ၁ ရန်ကုန်", "2"},
               {"2026-08-15", yangon, "MM", "ရန်ကုန်", "organization", "វិទ្យាល័យព្រះស៊ីសុវត្ថិ", "1"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "participants", "all", "3"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "gender", "male", "2"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "gender", "female", "1"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "role", "student", "2"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "role", "teacher", "1"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "age_band", "13_15", "1"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "age_band", "16_17", "1"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "age_band", "18_plus", "1"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "organization", "វិទ្យាល័យព្រះស៊ីសុវត្ថិ", "2"},
               {"2026-11-28", phnom_penh, "KH", "Phnom Penh", "organization", "សាកលវិទ្យាល័យភូមិន្ទភ្នំពេញ", "1"}});

  const std::string html = read_all(dir / "report.html");
  SECTION("the HTML is self-contained, names are isolated, each event has its page") {
    std::size_t http = 0, svg_ns = 0;  // the only URL is the SVG namespace, which is not fetched
    for (auto at = html.find("http://"); at != std::string::npos; at = html.find("http://", at + 1)) ++http;
    for (auto at = html.find("xmlns=\"http://www.w3.org/2000/svg\""); at != std::string::npos;
         at = html.find("xmlns=\"http://www.w3.org/2000/svg\"", at + 1))
      ++svg_ns;
    CHECK(http == svg_ns);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("@font-face") == std::string::npos);
    CHECK(html.find("\"Noto Sans Khmer\", \"Noto Sans Myanmar\", \"Noto Sans Arabic\"") != std::string::npos);
    CHECK(html.find("@page { size: A4") != std::string::npos);
    CHECK(html.find("<h2><bdi dir=\"auto\">معرض العلوم المتنقل</bdi></h2>") != std::string::npos);
    CHECK(html.find("<h2><bdi dir=\"auto\">ရန်ကုန် သိပ္ပံပြပွဲ</bdi></h2>") != std::string::npos);
    CHECK(html.find("<td><bdi dir=\"auto\">مدرسة القاهرة للعلوم</bdi></td><td class=\"num\">2</td>") != std::string::npos);
    CHECK(html.find("<td><bdi dir=\"auto\">no organization</bdi></td><td class=\"num\">1</td>") != std::string::npos);
    std::size_t pages = 0;
    for (auto at = html.find("<section class=\"event\">"); at != std::string::npos; at = html.find("<section class=\"event\">", at + 1)) ++pages;
    CHECK(pages == 4);  // the fixture event of kiosk B has nobody: no summary page
    CHECK(html.find("Empty until a kiosk has sent them.") != std::string::npos);  // none sent here
    CHECK(html.find(report->library_id) != std::string::npos);
    const Rows about = parse_csv(read_all(dir / "about.csv"));
    REQUIRE(about.size() > 3);
    CHECK(about[3][0] == "made_at");
    CHECK(html.find("Made " + about[3][1] + " (UTC) from library " + report->library_id) != std::string::npos);
  }
  SECTION("the report says where it comes from, and every table's SQL reruns to the same rows") {
    const std::string about = read_all(dir / "about.csv");
    CHECK(about.find("library_id," + report->library_id + "\r\n") != std::string::npos);
    CHECK(about.find("library_path," + report->library_path + "\r\n") != std::string::npos);
    CHECK(!report->library_id.empty());
    CHECK(report->library_path.find(k.hq.dir) != std::string::npos);
    const std::string queries = read_all(dir / "queries.sql");
    for (const auto& t : report->tables) {
      INFO(t.id);
      CHECK(queries.find("-- " + t.id + "\n" + t.sql + "\n") != std::string::npos);
    }
    CHECK(queries.find(".param set :year \"'2026'\"") != std::string::npos);
    for (const auto& sql : report->shared_sql) CHECK(queries.find(sql) != std::string::npos);
    // Rerun: a connection of its own runs the shared steps, then every table's statement.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(report->library_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    auto run = [&](const std::string& sql) {
      Rows rows;
      sqlite3_stmt* st = nullptr;
      INFO(sql);
      REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
      for (int i = 1; i <= sqlite3_bind_parameter_count(st); ++i) {
        const std::string name = sqlite3_bind_parameter_name(st, i);
        if (name == ":year") sqlite3_bind_text(st, i, "2026", -1, SQLITE_TRANSIENT);
        else if (name == ":country") sqlite3_bind_text(st, i, "", -1, SQLITE_TRANSIENT);
        else if (name == ":target_people") sqlite3_bind_int(st, i, 10000);
        else if (name == ":target_organizations") sqlite3_bind_int(st, i, 300);
      }
      while (sqlite3_step(st) == SQLITE_ROW) {
        rows.emplace_back();
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
          const auto* t = sqlite3_column_text(st, c);
          rows.back().push_back(t ? reinterpret_cast<const char*>(t) : "");
        }
      }
      REQUIRE(sqlite3_finalize(st) == SQLITE_OK);
      return rows;
    };
    for (const auto& sql : report->shared_sql) run(sql);
    for (const auto& t : report->tables) {
      INFO(t.id);
      Rows want;
      for (const auto& row : t.rows) {
        want.emplace_back();
        for (const auto& cell : row) want.back().push_back(cell.text);
      }
      CHECK(run(t.sql) == want);
    }
    sqlite3_close(db);
    CHECK(queries.find("visit_stats.h") != std::string::npos);  // why engagement is empty
    const Rows xl_about = xlsx_sheet(dir / "report.xlsx", 1);
    REQUIRE(xl_about.size() > 2);
    CHECK(xl_about[1] == std::vector<std::string>{"library_id", report->library_id});
  }
  SECTION("the web's entry point gives the same HTML but for the time it was made") {
    const std::string again = hq::report_html(*k.hq.lib, options(2026), &why);
    REQUIRE(!again.empty());
    CHECK(again.find("<h2><bdi dir=\"auto\">معرض العلوم المتنقل</bdi></h2>") != std::string::npos);
  }
}

TEST_CASE("report: one country, another language, other targets", "[report]") {
  Known k;
  const std::string out = fresh_dir("report-mm") + "/mm";
  auto o = options(2026, "MM", "zh");
  o.target_people = 50;
  o.target_organizations = 7;
  std::string why;
  REQUIRE(hq::write_report(*k.hq.lib, o, out, &why));
  const auto report = hq::build_report(*k.hq.lib, o, &why);
  REQUIRE(report);
  check_table(out, *report, "participants_by_country", {{"MM", "1", "3", "3"}});
  check_table(out, *report, "participants_by_gender", {{"female", "1", "33.3"}, {"male", "2", "66.7"}});
  check_table(out, *report, "participants_by_role", {{"student", "2", "66.7"}, {"teacher", "1", "33.3"}});
  check_table(out, *report, "new_and_returning", {{"new", "2", "66.7"}, {"returning", "1", "33.3"}});
  check_table(out, *report, "girls_and_women", {{"MM", "3", "1", "33.3"}, {"all", "3", "1", "33.3"}});
  const auto* growth = report->find("library_growth");
  REQUIRE(growth);
  CHECK(growth->rows.back()[3].text == "50");
  CHECK(growth->rows.back()[6].text == "7");
  const std::string html = read_all(fs::path(out) / "report.html");
  CHECK(html.find("<html lang=\"zh-Hans\"") != std::string::npos);
  CHECK(html.find("年度评估报告") != std::string::npos);
  CHECK(html.find("<th>性别</th>") != std::string::npos);
  CHECK(html.find("<td><bdi dir=\"auto\">女</bdi></td><td class=\"num\">1</td>") != std::string::npos);
  CHECK(html.find("<h3>性别</h3>") != std::string::npos);
  const Rows xl = xlsx_sheet(fs::path(out) / "report.xlsx", 2);  // library_growth
  CHECK(xl[0][0] == "月份");
}

TEST_CASE("report: bad input is refused clearly and leaves nothing behind", "[report]") {
  Known k;
  const std::string base = fresh_dir("report-bad");
  std::string why;
  SECTION("a year with no data is a report that says so") {
    REQUIRE(hq::write_report(*k.hq.lib, options(2024), base + "/2024", &why));
    const std::string html = read_all(fs::path(base) / "2024" / "report.html");
    CHECK(html.find("No events in 2024 (all countries) in this library") != std::string::npos);
    CHECK(parse_csv(read_all(fs::path(base) / "2024" / "participants_by_event.csv")).size() == 1);
    // The library itself is still there: a1 was registered in 2025.
    const Rows growth = parse_csv(read_all(fs::path(base) / "2024" / "library_growth.csv"));
    CHECK(growth.back()[2] == "0");
  }
  SECTION("an unknown country") {
    CHECK_FALSE(hq::write_report(*k.hq.lib, options(2026, "ZA"), base + "/za", &why));
    CHECK(why == "no event in this library is in country 'ZA' (the library's countries: EG, KH, MM)");
    CHECK_FALSE(hq::write_report(*k.hq.lib, options(2026, "kh"), base + "/kh", &why));
    CHECK(why.find("two capital letters") != std::string::npos);
  }
  SECTION("other options") {
    CHECK_FALSE(hq::build_report(*k.hq.lib, options(26), &why));
    CHECK(why.find("--year") != std::string::npos);
    CHECK_FALSE(hq::build_report(*k.hq.lib, options(2026, "", "fr"), &why));
    CHECK(why.find("en or zh") != std::string::npos);
  }
  SECTION("an unwritable output folder") {
    const fs::path file = fs::path(base) / "a-file";
    std::ofstream(file) << "x";
    CHECK_FALSE(hq::write_report(*k.hq.lib, options(2026), (file / "report").string(), &why));
    CHECK(why.find("cannot write the report here") != std::string::npos);
    // A folder that already holds something is never overwritten.
    fs::create_directories(fs::path(base) / "full");
    std::ofstream(fs::path(base) / "full" / "keep.txt") << "mine";
    CHECK_FALSE(hq::write_report(*k.hq.lib, options(2026), base + "/full", &why));
    CHECK(why.find("not an empty folder") != std::string::npos);
    CHECK(read_all(fs::path(base) / "full" / "keep.txt") == "mine");
  }
  SECTION("a failure while writing leaves no folder and no temporary folder") {
    // A read-only parent (not enforced for root, so make the temporary folder's place a file:
    // mkdtemp then fails) — and an empty existing folder is filled in place.
    fs::create_directories(fs::path(base) / "ro");
    ::chmod((fs::path(base) / "ro").c_str(), 0555);
    const bool root = ::geteuid() == 0;
    const bool ok = hq::write_report(*k.hq.lib, options(2026), base + "/ro/out", &why);
    ::chmod((fs::path(base) / "ro").c_str(), 0755);
    if (!root) CHECK_FALSE(ok);
    if (!ok) CHECK(fs::is_empty(fs::path(base) / "ro"));
    fs::create_directories(fs::path(base) / "empty");
    REQUIRE(hq::write_report(*k.hq.lib, options(2026), base + "/empty", &why));
    CHECK(fs::exists(fs::path(base) / "empty" / "report.xlsx"));
  }
  // Nothing half-written anywhere: no temporary folders left beside the outputs.
  for (const auto& e : fs::directory_iterator(base))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

// Issue 11 item 4: the printed report, looked at. Headless Chromium prints report.html to PDF and
// pdftoppm renders its pages; a missing tool fails the test (never skipped). The PDFs and PNGs
// stay in $TMPDIR/roadshow-report-print/ (report-print-en-*.png, report-print-zh-*.png) to be
// looked at; the names in Khmer, Burmese and Arabic must be set in Debian's Noto fonts.
TEST_CASE("report: prints to PDF with Chromium in English and Chinese", "[report][print]") {
  Known k;
  const fs::path look = fs::temp_directory_path() / "roadshow-report-print";
  fs::create_directories(look);
  for (const std::string lang : {"en", "zh"}) {
    const std::string out = fresh_dir("report-print-" + lang) + "/report";
    std::string why;
    REQUIRE(hq::write_report(*k.hq.lib, options(2026, "", lang), out, &why));
    const fs::path profile = fresh_dir("report-chromium-" + lang);
    const fs::path pdf = look / ("report-print-" + lang + ".pdf");
    fs::remove(pdf);
    const std::string chromium =
        "chromium --headless --no-sandbox --disable-gpu --disable-background-networking"
        " --disable-component-update --disable-sync --no-first-run --no-pdf-header-footer"
        " --user-data-dir='" + profile.string() + "' --print-to-pdf='" + pdf.string() + "' 'file://" +
        out + "/report.html' > '" + profile.string() + "/chromium.log' 2>&1";
    INFO(chromium);
    REQUIRE(std::system(chromium.c_str()) == 0);
    REQUIRE(fs::file_size(pdf) > 10000);
    const std::string prefix = (look / ("report-print-" + lang)).string();
    const std::string ppm = "pdftoppm -png -r 60 -f 1 -l 9 '" + pdf.string() + "' '" + prefix + "'";
    INFO(ppm);
    REQUIRE(std::system(ppm.c_str()) == 0);
    const std::string pages = run_output("pdfinfo '" + pdf.string() + "' | grep Pages");
    INFO(pages);
    CHECK(std::stoi(pages.substr(pages.find(':') + 1)) >= 5);  // the report, then 4 event pages
    const std::string fonts = run_output("pdffonts '" + pdf.string() + "'");
    for (const char* font : {"NotoSansKhmer", "NotoSansMyanmar", "NotoSansArabic"}) {
      INFO(fonts);
      CHECK(fonts.find(font) != std::string::npos);
    }
    bool png = false;
    for (const auto& e : fs::directory_iterator(look))
      png = png || e.path().filename().string().rfind("report-print-" + lang + "-", 0) == 0;
    CHECK(png);
  }
}
