// find_failing_schedule: a ready-made RapidCheck property over fault
// schedules. "Every run of this scenario and seed passes, whatever faults
// strike it": RapidCheck draws schedules (fault_schedule.h); on the first
// failing run it shrinks the schedule to a minimal one that still fails, and
// this returns it with its run and the `weir run` line that reproduces it.
//
// RapidCheck is driven with fixed parameters (its own seed, the number of
// tests), not the RC_PARAMS environment, so a search is the same every time:
// the same failure, shrunk the same way. It prints nothing; call
// Counterexample::describe() to show the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/gen/fault_schedule.h"
#include "weir/scenarios/run_result.h"
#include "weir/scenarios/scenario.h"

namespace weir::gen {

struct SearchOptions {
  std::uint64_t rapidcheck_seed = 1;  // RapidCheck's own stream of schedules
  int tests_max = 100;                // schedules tried before the property holds
  bool shrink = true;
  // The property ids (properties/violation.h) whose violation is a failure;
  // empty: any failing run (any violation, or a simulator error). Naming the
  // one property under test keeps shrinking on that failure: a smaller
  // schedule that fails some other way is not taken as the same bug.
  std::vector<std::string> properties;

  bool counts_as_failure(const scenarios::RunResult& run) const;
};

struct Counterexample {
  FaultSchedule schedule;        // shrunk (unless SearchOptions::shrink is off)
  scenarios::Scenario scenario;  // the searched scenario with this schedule
  scenarios::RunResult result;   // its failing run
  int tests_passed = 0;          // schedules that passed before the first failure
  int runs = 0;                  // runs in all, shrinking included

  // The schedule, the violations and "reproduce: weir run ...", one per line.
  std::string describe() const;
};

// Nothing when all tests_max schedules pass. Throws std::runtime_error if
// RapidCheck itself fails (a generator error), naming it.
std::optional<Counterexample> find_failing_schedule(const scenarios::Scenario& scenario, std::uint64_t seed,
                                                    const FaultScheduleOptions& faults,
                                                    const SearchOptions& search = {});

}  // namespace weir::gen
