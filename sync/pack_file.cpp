// sync/pack_file.cpp — the signed pack file (design note F1-F5 in pack_file.h).
//   [MANIFEST]  pack_manifest_text / parse_pack_manifest / unsafe_pack_path_reason
//   [DESCRIBE]  describe_pack_folder: the files a pack folder uses, hashed
//   [WRITE]     write_pack_file (hq)
//   [READ]      PackFileReader (kiosk)
#include "pack_file.h"

#include "pack.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::sync {
namespace fs = std::filesystem;
namespace {

constexpr std::uint8_t kPackMagic[4] = {'R', 'S', 'K', 'P'};
constexpr std::size_t kHeaderBytes = 16;
constexpr std::size_t kChunk = 256 * 1024;

void put_le(std::uint8_t* p, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint64_t get_le(const std::uint8_t* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

bool from_hex32(std::string_view hex, Key32* out) {
  if (hex.size() != 64) return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

bool parse_u64(std::string_view s, std::uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

bool valid_id(std::string_view s) {  // pack ids, exhibit ids, language codes, tours
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

}  // namespace

// [MANIFEST] -------------------------------------------------------------------------------------

std::uint64_t PackDescription::total_bytes() const {
  std::uint64_t n = 0;
  for (const PackFileEntry& f : files) n += f.size;
  return n;
}

std::string unsafe_pack_path_reason(std::string_view path) {
  if (path.empty()) return "an empty path";
  if (path.size() > kPackMaxPathBytes) return "a path longer than " + std::to_string(kPackMaxPathBytes) + " bytes";
  if (path.front() == '/') return "an absolute path";
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return "a control character in a path";
    if (c == '\\') return "a backslash in a path";
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty()) return "an empty folder name in a path";
    if (part == ".") return "a '.' folder in a path";
    if (part == "..") return "a path that leaves the pack ('..')";
    start = end + 1;
  }
  return {};
}

std::string pack_manifest_text(const PackDescription& d) {
  std::string t = "roadshow-pack 1\npack_id " + d.pack_id + "\n";
  if (!d.tour.empty()) t += "tour " + d.tour + "\n";
  t += "version " + std::to_string(d.version) + "\nlanguages";
  for (const std::string& l : d.languages) t += " " + l;
  t += "\npack_root " + d.pack_root + "\n";
  for (const PackExhibitHash& e : d.exhibits) t += "exhibit " + e.id + " " + to_hex(e.hash.data(), 32) + "\n";
  for (const PackFileEntry& f : d.files)
    t += "file " + std::to_string(f.size) + " " + to_hex(f.hash.data(), 32) + " " + f.path + "\n";
  return t;
}

std::optional<PackDescription> parse_pack_manifest(std::string_view text, std::string* why) {
  PackDescription d;
  std::set<std::string> seen_keys, paths;
  std::uint64_t total = 0;
  int line_no = 0;
  std::size_t pos = 0;
  auto bad = [&](const std::string& what) {
    *why = "manifest line " + std::to_string(line_no) + ": " + what;
    return std::nullopt;
  };
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      ++line_no;
      return bad("the manifest does not end with a newline");
    }
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    const std::size_t sp = line.find(' ');
    const std::string key(line.substr(0, sp));
    const std::string_view rest = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    if (line_no == 1) {
      if (line != "roadshow-pack 1") return bad("not a pack manifest of format 1");
      continue;
    }
    const bool repeatable = key == "exhibit" || key == "file";
    if (!repeatable && !seen_keys.insert(key).second) return bad("'" + key + "' given twice");
    if (key == "pack_id" || key == "tour") {
      if (!valid_id(rest)) return bad("'" + key + "' is not an id (letters, digits, '-', '_', '.')");
      (key == "pack_id" ? d.pack_id : d.tour) = std::string(rest);
    } else if (key == "version") {
      std::uint64_t v = 0;
      if (!parse_u64(rest, &v)) return bad("'version' is not a whole number");
      d.version = static_cast<std::int64_t>(v);
    } else if (key == "languages") {
      std::istringstream in{std::string(rest)};
      for (std::string l; in >> l;) {
        if (!valid_id(l)) return bad("'" + l + "' is not a language code");
        d.languages.push_back(l);
      }
      if (d.languages.empty() || d.languages.size() > 64) return bad("'languages' lists no language (or too many)");
    } else if (key == "pack_root") {
      if (rest != "." && !unsafe_pack_path_reason(rest).empty())
        return bad("'pack_root': " + unsafe_pack_path_reason(rest));
      d.pack_root = std::string(rest);
    } else if (key == "exhibit") {
      const std::size_t s2 = rest.find(' ');
      PackExhibitHash e;
      e.id = std::string(rest.substr(0, s2));
      if (!valid_id(e.id) || s2 == std::string_view::npos || !from_hex32(rest.substr(s2 + 1), &e.hash))
        return bad("expected 'exhibit ID HASH'");
      if (d.exhibits.size() >= kPackMaxFiles) return bad("too many exhibits");
      d.exhibits.push_back(e);
    } else if (key == "file") {
      const std::size_t s2 = rest.find(' ');
      const std::size_t s3 = s2 == std::string_view::npos ? s2 : rest.find(' ', s2 + 1);
      PackFileEntry f;
      if (s3 == std::string_view::npos || !parse_u64(rest.substr(0, s2), &f.size) ||
          !from_hex32(rest.substr(s2 + 1, s3 - s2 - 1), &f.hash))
        return bad("expected 'file SIZE HASH PATH'");
      f.path = std::string(rest.substr(s3 + 1));
      const std::string unsafe = unsafe_pack_path_reason(f.path);
      if (!unsafe.empty()) return bad(unsafe + ": '" + f.path + "'");
      if (!paths.insert(f.path).second) return bad("'" + f.path + "' listed twice");
      if (f.size > kPackMaxFileBytes) return bad("'" + f.path + "' is larger than the limit of 64 MiB");
      total += f.size;
      if (total > kPackMaxTotalBytes) return bad("the files add up to more than 1 GiB");
      if (d.files.size() >= kPackMaxFiles) return bad("more than " + std::to_string(kPackMaxFiles) + " files");
      d.files.push_back(std::move(f));
    } else {
      return bad("unknown line '" + key + "'");
    }
  }
  if (line_no == 0) return bad("the manifest is empty");
  for (const char* k : {"pack_id", "version", "languages", "pack_root"})
    if (!seen_keys.count(k)) {
      *why = std::string("manifest: '") + k + "' is missing";
      return std::nullopt;
    }
  if (!paths.count(d.pack_root == "." ? "pack.toml" : d.pack_root + "/pack.toml")) {
    *why = "manifest: pack.toml is not among the files";
    return std::nullopt;
  }
  return d;
}

// [DESCRIBE] -------------------------------------------------------------------------------------

Key32 content_hash(const std::uint8_t* data, std::size_t size) {
  Key32 h{};
  crypto_generichash(h.data(), h.size(), data, size, nullptr, 0);
  return h;
}

std::optional<Key32> file_content_hash(const std::string& path, std::string* why) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    *why = path + ": cannot open: " + std::strerror(errno);
    return std::nullopt;
  }
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  // One buffer per thread, not one per file: a kiosk's start hashes every file of its pack
  // (pack_store.h), and a fresh zeroed 256 KiB per file cost 39 MB of memset and ten thousand
  // page faults for 150 files (issue 15, start to first frame).
  thread_local std::vector<std::uint8_t> buf(kChunk);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *why = path + ": read failed: " + std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    crypto_generichash_update(&st, buf.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  Key32 h{};
  crypto_generichash_final(&st, h.data(), h.size());
  return h;
}

