// tests/fuzz/image_header_fuzz.cpp — the gate every picture passes before it is decoded
// (content/src/image_header.h read_image_header), called by the pack checker and by the kiosk's
// image cache. The input is the file's bytes, opened in memory (fmemopen); an input the gate
// accepts and that holds at most k_decode_pixels pixels is then decoded as both callers do, so
// the PNG and JPEG decoders behind the gate are fuzzed too (larger ones would only make the
// fuzzer slow: the size limit itself is what the gate is for).
// Checks: an accepted header is a PNG's, within the side limit, with no problem; a refusal
// has a one-line problem; the file is left at its start; a decode gives the size the header
// stated.
#include "fuzz_target.h"
#include "image_header.h"

#include <stb_image.h>

#include <cstdio>
#include <string_view>

namespace {

constexpr std::uint64_t k_decode_pixels = 256 * 256;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiosk::content;
  // fmemopen cannot open an empty buffer; the empty file has its test in tests/content.
  if (size == 0) return 0;
  std::FILE* f = fmemopen(const_cast<std::uint8_t*>(data), size, "rb");
  fuzz_check(f != nullptr, "fmemopen works");

  const ImageHeader h = read_image_header(f, size);
  fuzz_check(std::ftell(f) == 0, "the gate leaves the file at its start");
  fuzz_check(h.bytes == size, "the gate reports the size it was given");
  if (h.ok) {
    fuzz_check(h.problem.empty(), "an accepted image has no problem");
    fuzz_check(size >= 8 && data[0] == 0x89 && data[1] == 'P', "only a PNG passes");
    fuzz_check(h.width >= 1 && h.height >= 1 &&
                   h.width <= static_cast<std::uint64_t>(k_max_image_side) &&
                   h.height <= static_cast<std::uint64_t>(k_max_image_side),
               "an accepted image is within the side limit");
    if (h.width * h.height <= k_decode_pixels) {
      int w = 0, hh = 0, channels = 0;
      if (stbi_uc* pixels = stbi_load_from_file(f, &w, &hh, &channels, 4)) {
        fuzz_check(static_cast<std::uint64_t>(w) == h.width &&
                       static_cast<std::uint64_t>(hh) == h.height,
                   "the decoder agrees with the header's size");
        stbi_image_free(pixels);
      }
    }
  } else {
    fuzz_check(!h.problem.empty(), "a refusal says why");
    for (char c : std::string_view(h.problem))
      fuzz_check(static_cast<unsigned char>(c) >= 0x20, "the reason is one line");
  }
  std::fclose(f);
  return 0;
}
