// kiosk/core/text_normalize.h — core's rules for names, over the Unicode facts of kiosk_unicode.
//
// The facts (UTF-8 validity, code points, controls, invisible and bidi characters, scripts,
// Zawgyi, search_fold(), latin_fold(), confusable_key()) and their policy live in
// unicode/unicode.h; this header holds only what core decides with them:
//   N1. name_key() is unicode::search_fold() of given + family name with the words sorted, so
//       swapped name order ("Sok Dara" / "Dara Sok") yields the same key; latin_name_key() does
//       the same over unicode::latin_fold().
//   N2. A short display name (a staff account's, the kiosk's, a directory organization's) is
//       stored only when unicode::check_text() finds nothing with its length limit: see
//       check_display_name(). Pack strings (content's checker) and form values (form_schema)
//       go through the same check_text(), so all of them refuse the same text.
//
// Contract: pure functions, thread-safe, any bytes accepted (unicode.h U3). Empty input gives "".
#pragma once

#include "unicode/unicode.h"

#include <string>
#include <string_view>

namespace kiosk::core {

std::string name_key(std::string_view given, std::string_view family);
std::string latin_name_key(std::string_view given, std::string_view family);

// s without leading and trailing ASCII spaces, tabs and line breaks.
std::string trim_space(std::string_view s);

// Why a short display name cannot be stored (N2). `name` is already trimmed; invalid_text covers
// ill-formed UTF-8, control characters (NUL included, unicode.h U2/U4) and bidi controls (U5);
// too_long counts code points, not bytes (U7); zawgyi is Burmese in the Zawgyi encoding; empty
// also covers a name with no letter or digit at all (only U+200B, joiners, marks or punctuation,
// U6). `detail`, when given, receives check_text()'s finding (which character, where).
enum class NameProblem { none, empty, invalid_text, too_long, zawgyi };
NameProblem check_display_name(std::string_view name, std::size_t max_code_points,
                               unicode::TextCheck* detail = nullptr);

}  // namespace kiosk::core
