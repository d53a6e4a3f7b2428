// kiosk/unicode/properties.cpp — the [CHARACTERS], [TEXT CHECK] and [SCRIPTS] sections of
// unicode.h: character classes from ICU's property tables, and the one check of readable text.
#include "unicode.h"

#include <unicode/uchar.h>

#include <cstdio>
#include <map>

namespace kiosk::unicode {

// [CHARACTERS] ----------------------------------------------------------------------------------

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool is_bidi_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool is_invisible(char32_t cp) {
  return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
}

bool is_letter_or_digit(char32_t cp) {
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

bool is_mark(char32_t cp) { return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & U_GC_M_MASK) != 0; }

bool is_space(char32_t cp) { return u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0; }

bool is_blank(std::string_view text) {
  bool readable = false;
  for_each_code_point(text, [&](char32_t cp, std::size_t) { readable = readable || is_letter_or_digit(cp); });
  return !readable;
}

bool is_invisible_only(std::string_view text) {
  bool drawn = false;
  for_each_code_point(text, [&](char32_t cp, std::size_t) {
    drawn = drawn || !(is_invisible(cp) || is_space(cp));
  });
  return !drawn;
}

// [TEXT CHECK] ----------------------------------------------------------------------------------

std::string code_point_name(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

TextCheck check_text(std::string_view text, const TextRules& rules) {
  if (text.empty()) return {TextProblem::blank, 0, 0};
  // One pass for the per-character rules, counting code points on the way.
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < text.size(); ++code_points) {
    const Decoded d = decode_at(text, i);
    if (!d.ok) return {TextProblem::invalid_utf8, i, kReplacementChar};
    const bool allowed = d.value < 0x80 && rules.allowed_controls.find(static_cast<char>(d.value)) != std::string_view::npos;
    if (is_control(d.value) && !allowed)
      return {TextProblem::control, i, d.value};
    if (is_bidi_control(d.value)) return {TextProblem::bidi_control, i, d.value};
    i += d.length;
  }
  if (code_points > rules.max_code_points) return {TextProblem::too_long, 0, 0};
  if (rules.check_zawgyi && looks_like_zawgyi(text)) return {TextProblem::zawgyi, 0, 0};
  if (is_blank(text)) return {TextProblem::blank, 0, 0};
  return {};
}

// [SCRIPTS] -------------------------------------------------------------------------------------

UScriptCode script_of(char32_t cp) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(static_cast<UChar32>(cp), &status);
  return U_SUCCESS(status) ? s : USCRIPT_COMMON;
}

namespace {
bool is_scriptless(UScriptCode s) { return s == USCRIPT_COMMON || s == USCRIPT_INHERITED || s == USCRIPT_UNKNOWN; }
}  // namespace

bool has_script(std::string_view text, UScriptCode script) {
  if (is_scriptless(script)) return false;
  bool found = false;
  for_each_code_point(text, [&](char32_t cp, std::size_t) { found = found || script_of(cp) == script; });
  return found;
}

UScriptCode dominant_script(std::string_view text) {
  std::map<UScriptCode, std::size_t> counts;
  std::vector<UScriptCode> order;  // first appearance, for ties
  for_each_code_point(text, [&](char32_t cp, std::size_t) {
    const UScriptCode s = script_of(cp);
    if (is_scriptless(s)) return;
    if (counts[s]++ == 0) order.push_back(s);
  });
  UScriptCode best = USCRIPT_COMMON;
  std::size_t best_count = 0;
  for (UScriptCode s : order)
    if (counts[s] > best_count) best = s, best_count = counts[s];
  return best;
}

}  // namespace kiosk::unicode
