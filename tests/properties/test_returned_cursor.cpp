// ReturnedCursor: for timestamps that never decrease, the same answers as an
// equal_range over the whole series, whatever the spacing (samples on every
// probe, far apart, repeated timestamps).
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "sample_lookup.h"

using weir::properties::Sample;
using weir::properties::TimestampMs;
using weir::properties::detail::ReturnedCursor;

namespace {

std::vector<Sample> returned_at(const std::vector<std::uint8_t>& offsets) {
  std::vector<Sample> samples;
  TimestampMs ts = 0;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    ts += offsets[i] % 4;  // 0: the same timestamp again
    samples.push_back(Sample{ts, static_cast<double>(i)});
  }
  return samples;
}

}  // namespace

TEST_CASE("a returned-samples cursor answers like equal_range", "[properties][returned_cursor]") {
  CHECK(rc::check("ascending probes", [](const std::vector<std::uint8_t>& offsets, std::vector<std::uint8_t> steps) {
    const std::vector<Sample> samples = returned_at(offsets);
    ReturnedCursor cursor(samples);
    TimestampMs ts = -1;
    for (std::uint8_t step : steps) {
      ts += step % 5;  // 0: the same probe twice
      const auto [lo, hi] = std::equal_range(samples.begin(), samples.end(), Sample{ts, 0},
                                             [](const Sample& a, const Sample& b) { return a.ts_ms < b.ts_ms; });
      const auto found = cursor.at(ts);
      RC_ASSERT(std::vector<Sample>(found.begin(), found.end()) == std::vector<Sample>(lo, hi));
    }
  }));
}

TEST_CASE("a cursor over nothing finds nothing", "[properties][returned_cursor]") {
  ReturnedCursor cursor({});
  CHECK(cursor.at(0).empty());
  CHECK(cursor.at(100).empty());
}
