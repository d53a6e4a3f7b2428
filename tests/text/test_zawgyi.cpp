// tests/text/test_zawgyi.cpp — the Zawgyi detector's error rate on a test set of our own.
#include <catch2/catch.hpp>

#include "burmese_corpus.h"
#include "text/zawgyi.h"

namespace kt = kiosk::text;

namespace {

struct Rates {
  int unicode_total = 0, unicode_flagged = 0;
  int zawgyi_total = 0, zawgyi_missed = 0, ambiguous_missed = 0, identical = 0, round_trip_ok = 0;
};

template <std::size_t N>
Rates evaluate(const char* const (&set)[N], const char* name) {
  Rates r;
  int& unicode_total = r.unicode_total;
  int& unicode_flagged = r.unicode_flagged;
  int& zawgyi_total = r.zawgyi_total;
  int& zawgyi_missed = r.zawgyi_missed;
  int& identical = r.identical;
  int& round_trip_ok = r.round_trip_ok;
  for (const char* s : set) {
    std::string uni = s;
    std::string zaw = kt::unicode_to_zawgyi(uni);
    ++unicode_total;
    if (kt::looks_like_zawgyi(uni)) {
      ++unicode_flagged;
      WARN("Unicode flagged as Zawgyi: " << uni);
    }
    if (zaw == uni) {  // same bytes in both encodings: nothing to detect
      ++identical;
      continue;
    }
    ++zawgyi_total;
    if (!kt::looks_like_zawgyi(zaw)) {
      ++zawgyi_missed;
      kt::ZawgyiEvidence e = kt::zawgyi_evidence(zaw);
      // Well-formed in both encodings (no impossible pattern either way): no local rule can tell.
      if (e.zawgyi == 0) ++r.ambiguous_missed;
      WARN("Zawgyi not detected: " << zaw << " (evidence " << e.zawgyi << " vs " << e.unicode << ")");
    }
    if (kt::zawgyi_to_unicode(zaw) == uni) ++round_trip_ok;
  }
  double false_positive = static_cast<double>(unicode_flagged) / unicode_total;
  double false_negative = static_cast<double>(zawgyi_missed) / zawgyi_total;
  WARN(name << ": " << unicode_total << " Unicode strings, " << zawgyi_total
       << " Zawgyi strings (" << identical << " identical in both encodings); "
       << "false positives " << unicode_flagged << " (" << false_positive * 100 << "%), "
       << "missed " << zawgyi_missed << " (" << false_negative * 100 << "%, "
       << r.ambiguous_missed << " of them well-formed in both encodings); "
       << "Zawgyi-my restores " << round_trip_ok << "/" << zawgyi_total << " exactly");
  return r;
}

}  // namespace

TEST_CASE("Zawgyi detection error rate on the test set", "[zawgyi]") {
  Rates tuned = evaluate(kBurmeseSentences, "Zawgyi tuning set");
  Rates held = evaluate(kBurmeseHeldOut, "Zawgyi held-out set");
  for (const Rates& r : {tuned, held}) {
    CHECK(r.unicode_flagged == 0);
    // Misses only where the Zawgyi string is also well-formed Unicode.
    CHECK(r.zawgyi_missed - r.ambiguous_missed <= r.zawgyi_total / 10);
    CHECK(r.zawgyi_missed * 100 <= r.zawgyi_total * 15);
    CHECK(r.round_trip_ok == r.zawgyi_total);
  }
}

TEST_CASE("Zawgyi evidence on known strings", "[zawgyi]") {
  CHECK(kt::looks_like_zawgyi("ေက်းဇူးတင္ပါတယ္"));
  CHECK(kt::looks_like_zawgyi("ျမန္မာ"));
  CHECK_FALSE(kt::looks_like_zawgyi("မြန်မာ"));
  CHECK_FALSE(kt::looks_like_zawgyi("Hello"));
  CHECK_FALSE(kt::looks_like_zawgyi(""));
  CHECK(kt::zawgyi_to_unicode("ျမန္မာ") == "မြန်မာ");
}
