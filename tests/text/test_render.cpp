// tests/text/test_render.cpp — rendered paragraphs against checked-in goldens, with a tolerance.
//
// The goldens are what `kiosk-text render` writes for the same arguments; they were looked at
// next to hb-view's and Chromium's rendering of the same text when they were made. To refresh
// them after an intended change: KIOSK_TEXT_UPDATE_GOLDENS=1 text_tests "[render]" — and look
// at every PNG in tests/text/golden/ before committing them.
#include <catch2/catch.hpp>
#include <stb_image.h>
#include <stb_image_write.h>

#include <cmath>
#include <cstdlib>

#include "test_support.h"
#include "text/raster.h"

namespace kt = kiosk::text;
using namespace text_test;

namespace {

struct Golden {
  const char* name;
  const char* lang;
  float width, size;
  const char* text;
};

const Golden kGoldens[] = {
    {"km_paragraph", "km", 400, 32,
     "ខ្ញុំស្រឡាញ់ភាសាខ្មែរណាស់។ កុមារទាំងអស់ចូលរៀននៅសាលារៀនជារៀងរាល់ថ្ងៃ ហើយពួកគេរីករាយនឹងការរៀនវិទ្យាសាស្ត្រ"},
    {"my_paragraph", "my", 420, 30,
     "မြန်မာနိုင်ငံသည် အရှေ့တောင်အာရှတွင် တည်ရှိသည်။ ကလေးများသည် သိပ္ပံပညာကို လေ့လာရန် ဝါသနာပါကြသည်။"},
    {"ar_paragraph", "ar", 420, 30,
     "يزور المعرض العلمي المتنقل ٣ مدن في عام 2024، ويشارك فيه 1500 طالب من مدارس القاهرة."},
    {"zh_paragraph", "zh", 420, 30, "流动科学博物馆将在柬埔寨、缅甸、埃及和南非巡回展出，让孩子们用自己的语言学习科学。"},
};

std::vector<std::uint8_t> render_like_cli(const Golden& g, int* w, int* h) {
  kt::TextEngine e;
  kt::Style s = style(g.lang, g.size);
  auto layout = e.layout(g.text, s, g.width);
  const int margin = 8;
  *w = static_cast<int>(std::ceil(std::max(g.width, layout->width))) + 2 * margin;
  *h = static_cast<int>(std::ceil(layout->height)) + 2 * margin;
  e.begin_frame();
  kt::CoverageImage cov = kt::render_coverage(e, *layout, *w, *h, margin, margin);
  std::vector<std::uint8_t> img(cov.pixels.size());
  for (std::size_t i = 0; i < img.size(); ++i) img[i] = static_cast<std::uint8_t>(255 - cov.pixels[i]);
  return img;
}

}  // namespace

TEST_CASE("rendered paragraphs match their goldens (Khmer, Burmese, Arabic, Chinese)", "[render]") {
  const bool update = std::getenv("KIOSK_TEXT_UPDATE_GOLDENS") != nullptr;
  for (const Golden& g : kGoldens) {
    INFO(g.name);
    int w = 0, h = 0;
    std::vector<std::uint8_t> img = render_like_cli(g, &w, &h);
    const std::string path = std::string(KIOSK_TEXT_GOLDEN_DIR) + "/" + g.name + ".png";
    if (update) {
      REQUIRE(stbi_write_png(path.c_str(), w, h, 1, img.data(), w));
      continue;
    }
    int gw = 0, gh = 0, channels = 0;
    unsigned char* golden = stbi_load(path.c_str(), &gw, &gh, &channels, 1);
    REQUIRE(golden != nullptr);
    CHECK(gw == w);
    CHECK(gh == h);
    if (gw == w && gh == h) {
      std::size_t differing = 0;
      double total = 0;
      for (std::size_t i = 0; i < img.size(); ++i) {
        int d = std::abs(static_cast<int>(img[i]) - static_cast<int>(golden[i]));
        total += d;
        if (d > 64) ++differing;
      }
      // Tolerance: antialiasing may move a little between FreeType builds; glyphs may not.
      CHECK(static_cast<double>(differing) / static_cast<double>(img.size()) < 0.005);
      CHECK(total / static_cast<double>(img.size()) < 2.0);
    }
    stbi_image_free(golden);
  }
}
