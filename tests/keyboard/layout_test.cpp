// tests/keyboard/layout_test.cpp — the layouts of content/keyboards load and have what the
// registration form needs; bad layout files are refused with file:line messages.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "support.h"

using namespace kiosk::ui;
using kbtest::cps;

namespace {

const KeyboardLayout& layout(std::string_view name) {
  const KeyboardLayout* l = kbtest::library().find(name);
  REQUIRE(l != nullptr);
  return *l;
}

const KeyDef* key(const KeyboardLayout& l, std::string_view name, bool shifted = false) {
  for (const auto& row : l.rows)
    for (const KeyDef& k : row)
      if ((!shifted || k.shift) && k.face(shifted).name == name) return &k;
  return nullptr;
}

std::vector<std::string> parse_errors(const std::string& toml) {
  std::vector<std::string> errors;
  auto l = parse_keyboard_layout(toml, "bad.toml", &errors);
  CHECK_FALSE(l.has_value());
  return errors;
}

bool has_error(const std::vector<std::string>& errors, const std::string& prefix,
               const std::string& words) {
  for (const auto& e : errors)
    if (e.rfind(prefix, 0) == 0 && e.find(words) != std::string::npos) return true;
  for (const auto& e : errors) UNSCOPED_INFO(e);
  return false;
}

}  // namespace

TEST_CASE("layouts/all eight load from content/keyboards", "[layout]") {
  const auto& lib = kbtest::library();
  std::set<std::string> names;
  for (const auto& l : lib.layouts()) names.insert(l.name);
  CHECK(names == std::set<std::string>{"arabic", "burmese", "handwriting", "khmer", "latin",
                                       "numeric", "phone", "pinyin"});
  CHECK(layout("pinyin").lang == "zh");
  CHECK(layout("pinyin").input == "pinyin");
  CHECK(layout("handwriting").input == "handwriting");
  CHECK(layout("handwriting").pad_rows > 0);
  CHECK(layout("khmer").lang == "km");
  CHECK(layout("burmese").lang == "my");
  CHECK(layout("arabic").lang == "ar");
  CHECK(layout("latin").lang == "en");
}

TEST_CASE("layouts/every layout has backspace, done and switch, and letter layouts have shift", "[layout]") {
  for (const auto& l : kbtest::library().layouts()) {
    INFO(l.name);
    CHECK(key(l, "backspace") != nullptr);
    CHECK(key(l, "done") != nullptr);
    CHECK(key(l, "switch") != nullptr);
    if (!l.input.empty()) {  // Chinese: no capitals, a candidate bar instead of shift
      CHECK(key(l, "space") != nullptr);
    } else if (l.name != "numeric" && l.name != "phone") {
      CHECK(l.has_shift);
      CHECK(key(l, "shift") != nullptr);
      CHECK(key(l, "space") != nullptr);
    }
  }
}

TEST_CASE("layouts/no output or extra contains a dotted circle", "[layout]") {
  for (const auto& l : kbtest::library().layouts())
    for (const auto& row : l.rows)
      for (const KeyDef& k : row)
        for (bool shifted : {false, true}) {
          const KeyFace& f = k.face(shifted);
          INFO(l.name << "." << f.name);
          for (auto cp : cps(f.output)) CHECK(cp != 0x25CC);
          for (const auto& x : f.extras)
            for (auto cp : cps(x.output)) CHECK(cp != 0x25CC);
        }
}

TEST_CASE("layouts/lam-alef, coeng, kinzi, Afrikaans extras and plus are there", "[layout]") {
  const KeyDef* lam_alef = key(layout("arabic"), "lam_alef");
  REQUIRE(lam_alef);
  CHECK(cps(lam_alef->base.output) == std::vector<std::uint32_t>{0x0644, 0x0627});
  const KeyDef* coeng = key(layout("khmer"), "coeng");
  REQUIRE(coeng);
  CHECK(cps(coeng->base.output) == std::vector<std::uint32_t>{0x17D2});
  const KeyDef* kinzi = key(layout("burmese"), "kinzi", true);
  REQUIRE(kinzi);
  CHECK(cps(kinzi->shift->output) == std::vector<std::uint32_t>{0x1004, 0x103A, 0x1039});
  CHECK(layout("burmese").prebase == PreBaseOrder::Visual);
  const KeyDef* e = key(layout("latin"), "e");
  REQUIRE(e);
  std::set<std::string> extras;
  for (const auto& x : e->base.extras) extras.insert(x.output);
  CHECK(extras.count("é") == 1);
  CHECK(extras.count("ê") == 1);
  CHECK(extras.count("ë") == 1);
  const KeyDef* o = key(layout("latin"), "o");
  REQUIRE(o);
  bool has_o_circumflex = false;
  for (const auto& x : o->base.extras) has_o_circumflex |= x.output == "ô";
  CHECK(has_o_circumflex);
  const KeyDef* plus = key(layout("phone"), "plus");
  REQUIRE(plus);
  CHECK(plus->base.output == "+");
}

