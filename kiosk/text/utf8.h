// kiosk/text/utf8.h — kiosk_text's names for the UTF-8 functions of kiosk_unicode.
//
// The decoder, its policy (NUL, ill-formed input) and its contracts live in unicode/unicode.h
// ([UTF-8] section); this header only lets the text engine, the UI and their tests keep calling
// them as kiosk::text::... Offsets are byte offsets into the sanitized string everywhere in
// kiosk/text.
#pragma once

#include "unicode/unicode.h"

namespace kiosk::text {

using unicode::append_utf8;
using unicode::CodePoint;
using unicode::complete_utf8_prefix;
using unicode::decode_utf8;
using unicode::is_valid_utf8;
using unicode::kReplacementChar;
using unicode::next_code_point;
using unicode::prev_code_point;
using unicode::sanitize_utf8;
using unicode::to_utf16;
using unicode::Utf16Text;

}  // namespace kiosk::text
