#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/models/mimir/partition_ring.h"
#include "weir/models/mimir/shard.h"

namespace mimir = weir::models::mimir;
using mimir::PartitionRing;
using mimir::PartitionState;
using weir::sim::Duration;
using weir::sim::Time;

namespace {

PartitionRing active_ring(int partitions) {
  PartitionRing ring;
  for (int p = 0; p < partitions; ++p) ring.add_partition(p, PartitionState::active, Time::zero());
  return ring;
}

// Labels like a node-exporter scrape: the varying value is followed by more labels.
mimir::Labels synthetic_series(int i) {
  return {{"__name__", "metric_" + std::to_string(i % 50)},
          {"instance", "host-" + std::to_string(i / 50) + ":9100"},
          {"job", "node"}};
}

std::vector<int> placement_counts(const PartitionRing& ring, const std::string& tenant, int series, int partitions) {
  std::vector<int> counts(static_cast<std::size_t>(partitions), 0);
  for (int i = 0; i < series; ++i) {
    auto p = ring.active_partition_for_token(mimir::shard_token(tenant, synthetic_series(i)));
    REQUIRE(p.has_value());
    ++counts[static_cast<std::size_t>(*p)];
  }
  return counts;
}

// The brute-force answer: the smallest token > key among ACTIVE partitions, wrapping to the smallest.
std::optional<mimir::PartitionId> reference_lookup(const PartitionRing& ring, std::uint32_t key) {
  std::optional<std::pair<std::uint32_t, mimir::PartitionId>> above;
  std::optional<std::pair<std::uint32_t, mimir::PartitionId>> lowest;
  for (const auto& p : ring.partitions()) {
    if (p.state != PartitionState::active) continue;
    for (std::uint32_t t : ring.tokens(p.id)) {
      std::pair<std::uint32_t, mimir::PartitionId> cand{t, p.id};
      if (t > key && (!above || cand < *above)) above = cand;
      if (!lowest || cand < *lowest) lowest = cand;
    }
  }
  if (above) return above->second;
  if (lowest) return lowest->second;
  return std::nullopt;
}

}  // namespace

TEST_CASE("spread-minimizing tokens: partition 0 evenly spaced, partition 1 halves its ranges") {
  const auto tokens = mimir::spread_minimizing_tokens(1);
  REQUIRE(tokens[0].size() == 512);
  REQUIRE(tokens[1].size() == 512);
  for (std::size_t k = 0; k < 512; ++k) {
    CHECK(tokens[0][k] == k * (1U << 23));
    CHECK(tokens[1][k] == k * (1U << 23) + (1U << 22));
  }
}

TEST_CASE("spread-minimizing tokens are unique, a prefix-stable function of the id, and spread evenly") {
  const auto small = mimir::spread_minimizing_tokens(5);
  const auto big = mimir::spread_minimizing_tokens(63);
  for (std::size_t p = 0; p < small.size(); ++p) CHECK(small[p] == big[p]);

  std::set<std::uint32_t> all;
  for (const auto& t : big) {
    CHECK(t.size() == 512);
    CHECK(std::is_sorted(t.begin(), t.end()));
    all.insert(t.begin(), t.end());
  }
  CHECK(all.size() == 64 * 512);

  // Every ring 0..n-1 gives each partition close to 1/n of the token space.
  for (int n : {3, 16, 64}) {
    PartitionRing ring = active_ring(n);
    std::vector<std::pair<std::uint32_t, int>> ring_tokens;
    for (int p = 0; p < n; ++p) {
      for (auto t : ring.tokens(p)) ring_tokens.emplace_back(t, p);
    }
    std::sort(ring_tokens.begin(), ring_tokens.end());
    std::vector<double> owned(static_cast<std::size_t>(n), 0);
    for (std::size_t i = 0; i < ring_tokens.size(); ++i) {
      const auto prev = ring_tokens[(i + ring_tokens.size() - 1) % ring_tokens.size()].first;
      owned[static_cast<std::size_t>(ring_tokens[i].second)] +=
          static_cast<double>(mimir::token_distance(prev, ring_tokens[i].first));
    }
    for (double o : owned) CHECK(o / 4294967296.0 * n == Approx(1.0).epsilon(0.005));
  }
}

