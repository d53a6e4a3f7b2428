// tests/text/test_support.cpp — see test_support.h.
#include "test_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace text_test {

kiosk::text::TextEngine& engine() {
  static kiosk::text::TextEngine e;
  return e;
}

kiosk::text::Style style(const char* lang, float size) {
  kiosk::text::Style s;
  s.lang = lang;
  s.size = size;
  return s;
}

std::string run(const std::string& command, bool* ok) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) {
    if (ok) *ok = false;
    return out;
  }
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (ok) *ok = status == 0;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

bool have_program(const char* name) {
  bool ok = false;
  run(std::string("command -v ") + name + " >/dev/null 2>&1", &ok);
  return ok;
}

std::vector<unsigned> glyph_ids(const std::string& s) {
  std::vector<unsigned> ids;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '[' || s[i] == '|') {
      ids.push_back(static_cast<unsigned>(std::strtoul(s.c_str() + i + 1, nullptr, 10)));
    }
    ++i;
  }
  return ids;
}

std::string temp_file(const std::string& contents) {
  char path[] = "/tmp/kiosk-text-test-XXXXXX";
  int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::vector<unsigned> visual_cluster_starts(const kiosk::text::Layout& layout) {
  std::vector<unsigned> out;
  for (const auto& c : layout.clusters) out.push_back(c.start);
  return out;
}

}  // namespace text_test