std::optional<PackDescription> describe_pack_folder(const std::string& folder, std::string* tree_root,
                                                    std::string* why) {
  content::PackManifest m;
  std::vector<content::PackProblem> problems;
  if (!content::read_manifest(folder, &m, &problems)) {
    *why = problems.empty() ? folder + "/pack.toml: cannot be read" : problems.front().text();
    return std::nullopt;
  }
  const fs::path pack_dir = fs::absolute(folder).lexically_normal();
  std::error_code ec;
  // Regular files only (F3): a link or a device in a pack folder is refused, not followed.
  std::vector<fs::path> files{pack_dir / "pack.toml"};
  std::map<std::string, std::vector<fs::path>> exhibit_files;
  auto walk = [&](const fs::path& dir, bool recursive, std::vector<fs::path>* into) -> bool {
    const fs::file_status s = fs::symlink_status(dir, ec);
    if (fs::is_symlink(s)) {
      *why = dir.string() + ": a symbolic link; a pack holds plain folders and files only";
      return false;
    }
    if (!fs::is_directory(s)) {
      *why = dir.string() + ": folder not found";
      return false;
    }
    auto visit = [&](const fs::directory_entry& e) -> bool {
      const fs::file_status es = e.symlink_status(ec);
      if (fs::is_symlink(es)) {
        *why = e.path().string() + ": a symbolic link; a pack holds plain folders and files only";
        return false;
      }
      if (fs::is_directory(es)) return true;
      if (!fs::is_regular_file(es)) {
        *why = e.path().string() + ": not a regular file";
        return false;
      }
      into->push_back(e.path().lexically_normal());
      return true;
    };
    if (recursive) {
      for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (!visit(*it)) return false;
    } else {
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (!visit(*it)) return false;
    }
    if (ec) {
      *why = dir.string() + ": cannot be listed: " + ec.message();
      return false;
    }
    return true;
  };
  if (fs::is_symlink(fs::symlink_status(pack_dir / "pack.toml", ec))) {
    *why = (pack_dir / "pack.toml").string() + ": a symbolic link; a pack holds plain folders and files only";
    return std::nullopt;
  }
  if (!walk((pack_dir / m.strings_dir).lexically_normal(), false, &files)) return std::nullopt;
  for (const std::string& id : m.exhibit_ids) {
    std::vector<fs::path>& list = exhibit_files[id];
    if (!walk((pack_dir / m.exhibits_dir / id).lexically_normal(), true, &list)) return std::nullopt;
    files.insert(files.end(), list.begin(), list.end());
  }
  // The nearest folder holding every file.
  fs::path root = pack_dir;
  for (const fs::path& f : files) {
    while (!root.empty() && root != root.root_path()) {
      const fs::path rel = f.lexically_relative(root);
      if (!rel.empty() && *rel.begin() != "..") break;
      root = root.parent_path();
    }
  }
  *tree_root = root.string();
  PackDescription d;
  d.pack_id = m.id;
  d.languages = m.languages;
  const std::string pr = pack_dir.lexically_relative(root).generic_string();
  d.pack_root = pr.empty() ? "." : pr;
  std::map<std::string, Key32> hashes;
  std::set<std::string> seen;
  for (const fs::path& f : files) {
    PackFileEntry e;
    e.path = f.lexically_relative(root).generic_string();
    if (!seen.insert(e.path).second) continue;  // strings_dir inside an exhibit folder, say
    const std::string unsafe = unsafe_pack_path_reason(e.path);
    if (!unsafe.empty()) {
      *why = f.string() + ": " + unsafe;
      return std::nullopt;
    }
    e.size = fs::file_size(f, ec);
    if (ec) {
      *why = f.string() + ": " + ec.message();
      return std::nullopt;
    }
    const auto h = file_content_hash(f.string(), why);
    if (!h) return std::nullopt;
    e.hash = *h;
    hashes[f.string()] = *h;
    d.files.push_back(std::move(e));
    if (d.files.size() > kPackMaxFiles || d.total_bytes() > kPackMaxTotalBytes) {
      *why = folder + ": the pack is larger than a pack file may be (20000 files, 1 GiB)";
      return std::nullopt;
    }
  }
  std::sort(d.files.begin(), d.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  for (const std::string& id : m.exhibit_ids) {
    std::vector<fs::path> list = exhibit_files[id];
    std::sort(list.begin(), list.end());
    const fs::path dir = (pack_dir / m.exhibits_dir / id).lexically_normal();
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    for (const fs::path& f : list) {
      const std::string rel = f.lexically_relative(dir).generic_string();
      const std::string size = std::to_string(fs::file_size(f, ec));
      crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(rel.c_str()), rel.size() + 1);
      crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(size.c_str()), size.size() + 1);
      crypto_generichash_update(&st, hashes[f.string()].data(), 32);
    }
    PackExhibitHash e;
    e.id = id;
    crypto_generichash_final(&st, e.hash.data(), 32);
    d.exhibits.push_back(e);
  }
  return d;
}