TEST_CASE("a key maps to the partition of the first token strictly above it, wrapping around") {
  PartitionRing ring = active_ring(2);
  // Partition 0 holds 0 and 2^23; partition 1 holds 2^22 between them.
  CHECK(ring.active_partition_for_token(0) == 1);                // 0 itself is not "above" 0
  CHECK(ring.active_partition_for_token((1U << 22) - 1) == 1);
  CHECK(ring.active_partition_for_token(1U << 22) == 0);
  CHECK(ring.active_partition_for_token(0xFFFFFFFFU) == 0);      // wraps to token 0
}

TEST_CASE("placement is stable and spreads 10k series evenly over 16 partitions") {
  PartitionRing ring = active_ring(16);
  const auto counts = placement_counts(ring, "tenant-a", 10'000, 16);
  CHECK(counts == placement_counts(ring, "tenant-a", 10'000, 16));
  const double expected = 10'000.0 / 16;
  double chi_square = 0;
  for (int c : counts) chi_square += (c - expected) * (c - expected) / expected;
  // 15 degrees of freedom: P(chi2 > 44) is below 1e-4 for a uniform placement.
  CHECK(chi_square < 44.0);
}

TEST_CASE("different tenants place the same series independently") {
  PartitionRing ring = active_ring(16);
  int same = 0;
  constexpr int kSeries = 2'000;
  for (int i = 0; i < kSeries; ++i) {
    const auto labels = synthetic_series(i);
    same += ring.active_partition_for_token(mimir::shard_token("tenant-a", labels)) ==
            ring.active_partition_for_token(mimir::shard_token("tenant-b", labels));
  }
  // Independent placement agrees 1/16 of the time (125 expected).
  CHECK(same < kSeries / 8);
}

TEST_CASE("PENDING and INACTIVE partitions take no writes: keys walk on to the next ACTIVE one") {
  PartitionRing ring = active_ring(8);
  PartitionRing without = active_ring(8);
  REQUIRE(ring.set_state(3, PartitionState::inactive, Time::zero()));
  REQUIRE(ring.remove_partition(5));
  REQUIRE(ring.add_partition(5, Time::zero()));  // PENDING again
  without.remove_partition(3);
  without.remove_partition(5);
  for (int i = 0; i < 5'000; ++i) {
    const std::uint32_t token = mimir::shard_token("t", synthetic_series(i));
    const auto p = ring.active_partition_for_token(token);
    CHECK(p != 3);
    CHECK(p != 5);
    CHECK(p == without.active_partition_for_token(token));
  }
  CHECK(ring.partition_ids(PartitionState::inactive) == std::vector<mimir::PartitionId>{3});  // still readable
  CHECK(ring.partition_ids(PartitionState::pending) == std::vector<mimir::PartitionId>{5});

  PartitionRing none;
  none.add_partition(0, Time::zero());
  CHECK_FALSE(none.active_partition_for_token(42).has_value());
  CHECK_FALSE(PartitionRing().active_partition_for_token(42).has_value());
}

TEST_CASE("a PENDING partition turns ACTIVE once an owner has been registered for min_owner_duration") {
  PartitionRing ring;
  const Time t0 = Time::zero() + Duration::seconds(5);
  REQUIRE(ring.add_partition(0, t0));
  REQUIRE_FALSE(ring.add_partition(0, t0));
  CHECK(ring.state(0) == PartitionState::pending);
  CHECK(ring.reconcile(t0 + Duration::seconds(60)).empty());  // no owner yet

  ring.add_owner("ingester-zone-a-0", 0, t0 + Duration::seconds(1));
  ring.add_owner("ingester-zone-a-0", 0, t0 + Duration::seconds(9));  // re-adding keeps the first time
  CHECK(ring.reconcile(t0 + Duration::seconds(11)).empty());          // exactly 10 s: not yet
  CHECK(ring.reconcile(t0 + Duration::seconds(11) + Duration::nanoseconds(1)) ==
        std::vector<mimir::PartitionId>{0});
  CHECK(ring.state(0) == PartitionState::active);
  CHECK(ring.owners(0) == std::vector<std::string>{"ingester-zone-a-0"});

  // Downscale: ACTIVE -> INACTIVE; never back to PENDING.
  CHECK(ring.set_state(0, PartitionState::inactive, t0));
  CHECK_FALSE(ring.set_state(0, PartitionState::pending, t0));
  CHECK(ring.set_state(0, PartitionState::active, t0));
  CHECK_FALSE(ring.set_state(0, PartitionState::active, t0));
  CHECK_FALSE(ring.set_state(7, PartitionState::active, t0));
  CHECK(mimir::PartitionRingOptions{.min_owners_count = -1}.validate().has_value());
}

TEST_CASE("shuffle shards: stable, of the right size, ACTIVE only, consistent when a partition is added") {
  PartitionRing ring = active_ring(16);
  ring.set_state(2, PartitionState::inactive, Time::zero());
  ring.add_partition(16, Time::zero());  // PENDING
  std::set<std::vector<mimir::PartitionId>> distinct;
  for (int tenant = 0; tenant < 50; ++tenant) {
    const std::string name = "tenant-" + std::to_string(tenant);
    const auto shard = ring.shuffle_shard(name, 4);
    const auto ids = shard.partition_ids(PartitionState::active);
    CHECK(ids.size() == 4);
    CHECK(shard.partitions().size() == 4);
    CHECK(ids == ring.shuffle_shard(name, 4).partition_ids(PartitionState::active));
    CHECK(std::find(ids.begin(), ids.end(), 2) == ids.end());
    distinct.insert(ids);

    // A write through the shard lands in the shard.
    const auto p = shard.active_partition_for_token(mimir::shard_token(name, synthetic_series(tenant)));
    REQUIRE(p.has_value());
    CHECK(std::find(ids.begin(), ids.end(), *p) != ids.end());

    PartitionRing grown = ring;
    grown.add_partition(17, PartitionState::active, Time::zero());
    const auto after = grown.shuffle_shard(name, 4).partition_ids(PartitionState::active);
    std::vector<mimir::PartitionId> common;
    std::set_intersection(ids.begin(), ids.end(), after.begin(), after.end(), std::back_inserter(common));
    CHECK(common.size() >= 3);
  }
  CHECK(distinct.size() > 40);
  CHECK(ring.shuffle_shard("x", 0).partitions().size() == 15);   // all ACTIVE
  CHECK(ring.shuffle_shard("x", 100).partitions().size() == 15);
}

TEST_CASE("property: the ring lookup equals a brute-force search over ACTIVE tokens") {
  CHECK(rc::check("lookup matches reference", [] {
    const auto ids = *rc::gen::container<std::set<int>>(rc::gen::inRange(0, 24));
    PartitionRing ring;
    for (int id : ids) {
      const auto state = *rc::gen::element(PartitionState::pending, PartitionState::active, PartitionState::inactive);
      ring.add_partition(id, state, Time::zero());
    }
    for (int i = 0; i < 20; ++i) {
      const auto key = *rc::gen::arbitrary<std::uint32_t>();
      RC_ASSERT(ring.active_partition_for_token(key) == reference_lookup(ring, key));
    }
    const int size = *rc::gen::inRange(1, 8);
    const auto shard = ring.shuffle_shard("tenant", size);
    RC_ASSERT(shard.partitions().size() == std::min<std::size_t>(static_cast<std::size_t>(size), ring.active_count()));
    for (const auto& p : shard.partitions()) RC_ASSERT(ring.state(p.id) == PartitionState::active);
  }));
}

TEST_CASE("partition ring: adding partitions at once places every series as adding them one by one",
          "[mimir][partition_ring]") {
  for (const int partitions : {1, 7, 128}) {
    CAPTURE(partitions);
    PartitionRing at_once;
    at_once.add_partition(3, PartitionState::active, Time::zero());  // one there already stays
    at_once.add_partitions(partitions, PartitionState::active, Time::zero());
    PartitionRing one_by_one = active_ring(std::max(partitions, 4));
    if (partitions < 4) {
      for (int p = partitions; p < 4; ++p) {
        if (p != 3) REQUIRE(one_by_one.remove_partition(p));
      }
    }
    CHECK(placement_counts(at_once, "t", 5000, std::max(partitions, 4)) ==
          placement_counts(one_by_one, "t", 5000, std::max(partitions, 4)));
  }
}

TEST_CASE("partition tokens: a table is built once per size and shared", "[mimir][partition_ring]") {
  const mimir::PartitionTokenTable first = mimir::make_partition_token_table(40);
  const mimir::PartitionTokenTable again = mimir::make_partition_token_table(40);
  CHECK(first.get() == again.get());
  CHECK(*first == mimir::spread_minimizing_tokens(40));
  CHECK(mimir::make_partition_token_table(41).get() != first.get());
  CHECK_THROWS_AS(mimir::make_partition_token_table(-1), std::invalid_argument);
}
