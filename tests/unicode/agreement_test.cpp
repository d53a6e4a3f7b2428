// tests/unicode/agreement_test.cpp — every former owner of a copy of the Unicode facts now gives
// the same answer, because each calls kiosk_unicode: the pack checker (titles, PO messages), a
// staff account's name, a registration form's name and text fields and the organization
// directory CSV refuse the same bad strings and accept the same good ones. Before kiosk_unicode,
// a form's text field and a PO message took a bidi override, and a PO message a C1 control.
#include "check.h"
#include "form_schema.h"
#include "test_support.h"
#include "text_normalize.h"
#include "unicode/unicode.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

namespace fs = std::filesystem;
namespace ku = kiosk::unicode;
using namespace kiosk::core;

namespace {

struct Bad {
  const char* what;
  std::string text;
  ku::TextProblem problem;  // what check_text() finds
};

std::vector<Bad> bad_strings() {
  return {
      {"NUL", std::string("Dara\0Sok", 8), ku::TextProblem::control},
      {"ESC", "\x1B[31mDara", ku::TextProblem::control},
      {"C1 NEL", "Dara\u0085Sok", ku::TextProblem::control},
      {"right-to-left override", "\u202Eloohcs", ku::TextProblem::bidi_control},
      {"right-to-left isolate", "Dara\u2067Sok", ku::TextProblem::bidi_control},
      {"only zero-width spaces", "\u200B\u200B", ku::TextProblem::blank},
      {"only word joiner and BOM", "\u2060\uFEFF", ku::TextProblem::blank},
      {"overlong", "Dara\xC0\xAF", ku::TextProblem::invalid_utf8},
      {"surrogate", "Dara\xED\xA0\x80", ku::TextProblem::invalid_utf8},
      {"above U+10FFFF", "Dara\xF4\x90\x80\x80", ku::TextProblem::invalid_utf8},
      {"truncated", "Dara\xE1\x9E", ku::TextProblem::invalid_utf8},
      {"Zawgyi", ku::unicode_to_zawgyi("မောင်မောင်"), ku::TextProblem::zawgyi},
  };
}

const std::vector<std::string> k_good = {"Dara Sok", "ដារា សុខ", "မောင်မောင်", "مُحَمَّد",
                                         "Nguyễn Thị Ánh", "李明", "Sipho Ndlovu", "O'Brien-Smith"};

// The text as a TOML basic string: controls, bidi and invisible characters escaped as \uXXXX
// (as a pack author would write them); ill-formed bytes left raw (the file is then not UTF-8).
std::string toml_string(const std::string& text) {
  if (!ku::is_valid_utf8(text)) return "\"" + text + "\"";
  std::string out = "\"";
  ku::for_each_code_point(text, [&](char32_t cp, std::size_t) {
    if (ku::is_control(cp) || ku::is_bidi_control(cp) || ku::is_invisible(cp) || cp == '"' || cp == '\\') {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      out += buf;
    } else {
      ku::append_utf8(out, cp);
    }
  });
  return out + "\"";
}

// A one-language pack whose exhibit title is `title` and whose "attract.touch" message is
// `message`; the lines of en.toml and en.po the checker reports errors on.
struct CheckedLines {
  bool title = false, message = false;
};
CheckedLines checker_refuses(const std::string& title, const std::string& message = "Touch") {
  const fs::path dir = fs::temp_directory_path() / ("kiosk-unicode-agree-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto write = [&](const std::string& rel, const std::string& bytes) {
    fs::create_directories((dir / rel).parent_path());
    std::ofstream(dir / rel, std::ios::binary) << bytes;
  };
  write("pack.toml", "id = \"t\"\nname = \"Test pack\"\ncountry = \"KH\"\nlanguages = [\"en\"]\n"
                     "default_language = \"en\"\nexhibits = [\"x\"]\n");
  write("strings/en.po", "msgid \"language.name\"\nmsgstr \"English\"\n\nmsgid \"attract.touch\"\n"
                         "msgstr \"" + message + "\"\n\nmsgid \"consent.text\"\n"
                         "msgstr \"I agree.\"\n\nmsgid \"consent.text.version\"\nmsgstr \"2026-1\"\n");
  write("exhibits/x/exhibit.toml", "id = \"x\"\ncategory = \"light\"\nimage = \"i.png\"\n"
                                   "image_credit = \"tests\"\nquiz_answers = []\n");
  write("exhibits/x/en.toml", "title = " + toml_string(title) + "\nsummary = \"Light bends.\"\n"
                              "image_alt = \"A straw.\"\nbody = \"Light is slower in water.\"\n"
                              "facts = [\"Light is fast.\"]\n");
  const kiosk::content::CheckReport r = kiosk::content::check_pack(dir.string());
  fs::remove_all(dir);
  std::string all;
  for (const auto& f : r.findings) all += f.text() + "\n";
  UNSCOPED_INFO(all);
  auto error_at = [&](const fs::path& file, int line) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const kiosk::content::Finding& f) {
      return f.file == file.string() && f.line == line && f.severity == kiosk::content::Severity::Error;
    });
  };
  // A finding about a message names its msgid's line (4); one about the bytes, the msgstr's (5).
  return {error_at(dir / "exhibits/x/en.toml", 1),
          error_at(dir / "strings/en.po", 4) || error_at(dir / "strings/en.po", 5)};
}

