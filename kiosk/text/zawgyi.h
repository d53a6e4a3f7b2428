// kiosk/text/zawgyi.h — kiosk_text's names for the Zawgyi functions of kiosk_unicode.
//
// The detector's heuristic and contracts live in unicode/unicode.h ([ZAWGYI] section); this
// header only lets the text engine, the UI and their tests keep calling them as kiosk::text::...
#pragma once

#include "unicode/unicode.h"

namespace kiosk::text {

using unicode::looks_like_zawgyi;
using unicode::unicode_to_zawgyi;
using unicode::zawgyi_evidence;
using unicode::zawgyi_to_unicode;
using unicode::ZawgyiEvidence;

}  // namespace kiosk::text