// [WRITE] ----------------------------------------------------------------------------------------

bool write_pack_file(const PackDescription& d, const std::string& tree_root, const Key64& hq_sign_secret,
                     const std::string& out_path, std::string* why) {
  const std::string manifest = pack_manifest_text(d);
  Bytes b(kHeaderBytes + manifest.size() + crypto_sign_BYTES);
  std::memcpy(b.data(), kPackMagic, 4);
  put_le(b.data() + 4, kPackFileFormat, 2);
  put_le(b.data() + 8, manifest.size(), 8);
  std::memcpy(b.data() + kHeaderBytes, manifest.data(), manifest.size());
  crypto_sign_detached(b.data() + kHeaderBytes + manifest.size(), nullptr, b.data(),
                       kHeaderBytes + manifest.size(), hq_sign_secret.data());
  for (const PackFileEntry& f : d.files) {
    const std::string src = (fs::path(tree_root) / f.path).string();
    const auto bytes = read_file(src, kPackMaxFileBytes, why);
    if (!bytes) return false;
    if (bytes->size() != f.size || content_hash(bytes->data(), bytes->size()) != f.hash) {
      *why = src + ": changed while the pack was being written; build it again";
      return false;
    }
    const std::size_t at = b.size();
    b.resize(at + 2 + f.path.size() + 8);
    put_le(b.data() + at, f.path.size(), 2);
    std::memcpy(b.data() + at + 2, f.path.data(), f.path.size());
    put_le(b.data() + at + 2 + f.path.size(), f.size, 8);
    b.insert(b.end(), bytes->begin(), bytes->end());
  }
  return write_file_durably(out_path, b.data(), b.size(), 0644, why);
}

