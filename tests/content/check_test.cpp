// tests/content/check_test.cpp — `kiosk-content check` against purposely broken packs.
//
// Each test builds a small, valid pack in a temp folder (TestPack), breaks one thing, and asserts
// the exact "file:line: problem" line the checker prints for it. The valid pack's files have a
// fixed layout so that line numbers in the assertions are stable:
//   pack.toml       1 id, 2 name, 3 country, 4 languages, 5 default_language, 6 exhibits
//   exhibit.toml    1 id, 2 category, 3 image, 4 image_credit, 5 quiz_answers
//   <lang>.toml     1 title, 2 summary, 3 image_alt, 4 body, 5 facts,
//                   7 [[quiz]] 8 question 9 options 10 explanation, 12 [[quiz]] 13..15
//   strings/<l>.po  1 language.name, 4 attract.touch, 7 consent.text, 10 consent.text.version
#include "check.h"
#include "exhibit.h"
#include "pack.h"

#include <catch2/catch.hpp>
#include <stb_image_write.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

using namespace kiosk::content;
namespace fs = std::filesystem;

namespace {

const char* const k_manifest =
    "id = \"t\"\n"
    "name = \"Test pack\"\n"
    "country = \"KH\"\n"
    "languages = [\"km\", \"en\"]\n"
    "default_language = \"km\"\n"
    "exhibits = [\"x\"]\n";

const char* const k_exhibit =
    "id = \"x\"\n"
    "category = \"light\"\n"
    "image = \"illustration.png\"\n"
    "image_credit = \"Roadshow Kiosk tests\"\n"
    "quiz_answers = [1, 2]\n";

std::string exhibit_text(const std::string& title) {
  return "title = \"" + title + "\"\n"
         "summary = \"Light bends when it enters water.\"\n"
         "image_alt = \"A straw that looks broken in a glass of water.\"\n"
         "body = \"Light travels more slowly in water than in air.\"\n"
         "facts = [\"Light is fast.\", \"Glass bends light too.\"]\n"
         "\n"
         "[[quiz]]\n"
         "question = \"What bends the light?\"\n"
         "options = [\"Air\", \"Water\", \"Nothing\"]\n"
         "explanation = \"Light slows down in water and changes direction.\"\n"
         "\n"
         "[[quiz]]\n"
         "question = \"Which is fastest?\"\n"
         "options = [\"Sound\", \"A car\", \"Light\"]\n"
         "explanation = \"Nothing is faster than light.\"\n";
}

const char* const k_khmer_title = "ពន្លឺ";

// The guardian's consent text and its version, which every pack language's catalog must have.
std::string consent_entries(const std::string& text, const std::string& version = "2026-1") {
  return "\nmsgid \"consent.text\"\nmsgstr \"" + text + "\"\n\n"
         "msgid \"consent.text.version\"\nmsgstr \"" + version + "\"\n";
}
const char* const k_khmer_consent = "ខ្ញុំយល់ព្រម។";

void write_file(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void write_png(const fs::path& path, int w, int h) {
  std::vector<unsigned char> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 3, 0x80);
  REQUIRE(stbi_write_png(path.string().c_str(), w, h, 3, pixels.data(), w * 3) != 0);
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A small valid pack (km default, en) with one exhibit "x", in a fresh temp folder.
struct TestPack {
  fs::path dir;

  explicit TestPack(const std::string& name) {
    // One folder per process and test, so parallel ctest runs never share files.
    dir = fs::temp_directory_path() /
          ("kiosk-content-check-" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    write("pack.toml", k_manifest);
    write("strings/en.po", "msgid \"language.name\"\nmsgstr \"English\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"Touch to start\"\n" +
                               consent_entries("I agree."));
    write("strings/km.po", "msgid \"language.name\"\nmsgstr \"ខ្មែរ\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"ប៉ះដើម្បីចាប់ផ្តើម\"\n" +
                               consent_entries(k_khmer_consent));
    write("exhibits/x/exhibit.toml", k_exhibit);
    write("exhibits/x/en.toml", exhibit_text("Bending light"));
    write("exhibits/x/km.toml", exhibit_text(k_khmer_title));
    write_png(dir / "exhibits/x/illustration.png", 12, 8);
  }
  ~TestPack() {
    std::error_code ec;
    fs::remove_all(dir.parent_path(), ec);
  }
  TestPack(const TestPack&) = delete;
  TestPack& operator=(const TestPack&) = delete;
  void write(const std::string& rel, std::string_view bytes) const { write_file(dir / rel, bytes); }
  std::string path(const std::string& rel) const { return (dir / rel).string(); }
  CheckReport check() const { return check_pack(dir.string()); }
};

std::string dump(const CheckReport& r) {
  std::string out;
  for (const Finding& f : r.findings) out += f.text() + "\n";
  return out + r.summary();
}

}  // namespace

TEST_CASE("check passes a well-formed pack with no findings", "[check]") {
  TestPack p("ok");
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.findings.empty());
  CHECK(r.summary() == "0 errors, 0 warnings in " + p.dir.string());
  REQUIRE(r.coverage.size() == 2);
  CHECK(r.coverage[0].lang == "km");
  CHECK(r.coverage[0].exhibits_complete == 1);
  CHECK(r.coverage[0].exhibits_total == 1);
  CHECK(r.coverage[0].strings_translated == 4);
  CHECK(r.coverage[0].strings_total == 4);
}

TEST_CASE("check refuses a pack with a missing language", "[check]") {
  TestPack p("missing-language");
  fs::remove(p.dir / "exhibits/x/km.toml");
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/km.toml") +
                   ": missing: exhibit 'x' has no text in 'km', a language of this pack"));
  CHECK(r.errors() == 1);
  CHECK(r.coverage[0].exhibits_complete == 0);  // km
  CHECK(r.coverage[1].exhibits_complete == 1);  // en
  CHECK(r.summary() == "1 errors, 0 warnings in " + p.dir.string());
}

