// PartitionRingKv: the partition ring as shared state, the way Mimir keeps it
// in its KV store (memberlist by default) and every distributor, ingester and
// querier watches it.
//
// weir models the store as consistent and instantaneous: one PartitionRing,
// owned by the topology, whose every change all readers see at once (the
// propagation delay of memberlist is not modelled). Ingesters call
// register_owner on start; like dskit's PartitionInstanceLifecycler, it
// creates the partition PENDING if it does not exist yet and registers the
// owner. The reconciler, a system fiber (no crash kills it) started by
// start_reconciler(), runs PartitionRing::reconcile(now) at once and then
// every reconcile_interval (the lifecycler's polling interval, dskit default
// 5 s), so a PENDING partition turns ACTIVE once an owner has been registered
// for min_owner_duration (10 s): between 10 and 15 s after it joined.
//
// Ownership: the topology owns the PartitionRingKv and it must outlive every
// run of the Simulation (distributors hold a reference). The reconciler keeps
// the shared state alive on its own, so destroying the KV while the
// simulation is idle is safe; the reconciler then stops at its next tick.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/mimir/partition_ring.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// The reconciler made a partition ACTIVE: distributors may write to it.
inline constexpr sim::TraceKind kTracePartitionActivated{"mimir.partition_ring.activated", "partition {partition} is active"};

struct PartitionRingKvOptions {
  PartitionRingOptions ring;
  // How often the lifecyclers reconcile (dskit PartitionInstanceLifecycler PollingInterval = 5 s).
  sim::Duration reconcile_interval = sim::Duration::seconds(5);

  std::optional<std::string> validate() const;
};

class PartitionRingKv {
 public:
  explicit PartitionRingKv(sim::Simulation& sim, PartitionRingKvOptions options = {},
                           PartitionTokenTable tokens = nullptr);
  ~PartitionRingKv();
  PartitionRingKv(const PartitionRingKv&) = delete;
  PartitionRingKv& operator=(const PartitionRingKv&) = delete;

  // Partitions 0..count-1, ACTIVE from the start (a ring that existed before the run).
  void add_active_partitions(PartitionId count);
  // Creates `partition` PENDING if absent and registers `owner` for it.
  void register_owner(std::string_view owner, PartitionId partition);
  bool remove_owner(std::string_view owner);
  // An operator's state change (e.g. INACTIVE on downscale); false if not allowed.
  bool set_state(PartitionId partition, PartitionState state);

  // One reconciliation now; returns the partitions switched to ACTIVE.
  std::vector<PartitionId> reconcile();
  void start_reconciler();
  void stop_reconciler();

  const PartitionRing& ring() const;
  // Bumped by every change, so readers can cache what they derive (shuffle shards).
  std::uint64_t version() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace weir::models::mimir
