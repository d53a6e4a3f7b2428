// kiosk/core/toml_safety.cpp — see toml_safety.h for the limits and why they exist.
//
// The scan keeps just enough of TOML's grammar to find keys and containers:
//   - a key expression starts a statement at the top level (after a newline outside any array
//     or inline table), follows `[` / `[[` of a header, or follows `{` / `,` inside an inline
//     table; its segments are bare runs or quoted strings joined by dots;
//   - everything else is a value: strings (four kinds) are skipped whole, `[` and `{` open a
//     container one level deeper than the key or array holding it, `]` and `}` close one;
//   - `#` starts a comment to the end of the line.
// Malformed text never makes it loop or read out of bounds: every step consumes at least one
// byte, and what the scan cannot make sense of is left for toml++ to report.
#include "toml_safety.h"

#include <filesystem>
#include <fstream>
#include <vector>

namespace kiosk::core {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : m_text(text) {}

  std::optional<TomlRefusal> run() {
    int table_depth = 0;  // depth of the table the last header opened
    bool statement_start = true;
    while (!m_refusal && m_i < m_text.size()) {
      const char c = m_text[m_i];
      if (c == '\n') {
        ++m_line;
        ++m_i;
        if (m_stack.empty()) statement_start = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++m_i;
        continue;
      }
      if (c == '#') {
        while (m_i < m_text.size() && m_text[m_i] != '\n') ++m_i;
        continue;
      }
      if (m_stack.empty() && statement_start) {
        statement_start = false;
        if (c == '[') {  // [table] or [[array of tables]]: its elements are one level deeper
          const bool array = m_i + 1 < m_text.size() && m_text[m_i + 1] == '[';
          m_i += array ? 2 : 1;
          table_depth = scan_key(0) + (array ? 1 : 0);
          check_depth(table_depth);
          m_value_depth = table_depth;
        } else {
          m_value_depth = scan_key(table_depth);
        }
        continue;
      }
      if (!m_stack.empty() && m_stack.back().inline_table && m_expect_inline_key) {
        m_expect_inline_key = false;
        m_value_depth = scan_key(m_stack.back().depth);
        continue;
      }
      scan_value_byte(c);
    }
    return m_refusal;
  }

 private:
  struct Container {
    bool inline_table;
    int depth;
  };

  void refuse(std::string reason) {
    if (!m_refusal) m_refusal = TomlRefusal{m_line, std::move(reason)};
  }
  void check_depth(int depth) {
    if (depth > k_max_toml_depth)
      refuse("tables, dotted keys and arrays nested more than " +
             std::to_string(k_max_toml_depth) + " levels deep (refused before parsing)");
  }

  // One value byte at m_i: strings are skipped whole, containers opened and closed.
  void scan_value_byte(char c) {
    if (c == '"' || c == '\'') {
      skip_string(c);
    } else if (c == '[' || c == '{') {
      ++m_i;
      const int depth = m_value_depth + 1;
      m_stack.push_back({c == '{', depth});
      check_depth(depth);
      m_value_depth = depth;
      m_expect_inline_key = c == '{';
    } else if (c == ']' || c == '}') {
      ++m_i;
      if (!m_stack.empty()) m_stack.pop_back();
      m_value_depth = m_stack.empty() ? 0 : m_stack.back().depth;
    } else if (c == ',') {
      ++m_i;
      if (!m_stack.empty() && m_stack.back().inline_table) m_expect_inline_key = true;
      else if (!m_stack.empty()) m_value_depth = m_stack.back().depth;
    } else {
      ++m_i;
    }
  }

