#include "catalog.h"
#include "exhibit.h"
#include "pack.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace kiosk::content;
namespace fs = std::filesystem;

TEST_CASE("PO files parse with multi-line strings, escapes and fuzzy entries", "[catalog]") {
  PoFile po;
  std::string error;
  REQUIRE(parse_po("# header\nmsgid \"\"\nmsgstr \"\"\n\"Language: km\\n\"\n\n"
                   "msgid \"a.b\"\nmsgstr \"one \"\n\"two\\n\\\"q\\\"\"\n\n"
                   "#, fuzzy\nmsgid \"c\"\nmsgstr \"unsure\"\n\n"
                   "msgid \"empty\"\nmsgstr \"\"\n",
                   "km.po", &po, &error));
  CHECK(po.messages.at("a.b") == "one two\n\"q\"");
  CHECK(po.lines.at("a.b") == 6);
  CHECK(po.messages.count("c") == 0);      // fuzzy: not trusted
  CHECK(po.messages.count("empty") == 0);  // untranslated
}

TEST_CASE("malformed PO input is reported with file and line", "[catalog]") {
  PoFile po;
  std::string error;
  CHECK_FALSE(parse_po("msgid \"a\"\nmsgstr \"x\n", "x.po", &po, &error));
  CHECK(error == "x.po:2: unterminated string");
  CHECK_FALSE(parse_po("msgstr \"x\"\n", "x.po", &po, &error));
  CHECK(error == "x.po:1: msgstr without a msgid before it");
  CHECK_FALSE(parse_po("msgid \"a\"\nmsgstr \"1\"\nmsgid \"a\"\nmsgstr \"2\"\n", "x.po", &po, &error));
  CHECK(error == "x.po:3: duplicate msgid \"a\"");
  CHECK_FALSE(parse_po("hello\n", "x.po", &po, &error));
  CHECK(error.rfind("x.po:1: unrecognised line", 0) == 0);
}

TEST_CASE("a PO reason quoting the file's bytes stays one line", "[catalog]") {
  // Found by tests/fuzz/pack_check: the byte after a backslash, and a duplicate msgid holding
  // an escaped line break, were quoted raw, so "FILE:LINE: reason" spanned lines.
  PoFile po;
  std::string error;
  CHECK_FALSE(parse_po("msgid \"a\\\x1B\"\nmsgstr \"x\"\n", "x.po", &po, &error));
  CHECK(error == "x.po:1: unknown escape: a backslash before the byte 0x1B");
  CHECK_FALSE(parse_po("msgid \"a\\q\"\n", "x.po", &po, &error));
  CHECK(error == "x.po:1: unknown escape \\q");
  CHECK_FALSE(parse_po("msgid \"a\\nb\"\nmsgstr \"1\"\n\nmsgid \"a\\nb\"\nmsgstr \"2\"\n", "x.po", &po,
                       &error));
  CHECK(error == "x.po:4: duplicate msgid \"a\\nb\"");
}

TEST_CASE("lookups fall back to the pack default, then English, never to a bare key",
          "[catalog]") {
  Catalog c;
  PoFile en, km, zu;
  en.messages = {{"a", "A"}, {"b", "B"}, {"c", "C"}};
  zu.messages = {{"a", "zuA"}, {"b", "zuB"}};
  km.messages = {{"a", "kmA"}};
  c.add_language("en", en);
  c.add_language("zu", zu);
  c.add_language("km", km);
  c.set_default_language("zu");
  CHECK(c.get("km", "a").text == "kmA");
  CHECK_FALSE(c.get("km", "a").fell_back);
  auto b = c.get("km", "b");
  CHECK(b.text == "zuB");
  CHECK(b.lang == "zu");  // rendered with the script of the language it is really in
  CHECK(b.fell_back);
  CHECK(c.get("km", "c").text == "C");
  auto missing = c.get("km", "nope");
  CHECK(missing.missing);
  CHECK(missing.text == "\xE2\x9F\xA6nope\xE2\x9F\xA7");  // visible placeholder, logged
}

namespace {
fs::path make_pack(const std::string& name, const std::string& manifest,
                   const std::vector<std::string>& langs) {
  fs::path dir = fs::temp_directory_path() / "kiosk-pack-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir / "strings");
  std::ofstream(dir / "pack.toml") << manifest;
  for (const auto& l : langs)
    std::ofstream(dir / "strings" / (l + ".po")) << "msgid \"language.name\"\nmsgstr \"" << l << "\"\n";
  return dir;
}
}  // namespace

