// kiosk/core/toml_safety.h — the one gate every TOML file passes before toml++ parses it.
//
// Why: toml++ builds a table per dotted key segment and per [a.b.c] header segment, and builds,
// copies and destroys them recursively. About 50,000 levels (`a.a.a… = 1`, `[a.a.a…]`) overflow
// the stack: the kiosk and `kiosk-content check` died with SIGSEGV on a hostile config, pack or
// form, before any fallback could run. toml++'s own TOML_MAX_NESTED_VALUES covers nested arrays
// and inline tables only. So every reader (config, pack manifest, exhibits, checker, forms,
// keyboard layouts) goes through these functions, which refuse, before parsing:
//   1. a file larger than k_max_toml_file_bytes (nothing the kiosk reads is near it);
//   2. nesting deeper than k_max_toml_depth, counting header segments, dotted key segments,
//      arrays and inline tables together (the deepest real file, a form, uses 3);
//   3. a key (one segment, bare or quoted) longer than k_max_toml_key_bytes.
// Then syntax errors are toml++'s, with their line.
//
// Contract: never throws; thread-safe. A refusal carries the 1-based line where the limit was
// crossed (0 when the whole file is at fault) and a one-line reason (control characters in
// toml++'s message escaped) that names the limit; callers print it as "FILE:LINE: reason". The pre-check is a scan of the bytes, linear in the file size, that
// understands strings and comments well enough never to count a dot inside them; anything it
// does not understand is left to toml++ to refuse.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

inline constexpr int k_max_toml_depth = 32;
inline constexpr std::size_t k_max_toml_key_bytes = 256;
inline constexpr std::uintmax_t k_max_toml_file_bytes = 4u * 1024 * 1024;

struct TomlRefusal {
  int line = 0;  // 1-based; 0 when no line applies (unreadable or too large a file)
  std::string reason;
};

// Nothing when text is within the limits above, else where and why not. Does not parse.
std::optional<TomlRefusal> precheck_toml(std::string_view text);

// precheck_toml(), then toml::parse(text, source_name) into *out. False with *refusal filled on
// a refused or malformed document.
bool parse_toml_checked(std::string_view text, const std::string& source_name, toml::table* out,
                        TomlRefusal* refusal);

// Reads path (refusing an unreadable file and one over k_max_toml_file_bytes without reading
// it), then parse_toml_checked() with path as the source name.
bool parse_toml_file_checked(const std::string& path, toml::table* out, TomlRefusal* refusal);

// text with every control character written out (\n, \r, \t, \xNN), so that a reason quoting
// hostile input stays one "FILE:LINE: reason" line. The one escaper of the file readers' messages:
// the TOML gate above, the PO reader (content/src/catalog.cpp) and the pack checker use it.
std::string one_line_text(std::string_view text);

}  // namespace kiosk::core
