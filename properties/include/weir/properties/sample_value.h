// The deterministic value of a generated sample.
//
// Contract: sample_value(series, ts) is a pure function, identical on every
// platform and build, returning a finite double in [0, 1000). Workloads send
// it as the value of sample (series, ts), so a write's samples need not be
// stored one by one, and checkers can tell a right value from a wrong one.
#pragma once

#include <cstdint>

#include "weir/properties/types.h"

namespace weir::properties {

// SplitMix64's finalizer: a bijective 64-bit mix.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

constexpr double sample_value(SeriesId series, TimestampMs timestamp_ms) {
  const std::uint64_t h =
      mix64(mix64(series) ^ (static_cast<std::uint64_t>(timestamp_ms) + 0x9E3779B97F4A7C15ULL));
  // 20 bits of integer part below 1000 and 10 bits of fraction: exact in a double.
  const auto thousandths = static_cast<double>(h % 1'000'000U);
  const auto fraction = static_cast<double>((h >> 32) % 1024U) / 1024.0;
  return (thousandths + fraction) / 1000.0;
}

}  // namespace weir::properties
