// kiosk/text/raster.h — a layout drawn into a coverage image on the CPU, the way the GPU draws
// the same quads (kiosk-text render, golden tests). Not used by the kiosk at run time.
//
// Contract: pixels are 0 (no ink) .. 255 (full ink), row-major, width × height; glyphs falling
// outside are clipped. Call engine.begin_frame() first, as for TextEngine::quads().
#pragma once

#include <cstdint>
#include <vector>

#include "text_engine.h"

namespace kiosk::text {

struct CoverageImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
};

CoverageImage render_coverage(TextEngine& engine, const Layout& layout, int width, int height,
                              float x, float y);

}  // namespace kiosk::text