// [READ] -----------------------------------------------------------------------------------------

const char* pack_refusal_name(PackFileReader::Refusal r) {
  switch (r) {
    case PackFileReader::Refusal::none: return "none";
    case PackFileReader::Refusal::not_a_pack: return "not_a_pack";
    case PackFileReader::Refusal::newer_format: return "newer_format";
    case PackFileReader::Refusal::bad_signature: return "bad_signature";
    case PackFileReader::Refusal::damaged: return "damaged";
    case PackFileReader::Refusal::unsafe_path: return "unsafe_path";
    case PackFileReader::Refusal::io: return "io";
  }
  return "io";  // impossible: every enumerator is listed
}

PackFileReader::~PackFileReader() {
  if (m_fd >= 0) ::close(m_fd);
}

bool PackFileReader::fail(Refusal r, std::string* why, const std::string& text) {
  m_refusal = r;
  *why = m_path + ": " + text;
  return false;
}

bool PackFileReader::read_exact(std::uint8_t* out, std::size_t n, std::string* why) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t r = ::read(m_fd, out + done, n - done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return fail(Refusal::io, why, std::string("read failed: ") + std::strerror(errno));
    if (r == 0) return fail(Refusal::damaged, why, "the file ends too early (truncated)");
    done += static_cast<std::size_t>(r);
  }
  return true;
}

