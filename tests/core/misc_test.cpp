// Normalization, the CSV reader, signatures and anonymous visit statistics.
#include "csv_reader.h"
#include "signature.h"
#include "test_support.h"
#include "text_normalize.h"
#include "unicode/unicode.h"
#include "visit_stats.h"

using namespace kiosk::core;
using namespace kiosk::unicode;  // search_fold, latin_fold, confusable_key, is_valid_utf8
using namespace core_test;

TEST_CASE("search keys fold case and Latin diacritics but keep other scripts' marks", "[text]") {
  CHECK(search_fold("  Émile   DUPONT-Ñúñez ") == "emile dupont nunez");
  CHECK(search_fold("Nguyễn Thị Ánh") == "nguyen thi anh");
  CHECK(search_fold("STRASSE Straße") == "strasse strasse");
  CHECK(search_fold("ដារ៉ា") == "ដារ៉ា");               // Khmer signs kept
  CHECK(search_fold("မောင်") == "မောင်");               // Burmese signs kept
  CHECK(search_fold("مُحَمَّد") == "محمد");               // harakat dropped
  CHECK(search_fold("😀") == "");
  CHECK(name_key("Sok", "Dara") == name_key("dara", "SOK"));
  CHECK(name_key("", "") == "");
  CHECK(is_valid_utf8("ដារ៉ា"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));   // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
}

TEST_CASE("the CSV reader follows RFC 4180", "[csv]") {
  auto doc = parse_csv("a,b,c\n\"x,1\",\"y\"\"2\",\"multi\r\nline\"\r\n\n,,\nlast,row,", "t.csv");
  REQUIRE(doc.errors.empty());
  REQUIRE(doc.rows.size() == 4);
  CHECK(doc.rows[1].fields == std::vector<std::string>{"x,1", "y\"2", "multi\r\nline"});
  CHECK(doc.rows[2].line == 5);
  CHECK(doc.rows[2].fields == std::vector<std::string>{"", "", ""});
  CHECK(doc.rows[3].line == 6);
  CHECK(doc.rows[3].fields == std::vector<std::string>{"last", "row", ""});
  auto bad = parse_csv("a,b\n\"x\"y,z\nok,1\n", "t.csv");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].rfind("t.csv:2: text after a closing quote", 0) == 0);
  CHECK(bad.rows.size() == 2);
}

TEST_CASE("signatures round-trip compactly and malformed blobs are refused", "[signature]") {
  std::vector<Stroke> strokes;
  for (int s = 0; s < 3; ++s) {
    Stroke st;
    for (int i = 0; i < 100; ++i) st.push_back({1000 + i * 3 + s, 2000 - i * 2});
    strokes.push_back(st);
  }
  const auto blob = encode_signature(strokes);
  CHECK(blob.size() < 700);
  CHECK(decode_signature(blob) == strokes);
  auto truncated = blob;
  truncated.pop_back();
  CHECK_FALSE(decode_signature(truncated));
  CHECK_FALSE(decode_signature({'X', 'G', 1, 0}));
  CHECK_FALSE(decode_signature({'S', 'G', 1, 0xFF, 0xFF, 0xFF, 0x7F}));
  CHECK(decode_signature(encode_signature({}))->empty());
}

TEST_CASE("visit statistics aggregate per day, exhibit and language", "[visits]") {
  const auto path = fresh_path("visits.sqlite3");
  std::string error;
  auto store = Store::open(path, &error);
  REQUIRE(store);
  VisitStats v(*store);
  REQUIRE(v.record_visit("2026-11-29", "solar-system", "km", VisitEvent::opened).ok());
  REQUIRE(v.record_visit("2026-11-29", "solar-system", "km", VisitEvent::opened).ok());
  REQUIRE(v.record_visit("2026-11-29", "solar-system", "km", VisitEvent::dwell, 42).ok());
  REQUIRE(v.record_visit("2026-11-29", "solar-system", "km", VisitEvent::quiz_right).ok());
  REQUIRE(v.record_visit("2026-11-29", "solar-system", "km", VisitEvent::quiz_wrong).ok());
  REQUIRE(v.record_visit("2026-11-29", "solar-system", "en", VisitEvent::opened).ok());
  REQUIRE(v.record_visit("2026-11-30", "magnets", "my", VisitEvent::opened).ok());
  CHECK(v.record_visit("2026-11-30", "magnets", "my", VisitEvent::dwell, -5).error ==
        StoreError::invalid);
  CHECK(v.record_visit("yesterday", "magnets", "my", VisitEvent::opened).error ==
        StoreError::invalid);
  const auto all = v.aggregates();
  REQUIRE(all.size() == 3);
  CHECK(all[1].exhibit_id == "solar-system");
  CHECK(all[1].lang == "km");
  CHECK(all[1].opened == 2);
  CHECK(all[1].dwell_s == 42);
  CHECK(all[1].quiz_right == 1);
  CHECK(all[1].quiz_wrong == 1);
  CHECK(v.aggregates("2026-11-30", "").size() == 1);
  CHECK(v.aggregates("", "2026-11-29").size() == 2);
  CHECK(count(store->handle(), "change_log") == 0);  // anonymous counters are not change-logged
}