TEST_CASE("layouts/all 33 Khmer and 33 Burmese consonants have a key", "[layout]") {
  auto outputs = [](const KeyboardLayout& l) {
    std::set<std::uint32_t> all;
    for (const auto& row : l.rows)
      for (const KeyDef& k : row)
        for (bool shifted : {false, true}) {
          auto c = cps(k.face(shifted).output);
          if (c.size() == 1) all.insert(c[0]);
        }
    return all;
  };
  auto km = outputs(layout("khmer"));
  for (std::uint32_t c = 0x1780; c <= 0x17A2; ++c) {
    if (c == 0x179D || c == 0x179E) continue;  // ឝ ឞ: obsolete, not on Khmer keyboards
    INFO("U+" << std::hex << c);
    CHECK(km.count(c) == 1);
  }
  auto my = outputs(layout("burmese"));
  for (std::uint32_t c = 0x1000; c <= 0x1020; ++c) {
    INFO("U+" << std::hex << c);
    CHECK(my.count(c) == 1);
  }
  for (std::uint32_t c : {0x103B, 0x103C, 0x103D, 0x103E, 0x1031, 0x103A, 0x1038, 0x1037, 0x1039})
    CHECK(my.count(c) == 1);
}

TEST_CASE("layouts/a TOML syntax error is reported as file:line", "[layout][errors]") {
  auto errors = parse_errors("name = \"x\"\nlang = \"en\"\nrows = [ [ { output = \"a\" ]\n");
  CHECK(has_error(errors, "bad.toml:3", ""));
}

TEST_CASE("layouts/semantic errors name the key's line", "[layout][errors]") {
  const std::string head = "name = \"t\"\nlang = \"km\"\nrows = [\n  [\n";
  SECTION("a non-ASCII output without a name") {
    auto errors = parse_errors(head + "    { output = \"a\" },\n    { output = \"ក\" },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:6:", "needs a 'name'"));
  }
  SECTION("an unknown field") {
    auto errors = parse_errors(head + "    { output = \"a\", colour = \"red\" },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:5:", "unknown key field 'colour'"));
  }
  SECTION("a dotted circle in an output") {
    auto errors = parse_errors(head + "    { name = \"aa\", output = \"◌ា\" },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:5:", "DOTTED CIRCLE"));
  }
  SECTION("a duplicate name") {
    auto errors = parse_errors(head + "    { output = \"a\" },\n\n    { name = \"a\", output = \"b\" },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:7:", "duplicate key name 'a'"));
  }
  SECTION("a width out of range") {
    auto errors = parse_errors(head + "    { output = \"a\", width = 40 },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:5:", "'width'"));
  }
  SECTION("a width that is not a number: nan or inf") {
    for (const char* w : {"nan", "inf", "-inf"}) {
      auto errors = parse_errors(head + "    { output = \"a\", width = " + w + " },\n  ],\n]\n");
      CHECK(has_error(errors, "bad.toml:5:", "'width'"));
    }
  }
  SECTION("an unknown action") {
    auto errors = parse_errors(head + "    { action = \"explode\" },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:5:", "unknown action 'explode'"));
  }
  SECTION("a text key without output") {
    auto errors = parse_errors(head + "    { name = \"ka\", label = \"ក\" },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:5:", "non-empty 'output'"));
  }
  SECTION("an extra that is not a string or table") {
    auto errors = parse_errors(head + "    { output = \"e\", extras = [1] },\n  ],\n]\n");
    CHECK(has_error(errors, "bad.toml:5:", "an extra must be"));
  }
}

TEST_CASE("layouts/missing fields and empty rows are refused", "[layout][errors]") {
  CHECK(has_error(parse_errors("lang = \"en\"\nrows = [[{ output = \"a\" }]]\n"), "bad.toml:1:",
                  "'name'"));
  CHECK(has_error(parse_errors("name = \"x\"\nlang = \"en\"\nrows = []\n"), "bad.toml:3:",
                  "'rows'"));
  CHECK(has_error(parse_errors("name = \"x\"\nlang = \"en\"\nrows = [[{ output = \"a\" }]]\nmood = 1\n"),
                  "bad.toml:4:", "unknown layout field 'mood'"));
}

TEST_CASE("layouts/a folder skips and reports each bad file, including a misnamed one", "[layout][errors]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "kbd_layout_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "good.toml")
      << "name = \"good\"\nlang = \"en\"\nrows = [[{ output = \"a\" }, { action = \"switch\" }]]\n";
  std::ofstream(dir / "other.toml")
      << "name = \"good2\"\nlang = \"en\"\nrows = [[{ output = \"a\" }, { action = \"switch\" }]]\n";
  std::ofstream(dir / "broken.toml") << "name = \"broken\"\nlang = \"en\"\nrows = [[{ output = }]]\n";
  KeyboardLibrary lib;
  std::vector<std::string> errors;
  CHECK(lib.load_dir(dir.string(), &errors) == 1);
  CHECK(lib.find("good") != nullptr);
  CHECK(has_error(errors, (dir / "other.toml").string() + ":1:", "file name"));
  CHECK(has_error(errors, (dir / "broken.toml").string() + ":3:", ""));
  fs::remove_all(dir);
}