TEST_CASE("check refuses a pack whose catalog of a language is missing", "[check]") {
  TestPack p("missing-catalog");
  fs::remove(p.dir / "strings/km.po");
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("strings/km.po") +
                   ": missing: the UI strings of 'km', a language of this pack"));
}

TEST_CASE("check refuses a corrupt PNG", "[check][image]") {
  TestPack p("corrupt-png");
  const fs::path png = p.dir / "exhibits/x/illustration.png";
  std::string bytes = read_bytes(png);
  REQUIRE(bytes.size() > 60);
  write_file(png, bytes.substr(0, 50));  // header intact, image data cut off
  const ImageCheck img = check_image(png.string());
  CHECK_FALSE(img.ok);
  CHECK(img.decoded);  // the header was fine, so it was decoded, and that failed
  CHECK(img.width == 12);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(png.string() + ": image is corrupt: the file is cut short (stb_image: outofdata)"));
  CHECK(r.errors() == 1);
}

TEST_CASE("check refuses a file that is not an image at all", "[check][image]") {
  TestPack p("not-png");
  const fs::path png = p.dir / "exhibits/x/illustration.png";
  write_file(png, "this is not a PNG\n");
  const ImageCheck img = check_image(png.string());
  CHECK_FALSE(img.decoded);
  CHECK(p.check().contains(png.string() + ": image cannot be decoded: not a PNG image"));
}

TEST_CASE("check refuses a JPEG before any decoder sees it", "[check][image]") {
  // tests/fuzz/image_header found this 728-byte JPEG, on which Debian's stb_image 2.27 JPEG
  // decoder segfaults; the checker and the kiosk's image cache decoded JPEGs until then.
  TestPack p("jpeg-crash");
  const fs::path png = p.dir / "exhibits/x/illustration.png";
  write_file(png, read_bytes(fs::path(KIOSK_SOURCE_DIR) /
                             "tests/fuzz/corpus/image_header/found-jpeg-crashes-stb.jpg"));
  const ImageCheck img = check_image(png.string());
  CHECK_FALSE(img.ok);
  CHECK_FALSE(img.decoded);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(png.string() + ": image cannot be decoded: a JPEG; images must be PNG files"));
  CHECK(r.errors() == 1);
}

TEST_CASE("check refuses a 20000-pixel-wide image from its header, without decoding it",
          "[check][image]") {
  TestPack p("huge-png");
  const fs::path png = p.dir / "exhibits/x/illustration.png";
  write_png(png, 20000, 1);
  // Spoil the pixel data behind the header: if the checker decoded the image it would now say
  // "corrupt"; it must say "too large" from the header alone.
  std::string bytes = read_bytes(png);
  REQUIRE(bytes.size() > 80);
  for (size_t i = 41; i < bytes.size() - 12; ++i) bytes[i] = '\x5A';
  write_file(png, bytes);

  const ImageCheck img = check_image(png.string());
  CHECK_FALSE(img.ok);
  CHECK_FALSE(img.decoded);
  CHECK(img.width == 20000);
  CHECK(img.height == 1);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(png.string() +
                   ": image is too large: 20000x1 pixels (limit 4096 on each side); not decoded"));
  CHECK(r.errors() == 1);
}

TEST_CASE("check refuses an image file over 8 MiB without reading its pixels", "[check][image]") {
  TestPack p("heavy-png");
  const fs::path png = p.dir / "exhibits/x/thumb.png";
  write_file(png, std::string(9u * 1024 * 1024, '\0'));
  const ImageCheck img = check_image(png.string());
  CHECK_FALSE(img.decoded);
  CHECK(p.check().contains(png.string() +
                           ": image is too large: 9437184 bytes (limit 8 MiB); not decoded"));
}

TEST_CASE("check accepts a small image after decoding it once", "[check][image]") {
  TestPack p("small-png");
  const ImageCheck img = check_image(p.path("exhibits/x/illustration.png"));
  CHECK(img.ok);
  CHECK(img.decoded);
  CHECK(img.width == 12);
  CHECK(img.height == 8);
  CHECK(img.problem.empty());
}

TEST_CASE("check refuses a broken image reference", "[check][image]") {
  TestPack p("missing-image");
  fs::remove(p.dir / "exhibits/x/illustration.png");
  CHECK(p.check().contains(p.path("exhibits/x/exhibit.toml") +
                           ":3: image 'illustration.png' not found"));
}

TEST_CASE("check refuses unknown keys in the manifest, exhibit.toml and texts", "[check]") {
  TestPack p("unknown-key");
  p.write("pack.toml", std::string(k_manifest) + "colour = \"red\"\n");
  p.write("exhibits/x/exhibit.toml", std::string(k_exhibit) + "sound = \"boing.ogg\"\n");
  p.write("exhibits/x/en.toml", "subtitle = \"oops\"\n" + exhibit_text("Bending light"));
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("pack.toml") + ":7: unknown key 'colour'"));
  CHECK(r.contains(p.path("exhibits/x/exhibit.toml") + ":6: unknown key 'sound'"));
  CHECK(r.contains(p.path("exhibits/x/en.toml") + ":1: unknown key 'subtitle'"));
  CHECK(r.errors() == 3);
}

