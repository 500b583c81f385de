// FaultPlan: the faults of a run's safety phase, as typed values.
//
// A plan is a list of scheduled faults (each at a time, for a duration, on a
// target), and optionally a swarm: per seed, a random subset of fault kinds
// is switched on and their timings and targets are drawn from the run's
// random stream. Every fault heals by the end of the safety phase; the
// liveness phase then starts with a healthy system.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "weir/scenarios/fault_kinds.h"
#include "weir/sim/time.h"

namespace weir::scenarios {

struct ScheduledFault {
  FaultKind kind = FaultKind::ingester_kill;
  sim::Duration at;        // from the start of the run
  sim::Duration duration;  // until it heals (crashed nodes restart then)
  // Which node or zone: an index taken modulo the candidates (ingesters,
  // log nodes or zones, in the topology's order); -1 draws one at random.
  int target = -1;
  double magnitude = 0;    // the kind's strength: 0 for its default (fault_kinds.h)
};

// How many nodes a fault takes, from its target on, out of `candidates`:
// `magnitude` of them (at most all) for a count, else one.
int fault_node_count(const ScheduledFault& fault, int candidates);

struct SwarmOptions {
  bool enabled = false;
  // Empty: every kind whose row lets the swarm draw it (swarm_may_draw);
  // a kind listed here must let it too.
  std::vector<FaultKind> kinds;
  double kind_probability = 0.5; // each kind is on for a seed with this probability
  int faults_max = 12;           // faults drawn per run, at most
  sim::Duration duration_max = sim::Duration::seconds(20);
  // Off (the default), the swarm draws only faults within the log's fault
  // budget (fault_budget.h): kinds beyond it are never switched on, and a
  // drawn fault that would take the run past it is left out. On, it draws
  // every kind freely, to hunt for what breaks past the budget.
  bool beyond_budget = false;
  // Per seed, the run shuffles same-instant events (FaultPlan) with this
  // probability, drawn from the seed alone before the run starts.
  double shuffle_probability = 0.0;
};

struct FaultPlan {
  std::vector<ScheduledFault> faults;
  SwarmOptions swarm;
  // Events due at one instant run in a seeded random order instead of the
  // order they were scheduled in (sim::SimulationOptions::shuffle_same_instant):
  // the other interleavings a real system's concurrency allows.
  bool shuffle_same_instant = false;

  // Whether the run of `seed` shuffles same-instant events: always with
  // shuffle_same_instant, else as the swarm draws it.
  bool shuffles(std::uint64_t seed) const;

  std::optional<std::string> validate(sim::Duration safety_phase) const;
};

}  // namespace weir::scenarios
