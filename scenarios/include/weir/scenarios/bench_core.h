// The core benchmark, "sleepers": A actors, each sleeping S times, with
// durations from a per-actor xorshift64 stream (seeded 0x9E3779B97F4A7C15 *
// (i + 1); sleep = 1 + x % 1000 microseconds). It measures the scheduler and
// fiber switch cost per wakeup, and compares it with the raw Boost.Context
// round trip measured in the same process. Wall-clock time is read here, and
// only here, outside any simulation.
#pragma once

#include <cstdint>

namespace weir::scenarios {

struct SleepersOptions {
  int actors = 1000;
  int sleeps = 1000;
};

struct SleepersReport {
  std::uint64_t wakeups = 0;
  double wall_seconds = 0;
  double wakeups_per_second = 0;
  double ns_per_wakeup = 0;
  double raw_round_trip_ns = 0;  // resume into a fiber and back, Boost.Context alone
  double yield_ns = 0;           // one fiber yielding through the scheduler (switch overhead)
  double wakeup_vs_raw = 0;      // ns_per_wakeup / raw_round_trip_ns
  double yield_vs_raw = 0;       // yield_ns / raw_round_trip_ns
  std::uint64_t trace_hash = 0;
};

SleepersReport run_sleepers(const SleepersOptions& options);

}  // namespace weir::scenarios
