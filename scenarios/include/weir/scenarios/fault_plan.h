// FaultPlan: the faults of a run's safety phase, as typed values.
//
// A plan is a list of scheduled faults (each at a time, for a duration, on a
// target), and optionally a swarm: per seed, a random subset of fault kinds
// is switched on and their timings and targets are drawn from the run's
// random stream. Every fault heals by the end of the safety phase; the
// liveness phase then starts with a healthy system.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/sim/time.h"

namespace weir::scenarios {

enum class FaultKind {
  ingester_stop,             // clean shutdown: final fsync and commit, then down
  ingester_kill,             // crash: unsynced WAL writes lost
  ingester_kill_torn_wal,    // crash that also tears the WAL's last write
  broker_crash,              // a log node (broker or agent) crashes and restarts
  broker_disk_loss,          // a broker crashes and comes back with an empty disk
  brokers_crash_together,    // several log nodes crash at once
  zone_partition,            // a zone cut off from the others, both ways
  zone_partition_one_way,    // a zone's outbound traffic dropped
  group_partition,           // ingesters cut off from the log (a component group)
  object_store_slow,         // latency multiplied by `magnitude`
  object_store_stall,        // requests hang for the duration
  object_store_slow_down,    // 503 SlowDown with probability `magnitude`
  disk_slow,                 // ingester disks `magnitude` times slower
  disk_fsync_errors,         // ingester fsyncs fail with probability `magnitude`
  network_delay,             // messages delayed with probability `magnitude`
  network_drop,              // messages dropped with probability `magnitude`
  // `magnitude` log nodes' processes are killed and restart; their machines
  // stay up, so what the OS holds for them (a classic broker's page cache)
  // survives. broker_crash and brokers_crash_together lose the machine.
  broker_process_kill,
};
inline constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::ingester_stop,         FaultKind::ingester_kill,          FaultKind::ingester_kill_torn_wal,
    FaultKind::broker_crash,          FaultKind::broker_disk_loss,       FaultKind::brokers_crash_together,
    FaultKind::zone_partition,        FaultKind::zone_partition_one_way, FaultKind::group_partition,
    FaultKind::object_store_slow,     FaultKind::object_store_stall,     FaultKind::object_store_slow_down,
    FaultKind::disk_slow,             FaultKind::disk_fsync_errors,      FaultKind::network_delay,
    FaultKind::network_drop,          FaultKind::broker_process_kill,
};
std::string_view to_string(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view name);

struct ScheduledFault {
  FaultKind kind = FaultKind::ingester_kill;
  sim::Duration at;        // from the start of the run
  sim::Duration duration;  // until it heals (crashed nodes restart then)
  // Which node or zone: an index taken modulo the candidates (ingesters,
  // log nodes or zones, in the topology's order); -1 draws one at random.
  int target = -1;
  double magnitude = 0;    // the kind's strength (multiplier or probability)
};

// What `magnitude` means for a kind, and its value when left at 0:
// object_store_slow, disk_slow: a latency multiplier >= 1 (default 10);
// object_store_slow_down, disk_fsync_errors, network_delay, network_drop: a
// probability in (0, 1] (defaults 0.3, 0.3, 0.3, 0.05); brokers_crash_together:
// how many log nodes crash, >= 2 (default 2); broker_process_kill: how many
// log nodes' processes are killed, >= 1 (default 1); every other kind:
// unused, 0.
enum class MagnitudeUnit { none, multiplier, probability, count };
MagnitudeUnit magnitude_unit(FaultKind kind);
double default_magnitude(FaultKind kind);

struct SwarmOptions {
  bool enabled = false;
  std::vector<FaultKind> kinds;  // empty: every kind
  double kind_probability = 0.5; // each kind is on for a seed with this probability
  int faults_max = 12;           // faults drawn per run, at most
  sim::Duration duration_max = sim::Duration::seconds(20);
  // Off (the default), the swarm draws only faults within the log's fault
  // budget (fault_budget.h): kinds beyond it are never switched on, and a
  // drawn fault that would take the run past it is left out. On, it draws
  // every kind freely, to hunt for what breaks past the budget.
  bool beyond_budget = false;
};

struct FaultPlan {
  std::vector<ScheduledFault> faults;
  SwarmOptions swarm;

  std::optional<std::string> validate(sim::Duration safety_phase) const;
};

}  // namespace weir::scenarios