TEST_CASE("check refuses a quiz with no right answer", "[check][quiz]") {
  TestPack p("no-answer");
  const std::string meta = p.path("exhibits/x/exhibit.toml");
  p.write("exhibits/x/exhibit.toml",
          "id = \"x\"\ncategory = \"light\"\nimage = \"illustration.png\"\n"
          "image_credit = \"Roadshow Kiosk tests\"\n");
  CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(meta + ": missing key 'quiz_answers': no quiz question has a right answer"));
  CHECK(r.errors() == 1);

  p.write("exhibits/x/exhibit.toml",
          "id = \"x\"\ncategory = \"light\"\nimage = \"illustration.png\"\n"
          "image_credit = \"Roadshow Kiosk tests\"\nquiz_answers = [1]\n");
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(meta + ":5: quiz question 2 has no right answer in quiz_answers"));
  CHECK(r.errors() == 1);
}

TEST_CASE("check refuses a quiz answer out of range", "[check][quiz]") {
  TestPack p("answer-range");
  const std::string meta = p.path("exhibits/x/exhibit.toml");
  p.write("exhibits/x/exhibit.toml",
          "id = \"x\"\ncategory = \"light\"\nimage = \"illustration.png\"\n"
          "image_credit = \"Roadshow Kiosk tests\"\nquiz_answers = [1, 3, 0]\n");
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(meta + ":5: quiz question 2: answer 3 is out of range (3 options)"));
  CHECK(r.contains(meta + ":5: quiz_answers has 3 answers for 2 quiz questions"));
  CHECK(r.errors() == 2);
}

TEST_CASE("check refuses a translation whose quiz differs from the default language",
          "[check][quiz]") {
  TestPack p("quiz-shape");
  std::string en = exhibit_text("Bending light");
  en.replace(en.find("[\"Air\", \"Water\", \"Nothing\"]"), 27, "[\"Air\", \"Water\"]");
  p.write("exhibits/x/en.toml", en);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/en.toml") +
                   ":7: quiz question 1 has 2 options; the default language 'km' has 3"));
  CHECK(r.coverage[1].exhibits_complete == 0);
}

TEST_CASE("check refuses too few facts and too many quiz options", "[check][quiz]") {
  TestPack p("counts");
  std::string km = exhibit_text(k_khmer_title);
  km.replace(km.find("facts = ["), 9, "facts = [\"Only one.\"]\nold_facts = [");
  p.write("exhibits/x/km.toml", km);
  std::string en = exhibit_text("Bending light");
  en.replace(en.find("[\"Sound\""), 1, "[\"A\", \"B\", ");
  p.write("exhibits/x/en.toml", en);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/km.toml") + ":5: facts: 1 facts; expected 2 to 4"));
  CHECK(r.contains(p.path("exhibits/x/en.toml") +
                   ":14: quiz question 2: 5 options; expected 2 to 4"));
}

TEST_CASE("check reports invalid UTF-8 with file and line", "[check][utf8]") {
  TestPack p("bad-utf8");
  std::string km = exhibit_text(k_khmer_title);
  km.replace(km.find("Light bends"), 5, "Li\xC3\x28ht");  // line 2: C3 needs a continuation byte
  p.write("exhibits/x/km.toml", km);
  p.write("strings/km.po", "msgid \"language.name\"\nmsgstr \"\xE1\x9E\"\n");  // truncated
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/km.toml") + ":2: invalid UTF-8 (byte 0xC3 at column 14)"));
  CHECK(r.contains(p.path("strings/km.po") + ":2: invalid UTF-8 (byte 0xE1 at column 9)"));

  // Overlong forms and UTF-16 surrogates are not UTF-8 either.
  p.write("strings/km.po", "msgid \"language.name\"\nmsgstr \"\xC0\xAF\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"\xED\xA0\x80\"\n");
  const CheckReport r2 = p.check();
  INFO(dump(r2));
  CHECK(r2.contains(p.path("strings/km.po") + ":2: invalid UTF-8 (byte 0xC0 at column 9)"));
  CHECK(r2.contains(p.path("strings/km.po") + ":5: invalid UTF-8 (byte 0xED at column 9)"));
}

TEST_CASE("check refuses Burmese text in Zawgyi encoding", "[check][zawgyi]") {
  TestPack p("zawgyi");
  p.write("pack.toml", "id = \"t\"\nname = \"Test pack\"\ncountry = \"MM\"\n"
                       "languages = [\"my\", \"en\"]\ndefault_language = \"my\"\nexhibits = [\"x\"]\n");
  fs::remove(p.dir / "exhibits/x/km.toml");
  fs::remove(p.dir / "strings/km.po");
  // "Myanmar" in Unicode (U+1019 U+103C U+1014 U+103A U+1019 U+102C) passes; the same word as a
  // Zawgyi keyboard types it (ya-yit first, U+1039 as asat) is refused.
  const std::string unicode = "\xE1\x80\x99\xE1\x80\xBC\xE1\x80\x94\xE1\x80\xBA\xE1\x80\x99\xE1\x80\xAC";
  const std::string zawgyi = "\xE1\x80\xBB\xE1\x80\x99\xE1\x80\x94\xE1\x80\xB9\xE1\x80\x99\xE1\x80\xAC";
  p.write("exhibits/x/my.toml", exhibit_text(unicode));
  p.write("strings/my.po", "msgid \"language.name\"\nmsgstr \"" + unicode + "\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"" + zawgyi + "\"\n" +
                               consent_entries(unicode));
  CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("strings/my.po") +
                   ":4: Burmese text looks Zawgyi-encoded; it must be Unicode"));
  CHECK(r.errors() == 1);

  p.write("exhibits/x/my.toml", exhibit_text(zawgyi));
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/my.toml") +
                   ":1: Burmese text looks Zawgyi-encoded; it must be Unicode"));
}

