// kiosk/core/text_normalize.cpp — see text_normalize.h (N1, N2).
#include "text_normalize.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace kiosk::core {
namespace {
// The words of already-folded text, sorted and joined by one space.
std::string sorted_words(const std::string& folded) {
  std::istringstream in(folded);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  std::sort(words.begin(), words.end());
  std::string key;
  for (const auto& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}
}  // namespace

std::string latin_name_key(std::string_view given, std::string_view family) {
  return sorted_words(unicode::latin_fold(given) + " " + unicode::latin_fold(family));
}

std::string name_key(std::string_view given, std::string_view family) {
  return sorted_words(unicode::search_fold(given) + " " + unicode::search_fold(family));
}

std::string trim_space(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

NameProblem check_display_name(std::string_view name, std::size_t max_code_points,
                               unicode::TextCheck* detail) {
  unicode::TextRules rules;
  rules.max_code_points = max_code_points;
  const unicode::TextCheck found = unicode::check_text(name, rules);
  if (detail) *detail = found;
  switch (found.problem) {
    case unicode::TextProblem::none: return NameProblem::none;
    case unicode::TextProblem::blank: return NameProblem::empty;
    case unicode::TextProblem::invalid_utf8:
    case unicode::TextProblem::control:
    case unicode::TextProblem::bidi_control: return NameProblem::invalid_text;
    case unicode::TextProblem::too_long: return NameProblem::too_long;
    case unicode::TextProblem::zawgyi: return NameProblem::zawgyi;
  }
  return NameProblem::invalid_text;  // impossible: every TextProblem is handled above
}

}  // namespace kiosk::core