  // A dotted key at m_i inside a table `base` levels deep. Returns the depth of its value and
  // leaves m_i after the key (at '=', ']' or whatever toml++ will complain about).
  int scan_key(int base) {
    int depth = base;
    while (!m_refusal) {
      skip_blanks();
      if (m_i >= m_text.size()) break;
      const char c = m_text[m_i];
      std::size_t length = 0;
      if (c == '"' || c == '\'') {
        const std::size_t start = m_i;
        skip_string(c);
        length = m_i - start;
      } else {
        while (m_i < m_text.size() && is_bare_key_byte(m_text[m_i])) {
          ++m_i;
          ++length;
        }
        if (length == 0) break;  // not a key: leave it to toml++
      }
      if (length > k_max_toml_key_bytes + 2)  // + 2: the quotes of a quoted key
        refuse("a key longer than " + std::to_string(k_max_toml_key_bytes) +
               " bytes (refused before parsing)");
      check_depth(++depth);
      skip_blanks();
      if (m_i >= m_text.size() || m_text[m_i] != '.') break;
      ++m_i;
    }
    return depth;
  }

  static bool is_bare_key_byte(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  }

  void skip_blanks() {
    while (m_i < m_text.size() && (m_text[m_i] == ' ' || m_text[m_i] == '\t')) ++m_i;
  }

  // A string starting at m_i with quote q ('"' basic, '\'' literal), single- or multi-line.
  // Leaves m_i after the closing quote, or at the end of the line (single-line, unterminated)
  // or of the text.
  void skip_string(char q) {
    const bool multi = m_text.substr(m_i, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''");
    m_i += multi ? 3 : 1;
    while (m_i < m_text.size()) {
      const char c = m_text[m_i];
      if (c == '\n') {
        if (!multi) return;  // unterminated: toml++ says so
        ++m_line;
      } else if (c == '\\' && q == '"') {
        ++m_i;  // the escaped byte (a newline after a line-ending backslash is counted below)
        if (m_i < m_text.size() && m_text[m_i] == '\n') continue;
      } else if (c == q) {
        if (!multi) {
          ++m_i;
          return;
        }
        if (m_text.substr(m_i, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''")) {
          m_i += 3;
          while (m_i < m_text.size() && m_text[m_i] == q) ++m_i;  // up to two quotes before
          return;
        }
      }
      ++m_i;
    }
  }

  std::string_view m_text;
  std::size_t m_i = 0;
  int m_line = 1;
  std::vector<Container> m_stack;
  int m_value_depth = 0;
  bool m_expect_inline_key = false;
  std::optional<TomlRefusal> m_refusal;
};

}  // namespace

std::optional<TomlRefusal> precheck_toml(std::string_view text) {
  if (text.size() > k_max_toml_file_bytes)
    return TomlRefusal{0, "larger than " + std::to_string(k_max_toml_file_bytes / (1024 * 1024)) +
                              " MiB (refused before parsing)"};
  return Scanner(text).run();
}

// toml++ quotes the character it did not expect ("expected 'inf', saw '\n'") raw, so a reason
// could hold a line break or another control character and break the one-line
// "FILE:LINE: reason" every caller prints (found by tests/fuzz/config).
std::string one_line_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

bool parse_toml_checked(std::string_view text, const std::string& source_name, toml::table* out,
                        TomlRefusal* refusal) {
  if (auto r = precheck_toml(text)) {
    *refusal = std::move(*r);
    return false;
  }
  try {
    *out = toml::parse(text, source_name);
    return true;
  } catch (const toml::parse_error& e) {
    *refusal = {static_cast<int>(e.source().begin.line), one_line_text(e.description())};
    return false;
  }
}

bool parse_toml_file_checked(const std::string& path, toml::table* out, TomlRefusal* refusal) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    *refusal = {0, "cannot be read"};
    return false;
  }
  if (size > k_max_toml_file_bytes) {
    *refusal = {0, "larger than " + std::to_string(k_max_toml_file_bytes / (1024 * 1024)) +
                       " MiB (refused before parsing)"};
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    *refusal = {0, "cannot be read"};
    return false;
  }
  return parse_toml_checked(bytes, path, out, refusal);
}

}  // namespace kiosk::core