TEST_CASE("check refuses duplicate exhibit ids", "[check]") {
  TestPack p("duplicate-id");
  p.write("pack.toml", "id = \"t\"\nname = \"Test pack\"\ncountry = \"KH\"\n"
                       "languages = [\"km\", \"en\"]\ndefault_language = \"km\"\n"
                       "exhibits = [\n  \"x\",\n  \"x\",\n]\n");
  CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("pack.toml") + ":8: duplicate exhibit id 'x' (first listed on line 7)"));
  CHECK(r.errors() == 1);

  // An exhibit.toml whose id is not its folder's name is refused too.
  p.write("pack.toml", k_manifest);
  p.write("exhibits/x/exhibit.toml", "id = \"y\"\n" + std::string(k_exhibit).substr(9));
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/exhibit.toml") +
                   ":1: id must be \"x\", the name of the exhibit's folder"));
}

TEST_CASE("check refuses strings too long for their slot, counting code points", "[check]") {
  TestPack p("too-long");
  // Khmer: 48 code points fit the title slot, 49 do not (each ក is one code point, 3 bytes).
  std::string fits, too_long;
  for (size_t i = 0; i < k_max_title_length; ++i) fits += "\xE1\x9E\x80";
  too_long = fits + "\xE1\x9E\x80";
  p.write("exhibits/x/km.toml", exhibit_text(fits));
  CHECK(p.check().errors() == 0);
  p.write("exhibits/x/km.toml", exhibit_text(too_long));
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/km.toml") +
                   ":1: title is too long for its slot: 49 code points (limit 48)"));
}

TEST_CASE("check warns about untranslated UI strings, which fall back to English", "[check]") {
  TestPack p("untranslated");
  p.write("strings/km.po", "msgid \"language.name\"\nmsgstr \"ខ្មែរ\"\n\n"
                           "msgid \"old.key\"\nmsgstr \"x\"\n" + consent_entries(k_khmer_consent));
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("strings/km.po") +
                   ": warning: 'attract.touch' is not translated (falls back to English)"));
  CHECK(r.contains(p.path("strings/km.po") + ":4: warning: 'old.key' is not in en.po; nothing shows it"));
  CHECK(r.errors() == 0);
  CHECK(r.warnings() == 2);
  CHECK(r.coverage[0].strings_translated == 3);
}

TEST_CASE("check groups many untranslated strings of one screen into one warning", "[check]") {
  TestPack p("untranslated-group");
  std::string en = read_bytes(p.dir / "strings/en.po");
  for (const char* key : {"events.a", "events.b", "events.c", "events.d", "people.title"})
    en += std::string("\nmsgid \"") + key + "\"\nmsgstr \"English text\"\n";
  p.write("strings/en.po", en);
  const CheckReport r = p.check();
  INFO(dump(r));
  const std::string km = p.path("strings/km.po");
  CHECK(r.contains(km + ": warning: 4 strings 'events.*' are not translated (fall back to "
                        "English), from 'events.a' to 'events.d'"));
  CHECK(r.contains(km + ": warning: 'people.title' is not translated (falls back to English)"));
  CHECK(r.warnings() == 2);
  CHECK(r.coverage[0].strings_translated == 4);
  CHECK(r.coverage[0].strings_total == 9);
}

// The kiosk refuses a consent whose text fell back to another language (kiosk/core/consent.h
// K3) and records the version beside the text (K2): a pack language without either is an error.
TEST_CASE("check refuses a pack language without its consent text, naming file and key",
          "[check][consent]") {
  TestPack p("consent-missing");
  const std::string km = p.path("strings/km.po");
  const std::string head = "msgid \"language.name\"\nmsgstr \"ខ្មែរ\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"ប៉ះដើម្បីចាប់ផ្តើម\"\n";
  SECTION("no text: the error points at the version left without it") {
    p.write("strings/km.po", head + "\nmsgid \"consent.text.version\"\nmsgstr \"2026-1\"\n");
    const CheckReport r = p.check();
    INFO(dump(r));
    CHECK(r.contains(km + ":7: missing 'consent.text' (absent, empty or fuzzy): guardians of this "
                          "language would be shown another language's consent, which the kiosk "
                          "refuses"));
    CHECK(r.errors() == 1);
    CHECK(r.warnings() == 0);  // not also an "untranslated" warning
  }
  SECTION("a fuzzy text is no text") {
    p.write("strings/km.po", head + "\n#, fuzzy\nmsgid \"consent.text\"\nmsgstr \"" +
                                 k_khmer_consent + "\"\n\nmsgid \"consent.text.version\"\n"
                                 "msgstr \"2026-1\"\n");
    const CheckReport r = p.check();
    INFO(dump(r));
    CHECK(r.contains(km + ":11: missing 'consent.text' (absent, empty or fuzzy): guardians of this "
                          "language would be shown another language's consent, which the kiosk "
                          "refuses"));
    CHECK(r.errors() == 1);
  }
  SECTION("neither text nor version: both named, without a line") {
    p.write("strings/km.po", head);
    const CheckReport r = p.check();
    INFO(dump(r));
    CHECK(r.contains(km + ": missing 'consent.text' (absent, empty or fuzzy): guardians of this "
                          "language would be shown another language's consent, which the kiosk "
                          "refuses"));
    CHECK(r.contains(km + ": missing 'consent.text.version' beside 'consent.text': the kiosk "
                          "cannot record which text was signed"));
    CHECK(r.errors() == 2);
  }
}

