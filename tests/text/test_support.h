// tests/text/test_support.h — helpers shared by the text tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "text/text_engine.h"

namespace text_test {

// One engine for the whole suite (fonts load once); tests that need special configuration make
// their own.
kiosk::text::TextEngine& engine();
kiosk::text::Style style(const char* lang, float size = 28.0f);
// Runs a shell command and returns its standard output, or "" with ok=false when it fails.
std::string run(const std::string& command, bool* ok = nullptr);
bool have_program(const char* name);
// Glyph ids out of hb-shape's text format ("[12=0+500|...]").
std::vector<unsigned> glyph_ids(const std::string& serialized);
// Writes text to a fresh temporary file and returns its path.
std::string temp_file(const std::string& contents);
// The offsets of a layout's clusters in visual order (line by line, left to right).
std::vector<unsigned> visual_cluster_starts(const kiosk::text::Layout& layout);

}  // namespace text_test
