// shrink_failure: a failing run's fault schedule cut down to the few faults
// that matter (`weir shrink`).
//
// The seed runs as the loader gives it. If it fails, its concrete fault
// schedule (RunResult::fault_schedule: scheduled and swarm-drawn faults,
// targets resolved) becomes a scheduled plan with the swarm off, cut to
// whole milliseconds as `--set` overrides carry it (schedule_overrides), and
// runs again: it must still fail the same way (same_failure), or there is
// nothing reproducible to shrink. Then replay::shrink_list removes faults
// (delta debugging, down to a 1-minimal schedule) and simplifies those left
// (each duration halved down to 1 s, each magnitude set to its kind's
// default), every candidate run on a copy of the loader with the
// candidate's overrides. Deterministic: the same spec, overrides and seed
// give the same runs and the same report.
//
// The loader is borrowed for the call; the report owns its results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/scenarios/fault_plan.h"
#include "weir/scenarios/run_result.h"
#include "weir/scenarios/scenario_spec.h"

namespace weir::scenarios {

struct ShrinkOptions {
  // Pipeline runs at most, counting the seed's own run and the rounded
  // schedule's; the search stops there with the smallest schedule so far.
  int runs_max = 100;

  std::optional<std::string> validate() const;
};

enum class ShrinkStatus {
  passed,            // the seed's run passed: nothing to shrink
  not_reproducible,  // the schedule cut to whole milliseconds no longer fails the same way
  shrunk,            // `schedule` fails the same way as the seed's run
};

struct ShrinkReport {
  ShrinkStatus status = ShrinkStatus::passed;
  RunResult original;                  // the seed's run, as the loader gives it
  std::size_t original_fault_count = 0;
  // The smallest schedule found that fails the same way, in whole
  // milliseconds and in time order (shrunk); the rounded schedule
  // (not_reproducible); empty (passed).
  std::vector<ScheduledFault> schedule;
  // The run of `schedule`: its reproduce_command() runs it (the loader's
  // source and overrides, then schedule_overrides(schedule)). Unset (passed).
  RunResult final_run;
  int runs = 0;           // pipeline runs made, the seed's own included
  bool finished = false;  // 1-minimal and simplified; false: runs_max stopped it
  double wall_seconds = 0;

  // passed 0; not_reproducible 3 (simulator_failed: the run does not
  // reproduce from its schedule); shrunk: the final run's exit code.
  int exit_code() const;
};

ShrinkReport shrink_failure(const ScenarioLoader& loader, std::uint64_t seed, const ShrinkOptions& options = {});

// Whether `candidate` fails the way `original` did: the same exit code, and
// for a property failure at least one property of the deciding kind (safety
// for exit 1, liveness for exit 2) that `original` violated too; for a
// simulator failure, any simulator error.
bool same_failure(const RunResult& original, const RunResult& candidate);

// The simpler versions of one fault shrink_failure tries, in order: the
// duration halved (whole milliseconds, at least 1 s) while over 1 s, then
// the kind's default magnitude when it differs.
std::vector<ScheduledFault> simpler_faults(const ScheduledFault& fault);

// "t=17.030s ingester_kill target=3 for 0.500s" (and " magnitude=M" for
// kinds that take one).
std::string describe(const ScheduledFault& fault);

// What shrinking found: a summary line, the schedule one fault per line,
// then the final run's verdict and its reproduction line.
std::string to_text(const ShrinkReport& report);
// The report as one JSON object (one line).
std::string to_json(const ShrinkReport& report);

}  // namespace weir::scenarios
