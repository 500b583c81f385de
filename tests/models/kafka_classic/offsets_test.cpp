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

TEST_CASE("killing the processes of all brokers keeps every acknowledged commit", "[kafka_classic][offsets]") {
  // The page cache outlives a killed process: the operating system writes it
  // back as it stood at the kill, so every commit acknowledged until then
  // survives though no flush ran. Were the write-back to take simulated time,
  // the coordinator would go on acknowledging commits its write-back had
  // missed (with this seed one is lost then).
  World w(ClassicClusterOptions{}, 16);
  Client c(w);
  std::int64_t acked = -1;
  bool stop = false;
  w.sim.spawn(w.client, [&] {
    for (std::int64_t offset = 0; !stop; ++offset) {
      if (c.commit(kGroup, kTopic, 13, offset) == ErrorCode::none) acked = offset;
    }
  });
  w.run_client([&] {
    w.sim.sleep(7_s + 3_ms);  // between two flushes
    REQUIRE(acked > 0);
    const sim::Time kill_at = w.sim.now();
    for (std::size_t b = 0; b < 3; ++b) w.cluster.before_process_kill(w.cluster.broker(b));
    CHECK(w.sim.now() == kill_at);
    for (std::size_t b = 0; b < 3; ++b) w.cluster.crash_broker(b);
    const std::int64_t acked_at_kill = acked;
    w.sim.sleep(3_s);
    for (std::size_t b = 0; b < 3; ++b) w.cluster.start_broker(b);
    CHECK(c.committed(kGroup, kTopic, 13).value_or(-1) >= acked_at_kill);
    stop = true;
    w.sim.sleep(1_s);
  });
}