TEST_CASE("display names: trimmed, checked for controls, length in code points, Zawgyi", "[text]") {
  CHECK(trim_space(" \t Dara Sok \r\n") == "Dara Sok");
  CHECK(trim_space(" \t ").empty());
  CHECK(check_display_name("", 60) == NameProblem::empty);
  CHECK(check_display_name("Dara", 60) == NameProblem::none);
  CHECK(check_display_name("Da\tra", 60) == NameProblem::invalid_text);
  CHECK(check_display_name("Da\x7Fra", 60) == NameProblem::invalid_text);
  CHECK(check_display_name("Da\xC2\x85ra", 60) == NameProblem::invalid_text);  // U+0085, a C1 control
  CHECK(check_display_name("Da\xC2\xA0ra", 60) == NameProblem::none);          // U+00A0 is not one
  CHECK(check_display_name("Bad \xFF", 60) == NameProblem::invalid_text);
  CHECK(check_display_name("សុខដារា", 7) == NameProblem::none);  // 7 code points, 21 bytes
  CHECK(check_display_name("សុខដារា", 6) == NameProblem::too_long);
  CHECK(check_display_name(kiosk::unicode::unicode_to_zawgyi("မောင်မောင်"), 60) == NameProblem::zawgyi);
  CHECK(check_display_name("မောင်မောင်", 60) == NameProblem::none);
  // Nothing readable: only invisible characters or punctuation counts as empty.
  CHECK(check_display_name("\u200b", 60) == NameProblem::empty);
  CHECK(check_display_name("\u200b\u2060\u200d", 60) == NameProblem::empty);
  CHECK(check_display_name("--", 60) == NameProblem::empty);
  CHECK(check_display_name("O'Brien", 60) == NameProblem::none);
  CHECK(check_display_name("វណ្ណា", 60) == NameProblem::none);
}

TEST_CASE("names compare across scripts in Latin letters, Khmer included", "[text]") {
  CHECK(latin_fold("ដារា") == "dara");
  CHECK(latin_fold("ចាន់ថា") == "chantha");
  CHECK(latin_fold("វណ្ណា") == "vanna");
  CHECK(latin_fold("សុខ") == "sokh");
  CHECK(latin_fold("ស្រី") == "srei");
  CHECK(latin_fold("សំណាង") == "samnang");
  CHECK(latin_name_key("ដារា", "ចាន់ថា") == latin_name_key("Chantha", "DARA"));
  CHECK(latin_fold("Ðặng") == "dang");
  CHECK(latin_fold("Алексей") == "aleksej");         // other scripts: ICU's Any-Latin
  CHECK(latin_fold("ဒါရာ") == "darrar");            // ICU Myanmar-Latin, as it is
  CHECK_FALSE(latin_fold("دارا").empty());
}

TEST_CASE("invisible characters and look-alikes fold away; bidi overrides are refused", "[text]") {
  CHECK(search_fold("So\u200Bphea") == "sophea");
  CHECK(search_fold("\uFEFFSophea\u2060") == "sophea");
  CHECK(search_fold("\u200B") == "");
  CHECK(search_fold("\u1780\u200C\u1781") == "\u1780\u200C\u1781");  // ZWNJ is kept
  CHECK(check_display_name("\u200B", 60) == NameProblem::empty);
  CHECK(check_display_name("Dara\u202E", 60) == NameProblem::invalid_text);
  CHECK(check_display_name("\u2067Dara\u2069", 60) == NameProblem::invalid_text);
  CHECK(check_display_name("\u062F\u0627\u0631\u0627\u200F", 60) == NameProblem::none);  // RLM is fine
  CHECK(confusable_key("Sophea") == confusable_key("\u0405\u043E\u0440\u04BB\u0435\u0430"));
  CHECK(confusable_key("Sophea") == confusable_key("SO\u200BPHEA"));
  CHECK(confusable_key("Sophea") != confusable_key("Sopheap"));
  CHECK(confusable_key("\u200B").empty());
}
