// kiosk/core/signature.h — a guardian's finger signature as a compact blob.
//
// Strokes are lists of points in the signature pad's own coordinates (0..32767). The blob is
//   "SG" 0x01 | varint stroke count | per stroke: varint point count, then the first point and
//   every following delta as zigzag varints (x, y)
// so a typical signature (a few hundred points) takes well under 1 KiB.
//
// Contract: pure functions. decode_signature() returns nullopt for any malformed blob (wrong
// magic, truncated, counts beyond the data) and never reads past the end.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace kiosk::core {

struct StrokePoint {
  std::int32_t x = 0, y = 0;
  bool operator==(const StrokePoint&) const = default;
};
using Stroke = std::vector<StrokePoint>;

std::vector<std::uint8_t> encode_signature(const std::vector<Stroke>& strokes);
std::optional<std::vector<Stroke>> decode_signature(const std::vector<std::uint8_t>& blob);

}  // namespace kiosk::core
