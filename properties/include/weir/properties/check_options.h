// Options shared by the checkers.
//
// Contract: defaults match DESIGN.md (lag under 1 s; every property on; no
// staleness bound unless a scenario asserts one). Each checker reports at
// most max_violations_per_property violations, then one that counts the rest.
#pragma once

#include <cstddef>
#include <optional>

#include "weir/properties/types.h"

namespace weir::properties {

struct EnabledChecks {
  bool no_lost_acked_samples = true;
  bool gapless_replay = true;
  bool identical_ordering = true;
  bool read_after_write = true;
  bool no_phantom_samples = true;
  bool no_duplicate_samples = true;
  bool liveness = true;
  bool bounded_staleness = true;  // only reports when staleness_bound is set
};

struct CheckOptions {
  EnabledChecks enabled;
  // Liveness: after the last fault heals, lag must be under lag_threshold and
  // pending strong reads must complete within liveness_bound.
  SimDuration liveness_bound = 60 * kNanosPerSecond;
  SimDuration lag_threshold = 1 * kNanosPerSecond;
  // Eventual reads staler than this are violations; no bound: report only.
  std::optional<SimDuration> staleness_bound;
  std::size_t max_violations_per_property = 50;
};

}  // namespace weir::properties
