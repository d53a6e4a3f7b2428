// content/src/image_header.cpp — see image_header.h for the rules and their order.
#include "image_header.h"

#include <stb_image.h>

#include <algorithm>
#include <optional>
#include <string_view>

namespace kiosk::content {
namespace {

constexpr unsigned char k_png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
constexpr unsigned char k_jpeg_signature[3] = {0xFF, 0xD8, 0xFF};

std::string too_many_pixels(std::uint64_t w, std::uint64_t h) {
  return "image is too large: " + std::to_string(w) + "x" + std::to_string(h) +
         " pixels (limit " + std::to_string(k_max_image_side) + " on each side); not decoded";
}

bool within_sides(std::uint64_t w, std::uint64_t h) {
  const auto side = static_cast<std::uint64_t>(k_max_image_side);
  return w <= side && h <= side;
}

}  // namespace

std::string explain_stb_failure(const char* reason) {
  const std::string_view r = reason ? reason : "unknown";
  std::string plain;
  if (r == "outofdata") plain = "the file is cut short";
  else if (r == "unknown image type") plain = "not a PNG image";
  else if (r.find("sig") != std::string_view::npos || r.find("IHDR") != std::string_view::npos)
    plain = "the header is damaged";
  else plain = "the image data is damaged";
  return plain + " (stb_image: " + std::string(r) + ")";
}

ImageHeader read_image_header(std::FILE* f, std::uintmax_t file_bytes) {
  ImageHeader h;
  h.bytes = file_bytes;
  if (file_bytes > k_max_image_bytes) {
    h.problem = "image is too large: " + std::to_string(file_bytes) +
                " bytes (limit 8 MiB); not decoded";
    return h;
  }
  // Rule 2: the signature, from the first bytes (which also hold the IHDR).
  unsigned char head[24] = {};
  const size_t got = std::fread(head, 1, sizeof head, f);
  std::rewind(f);
  if (got < sizeof k_png_signature ||
      !std::equal(k_png_signature, k_png_signature + sizeof k_png_signature, head)) {
    const bool jpeg = got >= sizeof k_jpeg_signature &&
                      std::equal(k_jpeg_signature, k_jpeg_signature + sizeof k_jpeg_signature, head);
    h.problem = got == 0 ? "image cannot be decoded: the file is empty"
                : jpeg   ? "image cannot be decoded: a JPEG; images must be PNG files"
                         : "image cannot be decoded: not a PNG image";
    return h;
  }
  // Rule 3: the size the IHDR states, before stb_image sees it.
  if (got == sizeof head && std::equal(head + 12, head + 16, "IHDR")) {
    const auto be32 = [&](int at) {
      return (std::uint32_t{head[at]} << 24) | (std::uint32_t{head[at + 1]} << 16) |
             (std::uint32_t{head[at + 2]} << 8) | std::uint32_t{head[at + 3]};
    };
    h.width = be32(16);
    h.height = be32(20);
    if (!within_sides(h.width, h.height)) {
      h.problem = too_many_pixels(h.width, h.height);
      return h;
    }
  }
  // Rule 4: stb_image reads the same header and agrees it is well-formed.
  int w = 0, hh = 0, channels = 0;
  const int info = stbi_info_from_file(f, &w, &hh, &channels);
  std::rewind(f);
  if (!info) {
    h.problem = "image cannot be decoded: " + explain_stb_failure(stbi_failure_reason());
    return h;
  }
  if (w <= 0 || hh <= 0) {  // stb_image refuses these itself; kept so no caller can see 0x0
    h.problem = "image cannot be decoded: the header states no pixels";
    return h;
  }
  h.width = static_cast<std::uint64_t>(w);
  h.height = static_cast<std::uint64_t>(hh);
  if (!within_sides(h.width, h.height)) {
    h.problem = too_many_pixels(h.width, h.height);
    return h;
  }
  h.ok = true;
  return h;
}

}  // namespace kiosk::content
