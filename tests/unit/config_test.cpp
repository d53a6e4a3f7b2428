#include "config.h"
#include "script.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace kiosk::app;

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "kiosk-config-test";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("a valid config is read and relative paths resolve against its folder", "[config]") {
  auto path = write_temp("ok.toml",
                         "[kiosk]\npack = \"packs/demo\"\nidle_timeout_s = 30\nfullscreen = false\n"
                         "[staff]\nlong_press_s = 2.5\nlanguage = \"km\"\n");
  Config c;
  std::string error;
  REQUIRE(load_config(path, &c, &error));
  CHECK(c.idle_timeout_s == 30);
  CHECK_FALSE(c.fullscreen);
  CHECK(c.staff_long_press_s == 2.5);
  CHECK(c.staff_language == "km");
  CHECK(c.pack_path == (std::filesystem::path(path).parent_path() / "packs/demo").string());
}

TEST_CASE("an unknown key names the file, line and key", "[config]") {
  auto path = write_temp("unknown.toml", "[kiosk]\nidle_timeout_s = 30\nidle_timout = 5\n");
  Config c;
  std::string error;
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error == path + ":3: unknown key 'kiosk.idle_timout'");
}

TEST_CASE("an unknown section is an error", "[config]") {
  auto path = write_temp("section.toml", "[kiosks]\npack = \"x\"\n");
  Config c;
  std::string error;
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.find(path + ":1: unknown section 'kiosks'") == 0);
}

