// sync/pack_store.cpp — the kiosk's pack copies (design note P1-P7 in pack_store.h).
//   [STAGING]  StageWriter: files into a fresh staging folder (P3), fsync'd, with a write limit
//   [STORE]    pointer, current/previous, verify
//   [INSTALL]  stage_file, stage_folder, finish_staging (P4), commit, rollback, garbage
#include "pack_store.h"

#include "check.h"
#include "pack.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::sync {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kCheckerLinesKept = 6;

std::string random_hex() {
  std::uint8_t b[8];
  randombytes_buf(b, sizeof b);
  return to_hex(b, sizeof b);
}

bool valid_store_name(const std::string& s) {
  if (s.size() != 6 + 16 || s.rfind("store-", 0) != 0) return false;
  return std::all_of(s.begin() + 6, s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

PackOutcome outcome(PackCode code, std::string detail) { return PackOutcome{code, std::move(detail)}; }

// [STAGING] --------------------------------------------------------------------------------------

// Writes the files of one pack under `root` (a folder it made), and nowhere else (P3).
class StageWriter {
 public:
  StageWriter(std::string root, std::uint64_t limit) : m_root(std::move(root)), m_limit(limit) {}
  ~StageWriter() { close_file(); }

  bool begin(const std::string& rel, PackOutcome* o) {
    const std::string unsafe = unsafe_pack_path_reason(rel);
    if (!unsafe.empty()) {
      *o = outcome(PackCode::unsafe_path, "'" + rel + "': " + unsafe);
      return false;
    }
    std::string dir = m_root;
    std::size_t start = 0;
    for (std::size_t slash; (slash = rel.find('/', start)) != std::string::npos; start = slash + 1) {
      dir += "/" + rel.substr(start, slash - start);
      if (m_dirs.count(dir)) continue;
      if (::mkdir(dir.c_str(), 0755) != 0) {
        *o = errno == EEXIST ? outcome(PackCode::unsafe_path, "'" + rel + "': a folder and a file share a name")
                             : io_error(dir, "cannot create the folder");
        return false;
      }
      m_dirs.insert(dir);
    }
    const std::string path = m_root + "/" + rel;
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (m_fd < 0) {
      *o = errno == EEXIST ? outcome(PackCode::unsafe_path, "'" + rel + "': listed twice")
                           : io_error(path, "cannot create");
      return false;
    }
    m_path = path;
    return true;
  }

  bool write(const std::uint8_t* data, std::size_t size, PackOutcome* o) {
    std::size_t done = 0;
    while (done < size) {
      std::size_t n = size - done;
      if (m_written >= m_limit) {
        errno = ENOSPC;
        *o = io_error(m_path, "write failed");
        return false;
      }
      n = static_cast<std::size_t>(std::min<std::uint64_t>(n, m_limit - m_written));
      const ssize_t w = ::write(m_fd, data + done, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        *o = io_error(m_path, "write failed");
        return false;
      }
      done += static_cast<std::size_t>(w);
      m_written += static_cast<std::uint64_t>(w);
    }
    return true;
  }

  bool end(PackOutcome* o) {
    if (::close(m_fd) != 0) {
      m_fd = -1;
      *o = io_error(m_path, "close failed");
      return false;
    }
    m_fd = -1;
    return true;
  }

  // P2: every file and folder written so far reaches the disk. One syncfs() of the data
  // directory's file system instead of an fsync per file and folder: the same guarantee for the
  // whole staging tree (the kernel reports a write-back error of any of them, Linux >= 5.8), at
  // the cost of `sync -f` rather than hundreds of journal commits (BENCHMARKS.md, issue 16).
  bool sync_folders(PackOutcome* o) {
    const int fd = ::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::syncfs(fd) != 0 || ::fsync(fd) != 0) {
      *o = io_error(m_root, "flushing the staged files to disk failed");
      if (fd >= 0) ::close(fd);
      return false;
    }
    ::close(fd);
    return true;
  }

  bool write_whole(const std::string& rel, const std::string& text, PackOutcome* o) {
    return begin(rel, o) && write(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), o) && end(o);
  }

 private:
  static PackOutcome io_error(const std::string& path, const char* what) {
    const int e = errno;
    const bool full = e == ENOSPC || e == EFBIG || e == EDQUOT;
    return outcome(full ? PackCode::disk_full : PackCode::io, path + ": " + what + ": " + std::strerror(e));
  }
  void close_file() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }
  std::string m_root, m_path;
  std::set<std::string> m_dirs;
  std::uint64_t m_limit, m_written = 0;
  int m_fd = -1;
};