bool PackFileReader::open(const std::string& path, const Key32& hq_sign_public, std::string* why) {
  m_path = path;
  m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m_fd < 0) return fail(Refusal::io, why, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) return fail(Refusal::not_a_pack, why, "not a regular file");
  m_file_bytes = static_cast<std::uint64_t>(st.st_size);
  if (m_file_bytes == 0) return fail(Refusal::not_a_pack, why, "empty file (0 bytes): not a content pack");
  std::uint8_t head[kHeaderBytes];
  if (m_file_bytes < kHeaderBytes || !read_exact(head, kHeaderBytes, why) || std::memcmp(head, kPackMagic, 4) != 0)
    return fail(Refusal::not_a_pack, why, "not a Roadshow content pack (no RSKP header)");
  const auto format = static_cast<std::uint16_t>(get_le(head + 4, 2));
  if (format > kPackFileFormat)
    return fail(Refusal::newer_format, why,
                "pack file format " + std::to_string(format) + " is newer than this kiosk reads (format " +
                    std::to_string(kPackFileFormat) + "): update the kiosk software first");
  if (format != kPackFileFormat || get_le(head + 6, 2) != 0)
    return fail(Refusal::not_a_pack, why, "unknown pack file format " + std::to_string(format));
  const std::uint64_t m = get_le(head + 8, 8);
  if (m == 0 || m > kPackMaxManifestBytes || m + kHeaderBytes + crypto_sign_BYTES > m_file_bytes)
    return fail(Refusal::damaged, why, "the manifest length " + std::to_string(m) + " does not fit the file");
  Bytes signed_part(kHeaderBytes + m);
  std::memcpy(signed_part.data(), head, kHeaderBytes);
  std::uint8_t sig[crypto_sign_BYTES];
  if (!read_exact(signed_part.data() + kHeaderBytes, m, why) || !read_exact(sig, sizeof sig, why)) return false;
  if (crypto_sign_verify_detached(sig, signed_part.data(), signed_part.size(), hq_sign_public.data()) != 0)
    return fail(Refusal::bad_signature, why,
                "the signature does not verify with this kiosk's headquarters key (signed by another key, or changed)");
  std::string reason;
  const auto d = parse_pack_manifest(
      std::string_view(reinterpret_cast<const char*>(signed_part.data() + kHeaderBytes), m), &reason);
  if (!d) return fail(Refusal::unsafe_path, why, reason);
  m_manifest = *d;
  return true;
}

bool PackFileReader::read_entry(std::size_t index, const Sink& sink, std::string* why) {
  if (m_fd < 0 || index != m_next || index >= m_manifest.files.size())
    return fail(Refusal::io, why, "entries must be read once, in order, after open()");  // a caller's mistake
  const PackFileEntry& f = m_manifest.files[index];
  const std::string where = "entry " + std::to_string(index + 1) + " ('" + f.path + "')";
  std::uint8_t len[2];
  if (!read_exact(len, 2, why)) return false;
  const std::size_t n = static_cast<std::size_t>(get_le(len, 2));
  if (n != f.path.size()) return fail(Refusal::damaged, why, where + ": its path is not the manifest's");
  std::string path(n, '\0');
  std::uint8_t size[8];
  if (!read_exact(reinterpret_cast<std::uint8_t*>(path.data()), n, why) || !read_exact(size, 8, why)) return false;
  if (path != f.path || get_le(size, 8) != f.size)
    return fail(Refusal::damaged, why, where + ": its path or size is not the manifest's");
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, std::max<std::uint64_t>(f.size, 1))));
  for (std::uint64_t left = f.size; left > 0;) {
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
    if (!read_exact(buf.data(), take, why)) return false;
    crypto_generichash_update(&st, buf.data(), take);
    if (!sink(buf.data(), take)) {
      m_refusal = Refusal::io;
      return false;
    }
    left -= take;
  }
  Key32 h{};
  crypto_generichash_final(&st, h.data(), 32);
  if (h != f.hash) return fail(Refusal::damaged, why, where + ": its bytes do not match the manifest's hash (tampered)");
  ++m_next;
  return true;
}

bool PackFileReader::finish(std::string* why) {
  if (m_next != m_manifest.files.size()) return fail(Refusal::io, why, "not every entry was read");
  std::uint8_t extra;
  const ssize_t r = ::read(m_fd, &extra, 1);
  if (r != 0) return fail(Refusal::damaged, why, "bytes follow the last file");
  return true;
}

}  // namespace kiosk::sync