TEST_CASE("a bad value names the key and why, and leaves the config untouched", "[config]") {
  auto path = write_temp("bad.toml", "[kiosk]\nui_scale = 1.5\nidle_timeout_s = \"ninety\"\n");
  Config c;
  std::string error;
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error == path + ":3: key 'kiosk.idle_timeout_s': expected a number");
  CHECK(c.ui_scale == 1.0);  // nothing half-applied
  path = write_temp("range.toml", "[kiosk]\nidle_timeout_s = 0\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.find("must be between 5") != std::string::npos);
  path = write_temp("lang.toml", "[staff]\nlanguage = \"Khmer\"\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error == path + ":2: key 'staff.language': expected a language code such as \"km\" or \"en\"");
  path = write_temp("bool.toml", "[kiosk]\nfullscreen = 1\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error == path + ":2: key 'kiosk.fullscreen': expected true or false");
}

TEST_CASE("nan and inf are refused for every number, naming the allowed range", "[config]") {
  // A range test alone lets nan through (every comparison with it is false).
  struct Case {
    const char* section;
    const char* key;
    const char* range;
  };
  const Case cases[] = {{"kiosk", "ui_scale", "between 0.5 and 3"},
                        {"kiosk", "idle_timeout_s", "between 5 and 86400"},
                        {"staff", "long_press_s", "between 0.5 and 10"},
                        {"staff", "session_idle_s", "between 10 and 86400"}};
  for (const Case& k : cases) {
    for (const char* bad : {"nan", "+nan", "-nan", "inf", "-inf"}) {
      INFO(k.key << " = " << bad);
      const auto path = write_temp("nonfinite.toml", std::string("[") + k.section + "]\n\n" + k.key +
                                                         " = " + bad + "\n");
      Config c;
      std::string error;
      REQUIRE_FALSE(load_config(path, &c, &error));
      CHECK(error.rfind(path + ":3: key '" + k.section + "." + k.key + "': must be " + k.range +
                            ", got ",
                        0) == 0);
      CHECK(std::isfinite(c.ui_scale));
      CHECK(std::isfinite(c.idle_timeout_s));
      CHECK(std::isfinite(c.staff_long_press_s));
    }
  }
  Config c;
  std::string error;
  const auto path = write_temp("huge.toml", "[kiosk]\nui_scale = 1e308\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.rfind(path + ":2: key 'kiosk.ui_scale': must be between 0.5 and 3, got ", 0) == 0);
}

TEST_CASE("a syntax error reports the line", "[config]") {
  auto path = write_temp("syntax.toml", "[kiosk]\n\nidle_timeout_s = = 3\n");
  Config c;
  std::string error;
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.rfind(path + ":3: ", 0) == 0);
}

TEST_CASE("a missing config file is an error naming it", "[config]") {
  Config c;
  std::string error;
  REQUIRE_FALSE(load_config("/nonexistent/kiosk.toml", &c, &error));
  CHECK(error.find("/nonexistent/kiosk.toml") == 0);
}

TEST_CASE("a config nested 50,000 levels deep is refused with its line, not a crash", "[config]") {
  // Before the shared pre-check (kiosk/core/toml_safety.h) toml++ overflowed the stack here.
  std::string key = "kiosk";
  for (int i = 0; i < 50000; ++i) key += ".a";
  Config c;
  std::string error;
  auto path = write_temp("deep-keys.toml", "# hostile\n" + key + " = 1\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error == path + ":2: tables, dotted keys and arrays nested more than 32 levels deep "
                        "(refused before parsing)");
  path = write_temp("deep-header.toml", "[kiosk]\nui_scale = 1.5\n[" + key + "]\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.rfind(path + ":3: tables, dotted keys and arrays nested more than 32", 0) == 0);
  CHECK(c.ui_scale == 1.0);
}

TEST_CASE("harness scripts parse every command", "[script]") {
  std::vector<ScriptCommand> cmds;
  std::string error;
  REQUIRE(parse_script("# visit\n"
                       "tap 100 200\n"
                       "tap @lang.km\n"
                       "longpress @staff.logo 3100\n"
                       "drag 10 20 30 40 500\n"
                       "flick 10 900 10 100\n"
                       "type \"ស្វែងរក \\\"x\\\"\"\n"
                       "key Return\n"
                       "wait 91000\n"
                       "expect-screen attract\n"
                       "expect-widget @home.back\n"
                       "screenshot out/a.png\n",
                       "t.script", &cmds, &error));
  REQUIRE(cmds.size() == 11);
  CHECK(cmds[0].x1 == 100);
  CHECK(cmds[1].target == "lang.km");
  CHECK(cmds[2].ms == 3100);
  CHECK(cmds[3].ms == 500);
  CHECK(cmds[4].kind == ScriptCommand::Kind::Flick);
  CHECK(cmds[5].text == "ស្វែងរក \"x\"");
  CHECK(cmds[7].ms == 91000);
  CHECK(cmds[10].line == 12);
}

TEST_CASE("%PASS% becomes the soak's pass number in letters", "[script]") {
  CHECK(expand_pass("Soak%PASS%", 1) == "Soaka");
  CHECK(expand_pass("Soak%PASS%", 26) == "Soakz");
  CHECK(expand_pass("%PASS%-%PASS%", 27) == "aa-aa");
  CHECK(expand_pass("x%PASS%", 28) == "xab");
  CHECK(expand_pass("x%PASS%", 702) == "xzz");
  CHECK(expand_pass("x%PASS%", 703) == "xaaa");
  CHECK(expand_pass("no token %PASS", 5) == "no token %PASS");
}

TEST_CASE("a bad script line is reported with file and line", "[script]") {
  std::vector<ScriptCommand> cmds;
  std::string error;
  CHECK_FALSE(parse_script("tap 1 2\ntapp 3 4\n", "s.txt", &cmds, &error));
  CHECK(error == "s.txt:2: unknown command 'tapp'");
  CHECK_FALSE(parse_script("tap 1\n", "s.txt", &cmds, &error));
  CHECK(error == "s.txt:1: tap needs X Y or @widget-id");
  CHECK_FALSE(parse_script("type \"open\n", "s.txt", &cmds, &error));
  CHECK(error == "s.txt:1: unterminated quoted text");
  CHECK_FALSE(parse_script("wait -5\n", "s.txt", &cmds, &error));
}

TEST_CASE("[sync] url is empty or an http address; anything else names the key", "[config]") {
  Config c;
  std::string error;
  auto path = write_temp("sync.toml", "[sync]\nurl = \"http://10.0.0.5:8080\"\n");
  REQUIRE(load_config(path, &c, &error));
  CHECK(c.sync_url == "http://10.0.0.5:8080");
  path = write_temp("sync-empty.toml", "[sync]\nurl = \"\"\n");
  REQUIRE(load_config(path, &c, &error));
  CHECK(c.sync_url.empty());
  path = write_temp("sync-bad.toml", "[sync]\nurl = \"hq.example.org\"\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.rfind(path + ":2: key 'sync.url': ", 0) == 0);
  path = write_temp("sync-number.toml", "[sync]\nurl = 8080\n");
  REQUIRE_FALSE(load_config(path, &c, &error));
  CHECK(error.rfind(path + ":2: key 'sync.url': ", 0) == 0);
}

TEST_CASE("wait-for takes a widget and an optional real-time limit", "[script]") {
  std::vector<ScriptCommand> cmds;
  std::string error;
  REQUIRE(parse_script("wait-for @sync.send\nwait-for @sync.message.sync.outcome.ok 45000\n", "t.script",
                       &cmds, &error));
  REQUIRE(cmds.size() == 2);
  CHECK(cmds[0].kind == ScriptCommand::Kind::WaitFor);
  CHECK(cmds[0].target == "sync.send");
  CHECK(cmds[0].ms == 20000);
  CHECK(cmds[1].ms == 45000);
  CHECK_FALSE(parse_script("wait-for sync.send\n", "s.txt", &cmds, &error));
  CHECK(error == "s.txt:1: wait-for needs @id and optionally real milliseconds");
  CHECK_FALSE(parse_script("wait-for @a 5 6\n", "s.txt", &cmds, &error));
}

TEST_CASE("press, release and expect-colour hold a finger and read a button's fill", "[script]") {
  std::vector<ScriptCommand> cmds;
  std::string error;
  REQUIRE(parse_script("press @visitor.large-text\nexpect-colour @visitor.large-text 00796b\nrelease\npress 10 20\n",
                       "t.script", &cmds, &error));
  REQUIRE(cmds.size() == 4);
  CHECK(cmds[0].kind == ScriptCommand::Kind::Press);
  CHECK(cmds[0].target == "visitor.large-text");
  CHECK(cmds[1].kind == ScriptCommand::Kind::ExpectColour);
  CHECK(cmds[1].colour == 0x00796Bu);
  CHECK(cmds[2].kind == ScriptCommand::Kind::Release);
  CHECK(cmds[3].x1 == 10);
  CHECK_FALSE(parse_script("expect-colour @a #00796B\n", "s.txt", &cmds, &error));  // '#' starts a comment
  CHECK(error == "s.txt:1: expect-colour needs @widget-id and RRGGBB (six hex digits, no '#')");
  CHECK_FALSE(parse_script("expect-colour @a 00796G\n", "s.txt", &cmds, &error));
  CHECK_FALSE(parse_script("release now\n", "s.txt", &cmds, &error));
  CHECK(error == "s.txt:1: release takes no arguments");
}

TEST_CASE("expect-text names a text and the smallest type size it may be drawn at", "[script]") {
  std::vector<ScriptCommand> cmds;
  std::string error;
  REQUIRE(parse_script("expect-text \"101,800\" 26\nexpect-text \"១០១ ៨០០\" 24.5\n", "t.script", &cmds, &error));
  REQUIRE(cmds.size() == 2);
  CHECK(cmds[0].kind == ScriptCommand::Kind::ExpectText);
  CHECK(cmds[0].text == "101,800");
  CHECK(cmds[0].ms == 26);
  CHECK(cmds[1].text == "១០១ ៨០០");
  CHECK(cmds[1].ms == 24.5);
  for (const char* bad : {"expect-text \"101\"\n", "expect-text \"101\" 0\n", "expect-text \"101\" big\n",
                          "expect-text \"\" 26\n", "expect-text \"101\" 26 27\n"}) {
    CHECK_FALSE(parse_script(bad, "s.txt", &cmds, &error));
    CHECK(error == "s.txt:1: expect-text needs \"TEXT\" and a type size in units (> 0)");
  }
}

TEST_CASE("the shipped kiosk's harness refuses the test-build commands", "[script]") {
  std::vector<ScriptCommand> cmds;
  std::string error;
  const std::string script = "tap 1 2\nexpect-db \"SELECT 1\" \"1\"\n";
  CHECK_FALSE(parse_script(script, "s.script", &cmds, &error, /*test_commands=*/false));
  CHECK(error.find("s.script:2: 'expect-db' is a test-build command") == 0);
  CHECK_FALSE(parse_script("store-fault read-only\n", "s.script", &cmds, &error, false));
  CHECK(error.find("s.script:1: 'store-fault' is a test-build command") == 0);
  // This is a test build: it has them, and parse_script() defaults to the build's setting.
  CHECK(kHarnessTestCommands);
  REQUIRE(parse_script(script, "s.script", &cmds, &error));
  CHECK(cmds.back().kind == ScriptCommand::Kind::ExpectDb);
}