TEST_CASE("a pack loads its languages, catalogs and exhibits", "[pack]") {
  auto dir = make_pack("ok", "id = \"t\"\nlanguages = [\"km\", \"en\"]\nexhibits = [\"x\"]\n",
                       {"km", "en"});
  fs::create_directories(dir / "exhibits" / "x");
  std::ofstream(dir / "exhibits" / "x" / "exhibit.toml") << "id = \"x\"\ncategory = \"light\"\n";
  std::ofstream(dir / "exhibits" / "x" / "km.toml") << "title = \"ពន្លឺ\"\n";
  Pack p;
  std::vector<std::string> errors;
  REQUIRE(load_pack(dir.string(), &p, &errors));
  CHECK(p.default_language == "km");  // the first listed, when not given
  REQUIRE(p.exhibits.size() == 1);
  std::string_view shown;
  CHECK(p.title(p.exhibits[0], "km", &shown) == "ពន្លឺ");
  CHECK(p.title(p.exhibits[0], "en", &shown) == "ពន្លឺ");  // en missing: falls back to km
  CHECK(p.strings.get("km", "language.name").text == "km");
}

TEST_CASE("the home grid and attract draw the picture an exhibit names, not a fixed file name", "[pack]") {
  auto dir = make_pack("image", "id = \"t\"\nlanguages = [\"en\"]\nexhibits = [\"named\", \"plain\"]\n", {"en"});
  fs::create_directories(dir / "exhibits" / "named");
  fs::create_directories(dir / "exhibits" / "plain");
  std::ofstream(dir / "exhibits" / "named" / "exhibit.toml") << "id = \"named\"\nimage = \"volcano.png\"\n";
  std::ofstream(dir / "exhibits" / "plain" / "exhibit.toml") << "id = \"plain\"\n";
  std::ofstream(dir / "exhibits" / "named" / "en.toml")
      << "title = \"Volcanoes\"\nsummary = \"Hot rock rises.\"\nimage_alt = \"A volcano.\"\nbody = \"Magma rises.\"\n"
      << "facts = [\"Lava is molten rock.\", \"Ash can fly far.\"]\n";
  Pack p;
  std::vector<std::string> errors;
  REQUIRE(load_pack(dir.string(), &p, &errors));
  REQUIRE(p.exhibits.size() == 2);
  CHECK(p.exhibits[0].image == p.exhibits[0].folder + "/volcano.png");
  CHECK(p.exhibits[1].image == p.exhibits[1].folder + "/illustration.png");  // the default
  Exhibit ex;
  const bool loaded = load_exhibit(p.exhibits[0], p.languages, &ex, &errors);
  INFO((errors.empty() ? std::string() : errors.front()));
  REQUIRE(loaded);
  CHECK(ex.image_path == p.exhibits[0].image);  // the exhibit screen draws the same file
  // A name that leaves the folder is refused when the pack loads, with the file it is in.
  std::ofstream(dir / "exhibits" / "named" / "exhibit.toml", std::ios::trunc) << "id = \"named\"\nimage = \"../x.png\"\n";
  errors.clear();
  CHECK_FALSE(load_pack(dir.string(), &p, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == (dir / "exhibits" / "named" / "exhibit.toml").lexically_normal().string() +
                         ": image must be the name of a file in the exhibit's folder, not '../x.png'");
}

TEST_CASE("a broken pack is refused with one line per problem", "[pack]") {
  Pack p;
  std::vector<std::string> errors;
  CHECK_FALSE(load_pack("/nonexistent/pack", &p, &errors));
  CHECK(errors.at(0) == "/nonexistent/pack: content pack folder not found");

  errors.clear();
  auto dir = make_pack("bad", "id = \"t\"\nlanguages = [\"km\", \"km\"]\ncolour = \"red\"\n", {"km"});
  CHECK_FALSE(load_pack(dir.string(), &p, &errors));
  const std::string manifest = (dir / "pack.toml").string();
  CHECK(std::find(errors.begin(), errors.end(), manifest + ":3: unknown key 'colour'") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), manifest + ": language 'km' listed twice") != errors.end());

  errors.clear();
  dir = make_pack("nocatalog", "id = \"t\"\nlanguages = [\"my\", \"en\"]\nexhibits = [\"gone\"]\n", {"en"});
  CHECK_FALSE(load_pack(dir.string(), &p, &errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("my.po: cannot open the catalog") != std::string::npos);
  CHECK(errors[1].find("exhibit 'gone'") != std::string::npos);
}

TEST_CASE("the bundled demo pack loads cleanly", "[pack]") {
  Pack p;
  std::vector<std::string> errors;
  const bool ok = load_pack(KIOSK_SOURCE_DIR "/content/packs/demo", &p, &errors);
  for (const auto& e : errors) UNSCOPED_INFO(e);
  REQUIRE(ok);
  CHECK(p.languages.size() == 8);
  for (const auto& l : p.languages) {
    CHECK_FALSE(p.strings.get(l, "language.name").fell_back);
    CHECK_FALSE(p.strings.get(l, "attract.touch").fell_back);
  }
}
