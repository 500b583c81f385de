#include "weir/models/mimir/series_merge.h"

#include <bit>

#include "weir/sim/hash.h"

namespace weir::models::mimir {

std::uint64_t result_wire_bytes(const std::vector<properties::SeriesResult>& series) {
  std::uint64_t bytes = 16;
  for (const auto& s : series) bytes += 24 + 16 * s.samples.size();
  return bytes;
}

std::uint64_t result_digest(const std::vector<properties::SeriesResult>& series) {
  std::uint64_t h = 0;
  for (const auto& s : series) {
    h = sim::hash_combine(h, s.series);
    for (const auto& sample : s.samples) {
      h = sim::hash_combine(h, static_cast<std::uint64_t>(sample.ts_ms));
      h = sim::hash_combine(h, std::bit_cast<std::uint64_t>(sample.value));
    }
  }
  return h;
}

}  // namespace weir::models::mimir
