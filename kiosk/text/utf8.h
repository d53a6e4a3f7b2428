// kiosk/text/utf8.h — UTF-8 decoding that never fails.
//
// Contract:
//  - sanitize_utf8() returns valid UTF-8: every ill-formed sequence (stray continuation byte,
//    truncated sequence, overlong form, surrogate, value above U+10FFFF) becomes U+FFFD, one
//    replacement per maximal ill-formed subpart (the Unicode "best practice"). NUL becomes U+FFFD.
//  - decode_utf8() assumes its input came out of sanitize_utf8() (or is otherwise valid).
//  - Offsets are byte offsets into the sanitized string everywhere in kiosk/text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// One decoded code point and the byte offset where it starts.
struct CodePoint {
  char32_t value;
  std::uint32_t offset;
};

std::string sanitize_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);
std::vector<CodePoint> decode_utf8(std::string_view valid_utf8);
void append_utf8(std::string& out, char32_t cp);

// Length of the longest prefix of `bytes` that ends on a complete UTF-8 sequence. Used to hold
// back a sequence split across input events.
std::size_t complete_utf8_prefix(std::string_view bytes);

// Byte offset of the code point before/after `offset` in valid UTF-8 (clamped to [0, size]).
std::size_t prev_code_point(std::string_view valid_utf8, std::size_t offset);
std::size_t next_code_point(std::string_view valid_utf8, std::size_t offset);

// UTF-16 copy of valid UTF-8 for ICU, with the byte offset of each UTF-16 unit.
struct Utf16Text {
  std::u16string units;
  std::vector<std::uint32_t> byte_offset;  // size units.size() + 1
};
Utf16Text to_utf16(std::string_view valid_utf8);

}  // namespace kiosk::text