TEST_CASE("a finding quoting the pack's own text stays one line", "[check]") {
  // The consent version is quoted in its finding; a PO "\n" in it made the finding two lines.
  TestPack p("one-line-findings");
  const std::string km = p.path("strings/km.po");
  p.write("strings/km.po", "msgid \"language.name\"\nmsgstr \"ខ្មែរ\"\n" +
                               consent_entries(k_khmer_consent, "1\\n2"));
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(km + ":7: 'consent.text.version' must be 1 to 100 letters, digits, '.', '-' "
                        "or '_' (it is recorded with every consent), not \"1\\n2\""));
  for (const Finding& f : r.findings) CHECK(f.text().find('\n') == std::string::npos);
}

TEST_CASE("check refuses a consent text without a well-formed version beside it",
          "[check][consent]") {
  TestPack p("consent-version");
  const std::string km = p.path("strings/km.po");
  const std::string head = "msgid \"language.name\"\nmsgstr \"ខ្មែរ\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"ប៉ះដើម្បីចាប់ផ្តើម\"\n";
  p.write("strings/km.po", head + "\nmsgid \"consent.text\"\nmsgstr \"" + k_khmer_consent + "\"\n");
  CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(km + ":7: missing 'consent.text.version' beside 'consent.text': the kiosk "
                        "cannot record which text was signed"));
  CHECK(r.errors() == 1);

  p.write("strings/km.po", head + consent_entries(k_khmer_consent, "២០២៦ ១"));
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(km + ":10: 'consent.text.version' must be 1 to 100 letters, digits, '.', '-' "
                        "or '_' (it is recorded with every consent), not \"២០២៦ ១\""));
  CHECK(r.errors() == 1);

  // English is a language of this pack too: its catalog is checked like any other.
  p.write("strings/km.po", head + consent_entries(k_khmer_consent));
  p.write("strings/en.po", "msgid \"language.name\"\nmsgstr \"English\"\n");
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("strings/en.po") +
                   ": missing 'consent.text.version' beside 'consent.text': the kiosk cannot "
                   "record which text was signed"));
}

TEST_CASE("check warns about a language file the pack does not show", "[check]") {
  TestPack p("extra-language");
  p.write("exhibits/x/kh.toml", exhibit_text(k_khmer_title));  // a typo for km
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/kh.toml") +
                   ": warning: 'kh' is not a language of this pack; the file is not shown"));
  CHECK(r.errors() == 0);
  // A language of the shared library (it has a catalog) is expected, not warned about.
  p.write("strings/zh.po", "msgid \"language.name\"\nmsgstr \"中文\"\n");
  p.write("exhibits/x/zh.toml", exhibit_text("光"));
  CHECK(p.check().warnings() == 1);
}

TEST_CASE("check reports manifest schema problems with their lines", "[check][manifest]") {
  TestPack p("manifest");
  p.write("pack.toml", "id = \"t\"\ncountry = \"Cambodia\"\nlanguages = [\"km\", \"en\"]\n"
                       "digits = \"roman\"\ntheme = \"purple\"\nexhibits = [\"x\"]\n");
  const CheckReport r = p.check();
  INFO(dump(r));
  const std::string m = p.path("pack.toml");
  CHECK(r.contains(m + ":2: key 'country': expected an ISO 3166 two-letter country code such as \"KH\""));
  CHECK(r.contains(m + ":4: key 'digits': must be \"latin\" or \"native\""));
  CHECK(r.contains(m + ":5: key 'theme': must be one of \"default\", \"crimson\", \"green\", "
                       "\"indigo\", \"ochre\", \"teal\" or an accent colour \"#RRGGBB\""));
  CHECK(r.contains(m + ": missing key 'name'"));
  CHECK(r.contains(m + ": warning: no default_language; the first language, 'km', is the default"));

  TestPack missing("no-manifest");
  fs::remove(missing.dir / "pack.toml");
  const CheckReport r2 = missing.check();
  CHECK(r2.contains(missing.path("pack.toml") + ": pack manifest missing"));
  CHECK(r2.errors() == 1);
  CHECK(check_pack("/nonexistent/pack").contains("/nonexistent/pack: content pack folder not found"));
}

TEST_CASE("the loader reads the theme and refuses an unknown one", "[pack]") {
  TestPack p("theme");
  p.write("pack.toml", std::string(k_manifest) + "theme = \"teal\"\ndigits = \"native\"\n");
  Pack pack;
  std::vector<std::string> errors;
  REQUIRE(load_pack(p.dir.string(), &pack, &errors));
  CHECK(pack.theme == "teal");
  CHECK(pack.digits == "native");
  CHECK(theme_accent_rgb(pack.theme) == 0x00796B);
  Exhibit ex;
  REQUIRE(load_exhibit(pack.exhibits.at(0), pack.languages, &ex, &errors));
  CHECK(ex.quiz_answers == std::vector<int>{1, 2});

  p.write("pack.toml", std::string(k_manifest) + "theme = \"purple\"\n");
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  CHECK(errors.back().rfind(p.path("pack.toml") + ":7: key 'theme': must be one of", 0) == 0);
}

