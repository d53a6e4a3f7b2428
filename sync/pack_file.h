// sync/pack_file.h — a content pack as one file signed by headquarters (`hq pack build`), and
// the description (manifest) of a pack's files that the kiosk keeps beside every copy it runs.
//
// Design note.
//  F1. A pack file is one container: header | manifest | headquarters' Ed25519 signature over
//      header and manifest | the files, each length-prefixed, in the manifest's order:
//
//        0   4  magic "RSKP"
//        4   2  format (kPackFileFormat), little-endian
//        6   2  zero
//        8   8  manifest length M (at most kPackMaxManifestBytes)
//        16  M  manifest text (below)
//        16+M 64  Ed25519 signature of bytes 0 .. 16+M
//        then for each manifest file: u16 path length | path | u64 size | size bytes
//        and nothing after the last file.
//
//  F2. Nothing of a file is trusted before the signature over the manifest verifies with the
//      enrolled headquarters key; every entry must then carry the manifest's path and size in
//      order, and its bytes must hash (crypto_generichash, BLAKE2b-256) to the manifest's hash.
//      A truncated, extended, reordered or tampered file fails one of these checks.
//  F3. Paths are relative, '/'-separated, with no empty, "." or ".." part, no leading '/', no
//      '\\' and no control character (safe_pack_path). A pack holds regular files only: a
//      symbolic link or a special file in a pack folder is refused when the pack is described.
//  F4. A format newer than kPackFileFormat is refused with a message saying to update the
//      kiosk software: the version is read before anything else that could change.
//  F5. The container is ours rather than tar or zip (libarchive): those formats carry symlinks,
//      hard links, devices, absolute paths and several path encodings that a reader would have
//      to refuse one by one, and still need a signed list of hashes beside them. A
//      length-prefixed list read with bounds checks is short enough to fuzz and to review.
//
// The manifest is text, one fact per line (a path comes last on its line, so it may hold spaces):
//
//   roadshow-pack 1
//   pack_id cambodia                 (pack.toml's id)
//   tour kh-2026                     (optional: only kiosks enrolled for this tour take it)
//   version 1764857400               (build time, unix seconds)
//   languages km en zh               (pack.toml's languages, in display order)
//   pack_root packs/cambodia         (the folder of pack.toml inside the tree; "." for the top)
//   exhibit rainbow-light <64 hex>   (one per listed exhibit, in order: hash of its files)
//   file <size> <64 hex> <path>      (every file, sorted by path)
//
// Contract: pure functions and one reader class; never throw; every refusal is a one-line
// reason naming the file (and the entry or manifest line) at fault. Call init_crypto() first.
#pragma once

#include "format.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::sync {

inline constexpr std::uint16_t kPackFileFormat = 1;
inline constexpr std::size_t kPackMaxManifestBytes = 4u << 20;
inline constexpr std::size_t kPackMaxFiles = 20000;
inline constexpr std::size_t kPackMaxPathBytes = 512;
inline constexpr std::uint64_t kPackMaxFileBytes = 64ull << 20;
inline constexpr std::uint64_t kPackMaxTotalBytes = 1ull << 30;

struct PackFileEntry {
  std::string path;  // relative to the tree root (F3)
  std::uint64_t size = 0;
  Key32 hash{};      // crypto_generichash of the bytes
};
struct PackExhibitHash {
  std::string id;
  Key32 hash{};  // over the exhibit folder's files (relative path, size, hash), sorted by path
};

struct PackDescription {
  std::string pack_id, tour;
  std::int64_t version = 0;
  std::vector<std::string> languages;
  std::string pack_root = ".";
  std::vector<PackExhibitHash> exhibits;
  std::vector<PackFileEntry> files;
  std::uint64_t total_bytes() const;
};

// The manifest's text (above) and back. parse_pack_manifest refuses unknown or repeated lines,
// unsafe paths (F3), files listed twice, and anything over the limits, naming the line.
std::string pack_manifest_text(const PackDescription& d);
std::optional<PackDescription> parse_pack_manifest(std::string_view text, std::string* why);

// F3: empty when `path` is a safe relative path, else why not.
std::string unsafe_pack_path_reason(std::string_view path);

// Every file the pack in `folder` uses — pack.toml, every file of its strings_dir, every file of
// each listed exhibit's folder — hashed and listed relative to their nearest common folder,
// which is written to *tree_root (absolute). The pack is described as it is: run the checker
// first. nullopt with the reason for an unreadable manifest, a symbolic link or special file,
// or a pack over the limits.
std::optional<PackDescription> describe_pack_folder(const std::string& folder, std::string* tree_root,
                                                    std::string* why);

// The hash of a byte range and of a whole file (streamed), as in the manifest.
Key32 content_hash(const std::uint8_t* data, std::size_t size);
std::optional<Key32> file_content_hash(const std::string& path, std::string* why);

// `hq pack build`: the pack file for `d` (files read from tree_root), signed; written durably.
bool write_pack_file(const PackDescription& d, const std::string& tree_root, const Key64& hq_sign_secret,
                     const std::string& out_path, std::string* why);

// Reads a pack file in one pass without holding it in memory: open() reads and verifies the
// header, the signature and the manifest (F1, F2, F4); next() then yields each file's bytes in
// chunks, checking path, size and hash against the manifest, and finish() that nothing follows.
class PackFileReader {
 public:
  PackFileReader() = default;
  ~PackFileReader();
  PackFileReader(const PackFileReader&) = delete;
  PackFileReader& operator=(const PackFileReader&) = delete;

  // Refusal kinds, for the screens (content.refused.<name> in the catalogs).
  enum class Refusal { none, not_a_pack, newer_format, bad_signature, damaged, unsafe_path, io };
  bool open(const std::string& path, const Key32& hq_sign_public, std::string* why);
  const PackDescription& manifest() const { return m_manifest; }
  std::uint64_t file_bytes() const { return m_file_bytes; }
  Refusal refusal() const { return m_refusal; }

  // Calls sink(chunk, size) for each chunk of entry `index` (which must be the next one); false
  // with *why when the entry header or its hash does not match the manifest, the file ends, or
  // sink returns false (its own *why then stands).
  using Sink = std::function<bool(const std::uint8_t*, std::size_t)>;
  bool read_entry(std::size_t index, const Sink& sink, std::string* why);
  // After the last entry: true when the file ends exactly there.
  bool finish(std::string* why);

 private:
  bool read_exact(std::uint8_t* out, std::size_t n, std::string* why);
  bool fail(Refusal r, std::string* why, const std::string& text);
  int m_fd = -1;
  std::string m_path;
  PackDescription m_manifest;
  std::uint64_t m_file_bytes = 0;
  std::size_t m_next = 0;
  Refusal m_refusal = Refusal::none;
};
const char* pack_refusal_name(PackFileReader::Refusal r);

}  // namespace kiosk::sync
