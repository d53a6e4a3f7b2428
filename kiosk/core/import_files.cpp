#include "import_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool matches(const std::string& name, const std::string& prefix, const std::string& suffix) {
  const std::string n = lower(name);
  return n.size() >= prefix.size() + suffix.size() && n.compare(0, prefix.size(), prefix) == 0 &&
         n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<ImportFile> find_import_files(const std::vector<std::string>& roots,
                                          std::string_view prefix_in, std::string_view suffix_in,
                                          int max_depth, std::size_t limit) {
  const std::string prefix = lower(prefix_in), suffix = lower(suffix_in);
  std::vector<ImportFile> out;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it.depth() >= max_depth) it.disable_recursion_pending();
      std::error_code fe;
      if (it->is_symlink(fe) || !it->is_regular_file(fe)) continue;
      const std::string name = it->path().filename().string();
      if (!matches(name, prefix, suffix)) continue;
      const std::string path = it->path().lexically_normal().string();
      if (std::any_of(out.begin(), out.end(), [&](const ImportFile& f) { return f.path == path; })) continue;
      out.push_back({path, name, it->file_size(fe)});
    }
  }
  std::sort(out.begin(), out.end(), [](const ImportFile& a, const ImportFile& b) {
    return a.name != b.name ? a.name < b.name : a.path < b.path;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace kiosk::core