// Whether a required name field (given_name) or text field (grade) refuses `value`.
bool form_refuses(const std::string& id, const std::string& value) {
  std::string error;
  const std::string kind = id == "grade" ? "text" : "name";
  const auto schema = FormSchema::parse("[[field]]\nid = \"" + id + "\"\nkind = \"" + kind + "\"\nrequired = true\n",
                                        "agree.toml", &error);
  INFO(error);
  REQUIRE(schema);
  return !validate(*schema, {{id, value}}, "2026-12-01").empty();
}

// The directory CSV with `name` in row 2; the first error, or "" when it imports.
std::string csv_refusal(Registry& reg, const std::string& staff_id, const std::string& name) {
  const std::string path = core_test::fresh_path("agree.csv");
  std::ofstream(path, std::ios::binary) << "id,name,name_latin,kind,country,city\nhq-1," + name + ",,school,KH,\n";
  const ImportReport r = reg.import_organizations_csv(path, staff_id);
  return r.errors.empty() ? std::string() : r.errors.front();
}

}  // namespace

TEST_CASE("the checker, staff names, the form and the CSV import refuse the same bad strings",
          "[unicode][agreement]") {
  core_test::Fixture f("unicode-agree.sqlite3");
  StaffDirectory staff(*f.store);
  Registry reg(*f.store);
  for (const Bad& b : bad_strings()) {
    INFO(b.what);
    const ku::TextCheck found = ku::check_text(b.text);
    CHECK(found.problem == b.problem);
    CHECK(check_display_name(b.text, 60) != NameProblem::none);
    CHECK(staff.check_name(b.text) != StaffRule::ok);
    CHECK(form_refuses("given_name", b.text));
    CHECK(form_refuses("grade", b.text));
    const std::string csv = csv_refusal(reg, f.staff_id, b.text);
    CHECK(csv.rfind("agree.csv:2: name ", 0) == 0);
    CHECK(checker_refuses(b.text).title);
    // A catalog message may be blank ("…"); everything else is refused there too. (PO escapes
    // only \n \t \" \\: the other characters are written raw.)
    if (b.problem != ku::TextProblem::blank) CHECK(checker_refuses("Touch", b.text).message);
  }
  CHECK(reg.organization("hq-1") == std::nullopt);  // nothing bad was stored
}

TEST_CASE("the same callers accept the same good names in every script", "[unicode][agreement]") {
  core_test::Fixture f("unicode-agree-good.sqlite3");
  StaffDirectory staff(*f.store);
  Registry reg(*f.store);
  for (const std::string& good : k_good) {
    INFO(good);
    CHECK(!ku::check_text(good));
    CHECK(check_display_name(good, 60) == NameProblem::none);
    CHECK(staff.check_name(good) == StaffRule::ok);
    CHECK_FALSE(form_refuses("given_name", good));
    CHECK_FALSE(form_refuses("grade", good));
    CHECK(csv_refusal(reg, f.staff_id, good).empty());
    const CheckedLines checked = checker_refuses(good, good);
    CHECK_FALSE(checked.title);
    CHECK_FALSE(checked.message);
  }
}

TEST_CASE("the CSV import names the offending character and its byte", "[unicode][agreement]") {
  core_test::Fixture f("unicode-agree-names.sqlite3");
  Registry reg(*f.store);
  CHECK(csv_refusal(reg, f.staff_id, "\u202Eloohcs") ==
        "agree.csv:2: name holds a control character: U+202E (a bidi control) at byte 1");
  CHECK(csv_refusal(reg, f.staff_id, std::string("Nul\0School", 10)) ==
        "agree.csv:2: name holds a control character: U+0000 at byte 4");
}