TEST_CASE("themes: every accent carries white button text at 4.5:1; a custom one that fails is refused with its line",
          "[pack][theme]") {
  CHECK(contrast_ratio(0xFFFFFF, 0x000000) == Approx(21.0));
  CHECK(contrast_ratio(0x777777, 0xFFFFFF) == Approx(4.48).margin(0.01));
  for (std::string_view name : k_pack_themes) {
    INFO(name);
    CHECK(theme_problem(name).empty());
    if (name == "default") continue;
    for (bool hc : {false, true}) {
      const ThemeColors c = theme_colors(name, hc);
      CHECK_FALSE(c.is_default);
      CHECK(contrast_ratio(c.accent, c.accent_text) >= 4.5);  // T1: text on accent buttons
      // T2: the accent as text on the visitor background, normal and high contrast
      CHECK(contrast_ratio(c.accent_ink, hc ? k_high_contrast_background_rgb : k_visitor_background_rgb) >= 4.5);
    }
    // A dark accent such as crimson is lightened for text on the dark background.
    if (name == "crimson") CHECK(theme_colors(name, false).accent_ink != theme_colors(name, false).accent);
  }
  CHECK(theme_colors("default", false).is_default);
  CHECK(theme_problem("#1B5E20").empty());
  CHECK(theme_accent_rgb("#1b5e20") == 0x1B5E20);
  CHECK_FALSE(theme_problem("#1B5E2").empty());  // not a colour

  TestPack p("theme-contrast");
  p.write("pack.toml", std::string(k_manifest) + "theme = \"#FFC43D\"\n");  // gold: white text 1.59:1
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("pack.toml") + ":7: key 'theme': accent '#FFC43D' gives white button text a "
                                          "contrast of 1.59:1, under the 4.5:1 text needs: choose a darker accent"));
  Pack pack;
  std::vector<std::string> errors;
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));  // the kiosk never runs it
  p.write("pack.toml", std::string(k_manifest) + "theme = \"#6A1B9A\"\n");  // purple: passes
  CHECK(p.check().errors() == 0);
  REQUIRE(load_pack(p.dir.string(), &pack, &errors));
  CHECK(theme_colors(pack.theme, true).accent == 0x6A1B9A);
}

TEST_CASE("the four tour packs and the demo pack pass the check with zero errors", "[packs]") {
  for (const char* name : {"cambodia", "myanmar", "egypt", "south-africa", "demo"}) {
    const CheckReport r = check_pack(std::string(KIOSK_SOURCE_DIR "/content/packs/") + name);
    INFO(dump(r));
    CHECK(r.errors() == 0);
    for (const LanguageCoverage& c : r.coverage) {
      CHECK(c.exhibits_total == 12);
      CHECK(c.exhibits_complete == 12);
    }
  }
}

TEST_CASE("each tour pack has its languages, default, digits and theme", "[packs]") {
  struct Expected {
    const char* name;
    std::vector<std::string> languages;
    const char* digits;
  };
  const Expected tours[] = {
      {"cambodia", {"km", "en", "zh"}, "native"},
      {"myanmar", {"my", "en", "zh"}, "native"},
      {"egypt", {"ar", "en", "zh"}, "native"},
      {"south-africa", {"en", "zu", "xh", "af", "zh"}, "latin"},
  };
  for (const Expected& t : tours) {
    INFO(t.name);
    Pack pack;
    std::vector<std::string> errors;
    REQUIRE(load_pack(std::string(KIOSK_SOURCE_DIR "/content/packs/") + t.name, &pack, &errors));
    CHECK(pack.id == t.name);
    CHECK(pack.languages == t.languages);
    CHECK(pack.default_language == t.languages.front());
    CHECK(pack.digits == t.digits);
    CHECK(pack.theme != "default");
    CHECK(pack.exhibits.size() == 12);
    for (const ExhibitSummary& e : pack.exhibits)
      for (const std::string& l : t.languages) CHECK(e.titles.count(l) == 1);
  }
}

TEST_CASE("check survives values of the wrong type everywhere", "[check][robustness]") {
  TestPack p("wrong-types");
  p.write("pack.toml", "id = 5\nname = []\ncountry = \"KH\"\nlanguages = \"km\"\nexhibits = [1]\n");
  CHECK(p.check().errors() > 0);
  p.write("pack.toml", k_manifest);
  p.write("exhibits/x/exhibit.toml", "id = \"x\"\ncategory = 3\nimage = [\"a\"]\n"
                                     "image_credit = \"t\"\nquiz_answers = [\"one\", 2.5]\n");
  p.write("exhibits/x/km.toml", "title = 5\nsummary = \"\"\nimage_alt = {}\nbody = []\n"
                                "facts = \"one\"\nquiz = []\n");
  p.write("exhibits/x/en.toml", "title = \"t\"\nsummary = \"s\"\nimage_alt = \"a\"\nbody = \"b\"\n"
                                "facts = [1, 2]\nquiz = [1, 2]\n");
  const CheckReport r = p.check();
  INFO(dump(r));
  const std::string km = p.path("exhibits/x/km.toml");
  CHECK(r.contains(km + ":1: title: expected a non-empty string"));
  CHECK(r.contains(km + ":5: facts: expected a list of 2 to 4 strings"));
  CHECK(r.contains(km + ":6: quiz: expected 2 to 4 [[quiz]] tables"));
  CHECK(r.contains(p.path("exhibits/x/exhibit.toml") +
                   ":5: quiz_answers: expected a list of 0-based option numbers"));
  p.write("exhibits/x/km.toml", "title = \"unterminated\n");
  CHECK(p.check().errors() > 0);
  p.write("exhibits/x/km.toml", "[[quiz]]\noptions = [[1], {a = 1}]\n[[quiz]]\n");
  CHECK(p.check().errors() > 0);
}

