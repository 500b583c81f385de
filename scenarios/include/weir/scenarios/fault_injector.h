// FaultInjector: carries out a FaultPlan on a PipelineWorld during the
// safety phase, and heals everything when that phase ends.
//
// At construction the plan becomes a list of concrete faults: the scheduled
// ones, then (in swarm mode) the drawn ones; random targets and the swarm are
// drawn from the run's stream sim.random("faults"), so the same seed gives
// the same faults; the swarm draws within the world's fault budget unless
// told otherwise (SwarmOptions::beyond_budget). start() spawns one system fiber per fault: it sleeps until
// the fault's time, applies it, sleeps for its duration, then heals it.
// Overlapping faults compose: a node stays down while any fault holds it
// down, and a knob (latency multiplier, probability) is the largest of the
// active faults that set it. Every application and heal is folded into the
// trace (kTraceFaultApplied / kTraceFaultHealed) and described in applied().
//
// Targets (ScheduledFault::target, modulo the candidates) are what the
// kind's row names (FaultTarget, fault_kinds.h): an ingester, a serving node
// of the log (broker or agent; a count takes that one and the next ones), a
// zone of the log, the ingesters of one ingester zone, or nothing. Each
// fault is applied and healed by its kind's family (scenarios/src/faults/:
// crash, partition, disk, object store, network), as the row's effect says.
//
// ingester_stop is a clean stop: the ingester has no shutdown path of its own,
// so the injector waits (at most kStopWaitMax) until its last consumed offset
// is committed, which it does only after fsyncing its WAL, then crashes it.
// Its entry in applied() is added when the ingester goes down.
//
// Ownership: borrows the world (and through it the Simulation), which must
// outlive it; its fibers reference it, so the Simulation must be shut down
// (or heal_all() called and the fibers finished) before it is destroyed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "weir/scenarios/fault_plan.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios {

class PipelineWorld;
namespace faults {
class Family;
}

// A fault from its application to its heal, and what applying it took.
struct ActiveFault {
  std::uint64_t id = 0;
  ScheduledFault fault;
  std::vector<sim::NodeId> nodes;            // held down, or whose disk is faulted
  std::vector<sim::PartitionId> partitions;  // network partitions to repair
  std::string target_name;                   // what it hit, as the trace names it ("kafka-b1", "zone-a")
};
using ActiveFaults = std::map<std::uint64_t, ActiveFault>;  // by id, in application order

// A fault began / ended: the fault kind's name and its target's name (the
// node names, zone, "network" or "object-store" it hit, comma-separated).
inline constexpr sim::TraceKind kTraceFaultApplied{"fault.applied", "{fault:text} applied to {target:text}"};
inline constexpr sim::TraceKind kTraceFaultHealed{"fault.healed", "{fault:text} healed on {target:text}"};
// The end of the run's fault phase: every fault healed at once.
inline constexpr sim::TraceKind kTraceFaultsHealedAll{"fault.healed_all", "every fault healed"};

class FaultInjector {
 public:
  static constexpr sim::Duration kStopWaitMax = sim::Duration::seconds(5);

  // Throws std::invalid_argument when plan.validate(safety_phase) fails.
  FaultInjector(PipelineWorld& world, const FaultPlan& plan, sim::Duration safety_phase);
  ~FaultInjector();
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  // The concrete faults (targets resolved, magnitudes defaulted), by time.
  const std::vector<ScheduledFault>& faults() const { return faults_; }
  // Spawns the faults' fibers; call once, before the safety phase runs.
  void start();
  // Cancels the faults not applied yet and heals every fault, active or not
  // (see scenarios::heal_all). Call between simulation steps.
  void heal_all();
  // "t=12.5s broker_crash kafka-broker-1 for 8.0s", one per applied fault.
  const std::vector<std::string>& applied() const { return applied_; }

 private:
  void plan_scheduled(const FaultPlan& plan, sim::Random& random);
  std::vector<FaultKind> swarm_kinds(const SwarmOptions& swarm) const;
  void plan_swarm(const SwarmOptions& swarm, sim::Random& random);
  void run_fault(std::size_t index);
  void apply(ActiveFault& active);
  void heal(const ActiveFault& active);
  void set_knobs();
  faults::Family& family(FaultKind kind);
  std::string describe(const ScheduledFault& fault, const std::vector<std::string>& target_names) const;

  PipelineWorld& world_;
  sim::Simulation& sim_;
  sim::Duration safety_phase_;
  std::vector<std::unique_ptr<faults::Family>> families_;  // by FaultFamily
  std::vector<ScheduledFault> faults_;
  std::vector<std::string> applied_;
  ActiveFaults active_;
  std::uint64_t next_id_ = 1;
  bool stopped_ = false;
};

// The digest of a fault's kTraceFaultApplied and kTraceFaultHealed events
// (the hash of their values: kind name, target name); both are recorded at
// the fault's first target node (sim::kNoNode if none).
std::uint64_t fault_trace_digest(FaultKind kind, std::string_view target_name);
// Names for those digests, "broker_crash kafka-b1", for every kind and each
// target a fault of a world with these nodes and zones may name: a single
// node, a zone, "ingesters-<zone>", "network", "object-store" (for
// replay::ChromeTraceOptions::fault_labels). A fault of several nodes keeps
// no label.
std::map<std::uint64_t, std::string> fault_trace_labels(const std::vector<std::string>& node_names,
                                                        const std::vector<std::string>& zones);

// Restores a healthy world: repairs every network partition, starts every
// faultable node that is down, and turns every fault knob off (network drop
// and delay, object-store faults, disk faults of the faultable nodes).
void heal_all(PipelineWorld& world);

}  // namespace weir::scenarios
