#include "signature.h"

namespace kiosk::core {
namespace {

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

void put_signed(std::vector<std::uint8_t>& out, std::int64_t v) {
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

bool get_varint(const std::vector<std::uint8_t>& in, std::size_t& pos, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    const std::uint8_t b = in[pos++];
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

bool get_signed(const std::vector<std::uint8_t>& in, std::size_t& pos, std::int64_t& v) {
  std::uint64_t u = 0;
  if (!get_varint(in, pos, u)) return false;
  v = static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
  return true;
}

}  // namespace

std::vector<std::uint8_t> encode_signature(const std::vector<Stroke>& strokes) {
  std::vector<std::uint8_t> out = {'S', 'G', 0x01};
  put_varint(out, strokes.size());
  for (const Stroke& s : strokes) {
    put_varint(out, s.size());
    StrokePoint prev{};
    for (const StrokePoint& p : s) {
      put_signed(out, static_cast<std::int64_t>(p.x) - prev.x);
      put_signed(out, static_cast<std::int64_t>(p.y) - prev.y);
      prev = p;
    }
  }
  return out;
}

std::optional<std::vector<Stroke>> decode_signature(const std::vector<std::uint8_t>& blob) {
  if (blob.size() < 3 || blob[0] != 'S' || blob[1] != 'G' || blob[2] != 0x01) return std::nullopt;
  std::size_t pos = 3;
  std::uint64_t count = 0;
  if (!get_varint(blob, pos, count) || count > blob.size()) return std::nullopt;
  std::vector<Stroke> strokes;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t points = 0;
    if (!get_varint(blob, pos, points) || points > blob.size()) return std::nullopt;
    Stroke s;
    std::int64_t x = 0, y = 0;
    for (std::uint64_t j = 0; j < points; ++j) {
      std::int64_t dx = 0, dy = 0;
      if (!get_signed(blob, pos, dx) || !get_signed(blob, pos, dy)) return std::nullopt;
      x += dx;
      y += dy;
      if (x < INT32_MIN || x > INT32_MAX || y < INT32_MIN || y > INT32_MAX) return std::nullopt;
      s.push_back({static_cast<std::int32_t>(x), static_cast<std::int32_t>(y)});
    }
    strokes.push_back(std::move(s));
  }
  if (pos != blob.size()) return std::nullopt;
  return strokes;
}

}  // namespace kiosk::core
