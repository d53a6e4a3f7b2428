// tests/unit/toml_safety_test.cpp — the pre-check every TOML reader runs (kiosk/core/toml_safety.h).
//
// Hostile inputs are generated here at run time: 50,000 levels of dotted keys or of a [a.a…]
// header overflowed toml++'s stack before the pre-check existed (this suite then died with
// SIGSEGV instead of failing an assertion).
#include "form_schema.h"
#include "toml_safety.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace kiosk::core;

namespace {

std::string dotted(int levels) {
  std::string key = "a";
  key.reserve(static_cast<size_t>(levels) * 2);
  for (int i = 1; i < levels; ++i) key += ".a";
  return key;
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_CASE("50,000 levels of dotted keys are refused before toml++ parses them", "[toml]") {
  const std::string text = "# a comment\n[kiosk]\n" + dotted(50000) + " = 1\n";
  const auto r = precheck_toml(text);
  REQUIRE(r);
  CHECK(r->line == 3);
  CHECK(r->reason == "tables, dotted keys and arrays nested more than 32 levels deep "
                     "(refused before parsing)");
  toml::table t;
  TomlRefusal refusal;
  CHECK_FALSE(parse_toml_checked(text, "deep.toml", &t, &refusal));
  CHECK(refusal.line == 3);
}

TEST_CASE("a 50,000-level [a.a…] header and [[a.a…]] are refused with their line", "[toml]") {
  for (const char* open : {"[", "[["}) {
    const std::string close = std::string(open) == "[" ? "]" : "]]";
    const std::string text = "x = 1\n\n" + std::string(open) + dotted(50000) + close + "\nb = 2\n";
    const auto r = precheck_toml(text);
    REQUIRE(r);
    CHECK(r->line == 3);
  }
}

TEST_CASE("deep arrays, inline tables and dotted keys inside them add up", "[toml]") {
  CHECK(precheck_toml("a = " + std::string(40, '[') + std::string(40, ']') + "\n"));
  std::string inline_tables = "a = ";
  for (int i = 0; i < 20; ++i) inline_tables += "{b.c = ";
  inline_tables += "1" + std::string(20, '}') + "\n";
  const auto r = precheck_toml(inline_tables);
  REQUIRE(r);
  CHECK(r->line == 1);
  // Within the limit: 31 levels of dotted keys under one table is still a file toml++ reads.
  CHECK_FALSE(precheck_toml("[t]\n" + dotted(31) + " = 1\n"));
  toml::table t;
  TomlRefusal refusal;
  CHECK(parse_toml_checked("[t]\n" + dotted(31) + " = 1\n", "ok.toml", &t, &refusal));
}

TEST_CASE("dots and brackets in strings and comments are not nesting", "[toml]") {
  const std::string dots = std::string(200, '.');
  const std::string brackets = std::string(100, '[');
  const std::string text =
      "a = \"" + dots + brackets + "\"\n"
      "b = '" + brackets + "'\n"
      "c = \"\"\"\n" + brackets + "\n\\\"\"\"" + dots + "\"\"\"\n"
      "d = '''" + brackets + "\n" + dots + "'''\n"
      "# " + brackets + dots + "\n"
      "\"quoted.key.with.dots\" = 1.5\n"
      "e = 1979-05-27T07:32:00.999Z\n"
      "f = [1.5, 2.5, {g.h = 3}]\n"
      "[\"x.y\".z]\n"
      "w = 1\n";
  CHECK_FALSE(precheck_toml(text));
  toml::table t;
  TomlRefusal refusal;
  REQUIRE(parse_toml_checked(text, "strings.toml", &t, &refusal));
  CHECK(t["x.y"]["z"]["w"].value<int>() == 1);
}

TEST_CASE("an overlong key is refused, and a syntax error keeps toml++'s line", "[toml]") {
  const auto r = precheck_toml("ok = 1\n" + std::string(300, 'k') + " = 1\n");
  REQUIRE(r);
  CHECK(r->line == 2);
  CHECK(r->reason == "a key longer than 256 bytes (refused before parsing)");
  CHECK(precheck_toml("\"" + std::string(300, 'k') + "\" = 1\n"));
  toml::table t;
  TomlRefusal refusal;
  CHECK_FALSE(parse_toml_checked("a = 1\nb = = 2\n", "syntax.toml", &t, &refusal));
  CHECK(refusal.line == 2);
}

TEST_CASE("a TOML file over 4 MiB is refused without being parsed", "[toml]") {
  const auto path = std::filesystem::temp_directory_path() / "kiosk-toml-safety-big.toml";
  std::ofstream(path) << "a = \"" << std::string(5u * 1024 * 1024, 'x') << "\"\n";
  toml::table t;
  TomlRefusal refusal;
  CHECK_FALSE(parse_toml_file_checked(path.string(), &t, &refusal));
  CHECK(refusal.line == 0);
  CHECK(refusal.reason == "larger than 4 MiB (refused before parsing)");
  CHECK_FALSE(parse_toml_file_checked("/nonexistent/x.toml", &t, &refusal));
  CHECK(refusal.reason == "cannot be read");
  std::filesystem::remove(path);
}

TEST_CASE("every TOML file the project ships passes the pre-check", "[toml]") {
  int files = 0;
  for (const char* dir : {"config", "content"}) {
    for (const auto& e :
         std::filesystem::recursive_directory_iterator(std::string(KIOSK_SOURCE_DIR "/") + dir)) {
      if (e.path().extension() != ".toml") continue;
      INFO(e.path().string());
      const auto r = precheck_toml(read_all(e.path()));
      CHECK_FALSE(r);
      ++files;
    }
  }
  CHECK(files > 50);
}

TEST_CASE("a form file with 50,000 levels of dotted keys is refused, naming file and line",
          "[toml][form]") {
  std::string error;
  const auto form = FormSchema::parse("[form]\ntour = \"t\"\n" + dotted(50000) + " = 1\n",
                                      "forms/deep.toml", &error);
  CHECK_FALSE(form);
  CHECK(error == "forms/deep.toml:3: tables, dotted keys and arrays nested more than 32 levels "
                 "deep (refused before parsing)");
}
