// kiosk/text/raster.cpp — see raster.h. Coverage is combined with "over" (1 - (1-a)(1-b)).
#include "raster.h"

namespace kiosk::text {

CoverageImage render_coverage(TextEngine& engine, const Layout& layout, int width, int height,
                              float x, float y) {
  CoverageImage img;
  img.width = width;
  img.height = height;
  img.pixels.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0);
  std::vector<GlyphQuad> quads;
  engine.quads(layout, x, y, quads);
  const auto& pages = engine.atlas().pages();
  for (const GlyphQuad& q : quads) {
    const AtlasPage& page = pages[q.page];
    for (int row = 0; row < q.v1 - q.v0; ++row) {
      const int dy = static_cast<int>(q.y0) + row;
      if (dy < 0 || dy >= height) continue;
      for (int col = 0; col < q.u1 - q.u0; ++col) {
        const int dx = static_cast<int>(q.x0) + col;
        if (dx < 0 || dx >= width) continue;
        const unsigned a = page.pixels[static_cast<std::size_t>(q.v0 + row) * static_cast<std::size_t>(page.size) +
                                       static_cast<std::size_t>(q.u0 + col)];
        std::uint8_t& dst = img.pixels[static_cast<std::size_t>(dy) * static_cast<std::size_t>(width) +
                                       static_cast<std::size_t>(dx)];
        dst = static_cast<std::uint8_t>(255u - (255u - dst) * (255u - a) / 255u);
      }
    }
  }
  return img;
}

}  // namespace kiosk::text
