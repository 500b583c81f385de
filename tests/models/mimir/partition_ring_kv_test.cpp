#include <catch2/catch.hpp>

#include "weir/models/mimir/partition_ring_kv.h"
#include "weir/sim/simulation.h"

namespace mimir = weir::models::mimir;
using mimir::PartitionState;
using weir::sim::Duration;
using weir::sim::Time;

TEST_CASE("partition ring KV: an owned partition turns ACTIVE 10 to 15 s after it joined", "[mimir][ring_kv]") {
  weir::sim::Simulation sim({.seed = 3});
  mimir::PartitionRingKv kv(sim);
  kv.start_reconciler();
  sim.run_for(Duration::seconds(2));
  const std::uint64_t before = kv.version();
  kv.register_owner("ingester-zone-a-0", 0);
  kv.register_owner("ingester-zone-b-0", 0);
  CHECK(kv.version() > before);
  CHECK(kv.ring().state(0) == PartitionState::pending);
  CHECK_FALSE(kv.ring().active_partition_for_token(42).has_value());

  sim.run_until(Time::zero() + Duration::seconds(12));
  CHECK(kv.ring().state(0) == PartitionState::pending);  // owners registered at 2 s: not yet 10 s
  sim.run_until(Time::zero() + Duration::seconds(17));
  CHECK(kv.ring().state(0) == PartitionState::active);
  CHECK(kv.ring().active_partition_for_token(42) == mimir::PartitionId{0});
  CHECK(kv.ring().owners(0).size() == 2);
}

TEST_CASE("partition ring KV: state changes and owner removal bump the version", "[mimir][ring_kv]") {
  weir::sim::Simulation sim({.seed = 3});
  mimir::PartitionRingKv kv(sim);
  kv.add_active_partitions(4);
  CHECK(kv.ring().active_count() == 4);
  const std::uint64_t v = kv.version();
  CHECK(kv.set_state(3, PartitionState::inactive));
  CHECK(kv.version() == v + 1);
  CHECK_FALSE(kv.set_state(3, PartitionState::pending));  // not an allowed change
  CHECK(kv.ring().active_count() == 3);
  kv.register_owner("ingester-zone-a-1", 1);
  CHECK(kv.remove_owner("ingester-zone-a-1"));
  CHECK_FALSE(kv.remove_owner("ingester-zone-a-1"));
  kv.stop_reconciler();  // never started: harmless
}

TEST_CASE("partition ring KV: a stopped reconciler no longer activates", "[mimir][ring_kv]") {
  weir::sim::Simulation sim({.seed = 3});
  mimir::PartitionRingKv kv(sim);
  kv.start_reconciler();
  kv.register_owner("ingester-zone-a-0", 0);
  sim.run_for(Duration::seconds(1));
  kv.stop_reconciler();
  sim.run_for(Duration::seconds(30));
  CHECK(kv.ring().state(0) == PartitionState::pending);
  CHECK(kv.reconcile() == std::vector<mimir::PartitionId>{0});  // a manual step still works
}