bool read_small(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad() && out->size() <= kPackMaxManifestBytes;
}

}  // namespace

const char* pack_code_key(PackCode code) {
  switch (code) {
    case PackCode::ok: return "content.outcome.ok";
    case PackCode::not_a_pack: return "content.outcome.not_a_pack";
    case PackCode::newer_format: return "content.outcome.newer_format";
    case PackCode::bad_signature: return "content.outcome.bad_signature";
    case PackCode::damaged: return "content.outcome.damaged";
    case PackCode::unsafe_path: return "content.outcome.unsafe_path";
    case PackCode::other_tour: return "content.outcome.other_tour";
    case PackCode::not_enrolled: return "content.outcome.not_enrolled";
    case PackCode::refused_by_checker: return "content.outcome.refused_by_checker";
    case PackCode::disk_full: return "content.outcome.disk_full";
    case PackCode::io: return "content.outcome.io";
    case PackCode::nothing_to_roll_back: return "content.outcome.nothing_to_roll_back";
  }
  return "content.outcome.io";  // impossible: every enumerator is listed
}

PackDiff diff_packs(const PackDescription* before, const PackDescription& after) {
  PackDiff d;
  d.version_after = after.version;
  d.languages_after = after.languages;
  if (before) {
    d.version_before = before->version;
    d.languages_before = before->languages;
  }
  for (const PackExhibitHash& e : after.exhibits) {
    const PackExhibitHash* old = nullptr;
    if (before)
      for (const PackExhibitHash& b : before->exhibits)
        if (b.id == e.id) old = &b;
    if (!old) d.added.push_back(e.id);
    else if (old->hash != e.hash) d.changed.push_back(e.id);
  }
  if (before)
    for (const PackExhibitHash& b : before->exhibits)
      if (std::none_of(after.exhibits.begin(), after.exhibits.end(), [&](const auto& e) { return e.id == b.id; }))
        d.removed.push_back(b.id);
  return d;
}

// [STORE] ----------------------------------------------------------------------------------------

PackStore::PackStore(std::string dir) : m_dir(std::move(dir)) {}

std::optional<PackStore::Pointer> PackStore::read_pointer(std::string* why) const {
  why->clear();
  std::string text;
  std::error_code ec;
  if (!fs::exists(m_dir + "/pointer", ec)) return std::nullopt;
  if (!read_small(m_dir + "/pointer", &text)) {
    *why = m_dir + "/pointer: cannot be read";
    return std::nullopt;
  }
  Pointer p;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.rfind("current ", 0) == 0) p.current = line.substr(8);
    else if (line.rfind("previous ", 0) == 0) p.previous = line.substr(9);
  }
  if (!valid_store_name(p.current) || (!p.previous.empty() && !valid_store_name(p.previous))) {
    *why = m_dir + "/pointer: damaged (expected 'current store-<16 hex digits>')";
    return std::nullopt;
  }
  return p;
}

bool PackStore::write_pointer(const Pointer& p, std::string* why) {
  std::string text = "current " + p.current + "\n";
  if (!p.previous.empty()) text += "previous " + p.previous + "\n";
  return write_file_durably(m_dir + "/pointer", reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                            0644, why);
}

std::optional<InstalledPack> PackStore::installed(const std::string& store, std::string* why) const {
  InstalledPack p;
  p.store = store;
  const std::string dir = m_dir + "/" + store;
  std::string text, reason;
  if (!read_small(dir + "/manifest.txt", &text)) {
    *why = dir + "/manifest.txt: cannot be read";
    return std::nullopt;
  }
  auto d = parse_pack_manifest(text, &reason);
  if (!d) {
    *why = dir + "/manifest.txt: " + reason;
    return std::nullopt;
  }
  p.description = std::move(*d);
  read_small(dir + "/source.txt", &p.source);
  while (!p.source.empty() && p.source.back() == '\n') p.source.pop_back();
  p.run_path = (fs::path(dir) / "tree" / p.description.pack_root).lexically_normal().string();
  return p;
}

std::optional<InstalledPack> PackStore::current(std::string* why) const {
  const auto p = read_pointer(why);
  if (!p) return std::nullopt;
  return installed(p->current, why);
}

