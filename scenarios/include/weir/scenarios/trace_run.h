// Recording a spec scenario's run to a trace file, replaying a trace file
// against a fresh run of its recorded spec and seed (optionally with
// overrides on top: a what-if), and checking a trace's stored history
// offline (replay/ has the file format).
//
// The trace header carries the resolved spec (overrides applied) as text, so
// a trace replays even after the built-in spec it came from has changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/properties/violation.h"
#include "weir/replay/comparing_sink.h"
#include "weir/replay/trace_file.h"
#include "weir/scenarios/run_result.h"
#include "weir/scenarios/scenario_spec.h"

namespace weir::scenarios {

struct TracedRun {
  RunResult result;
  std::optional<std::string> error;  // the trace could not be written
};

// Runs the loader's scenario with `seed`, recording the trace to `path`.
TracedRun run_traced(const ScenarioLoader& loader, std::uint64_t seed, const std::string& path);

// Runs the loader's scenario with `seed` again, keeping its trace in memory
// (header, events, history, node names, violations), as if from the file
// run_traced would write: the same run, since runs are deterministic.
replay::TraceFile record_in_memory(const ScenarioLoader& loader, std::uint64_t seed);

struct ReplayReport {
  std::optional<std::string> error;           // the recorded spec does not load
  std::optional<std::string> override_error;  // an override does not apply to it
  std::optional<replay::Divergence> divergence;
  std::vector<std::string> recorded_nodes;
  std::vector<std::string> replayed_nodes;
  std::uint64_t events = 0;  // trace events of the replay
  std::uint64_t recorded_hash = 0;
  std::uint64_t replayed_hash = 0;

  bool ok() const { return !error && !override_error && !divergence && recorded_hash == replayed_hash; }
  // One line for the recorded run and one for the replay, naming the first
  // event that differs (or the two hashes, if no event did).
  std::vector<std::string> divergence_lines() const;
};

// Runs the recorded spec and seed again, with `overrides` ("PATH=VALUE", as
// ScenarioLoader::set takes them) applied on top, and compares every event
// with the recording. With overrides this asks "what if": the report names
// the first event the changed scenario's run does differently, or none if
// the change does not alter the run.
ReplayReport replay_trace(const replay::TraceFile& file, const std::vector<std::string>& overrides = {});

struct OfflineCheck {
  std::optional<std::string> error;  // the spec or the stored history does not load
  std::vector<properties::Violation> violations;
  std::map<std::string, std::uint64_t> checked;  // as RunResult::checked
};

// The checkers (with the recorded spec's CheckOptions) on the stored history.
OfflineCheck check_trace(const replay::TraceFile& file);

}  // namespace weir::scenarios
