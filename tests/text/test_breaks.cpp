// tests/text/test_breaks.cpp — line breaking: ICU dictionaries for Khmer and Burmese, never
// inside a cluster, wrapping by shaped advances.
#include <catch2/catch.hpp>

#include "test_support.h"
#include "text/utf8.h"

namespace kt = kiosk::text;
using namespace text_test;

namespace {

std::string with_bars(const std::string& text, const char* lang) {
  std::string out;
  std::size_t prev = 0;
  for (std::uint32_t b : engine().break_opportunities(text, lang)) {
    if (b >= text.size()) break;
    out.append(text, prev, b - prev);
    out += '|';
    prev = b;
  }
  return out + text.substr(prev);
}

// No break may fall before a code point that attaches to the one before it.
bool attaches_to_previous(char32_t cp) {
  return cp == 0x17D2 || (cp >= 0x17B6 && cp <= 0x17D1) || cp == 0x17D3 || cp == 0x17DD ||  // Khmer
         (cp >= 0x102B && cp <= 0x103E) || cp == 0x1039 ||                                   // Myanmar
         (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670;                                     // harakat
}

void check_no_break_inside_clusters(const std::string& text, const char* lang) {
  auto cps = kt::decode_utf8(text);
  for (std::uint32_t b : engine().break_opportunities(text, lang)) {
    if (b >= text.size()) continue;
    for (std::size_t i = 0; i < cps.size(); ++i) {
      if (cps[i].offset != b) continue;
      INFO("break before U+" << std::hex << static_cast<unsigned>(cps[i].value));
      CHECK_FALSE(attaches_to_previous(cps[i].value));
      if (i > 0) CHECK(cps[i - 1].value != 0x17D2);  // never right after a coeng
      if (i > 0) CHECK(cps[i - 1].value != 0x1039);  // nor after a Burmese stacker
    }
  }
}

}  // namespace

TEST_CASE("Khmer breaks at word boundaries (ICU dictionary)", "[breaks]") {
  CHECK(with_bars("ខ្ញុំស្រឡាញ់ភាសាខ្មែរណាស់។ កុមារទាំងអស់ចូលរៀននៅសាលា", "km") ==
        "ខ្ញុំ|ស្រឡាញ់|ភាសាខ្មែរ|ណាស់។ |កុមារ|ទាំងអស់|ចូលរៀន|នៅ|សាលា");
  check_no_break_inside_clusters("វិទ្យាសាស្ត្រគឺជាការសិក្សាអំពីពិភពលោកធម្មជាតិ", "km");
}

TEST_CASE("Burmese breaks at word boundaries (ICU dictionary)", "[breaks]") {
  CHECK(with_bars("ကလေးများသည် သိပ္ပံပညာကို လေ့လာရန် ဝါသနာပါကြသည်။", "my") ==
        "ကလေး|များသည် |သိပ္ပံပညာ|ကို |လေ့လာ|ရန် |ဝါသနာပါ|ကြ|သည်။");
  check_no_break_inside_clusters("မင်္ဂလာပါ။ ပြတိုက်သို့ ကြိုဆိုပါသည်။ ကျွန်ုပ်တို့သည် သမုဒ္ဒရာကို လေ့လာသည်။", "my");
}

TEST_CASE("no break before a final consonant, even where ICU's dictionary allows one", "[breaks]") {
  // ICU splits the unknown word ပန့်စက် (pump) as ပ|န့်|စက်; န့် closes the syllable ပန့်.
  CHECK(with_bars("ပန့်စက်", "my") == "ပန့်|စက်");
  check_no_break_inside_clusters("နှလုံး - ဘယ်တော့မှ မနားတဲ့ ပန့်စက်", "my");
}

TEST_CASE("Latin and Chinese break opportunities", "[breaks]") {
  CHECK(with_bars("Sawubona, mngane! Ngiyabonga.", "zu") == "Sawubona, |mngane! |Ngiyabonga.");
  // Chinese: between ideographs, but never before the closing punctuation.
  std::string zh = with_bars("科学，让孩子们学习。", "zh");
  CHECK(zh.find("|，") == std::string::npos);
  CHECK(zh.find("|。") == std::string::npos);
  CHECK(zh.find("科|学") != std::string::npos);
}

TEST_CASE("Khmer wraps at word boundaries within the width, by shaped advances", "[breaks][layout]") {
  const std::string text = "ខ្ញុំស្រឡាញ់ភាសាខ្មែរណាស់។ កុមារទាំងអស់ចូលរៀននៅសាលារៀនជារៀងរាល់ថ្ងៃ";
  auto breaks = engine().break_opportunities(text, "km");
  for (float width : {120.0f, 200.0f, 320.0f}) {
    auto layout = engine().layout(text, style("km"), width);
    INFO("width " << width);
    CHECK(layout->lines.size() > 1);
    for (std::size_t i = 0; i < layout->lines.size(); ++i) {
      const auto& line = layout->lines[i];
      CHECK(line.width <= width + 0.01f);
      if (i + 1 < layout->lines.size()) {
        // The next line starts at a break opportunity.
        CHECK(std::find(breaks.begin(), breaks.end(), line.next) != breaks.end());
      }
    }
  }
}

TEST_CASE("a word wider than the line is cut at cluster edges only", "[breaks][layout]") {
  const std::string word = "ស្ត្រីស្ត្រីស្ត្រីស្ត្រីស្ត្រីស្ត្រី";  // one cluster repeated, no break opportunity
  auto layout = engine().layout(word, style("km"), 60.0f);
  CHECK(layout->lines.size() > 1);
  const std::size_t cluster_bytes = std::string("ស្ត្រី").size();
  for (const auto& line : layout->lines) CHECK(line.start % cluster_bytes == 0);
}

TEST_CASE("mandatory breaks start new lines", "[breaks][layout]") {
  auto layout = engine().layout("one\ntwo\nthree", style("en"), 0);
  REQUIRE(layout->lines.size() == 3);
  CHECK(layout->text.substr(layout->lines[1].start, layout->lines[1].end - layout->lines[1].start) == "two");
}