std::optional<InstalledPack> PackStore::previous(std::string* why) const {
  const auto p = read_pointer(why);
  if (!p || p->previous.empty()) return std::nullopt;
  return installed(p->previous, why);
}

bool PackStore::verify(const InstalledPack& pack, std::string* why) const {
  const fs::path tree = fs::path(m_dir) / pack.store / "tree";
  std::error_code ec;
  for (const PackFileEntry& f : pack.description.files) {
    const fs::path path = tree / f.path;
    const fs::file_status st = fs::symlink_status(path, ec);
    if (!fs::is_regular_file(st)) {
      *why = path.string() + ": missing from the kiosk's copy of the pack";
      return false;
    }
    if (fs::file_size(path, ec) != f.size) {
      *why = path.string() + ": its size changed since it was installed";
      return false;
    }
    const auto h = file_content_hash(path.string(), why);
    if (!h) return false;
    if (*h != f.hash) {
      *why = path.string() + ": its bytes changed since it was installed";
      return false;
    }
  }
  return true;
}

// [INSTALL] --------------------------------------------------------------------------------------

PackOutcome PackStore::stage_file(const std::string& path, const Key32& hq_sign_public, const Expect& expect,
                                  const Progress& progress, StagedPack* out) {
  PackFileReader reader;
  std::string why;
  if (!reader.open(path, hq_sign_public, &why)) {
    using R = PackFileReader::Refusal;
    const R r = reader.refusal();
    return outcome(r == R::newer_format    ? PackCode::newer_format
                   : r == R::bad_signature ? PackCode::bad_signature
                   : r == R::damaged       ? PackCode::damaged
                   : r == R::unsafe_path   ? PackCode::unsafe_path
                   : r == R::io            ? PackCode::io
                                           : PackCode::not_a_pack,
                   why);
  }
  const PackDescription& m = reader.manifest();
  if (!expect.pack_id.empty() && m.pack_id != expect.pack_id)
    return outcome(PackCode::other_tour, path + ": a pack for '" + m.pack_id + "'; this kiosk runs '" +
                                             expect.pack_id + "'");
  if (!m.tour.empty() && !expect.tour.empty() && m.tour != expect.tour)
    return outcome(PackCode::other_tour, path + ": a pack for tour '" + m.tour + "'; this kiosk is enrolled for '" +
                                             expect.tour + "'");
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  out->dir = m_dir + "/staging-" + random_hex();
  out->source = fs::path(path).filename().string();
  out->description = m;
  if (::mkdir(out->dir.c_str(), 0755) != 0) {
    const std::string d = out->dir;
    out->dir.clear();
    return outcome(errno == ENOSPC ? PackCode::disk_full : PackCode::io, d + ": cannot create: " + std::strerror(errno));
  }
  StageWriter writer(out->dir + "/tree", m_write_limit);
  PackOutcome o;
  if (::mkdir((out->dir + "/tree").c_str(), 0755) != 0) {
    discard(out);
    return outcome(PackCode::io, m_dir + ": cannot create a staging folder");
  }
  const double total = static_cast<double>(std::max<std::uint64_t>(m.total_bytes(), 1));
  std::uint64_t done = 0;
  for (std::size_t i = 0; i < m.files.size(); ++i) {
    if (!writer.begin(m.files[i].path, &o)) break;
    const bool read_ok = reader.read_entry(i, [&](const std::uint8_t* data, std::size_t n) {
      if (!writer.write(data, n, &o)) return false;
      done += n;
      if (progress) progress(0.9 * static_cast<double>(done) / total);
      return true;
    }, &why);
    if (!read_ok) {
      if (o.ok()) o = outcome(reader.refusal() == PackFileReader::Refusal::io ? PackCode::io : PackCode::damaged, why);
      break;
    }
    if (!writer.end(&o)) break;
  }
  if (o.ok() && !reader.finish(&why)) o = outcome(PackCode::damaged, why);
  if (o.ok()) writer.sync_folders(&o);
  if (!o.ok()) {
    discard(out);
    return o;
  }
  return finish_staging(out, expect, progress);
}

