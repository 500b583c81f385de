// Options shared by the checkers.
//
// Contract: defaults as docs/scenarios.md gives them (lag under 1 s; every property on; no
// staleness bound unless a scenario asserts one; no minimum observations). Each checker reports at
// most max_violations_per_property violations, then one that counts the rest.
#pragma once

#include <cstddef>
#include <cstdint>
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
  bool exact_resume = true;
};

// The fewest observations each property must judge in one run (0: no
// minimum); fewer is a min_observations violation (exit code 2). Units are
// judged_unit()'s: acked samples x zones, records compared, strong reads...
struct MinObservations {
  std::uint64_t no_lost_acked_samples = 0;
  std::uint64_t gapless_replay = 0;
  std::uint64_t identical_ordering = 0;
  std::uint64_t read_after_write = 0;
  std::uint64_t no_phantom_samples = 0;
  std::uint64_t no_duplicate_samples = 0;
  std::uint64_t liveness = 0;
  std::uint64_t bounded_staleness = 0;
  std::uint64_t exact_resume = 0;
};

struct CheckOptions {
  EnabledChecks enabled;
  MinObservations min_observations;
  // Liveness: after the last fault heals, lag must be under lag_threshold and
  // pending strong reads must complete within liveness_bound.
  SimDuration liveness_bound = 60 * kNanosPerSecond;
  SimDuration lag_threshold = 1 * kNanosPerSecond;
  // The longest the system may hold a read (Mimir's -querier.timeout, as
  // the workload sets it): a strong read caught by a fault may complete that
  // long after it was invoked, even past heal + liveness_bound. 0: no grace.
  SimDuration read_timeout = 0;
  // Eventual reads staler than this are violations; no bound: report only.
  std::optional<SimDuration> staleness_bound;
  std::size_t max_violations_per_property = 50;
};

}  // namespace weir::properties
