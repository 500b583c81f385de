// PartitionRing: Mimir's partition ring (dskit ring/partition_ring.go,
// ring/partition_ring_model.go, ring/partition_instance_lifecycler.go) as a
// plain value, for the distributor (where to write a series) and the
// ingesters and queriers (which partitions exist, in which state).
//
// Partitions have states PENDING, ACTIVE and INACTIVE; each owns the 512
// tokens of partition_tokens.h. A key (a shard token) maps to the partition
// of the first ring token strictly greater than the key, walking clockwise
// past every partition that is not ACTIVE (ActivePartitionForKey): PENDING and
// INACTIVE partitions take no writes, INACTIVE ones are still read.
// State changes follow dskit's allowedPartitionStateChanges: PENDING -> ACTIVE
// or INACTIVE, ACTIVE -> INACTIVE (downscale), INACTIVE -> ACTIVE.
// reconcile(now) is the lifecycler's step: a PENDING partition becomes ACTIVE
// once at least `min_owners_count` owners were registered strictly before
// now - min_owner_duration (Mimir: -ingester.partition-ring.
// min-partition-owners-count = 1, min-partition-owners-duration = 10s; dskit
// counts owners in whole seconds, weir in simulated nanoseconds).
//
// shuffle_shard(tenant, size) is dskit's PartitionRing.ShuffleShard: a
// sub-ring of `size` ACTIVE partitions picked by walking the ring from
// pseudo-random tokens seeded by the tenant, skipping partitions already
// picked and PENDING/INACTIVE ones; size <= 0 or >= the partition count gives
// every ACTIVE partition. Mimir seeds Go's math/rand with the first 8 bytes of
// md5(tenant); weir uses its own portable generator seeded from the tenant,
// so the subsets have the same properties (stable, size, consistency under
// one added partition) but are not Mimir's exact subsets.
//
// Contract: a value type; copying is cheap apart from the token index (the
// token table is shared, immutable). Lookups are O(log tokens) plus the walk.
// Not thread-safe; deterministic (no unordered iteration).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/mimir/partition_tokens.h"
#include "weir/properties/types.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

using properties::PartitionId;

enum class PartitionState : std::uint8_t { pending, active, inactive };
const char* to_string(PartitionState state);
bool is_state_change_allowed(PartitionState from, PartitionState to);

struct PartitionRingOptions {
  // A PENDING partition turns ACTIVE once this many owners have been
  // registered for at least min_owner_duration.
  int min_owners_count = 1;
  sim::Duration min_owner_duration = sim::Duration::seconds(10);

  std::optional<std::string> validate() const;
};

struct PartitionInfo {
  PartitionId id = 0;
  PartitionState state = PartitionState::pending;
  sim::Time state_changed_at;
};

class PartitionRing {
 public:
  explicit PartitionRing(PartitionRingOptions options = {}, PartitionTokenTable tokens = nullptr);

  // Adds a PENDING partition; false if it already exists or id < 0.
  bool add_partition(PartitionId id, sim::Time now);
  // Adds a partition directly in `state` (tests, and rings built at time zero).
  bool add_partition(PartitionId id, PartitionState state, sim::Time now);
  // Adds partitions [0, count) in `state`, those missing, with one rebuild of
  // the token index (a ring built at time zero).
  void add_partitions(PartitionId count, PartitionState state, sim::Time now);
  bool remove_partition(PartitionId id);
  // Changes the state if allowed; false if the partition is unknown, the
  // change is not allowed, or the state is already `state`.
  bool set_state(PartitionId id, PartitionState state, sim::Time now);

  // Registers `owner` for `partition` (an ingester, one per zone). Re-adding
  // an owner of the same partition keeps its original registration time.
  void add_owner(std::string_view owner, PartitionId partition, sim::Time now);
  bool remove_owner(std::string_view owner);
  // Switches PENDING partitions with enough long-standing owners to ACTIVE;
  // returns the ids switched, ascending.
  std::vector<PartitionId> reconcile(sim::Time now);

  // The ACTIVE partition owning `token`, or nothing if no partition is ACTIVE.
  std::optional<PartitionId> active_partition_for_token(std::uint32_t token) const;
  // A sub-ring of `size` ACTIVE partitions chosen for `tenant` (see above).
  PartitionRing shuffle_shard(std::string_view tenant, int size) const;

  std::optional<PartitionState> state(PartitionId id) const;
  const std::vector<PartitionInfo>& partitions() const { return partitions_; }  // sorted by id
  std::vector<PartitionId> partition_ids(PartitionState state) const;          // ascending
  std::size_t active_count() const;
  std::vector<std::string> owners(PartitionId id) const;                        // ascending
  const std::vector<std::uint32_t>& tokens(PartitionId id) const;               // ascending

 private:
  struct Owner {
    std::string id;
    PartitionId partition = 0;
    sim::Time registered_at;
  };
  struct RingToken {
    std::uint32_t token = 0;
    std::uint32_t partition_index = 0;  // into partitions_
  };

  PartitionInfo* find(PartitionId id);
  const PartitionInfo* find(PartitionId id) const;
  void ensure_tokens_for(PartitionId id);
  void rebuild_index();

  PartitionRingOptions options_;
  PartitionTokenTable tokens_;
  std::vector<PartitionInfo> partitions_;  // sorted by id
  std::vector<Owner> owners_;              // sorted by owner id
  std::vector<RingToken> ring_;            // sorted by token
};

}  // namespace weir::models::mimir
