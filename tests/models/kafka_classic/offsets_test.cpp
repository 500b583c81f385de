// Consumer-group offsets: stored in the replicated __consumer_offsets
// partition, acknowledged only once replicated, served by its leader.
#include <catch2/catch.hpp>

#include "classic_test_support.h"
#include "topology.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::classic;
using namespace weir::models::kafka::classic::testing;
using namespace weir::sim::literals;

namespace {

const std::string kGroup = "ingester-zone-a-13";
const std::string kTopic = "ingest";
const std::string kOffsets(kOffsetsTopic);

}  // namespace

TEST_CASE("committed offsets survive losing the coordinator's broker", "[kafka_classic][offsets]") {
  World w(ClassicClusterOptions{}, 13);
  Client c(w);
  w.run_client([&] {
    REQUIRE(c.commit(kGroup, kTopic, 13, 42) == ErrorCode::none);
    CHECK(c.committed(kGroup, kTopic, 13) == 42);
    CHECK(c.committed(kGroup, kTopic, 12) == -1);
    CHECK(c.committed("another-group", kTopic, 13) == -1);
    const sim::NodeId coordinator = *c.coordinator(kGroup);
    CHECK(coordinator == w.cluster.partition_state(kOffsets, 0)->leader);

    w.cluster.lose_broker_disk(w.broker_index(coordinator));
    CHECK(c.committed(kGroup, kTopic, 13) == 42);
    CHECK(*c.coordinator(kGroup) != coordinator);
    REQUIRE(c.commit(kGroup, kTopic, 13, 43) == ErrorCode::none);
    CHECK(c.committed(kGroup, kTopic, 13) == 43);
    // The wiped broker is a replica of the offsets partition again.
    while (!w.fully_replicated(kOffsets, 0)) w.sim.sleep(500_ms);
  });
}

TEST_CASE("a commit is acknowledged only when replicated to the ISR", "[kafka_classic][offsets]") {
  World w(ClassicClusterOptions{}, 17);
  Client c(w);
  w.run_client([&] {
    REQUIRE(c.commit(kGroup, kTopic, 1, 10) == ErrorCode::none);
    const auto state = *w.cluster.partition_state(kOffsets, 0);
    std::vector<sim::NodeId> followers;
    for (sim::NodeId n : state.replicas) {
      if (n != state.leader) followers.push_back(n);
    }
    const auto cut = w.sim.network().partition({state.leader}, followers);
    // Not replicated within offsets.commit.timeout.ms: refused, and not visible.
    CHECK(c.commit(kGroup, kTopic, 1, 11, 6_s) == ErrorCode::coordinator_not_available);
    CHECK(c.committed(kGroup, kTopic, 1) == 10);
    w.sim.network().repair(cut);

    // Two brokers gone: the ISR is below min.insync.replicas.
    const std::size_t coordinator = w.broker_index(state.leader);
    for (std::size_t b = 0; b < 3; ++b) {
      if (b != coordinator) w.cluster.crash_broker(b);
    }
    w.sim.sleep(12_s);
    CHECK(c.commit(kGroup, kTopic, 1, 12, 2_s) == ErrorCode::coordinator_not_available);
    for (std::size_t b = 0; b < 3; ++b) w.cluster.start_broker(b);
    CHECK(c.commit(kGroup, kTopic, 1, 13) == ErrorCode::none);
    CHECK(c.committed(kGroup, kTopic, 1) == 13);
  });
}
