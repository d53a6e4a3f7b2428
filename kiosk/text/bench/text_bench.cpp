// kiosk-text-bench — issue 3's text budgets, with baselines measured in the same run.
//
//   kiosk-text-bench [--quick]
//
// Measures (median of repeated runs, wall clock, one thread):
//  1. cold layout of a 2,000-character Khmer article: caches emptied, fonts already open;
//  2. warm layout of the same article: a layout-cache hit;
//  3. a warm frame: 10 paragraphs (Khmer, Burmese, Arabic, Chinese, English) laid out and turned
//     into glyph quads, as the ImGui bridge does each frame;
//  4. atlas memory after those frames.
// Baselines: one plain hb_shape() of the whole article in one buffer with the Khmer font (what
// shaping alone costs, no bidi/itemization/line breaking), ICU line breaking of the article alone,
// and a memcpy of the 10 paragraphs' bytes.
#include <hb.h>
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "text/text_engine.h"
#include "text/utf8.h"

namespace kt = kiosk::text;

namespace {

using Clock = std::chrono::steady_clock;

double median_us(int runs, const std::function<void()>& fn) {
  std::vector<double> t;
  t.reserve(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    auto a = Clock::now();
    fn();
    auto b = Clock::now();
    t.push_back(std::chrono::duration<double, std::micro>(b - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::string khmer_article(std::size_t code_points) {
  const char* sentences[] = {
      "សារមន្ទីរវិទ្យាសាស្ត្រចល័តធ្វើដំណើរទៅកាន់ខេត្តនានាក្នុងប្រទេសកម្ពុជា ដើម្បីបង្ហាញពិសោធន៍វិទ្យាសាស្ត្រដល់កុមារ និងយុវជន។ ",
      "ក្មេងៗអាចប៉ះ សាកល្បង និងសួរសំណួរអំពីពន្លឺ សំឡេង អគ្គិសនី និងចលនា។ ",
      "ព្រះអាទិត្យផ្តល់ថាមពលដល់ផែនដី ហើយរុក្ខជាតិប្រើពន្លឺព្រះអាទិត្យដើម្បីផលិតអាហារ។ ",
      "ទឹកហួតក្លាយជាចំហាយ ឡើងទៅលើមេឃ ត្រជាក់ ហើយធ្លាក់មកវិញជាភ្លៀង។ ",
      "បេះដូងរបស់យើងបូមឈាមជាង មួយសែនដងក្នុងមួយថ្ងៃ ដោយមិនដែលឈប់សម្រាកឡើយ។ ",
      "មេដែកទាញដែក ប៉ុន្តែមិនទាញឈើ ឬប្លាស្ទិកទេ ហើយផែនដីទាំងមូលក៏ជាមេដែកដ៏ធំមួយដែរ។ ",
      "គ្រូបង្រៀន និងសិស្សានុសិស្សមកពីសាលារៀនជាច្រើនបានចូលរួមក្នុងកម្មវិធីនេះដោយរីករាយ។ ",
  };
  std::string out;
  std::size_t n = 0;
  for (int i = 0; n < code_points; i = (i + 1) % 7) {
    for (const kt::CodePoint& cp : kt::decode_utf8(sentences[i])) {
      if (n == code_points) break;
      kt::append_utf8(out, cp.value);
      ++n;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int cold_runs = quick ? 5 : 41;
  const int warm_runs = quick ? 200 : 5001;
  const int frames = quick ? 200 : 5001;

  const std::string article = khmer_article(2000);
  kt::TextEngine engine;
  kt::Style km;
  km.lang = "km";
  km.size = 28;
  const float width = 900;

  // First use: opens fonts, creates ICU's Khmer dictionary break iterator.
  auto t0 = Clock::now();
  auto first = engine.layout(article, km, width);
  double first_us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();

  double cold_us = median_us(cold_runs, [&] {
    engine.clear_caches();
    engine.layout(article, km, width);
  });
  double warm_us = median_us(warm_runs, [&] { engine.layout(article, km, width); });

  // Baseline: hb_shape of the whole article in one buffer, same font and scale.
  kt::FaceId khmer = engine.fonts().face_for(kt::FontFamily::Khmer, false);
  hb_font_t* font = engine.fonts().hb_font(khmer, 28 * 64);
  double hb_us = median_us(cold_runs, [&] {
    hb_buffer_t* buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, article.data(), static_cast<int>(article.size()), 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(font, buf, nullptr, 0);
    hb_buffer_destroy(buf);
  });
  // Baseline: ICU line breaking of the article alone (dictionary-based for Khmer).
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createLineInstance(icu::Locale("km"), status));
  double icu_us = median_us(cold_runs, [&] {
    UErrorCode st = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, article.data(), static_cast<int64_t>(article.size()), &st);
    bi->setText(ut, st);
    int count = 0;
    for (int32_t p = bi->first(); p != icu::BreakIterator::DONE; p = bi->next()) ++count;
    utext_close(ut);
    if (count < 0) std::puts("");
  });

  // A warm frame: 10 paragraphs on screen.
  struct Para {
    std::string text;
    kt::Style style;
    float width;
  };
  auto style = [](const char* lang, float size, bool bold = false) {
    kt::Style s;
    s.lang = lang;
    s.size = size;
    s.bold = bold;
    return s;
  };
  std::vector<Para> paras = {
      {"តើអ្នកចង់ស្វែងយល់អំពីអ្វី?", style("km", 44, true), 0},
      {article.substr(0, 1200), style("km", 28), 900},
      {"မြန်မာနိုင်ငံသည် အရှေ့တောင်အာရှတွင် တည်ရှိသည်။ ကလေးများသည် သိပ္ပံပညာကို လေ့လာရန် ဝါသနာပါကြသည်။", style("my", 28), 600},
      {"يزور المعرض العلمي المتنقل ٣ مدن في عام 2024، ويشارك فيه 1500 طالب من مدارس القاهرة.", style("ar", 28), 600},
      {"流动科学博物馆将在柬埔寨、缅甸、埃及和南非巡回展出，让孩子们用自己的语言学习科学。", style("zh", 28), 600},
      {"Static electricity and lightning", style("en", 34), 400},
      {"Sound: vibrations you can hear", style("en", 34), 400},
      {"ភាសាខ្មែរ", style("km", 30), 0},
      {"العربية", style("ar", 30), 0},
      {"Ngiyabonga kakhulu! Sawubona, mngane.", style("zu", 28), 500},
  };
  std::vector<kt::GlyphQuad> quads;
  auto frame = [&] {
    engine.begin_frame();
    quads.clear();
    float y = 0;
    for (const Para& p : paras) {
      auto l = engine.layout(p.text, p.style, p.width);
      engine.quads(*l, 0, y, quads);
      y += l->height;
    }
  };
  frame();  // rasterize everything once
  double frame_us = median_us(frames, frame);
  std::size_t total_bytes = 0;
  for (const Para& p : paras) total_bytes += p.text.size();
  std::vector<char> sink(total_bytes);
  double memcpy_us = median_us(frames, [&] {
    std::size_t at = 0;
    for (const Para& p : paras) {
      std::memcpy(sink.data() + at, p.text.data(), p.text.size());
      at += p.text.size();
    }
  });
  auto stats = engine.stats();

  std::printf("kiosk-text-bench (%s)\n", quick ? "quick" : "full");
  std::printf("article: %zu code points, %zu bytes, %zu lines at %.0f px, %zu glyphs\n",
              kt::decode_utf8(article).size(), article.size(), first->lines.size(),
              static_cast<double>(width), first->glyphs.size());
  std::printf("| measure | median | ratio |\n|---|---|---|\n");
  std::printf("| first layout ever (fonts open, ICU dictionary load) | %.0f us | |\n", first_us);
  std::printf("| cold layout, 2,000-char Khmer article | %.0f us | %.1fx one hb_shape of it; %.1fx ICU breaks alone; %.2fx the 5 ms budget |\n",
              cold_us, cold_us / hb_us, cold_us / icu_us, cold_us / 5000.0);
  std::printf("| warm layout of it (cache hit) | %.2f us | %.4fx the cold layout |\n", warm_us, warm_us / cold_us);
  std::printf("| warm frame, 10 paragraphs (%zu quads) | %.1f us | %.2fx the 0.2 ms budget; %.0fx a memcpy of their %zu bytes |\n",
              quads.size(), frame_us, frame_us / 200.0, frame_us / std::max(memcpy_us, 0.001), total_bytes);
  std::printf("| baseline: hb_shape of the article, one buffer | %.0f us | |\n", hb_us);
  std::printf("| baseline: ICU line breaks of the article | %.0f us | |\n", icu_us);
  std::printf("| baseline: memcpy of the 10 paragraphs | %.3f us | |\n", memcpy_us);
  std::printf("atlas: %zu page(s), %zu glyphs, %.2f MiB coverage in RAM, %.2f MiB as RGBA textures\n",
              stats.atlas.pages, stats.atlas.glyphs, static_cast<double>(stats.atlas.bytes) / 1048576.0,
              static_cast<double>(stats.atlas.bytes) * 4.0 / 1048576.0);
  std::printf("caches: %zu layouts, %zu shaped runs\n", stats.layout_cache_size, stats.shape_cache_size);
  return 0;
}
