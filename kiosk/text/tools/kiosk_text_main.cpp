// kiosk-text — the text engine from the command line.
//
//   kiosk-text shape --font FILE [--face-index N] [--size PX] TEXT    same output as hb-shape --no-glyph-names
//   kiosk-text breaks --lang CODE TEXT                TEXT with '|' at each line-break opportunity
//   kiosk-text render --lang CODE --width PX [--size PX] [--bold] [--align start|center|end]
//                     [--max-lines N] --out FILE.png TEXT
//
// shape goes through the engine's own bidi, itemization and shaping stages (forced to the one
// font), so comparing it with hb-shape checks those stages, not only HarfBuzz.
#include <stb_image_write.h>

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "text/pipeline.h"
#include "text/raster.h"
#include "text/text_engine.h"
#include "text/utf8.h"

namespace kt = kiosk::text;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage:\n"
               "  kiosk-text shape --font FILE [--face-index N] [--size PX] TEXT\n"
               "  kiosk-text breaks --lang CODE TEXT\n"
               "  kiosk-text render --lang CODE --width PX [--size PX] [--bold] [--align start|center|end]\n"
               "                    [--max-lines N] --out FILE.png TEXT\n");
  return 2;
}

struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
};

Args parse(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--bold") {
      a.options[s] = "1";
    } else if (s.rfind("--", 0) == 0 && s.size() > 2) {
      auto eq = s.find('=');
      if (eq != std::string::npos) {
        a.options[s.substr(0, eq)] = s.substr(eq + 1);
      } else if (i + 1 < argc) {
        a.options[s] = argv[++i];
      }
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

int cmd_shape(const Args& a) {
  if (!a.options.count("--font") || a.positional.size() != 1) return usage();
  kt::FontLibrary fonts(kt::FontConfig{});
  unsigned index = a.options.count("--face-index")
                       ? static_cast<unsigned>(std::atoi(a.options.at("--face-index").c_str()))
                       : 0u;
  kt::FaceId face = fonts.add_face_file(a.options.at("--font"), index);
  if (face == kt::kNoFace) return 1;
  // hb-shape's scale: the font's units per em, or --font-size truncated to an integer.
  std::int32_t scale = static_cast<std::int32_t>(hb_face_get_upem(fonts.hb_face(face)));
  if (a.options.count("--size")) scale = static_cast<std::int32_t>(std::atof(a.options.at("--size").c_str()));
  std::printf("%s\n", kt::shape_like_hb_shape(fonts, face, scale, a.positional[0]).c_str());
  return 0;
}

int cmd_breaks(const Args& a) {
  if (!a.options.count("--lang") || a.positional.size() != 1) return usage();
  kt::TextEngine engine;
  std::string text = kt::sanitize_utf8(a.positional[0]);
  std::string out;
  std::size_t prev = 0;
  for (std::uint32_t b : engine.break_opportunities(text, a.options.at("--lang"))) {
    if (b >= text.size()) break;
    out.append(text, prev, b - prev);
    out += '|';
    prev = b;
  }
  out.append(text, prev, std::string::npos);
  std::printf("%s\n", out.c_str());
  return 0;
}

int cmd_render(const Args& a) {
  if (!a.options.count("--lang") || !a.options.count("--width") || !a.options.count("--out") ||
      a.positional.size() != 1)
    return usage();
  kt::TextEngine engine;
  kt::Style style;
  style.lang = a.options.at("--lang");
  if (a.options.count("--size")) style.size = static_cast<float>(std::atof(a.options.at("--size").c_str()));
  style.bold = a.options.count("--bold") > 0;
  if (a.options.count("--max-lines")) style.max_lines = std::atoi(a.options.at("--max-lines").c_str());
  if (a.options.count("--align")) {
    const std::string& al = a.options.at("--align");
    style.align = al == "end" ? kt::Align::End : al == "center" ? kt::Align::Center : kt::Align::Start;
  }
  float width = static_cast<float>(std::atof(a.options.at("--width").c_str()));
  auto layout = engine.layout(a.positional[0], style, width);
  const int margin = 8;
  int w = static_cast<int>(std::ceil(std::max(width, layout->width))) + 2 * margin;
  int h = static_cast<int>(std::ceil(layout->height)) + 2 * margin;
  engine.begin_frame();
  kt::CoverageImage cov = kt::render_coverage(engine, *layout, w, h, static_cast<float>(margin),
                                              static_cast<float>(margin));
  std::vector<std::uint8_t> img(cov.pixels.size());
  for (std::size_t i = 0; i < img.size(); ++i) img[i] = static_cast<std::uint8_t>(255 - cov.pixels[i]);
  if (!stbi_write_png(a.options.at("--out").c_str(), w, h, 1, img.data(), w)) {
    std::fprintf(stderr, "kiosk-text: cannot write %s\n", a.options.at("--out").c_str());
    return 1;
  }
  std::printf("%d lines, %.1f x %.1f px\n", static_cast<int>(layout->lines.size()),
              static_cast<double>(layout->width), static_cast<double>(layout->height));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "");
  if (argc < 2) return usage();
  std::string cmd = argv[1];
  Args a = parse(argc, argv, 2);
  if (cmd == "shape") return cmd_shape(a);
  if (cmd == "breaks") return cmd_breaks(a);
  if (cmd == "render") return cmd_render(a);
  return usage();
}
