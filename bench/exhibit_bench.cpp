// exhibit_bench [PACK_DIR] — issue 4's budgets without a window: pack load, and opening an
// exhibit (read its texts + decode its picture + lay out every text block as the exhibit screen
// does). Each figure is printed beside a baseline measured in the same run:
//   pack load      vs  reading the same files' bytes (the I/O floor)
//   exhibit open   vs  decoding its picture alone (the part no layout work can avoid)
// Budget (issue 4): an exhibit opens in under 100 ms.
#include "exhibit.h"
#include "image_cache.h"
#include "pack.h"
#include "text/text_engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::size_t read_tree(const std::filesystem::path& root) {
  std::size_t bytes = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto ext = it->path().extension();
    if (ext != ".toml" && ext != ".po") continue;  // what load_pack reads
    std::ifstream in(it->path(), std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes += s.size();
  }
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string pack_dir = argc > 1 ? argv[1] : "content/packs/demo";
  using namespace kiosk;

  // [pack load] 7 runs each, interleaved with the baseline.
  std::vector<double> load, raw;
  content::Pack pack;
  for (int i = 0; i < 7; ++i) {
    double t0 = now_ms();
    content::Pack p;
    std::vector<std::string> errors;
    if (!content::load_pack(pack_dir, &p, &errors)) {
      for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
      return 1;
    }
    load.push_back(now_ms() - t0);
    t0 = now_ms();
    read_tree(std::filesystem::path(pack_dir) / "../../catalog");
    read_tree(std::filesystem::path(pack_dir) / "../../exhibits");
    read_tree(pack_dir);
    raw.push_back(now_ms() - t0);
    pack = std::move(p);
  }
  std::printf("pack_load_ms=%.2f baseline_read_ms=%.2f ratio=%.1fx (%zu exhibits, %zu languages)\n",
              median(load), median(raw), median(load) / median(raw), pack.exhibits.size(),
              pack.languages.size());

  // [exhibit open] every exhibit in every pack language, cold text caches per exhibit.
  text::TextEngine engine;
  std::vector<double> open, decode_only;
  double worst = 0;
  std::string worst_name;
  for (const std::string& lang : pack.languages) {
    for (const auto& summary : pack.exhibits) {
      double t0 = now_ms();
      ui::DecodedImage img = ui::decode_image_file(summary.folder + "/illustration.png");
      decode_only.push_back(now_ms() - t0);

      t0 = now_ms();
      content::Exhibit ex;
      std::vector<std::string> errors;
      content::load_exhibit(summary, pack.languages, &ex, &errors);
      ui::DecodedImage img2 = ui::decode_image_file(ex.image_path);
      const content::ExhibitText* t = ex.text(lang, pack.default_language);
      text::Style st;
      st.lang = lang;
      st.size = 30;
      std::size_t lines = 0;
      if (t) {
        auto lay = [&](const std::string& s) { lines += engine.layout(s, st, 1000.0f)->lines.size(); };
        lay(t->title);
        lay(t->summary);
        for (const auto& p : t->paragraphs) lay(p);
        for (const auto& f : t->facts) lay(f);
        for (const auto& q : t->quiz) {
          lay(q.question);
          for (const auto& o : q.options) lay(o);
          lay(q.explanation);
        }
      }
      const double ms = now_ms() - t0;
      open.push_back(ms);
      if (ms > worst) {
        worst = ms;
        worst_name = summary.id + " (" + lang + ")";
      }
      if (!img.rgba || !img2.rgba || lines == 0) {
        std::fprintf(stderr, "exhibit %s (%s) did not open: %s\n", summary.id.c_str(), lang.c_str(),
                     img.error.c_str());
        return 1;
      }
    }
  }
  std::printf("exhibit_open_median_ms=%.2f exhibit_open_max_ms=%.2f (%s) over %zu opens; "
              "baseline decode_only_median_ms=%.2f ratio=%.2fx; budget 100 ms: %s\n",
              median(open), worst, worst_name.c_str(), open.size(), median(decode_only),
              median(open) / median(decode_only), worst < 100 ? "pass" : "FAIL");
  return 0;
}
