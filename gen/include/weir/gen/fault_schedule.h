// RapidCheck generators of fault schedules, for property tests over weir
// scenarios (see docs/property-tests.md).
//
// A schedule is a list of faults, each placed by its gap after the previous
// fault's start rather than by an absolute time. A failing schedule shrinks
// (schedule_shrinks) by, in this order:
//   dropping faults, half of them, then a quarter, ..., then one at a time;
//     the dropped gaps pass to the next fault, so every other fault keeps its
//     time (a failure often hangs on when a fault strikes);
//   halving a fault's duration toward duration_min;
//   a magnitude back to the kind's default, a target back to 0;
//   halving a gap toward 0, which moves that fault and every later one
//     earlier together, so the later faults keep their spacing.
// Kinds do not shrink: another kind is another failure, not a simpler one.
//
// Times are whole milliseconds, the unit of a scenario spec, so that a
// schedule's reproduction line (`weir run ... --set faults.fault[I]={...}`)
// runs exactly the schedule the test ran.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "weir/scenarios/fault_plan.h"
#include "weir/scenarios/scenario.h"
#include "weir/sim/time.h"

namespace weir::gen {

struct GappedFault {
  sim::Duration gap;  // after the previous fault's start (the first: after the schedule's start)
  scenarios::FaultKind kind = scenarios::FaultKind::ingester_kill;
  sim::Duration duration;
  int target = 0;         // modulo the candidates (see scenarios::ScheduledFault)
  double magnitude = 0;   // 0: the kind's default
};
using FaultSchedule = std::vector<GappedFault>;

struct FaultScheduleOptions {
  std::vector<scenarios::FaultKind> kinds;  // empty: every kind
  int faults_max = 8;
  sim::Duration gap_max = sim::Duration::seconds(10);
  sim::Duration duration_min = sim::Duration::seconds(1);
  sim::Duration duration_max = sim::Duration::seconds(10);
  int targets = 6;  // targets drawn from [0, targets)

  std::optional<std::string> validate() const;
};

// One fault; throws std::invalid_argument when the options are invalid.
rc::Gen<GappedFault> gapped_fault(const FaultScheduleOptions& options);
// Zero to faults_max faults, shrinking by schedule_shrinks.
rc::Gen<FaultSchedule> fault_schedule(const FaultScheduleOptions& options);

// The candidates one step simpler than `schedule`, in the order above.
std::vector<FaultSchedule> schedule_shrinks(const FaultSchedule& schedule, const FaultScheduleOptions& options);

// The schedule as absolute times from `start`; a fault that would outlast
// `end` is cut short to end there, and one with less than a millisecond
// left is dropped (every fault heals by the end of the safety phase).
std::vector<scenarios::ScheduledFault> to_scheduled(const FaultSchedule& schedule, sim::Duration start,
                                                    sim::Duration end);
// `scenario` with exactly this schedule, from the time its clients start to
// the end of its safety phase (Scenario::with_faults).
scenarios::Scenario with_schedule(const scenarios::Scenario& scenario, const FaultSchedule& schedule);

// How RapidCheck prints a counterexample: "+2.500s ingester_kill[1] for 3.000s".
void showValue(const GappedFault& fault, std::ostream& os);

}  // namespace weir::gen
