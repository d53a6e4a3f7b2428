// content/src/image_header.h — the one gate every picture passes before it is decoded: the
// checker (check.h check_image) and the kiosk's image cache (kiosk/ui/image_cache.h) both call
// read_image_header(), so "the checker passed it" and "the kiosk shows it" agree on the limits.
//
// Rules, checked in this order (the first that fails is the problem):
//   1. the file is at most k_max_image_bytes on disk;
//   2. it starts like a PNG (89 'PNG' 0D 0A 1A 0A). Every other format stb_image knows is refused
//      here, JPEG included, so no other decoder ever sees bytes from a USB stick: Debian's
//      stb_image 2.27 JPEG decoder segfaults on a 728-byte file that fuzzing found
//      (tests/fuzz/corpus/image_header/found-jpeg-crashes-stb.jpg, TESTING.md), and pack images
//      are PNGs by the format (content/README.md, "Images");
//   3. the size its IHDR states is within k_max_image_side on each side. The IHDR is read
//      directly, because stbi_info() refuses a PNG over 2^30 pixels itself and would then call a
//      100000x100000 PNG "not an image";
//   4. stb_image agrees the header is well-formed (stbi_info).
//
// Contract: reads at most the header, never the pixels; never throws; leaves the file at its
// start, so the caller decodes from the same handle. Any thread may call it (the image cache's
// worker does): Debian's stb_image keeps its failure reason per thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace kiosk::content {

// Images larger than this are refused from their header, without decoding them.
inline constexpr int k_max_image_side = 4096;                          // pixels, either side
inline constexpr std::uintmax_t k_max_image_bytes = 8u * 1024 * 1024;  // file size

struct ImageHeader {
  bool ok = false;  // a PNG within the limits, which stb_image may decode
  // As the IHDR states them (up to 2^32-1); 0 when no header was read.
  std::uint64_t width = 0, height = 0;
  std::uintmax_t bytes = 0;  // the file size given
  // Empty when ok; else one line for staff, without the file name, e.g.
  // "image is too large: 20000x1 pixels (limit 4096 on each side); not decoded".
  std::string problem;
};

// The header of the open image file f, whose size is file_bytes (see the rules above).
ImageHeader read_image_header(std::FILE* f, std::uintmax_t file_bytes);

// stb_image's terse failure reason ("outofdata") as a sentence for staff, with stb's word kept:
// "the file is cut short (stb_image: outofdata)". reason may be null.
std::string explain_stb_failure(const char* reason);

}  // namespace kiosk::content