TEST_CASE("check and loader refuse 50,000 levels of TOML nesting with file and line, not a crash",
          "[check][robustness]") {
  // Generated here rather than committed: before the shared pre-check (toml_safety.h) toml++
  // overflowed the stack on these, and the checker, the kiosk and its fallback all died.
  std::string key = "a";
  for (int i = 0; i < 50000; ++i) key += ".a";
  const std::string too_deep = "tables, dotted keys and arrays nested more than 32 levels deep "
                               "(refused before parsing)";
  TestPack p("deep-toml");
  p.write("pack.toml", std::string(k_manifest) + key + " = 1\n");
  CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("pack.toml") + ":7: " + too_deep));
  Pack pack;
  std::vector<std::string> errors;
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == p.path("pack.toml") + ":7: " + too_deep);

  p.write("pack.toml", k_manifest);
  p.write("exhibits/x/en.toml", exhibit_text("Bending light") + "[" + key + "]\n");
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/en.toml") + ":16: " + too_deep));
  errors.clear();
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  CHECK(errors == std::vector<std::string>{p.path("exhibits/x/en.toml") + ":16: " + too_deep});

  p.write("exhibits/x/en.toml", exhibit_text("Bending light"));
  p.write("exhibits/x/exhibit.toml", std::string(k_exhibit) + key + " = 1\n");
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("exhibits/x/exhibit.toml") + ":6: " + too_deep));
  errors.clear();
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
}

TEST_CASE("check and loader refuse a pack with an empty list of languages", "[check][manifest]") {
  // It used to pass the checker, become the last good pack, and then divide by zero in the
  // attract screen on every start.
  TestPack p("no-languages");
  p.write("pack.toml", "id = \"t\"\nname = \"Test pack\"\ncountry = \"KH\"\nlanguages = []\n"
                       "exhibits = [\"x\"]\n");
  const std::string why = ":4: key 'languages': expected at least one language code such as "
                          "\"km\"; an empty list leaves the kiosk nothing to show";
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(p.path("pack.toml") + why));
  CHECK(r.errors() >= 1);
  Pack pack;
  std::vector<std::string> errors;
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  CHECK(errors == std::vector<std::string>{p.path("pack.toml") + why});
}

TEST_CASE("a PNG header claiming 100000x100000 is reported as too large, never decoded",
          "[check][image]") {
  // stbi_info() refuses such a header itself and then tries the other formats, so this was
  // reported as "not a PNG, JPEG or other supported image".
  TestPack p("giant-png-header");
  const fs::path png = p.dir / "exhibits/x/illustration.png";
  std::string bytes = read_bytes(png);
  REQUIRE(bytes.substr(12, 4) == "IHDR");
  const std::string side("\x00\x01\x86\xA0", 4);  // 100000, big-endian
  bytes.replace(16, 4, side);
  bytes.replace(20, 4, side);
  write_file(png, bytes);
  const ImageCheck img = check_image(png.string());
  CHECK_FALSE(img.ok);
  CHECK_FALSE(img.decoded);
  CHECK(img.width == 100000);
  CHECK(img.height == 100000);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(png.string() +
                   ": image is too large: 100000x100000 pixels (limit 4096 on each side); not decoded"));
  CHECK(r.errors() == 1);
  // The largest size a PNG header can state, which no int holds.
  bytes.replace(16, 4, std::string(4, '\xFF'));
  write_file(png, bytes);
  CHECK(check_image(png.string()).problem ==
        "image is too large: 4294967295x100000 pixels (limit 4096 on each side); not decoded");
}

TEST_CASE("check refuses titles with NUL, ESC or nothing readable, naming file and line",
          "[check][text]") {
  TestPack p("unreadable-titles");
  const std::string en = p.path("exhibits/x/en.toml");
  struct Case {
    const char* title;  // as written in TOML
    const char* problem;
  };
  const Case cases[] = {
      {"Bending\\u0000light", "title: contains the control character U+0000; only text a screen can show is allowed"},
      {"\\u001b[31mBending light", "title: contains the control character U+001B; only text a screen can show is allowed"},
      {"Bending\\nlight", "title: contains the control character U+000A; only text a screen can show is allowed"},
      {"\\u200B\\u200B", "title: has no letter or digit (only spaces, invisible characters or punctuation)"},
      {"\\u200D\\u2060 ?!", "title: has no letter or digit (only spaces, invisible characters or punctuation)"},
  };
  for (const Case& c : cases) {
    INFO(c.title);
    p.write("exhibits/x/en.toml", exhibit_text(c.title));
    const CheckReport r = p.check();
    INFO(dump(r));
    CHECK(r.contains(en + ":1: " + std::string(c.problem)));
    CHECK(r.errors() == 1);
  }
  // The body alone may break lines; a NUL there is refused all the same.
  std::string text = exhibit_text("Bending light");
  text.replace(text.find("body = \""), 8, "body = \"Line one.\\n\\tLine two.\\u0000 ");
  p.write("exhibits/x/en.toml", text);
  const CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(en + ":4: body: contains the control character U+0000; only text a screen can show is allowed"));
  CHECK(r.errors() == 1);
}

