// Sweep: one scenario over a range of seeds in worker processes, so that a
// seed that crashes its process is reported as a failure with its seed while
// the sweep goes on. A worker runs up to 64 seeds one after another (a fresh
// process per seed would pay the page faults of every run's memory again);
// the second run of a rechecked seed always gets a fresh process.
//
// Results are handed to `on_result` in seed order as they become available,
// so a caller can print them as the sweep runs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "weir/scenarios/run_result.h"

namespace weir::scenarios {

struct SeedRange {
  std::uint64_t begin = 0;  // inclusive
  std::uint64_t end = 0;    // exclusive
};
// Parses "A:B" (A inclusive, B exclusive); nothing when malformed or empty.
std::optional<SeedRange> parse_seed_range(const std::string& text);

struct Shard {
  std::uint64_t index = 0;  // 0-based
  std::uint64_t count = 1;
};
// Parses "I/N" with 0 <= I < N.
std::optional<Shard> parse_shard(const std::string& text);

struct SweepOptions {
  SeedRange seeds;
  Shard shard;   // this worker runs the seeds with seed % count == index
  int jobs = 1;  // worker processes at a time
  // The share of seeds run a second time to check that the run is
  // deterministic (same trace hash and event count); chosen by seed.
  double recheck_ratio = 0.05;
};
// Whether `seed` is one of the rechecked ones at this ratio (stable per seed).
bool rechecked(std::uint64_t seed, double ratio);

struct SweepSummary {
  std::uint64_t seeds_run = 0;
  std::uint64_t seeds_failed = 0;              // exit code not 0: against the scenario's expectation
  std::uint64_t seeds_failed_as_expected = 0;  // a hazard scenario's seeds that failed the way it expects
  std::uint64_t seeds_beyond_budget = 0;       // seeds whose faults went past the log's fault budget
  std::map<std::string, std::uint64_t> failures_by_property;  // with "simulator", "determinism"
  // Seeds in which an enabled property judged nothing, per property.
  std::map<std::string, std::uint64_t> vacuous_by_property;
  std::uint64_t seeds_rechecked = 0;
  std::uint64_t slowest_seed = 0;
  double slowest_wall_seconds = 0;
  double wall_seconds = 0;
  double seeds_per_minute = 0;
  int exit_code = 0;  // the worst exit code of any seed (1 before 2 before 4 before 3)
};

// The worse of two exit codes, as a sweep reports them: safety (1) outranks
// liveness (2) outranks a missing expected failure (4) outranks simulator
// (3); 0 (ok) outranks nothing.
int worse_exit_code(int a, int b);
// Counts one seed's result into `summary`, as run_sweep does for each seed
// (all but wall_seconds, seeds_per_minute and seeds_rechecked: only the
// sweep itself knows those).
void tally(SweepSummary& summary, const RunResult& result);

using RunSeed = std::function<RunResult(std::uint64_t seed)>;

SweepSummary run_sweep(const std::string& scenario, const RunSeed& run, const SweepOptions& options,
                       const std::function<void(const RunResult&)>& on_result);

}  // namespace weir::scenarios
