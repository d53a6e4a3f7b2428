// kiosk-content — checks a content pack and reports its translation coverage.
//
//   kiosk-content check PACK   one "file:line: problem" line per problem, then a summary line;
//                              exit status 1 when there are errors, 0 otherwise (warnings too)
//   kiosk-content stats PACK   per-language coverage table; exit status 1 when the pack's
//                              manifest cannot be read, 0 otherwise
// Exit status 2: wrong usage. Everything the tool does is in content/src/check.h.
#include "check.h"

#include <cstdio>
#include <string_view>

namespace {

int usage() {
  std::fputs("usage: kiosk-content check PACK\n"
             "       kiosk-content stats PACK\n"
             "PACK is a content pack folder (the one holding pack.toml); see content/README.md\n",
             stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return usage();
  const std::string_view command = argv[1];
  if (command != "check" && command != "stats") return usage();
  const kiosk::content::CheckReport report = kiosk::content::check_pack(argv[2]);
  if (command == "check") {
    for (const auto& f : report.findings) std::printf("%s\n", f.text().c_str());
    std::printf("%s\n", report.summary().c_str());
    return report.errors() > 0 ? 1 : 0;
  }
  if (report.coverage.empty()) {
    for (const auto& f : report.findings) std::fprintf(stderr, "%s\n", f.text().c_str());
    return 1;
  }
  std::printf("%s%s\n", kiosk::content::format_coverage(report).c_str(), report.summary().c_str());
  return 0;
}
