// FaultBudget: what the modelled system promises to survive, as data: per
// log flavour and per fault kind, whether a fault is always survived,
// survived up to a limit, or beyond the promise (each kind's row in
// fault_kinds.h holds its promises, and how it counts against the limit).
//
// The promise is about acknowledged data and agreement (the safety
// properties), and about recovering once the faults heal (liveness). A run
// whose faults stay within the budget must pass; a run past it may fail the
// way the real system would (docs/fault-budget.md explains each line).
//
// The one limit the table carries is on log nodes down at once while a
// machine is lost: a fault that crashes a log node's machine (broker_crash,
// brokers_crash_together) or replaces it with an empty disk
// (broker_disk_loss) takes the node's machine away until it heals, plus a
// settle time for it to catch up. A process kill (broker_process_kill)
// leaves the machine, and with it the page cache: killed processes lose
// nothing, but they are out of the ISRs until they catch up, so while a
// machine is lost (it may be the last ISR member, and be elected with only
// what it had flushed) they count against the limit too.
//
// Ownership: plain values; fault_budget() derives one from the run's options.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/scenarios/fault_plan.h"
#include "weir/scenarios/log_topology.h"
#include "weir/sim/time.h"

namespace weir::scenarios {

struct FaultPromise {
  FaultKind kind = FaultKind::ingester_kill;
  Survival survival = Survival::always;
  std::string_view why;  // one line, in the modelled system's terms
};

struct FaultBudget {
  static constexpr int kUnlimited = 1 << 30;

  LogFlavour flavour = LogFlavour::classic;
  std::string summary;  // "classic Kafka, 3 brokers, RF=3, min ISR 2: ..."
  int log_nodes = 0;    // the serving nodes that log-machine faults target
  // Log nodes down at once while a machine is lost (counting each one from
  // its fault until its heal plus log_machine_settle).
  int log_machines_down_max = kUnlimited;
  // How long a returned machine counts as still down: the time it needs to
  // rejoin (a classic follower back in the ISR).
  sim::Duration log_machine_settle;
  // Classic Kafka's single controller lives in one log zone. A broker whose
  // heartbeats cannot reach it for longer than `controller_fence_after` (the
  // broker session less one heartbeat) is fenced and leaves the ISRs, as a
  // killed process does: a zone_partition or zone_partition_one_way of its
  // zone does that, and a zone_partition of the controller's zone does it to
  // every broker outside that zone. -1: no controller (the diskless log).
  int controller_zone = -1;
  int log_zone_count = 0;  // brokers sit round-robin: broker i in zone i % count
  sim::Duration controller_fence_after;
  std::vector<FaultPromise> promises;  // one per kind, in kAllFaultKinds order

  const FaultPromise& promise(FaultKind kind) const;
};

// The budget of a log as these options build it (the classic log's
// min.insync.replicas sets its limit; the diskless log's WAL mode trusts
// its agents' disks).
FaultBudget fault_budget(const LogTopologyOptions& log);

// The serving-node indices a log-node fault takes down: crashed, wiped or
// killed (its row counts machines_lost or processes_killed; empty for every
// other kind). `target` must be resolved (>= 0).
std::vector<int> log_nodes_taken(const ScheduledFault& fault, int log_nodes);
// Those whose machine is lost (not for a process kill).
std::vector<int> lost_log_machines(const ScheduledFault& fault, int log_nodes);

// Why `schedule` (targets resolved) goes past the budget: its first fault
// that does, "faults[3] brokers_crash_together at 29.2 s: 2 log nodes down
// at once, 2 of them machines lost; the classic log survives 1"; nothing when within it.
std::optional<std::string> beyond_budget(const FaultBudget& budget, const std::vector<ScheduledFault>& schedule);

}  // namespace weir::scenarios
