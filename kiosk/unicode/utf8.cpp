// kiosk/unicode/utf8.cpp — the [UTF-8] section of unicode.h: the only UTF-8 decoder.
#include "unicode.h"

namespace kiosk::unicode {
namespace {

// Decodes one well-formed sequence at `i` (U1; NUL included, U2); returns its length, or the
// length of the maximal ill-formed subpart (>= 1) with *ok = false (U3).
std::size_t decode_one(std::string_view s, std::size_t i, char32_t* cp, bool* ok) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  *ok = false;
  if (b0 < 0x80) {
    *cp = b0;
    *ok = true;
    return 1;
  }
  int need = 0;
  char32_t value = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    value = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    value = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    value = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  std::size_t k = i + 1;
  for (int n = 0; n < need; ++n, ++k) {
    if (k >= s.size()) return k - i;
    unsigned char b = byte(k);
    if (b < lo || b > hi) return k - i;
    lo = 0x80;
    hi = 0xBF;
    value = (value << 6) | (b & 0x3Fu);
  }
  *cp = value;
  *ok = true;
  return k - i;
}

}  // namespace

Decoded decode_at(std::string_view bytes, std::size_t offset) {
  Decoded d;
  char32_t cp = kReplacementChar;
  bool ok = false;
  d.length = static_cast<std::uint32_t>(decode_one(bytes, offset, &cp, &ok));
  d.ok = ok;
  d.value = ok ? cp : kReplacementChar;
  return d;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t find_invalid_utf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    char32_t cp = 0;
    bool ok = false;
    std::size_t n = decode_one(bytes, i, &cp, &ok);
    if (!ok) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool is_valid_utf8(std::string_view bytes) { return find_invalid_utf8(bytes) == std::string_view::npos; }

std::size_t count_code_points(std::string_view bytes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < bytes.size(); ++n) {
    char32_t cp = 0;
    bool ok = false;
    i += decode_one(bytes, i, &cp, &ok);
  }
  return n;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    char32_t cp = 0;
    bool ok = false;
    std::size_t n = decode_one(bytes, i, &cp, &ok);
    if (ok && cp != 0) {
      out.append(bytes.substr(i, n));
    } else {
      append_utf8(out, kReplacementChar);
    }
    i += n;
  }
  return out;
}

std::vector<CodePoint> decode_utf8(std::string_view s) {
  std::vector<CodePoint> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    bool ok = false;
    std::size_t n = decode_one(s, i, &cp, &ok);
    out.push_back({ok ? cp : kReplacementChar, static_cast<std::uint32_t>(i)});
    i += n;
  }
  return out;
}

std::size_t complete_utf8_prefix(std::string_view bytes) {
  // Look back at most 3 bytes for a lead byte whose sequence is cut short.
  std::size_t n = bytes.size();
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned char b = static_cast<unsigned char>(bytes[n - back]);
    if ((b & 0xC0) == 0x80) continue;  // continuation: keep looking for the lead
    std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

std::size_t prev_code_point(std::string_view s, std::size_t offset) {
  if (offset > s.size()) offset = s.size();
  if (offset == 0) return 0;
  std::size_t i = offset - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

std::size_t next_code_point(std::string_view s, std::size_t offset) {
  if (offset >= s.size()) return s.size();
  std::size_t i = offset + 1;
  while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  return i;
}

Utf16Text to_utf16(std::string_view s) {
  Utf16Text t;
  t.units.reserve(s.size());
  t.byte_offset.reserve(s.size() + 1);
  for (const CodePoint& cp : decode_utf8(s)) {
    if (cp.value >= 0x10000) {
      char32_t v = cp.value - 0x10000;
      t.units.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
      t.units.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
      t.byte_offset.push_back(cp.offset);
      t.byte_offset.push_back(cp.offset);
    } else {
      t.units.push_back(static_cast<char16_t>(cp.value));
      t.byte_offset.push_back(cp.offset);
    }
  }
  t.byte_offset.push_back(static_cast<std::uint32_t>(s.size()));
  return t;
}

}  // namespace kiosk::unicode