PackOutcome PackStore::stage_folder(const std::string& folder, const Expect& expect, const Progress& progress,
                                    StagedPack* out) {
  std::string tree_root, why;
  auto d = describe_pack_folder(folder, &tree_root, &why);
  if (!d) return outcome(why.find("symbolic link") != std::string::npos ? PackCode::unsafe_path : PackCode::io, why);
  if (!expect.pack_id.empty() && d->pack_id != expect.pack_id)
    return outcome(PackCode::other_tour, folder + ": a pack for '" + d->pack_id + "'; this kiosk runs '" +
                                             expect.pack_id + "'");
  d->version = static_cast<std::int64_t>(::time(nullptr));
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  out->dir = m_dir + "/staging-" + random_hex();
  out->source = fs::absolute(folder).lexically_normal().string();
  out->description = *d;
  if (::mkdir(out->dir.c_str(), 0755) != 0 || ::mkdir((out->dir + "/tree").c_str(), 0755) != 0) {
    const int e = errno;
    discard(out);
    return outcome(e == ENOSPC ? PackCode::disk_full : PackCode::io, m_dir + ": cannot create a staging folder");
  }
  StageWriter writer(out->dir + "/tree", m_write_limit);
  PackOutcome o;
  const double total = static_cast<double>(std::max<std::uint64_t>(d->total_bytes(), 1));
  std::uint64_t done = 0;
  std::vector<std::uint8_t> buf(256 * 1024);
  for (const PackFileEntry& f : d->files) {
    if (!writer.begin(f.path, &o)) break;
    const std::string src = tree_root + "/" + f.path;
    const int fd = ::open(src.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      o = outcome(PackCode::io, src + ": cannot open: " + std::strerror(errno));
      break;
    }
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    std::uint64_t size = 0;
    for (;;) {
      const ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) o = outcome(PackCode::io, src + ": read failed: " + std::strerror(errno));
      if (n <= 0) break;
      crypto_generichash_update(&st, buf.data(), static_cast<std::size_t>(n));
      size += static_cast<std::uint64_t>(n);
      if (!writer.write(buf.data(), static_cast<std::size_t>(n), &o)) break;
      done += static_cast<std::uint64_t>(n);
      if (progress) progress(0.9 * static_cast<double>(done) / total);
    }
    ::close(fd);
    Key32 h{};
    crypto_generichash_final(&st, h.data(), 32);
    if (o.ok() && (size != f.size || h != f.hash))
      o = outcome(PackCode::damaged, src + ": changed while it was being copied; try again");
    if (!o.ok() || !writer.end(&o)) break;
  }
  if (o.ok()) writer.sync_folders(&o);
  if (!o.ok()) {
    discard(out);
    return o;
  }
  return finish_staging(out, expect, progress);
}