TEST_CASE("check and loader refuse a NUL or ESC in a PO msgstr, naming file and line",
          "[check][catalog]") {
  TestPack p("po-control");
  const std::string en = p.path("strings/en.po");
  p.write("strings/en.po", std::string("msgid \"language.name\"\nmsgstr \"English\"\n\n"
                                       "msgid \"attract.touch\"\nmsgstr \"Touch") +
                               '\0' + "to start\"\n" + consent_entries("I agree."));
  CheckReport r = p.check();
  INFO(dump(r));
  CHECK(r.contains(en + ":5: control character U+0000 (NUL) in a string; write a tab as \\t and "
                        "a line break as \\n"));
  Pack pack;
  std::vector<std::string> errors;
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  p.write("strings/en.po", "msgid \"language.name\"\nmsgstr \"English\"\n\n"
                           "msgid \"attract.touch\"\nmsgstr \"\x1b[2JTouch to start\"\n" +
                               consent_entries("I agree."));
  r = p.check();
  INFO(dump(r));
  CHECK(r.contains(en + ":5: control character U+001B (ESC) in a string; write a tab as \\t and "
                        "a line break as \\n"));
}

TEST_CASE("check and loader refuse pack ids with NUL, upper case or a path", "[check][manifest]") {
  TestPack p("pack-ids");
  const std::string why = ":1: key 'id': must be 1 to 64 lowercase letters, digits and '-' such "
                          "as \"cambodia\"";
  for (const char* id : {"../../etc/x", "Cambodia", "cam\\u0000bodia", "a/b", "..", "x y"}) {
    INFO(id);
    p.write("pack.toml", "id = \"" + std::string(id) + "\"" + std::string(k_manifest).substr(8));
    const CheckReport r = p.check();
    INFO(dump(r));
    CHECK(r.contains(p.path("pack.toml") + why));
    Pack pack;
    std::vector<std::string> errors;
    CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  }
  p.write("pack.toml", std::string(k_manifest));
  CHECK(p.check().errors() == 0);
}

TEST_CASE("a language that is not a code never becomes a file path, and its finding stays one line",
          "[check][manifest]") {
  // Found by fuzz_pack_check: the checker refused "e<51 tabs>n" as a language, then still looked
  // for strings/e<tabs>n.po and printed that path, tabs and all. "../../x" would have been read
  // from outside the pack.
  TestPack p("language-paths");
  for (const char* lang : {"e\t\t\tn", "../../x", "k/m", "k\\u0000m"}) {
    INFO(lang);
    p.write("pack.toml", "id = \"t\"\nname = \"Test pack\"\ncountry = \"KH\"\nlanguages = [\"km\", \"" +
                             std::string(lang) + "\"]\ndefault_language = \"km\"\nexhibits = [\"x\"]\n");
    const CheckReport r = p.check();
    INFO(dump(r));
    CHECK(r.errors() == 1);
    for (const Finding& f : r.findings) {
      CHECK(f.text().find_first_of(std::string("\t\n\r\0", 4)) == std::string::npos);
      CHECK(f.file.find("strings/") == std::string::npos);  // no catalog path built from it
    }
    Pack pack;
    std::vector<std::string> errors;
    CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  }
}

TEST_CASE("the loaders refuse an exhibit id or an image name that leaves its folder", "[pack]") {
  // The checker refuses both; the loaders refuse them again, so a pack that never met the
  // checker cannot make the kiosk read outside it either.
  TestPack p("loader-paths");
  p.write("pack.toml", "id = \"t\"\nname = \"Test pack\"\ncountry = \"KH\"\nlanguages = [\"km\", "
                       "\"en\"]\ndefault_language = \"km\"\nexhibits = [\"../x\"]\n");
  Pack pack;
  std::vector<std::string> errors;
  CHECK_FALSE(load_pack(p.dir.string(), &pack, &errors));
  std::string all;
  for (const std::string& e : errors) all += e + "\n";
  INFO(all);
  CHECK(all.find("exhibit id '../x' must be 1 to 64 lowercase letters") != std::string::npos);

  p.write("pack.toml", std::string(k_manifest));
  REQUIRE(load_pack(p.dir.string(), &pack, &errors));
  for (const char* image : {"../../../etc/passwd", "..", "/etc/passwd", "a\\b"}) {
    INFO(image);
    p.write("exhibits/x/exhibit.toml", std::string(k_exhibit).replace(
                                           std::string(k_exhibit).find("illustration.png"), 16, image));
    Exhibit ex;
    std::vector<std::string> exhibit_errors;
    CHECK_FALSE(load_exhibit(pack.exhibits.front(), pack.languages, &ex, &exhibit_errors));
    REQUIRE_FALSE(exhibit_errors.empty());
    CHECK(exhibit_errors.front().find("image must be the name of a file in the exhibit's folder") !=
          std::string::npos);
    CHECK(ex.image_path.empty());
    CHECK(p.check().contains(p.path("exhibits/x/exhibit.toml") +
                             ":3: image must be the name of a file in the exhibit's folder"));
  }
}
