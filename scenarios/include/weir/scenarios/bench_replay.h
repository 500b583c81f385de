// The replay benchmark: runs a spec scenario once, recording its trace to a
// temporary file (run_traced), then reads the file back and replays it
// (replay_trace), timing both. It answers "does checking a recorded run cost
// more than making it?": the replay runs the same simulation, comparing each
// event with the recording instead of writing it.
//
// A run of a short scenario takes tens of milliseconds, so one timing is
// mostly noise on a busy machine: `repeats` does the pair that many times
// and keeps each side's fastest, and CPU seconds are reported beside wall
// seconds. Reads the wall and CPU clocks, outside the runs. The temporary
// file is removed before run_bench_replay returns, whatever happened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/scenarios/run_result.h"
#include "weir/scenarios/scenario_spec.h"

namespace weir::scenarios {

struct BenchReplayOptions {
  std::uint64_t seed = 1;
  int repeats = 1;     // run-then-replay pairs; the figures are each side's fastest
  std::string folder;  // for the temporary trace; empty: the system's temp folder

  std::optional<std::string> validate() const;
};

struct BenchReplayReport {
  std::optional<std::string> error;  // the trace could not be written or read back
  RunResult run;                     // the recorded run's verdict, hash and events
  double run_wall_seconds = 0;       // the run, writing its trace
  double run_cpu_seconds = 0;
  double read_wall_seconds = 0;      // reading and verifying the trace file
  double replay_wall_seconds = 0;    // reading the trace plus the comparing run
  double replay_cpu_seconds = 0;
  double replay_vs_run = 0;          // replay_wall_seconds / run_wall_seconds
  std::uint64_t events = 0;          // events in the trace
  std::uint64_t trace_bytes = 0;     // size of the trace file
  bool matched = false;              // every replay: same events, same hash
  std::vector<std::string> divergence_lines;  // the first that did not: recorded, replayed
};

// `loader` holds the scenario to run, its overrides applied; `options` must
// be valid.
BenchReplayReport run_bench_replay(const ScenarioLoader& loader, const BenchReplayOptions& options);

}  // namespace weir::scenarios