// P4 after the bytes: where pack.toml points, what it says, and the checker.
PackOutcome PackStore::finish_staging(StagedPack* out, const Expect& /*expect*/, const Progress& progress) {
  const PackDescription& m = out->description;
  const fs::path tree = fs::path(out->dir) / "tree";
  const fs::path run = (tree / m.pack_root).lexically_normal();
  auto refuse = [&](PackCode code, const std::string& detail) {
    discard(out);
    return outcome(code, detail);
  };
  content::PackManifest pm;
  std::vector<content::PackProblem> problems;
  if (!content::read_manifest(run.string(), &pm, &problems))
    return refuse(PackCode::refused_by_checker, problems.empty() ? "pack.toml cannot be read" : problems.front().text());
  auto inside = [&](const std::string& rel) {
    if (fs::path(rel).is_absolute()) return false;
    const fs::path p = (run / rel).lexically_normal().lexically_relative(tree);
    return !p.empty() && *p.begin() != "..";
  };
  if (!inside(pm.strings_dir) || !inside(pm.exhibits_dir))
    return refuse(PackCode::unsafe_path, "pack.toml: strings_dir or exhibits_dir leaves the pack");
  if (pm.id != m.pack_id || pm.languages != m.languages)
    return refuse(PackCode::damaged, "pack.toml's id or languages are not the manifest's");
  // The manifest describes exactly the staged tree: the same files the pack uses, the same
  // exhibits with the same hashes (what the Content screen's "changed" is computed from).
  std::string tree_root, why;
  const auto described = describe_pack_folder(run.string(), &tree_root, &why);
  if (!described) return refuse(PackCode::damaged, why);
  std::set<std::string> listed;
  for (const PackFileEntry& f : m.files) listed.insert(f.path);
  // describe_pack_folder() answers with an absolute root; a relative data folder (kiosk
  // --data-dir build/x) would otherwise give an empty prefix and refuse every pack.
  const std::string prefix =
      fs::path(tree_root).lexically_relative(fs::absolute(tree).lexically_normal()).generic_string();
  for (const PackFileEntry& f : described->files) {
    const std::string path = prefix == "." ? f.path : prefix + "/" + f.path;
    if (!listed.count(path)) return refuse(PackCode::damaged, "'" + path + "': used by the pack but not in its manifest");
  }
  bool same_exhibits = described->exhibits.size() == m.exhibits.size();
  for (std::size_t i = 0; same_exhibits && i < m.exhibits.size(); ++i)
    same_exhibits = described->exhibits[i].id == m.exhibits[i].id && described->exhibits[i].hash == m.exhibits[i].hash;
  if (!same_exhibits) return refuse(PackCode::damaged, "the manifest's exhibit list or hashes are not the pack's");
  const content::CheckReport report = content::check_pack(run.string());
  out->checker_errors = report.errors();
  out->checker_warnings = report.warnings();
  out->checker_lines.clear();
  for (const content::Finding& f : report.findings)
    if (f.severity == content::Severity::Error && out->checker_lines.size() < kCheckerLinesKept)
      out->checker_lines.push_back(f.text());
  if (report.errors() > 0) {
    std::string detail = "the content checker refused the pack: " + report.summary();
    for (const std::string& l : out->checker_lines) detail += "\n  " + l;
    return refuse(PackCode::refused_by_checker, detail);
  }
  PackOutcome o;
  StageWriter meta(out->dir, m_write_limit);
  if (!meta.write_whole("manifest.txt", pack_manifest_text(m), &o) || !meta.write_whole("source.txt", out->source + "\n", &o) ||
      !meta.sync_folders(&o)) {
    discard(out);
    return o;
  }
  if (progress) progress(1.0);
  return {};
}

PackOutcome PackStore::commit(StagedPack* staged, const std::function<void(int)>& after_step) {
  std::string why;
  const auto old = read_pointer(&why);
  if (!old && !why.empty()) {
    discard(staged);
    return outcome(PackCode::io, why);
  }
  const std::string name = "store-" + random_hex();
  const std::string target = m_dir + "/" + name;
  if (::rename(staged->dir.c_str(), target.c_str()) != 0) {
    const std::string d = staged->dir + ": cannot be renamed into place: " + std::strerror(errno);
    discard(staged);
    return outcome(PackCode::io, d);
  }
  staged->dir.clear();
  if (!fsync_path(m_dir, O_RDONLY | O_DIRECTORY)) return outcome(PackCode::io, m_dir + ": fsync of the folder failed");
  if (after_step) after_step(1);
  Pointer next{name, old ? old->current : std::string()};
  if (!write_pointer(next, &why)) return outcome(PackCode::io, why);
  if (after_step) after_step(2);
  collect_garbage();
  if (after_step) after_step(3);
  return {};
}

PackOutcome PackStore::rollback() {
  std::string why;
  const auto p = read_pointer(&why);
  if (!p) return outcome(why.empty() ? PackCode::nothing_to_roll_back : PackCode::io, why.empty() ? "no pack is installed" : why);
  if (p->previous.empty())
    return outcome(PackCode::nothing_to_roll_back, "no previous pack is kept (nothing was installed over the first)");
  const auto prev = installed(p->previous, &why);
  if (!prev || !verify(*prev, &why)) return outcome(PackCode::damaged, "the previous pack cannot be used: " + why);
  if (!write_pointer({p->previous, p->current}, &why)) return outcome(PackCode::io, why);
  return {};
}

void PackStore::discard(StagedPack* staged) {
  if (staged->dir.empty()) return;
  std::error_code ec;
  fs::remove_all(staged->dir, ec);
  staged->dir.clear();
}

void PackStore::collect_garbage() {
  std::string why;
  const auto p = read_pointer(&why);
  if (!p && !why.empty()) return;  // a damaged pointer: keep everything for a person to look at
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    const bool named = p && (n == p->current || n == p->previous);
    if ((n.rfind("staging-", 0) == 0 || (n.rfind("store-", 0) == 0 && !named)) || n == ".pointer.partial")
      doomed.push_back(it->path());
  }
  for (const fs::path& d : doomed) fs::remove_all(d, ec);
}

}  // namespace kiosk::sync
