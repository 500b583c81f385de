// Agent crashes: only unacknowledged records are lost, an uploaded but
// uncommitted object never reaches the log, and in AutoMQ WAL mode
// acknowledged records survive.
#include <catch2/catch.hpp>

#include "world.h"

using namespace weir::models::kafka;
using namespace weir::models::kafka::diskless;
using namespace weir::models::kafka::diskless::testing;
using weir::sim::Duration;
using weir::sim::NodeId;

namespace {

std::vector<std::string> values_of(const std::vector<FetchedRecord>& records) {
  std::vector<std::string> out;
  for (const FetchedRecord& r : records) out.push_back(r.record.value.str());
  return out;
}

std::size_t wal_located_batches(const DisklessCluster& cluster) {
  std::size_t n = 0;
  for (const TopicSpec& t : cluster.options().topics) {
    for (std::int32_t p = 0; p < t.partitions; ++p) {
      for (const BatchRef& b : cluster.metadata().log({t.name, p})) n += b.location.in_wal() ? 1 : 0;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("an agent crash mid-batch loses only the unacknowledged records", "[diskless][crash]") {
  World w;
  const NodeId agent_a = w.cluster.agents_in_zone("zone-a").at(0);
  w.run(0, [&](Speaker& s) { REQUIRE(s.produce(kTopic, 0, {make_record("k", "acked")}).error == ErrorCode::none); });
  Ack lost;
  w.spawn(0, [&](Speaker& s) { lost = s.produce(kTopic, 0, {make_record("k", "buffered")}, Duration::seconds(2)); });
  w.sim.run_for(Duration::milliseconds(100));  // inside the 250 ms batch window
  w.cluster.crash_agent(agent_a);
  w.sim.run_for(Duration::seconds(4));
  CHECK(lost.error != ErrorCode::none);
  w.cluster.restart_agent(agent_a);
  w.run(0, [&](Speaker& s) {
    auto records = s.read_all(kTopic, 0);
    REQUIRE(records);
    CHECK(values_of(*records) == std::vector<std::string>{"acked"});
    const Ack next = s.produce(kTopic, 0, {make_record("k", "after")});
    CHECK(next.error == ErrorCode::none);
    CHECK(next.offset == 1);
  });
}

TEST_CASE("an uploaded but uncommitted object never appears in the log", "[diskless][crash]") {
  World w;
  const NodeId agent_a = w.cluster.agents_in_zone("zone-a").at(0);
  w.run(0, [&](Speaker& s) { REQUIRE(s.produce(kTopic, 0, {make_record("k", "acked")}).error == ErrorCode::none); });
  const std::size_t objects_before = w.store.object_count();
  // The agent can reach object storage but not the metadata service.
  const auto cut = w.sim.network().partition({agent_a}, {w.cluster.metadata_node()});
  Ack orphan;
  w.spawn(0, [&](Speaker& s) { orphan = s.produce(kTopic, 0, {make_record("k", "orphan")}, Duration::seconds(3)); });
  while (w.store.object_count() == objects_before) w.sim.run_for(Duration::milliseconds(10));
  w.sim.run_for(Duration::seconds(1));  // commit attempts time out meanwhile
  w.cluster.crash_agent(agent_a);
  w.cluster.heal(cut);
  w.sim.run_for(Duration::seconds(5));
  CHECK(orphan.error != ErrorCode::none);
  w.cluster.restart_agent(agent_a);
  w.sim.run_for(Duration::seconds(2));
  CHECK(w.store.object_count() == objects_before + 1);  // the garbage object is there...
  for (std::size_t zone = 0; zone < 3; ++zone) {
    w.run(zone, [&](Speaker& s) {
      auto records = s.read_all(kTopic, 0);  // ...but not in the log
      REQUIRE(records);
      CHECK(values_of(*records) == std::vector<std::string>{"acked"});
    });
  }
}

TEST_CASE("AutoMQ WAL mode: acknowledged records survive an agent crash", "[diskless][crash][wal]") {
  DisklessOptions o;
  o.automq_wal_mode = true;
  o.batch_timeout = Duration::seconds(2);  // uploads are rare, so the crash finds data only in the WAL
  World w(o);
  const NodeId agent_a = w.cluster.agents_in_zone("zone-a").at(0);
  std::vector<std::pair<std::int64_t, std::string>> acked;
  std::vector<Duration> latencies;
  for (std::int32_t partition = 0; partition < 4; ++partition) {
    w.spawn(0, [&, partition](Speaker& s) {
      for (int i = 0; i < 5; ++i) {
        const std::string value = numbered(numbered("p", static_cast<std::uint64_t>(partition)).append("-"), static_cast<std::uint64_t>(i));
        const Ack ack = s.produce(kTopic, partition, {make_record("k", value)});
        REQUIRE(ack.error == ErrorCode::none);
        acked.emplace_back(ack.offset, value);
        latencies.push_back(ack.latency);
      }
    });
  }
  while (acked.size() < 20) w.sim.run_for(Duration::milliseconds(1));
  CHECK(wal_located_batches(w.cluster) > 0);
  w.cluster.crash_agent(agent_a);
  for (Duration d : latencies) CHECK(d < Duration::milliseconds(100));  // a WAL write, not an S3 PUT
  w.sim.run_for(Duration::seconds(1));
  w.cluster.restart_agent(agent_a);
  w.sim.run_for(Duration::seconds(6));
  CHECK(wal_located_batches(w.cluster) == 0);  // the recovered WAL was uploaded
  CHECK(w.sim.node(agent_a).disk().list("wal/").empty());
  w.run(1, [&](Speaker& s) {
    std::map<std::int32_t, std::vector<std::string>> logs;
    for (std::int32_t partition = 0; partition < 4; ++partition) {
      auto records = s.read_all(kTopic, partition);
      REQUIRE(records);
      REQUIRE(records->size() == 5);
      logs[partition] = values_of(*records);
    }
    for (std::size_t i = 0; i < acked.size(); ++i) {
      const auto& [offset, value] = acked[i];
      const std::int32_t partition = value[1] - '0';
      CHECK(logs[partition].at(static_cast<std::size_t>(offset)) == value);
    }
  });
}

TEST_CASE("skip_wal_recovery_on_restart: an acknowledged record left in the WAL is never read",
          "[diskless][crash][wal][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("skip_wal_recovery_on_restart = " << knob) {
      DisklessOptions o;
      o.automq_wal_mode = true;
      o.batch_timeout = Duration::seconds(2);  // the crash finds the record only in the WAL
      o.skip_wal_recovery_on_restart = knob;
      World w(o);
      const NodeId agent_a = w.cluster.agents_in_zone("zone-a").at(0);
      w.run(0, [&](Speaker& s) { REQUIRE(s.produce(kTopic, 0, {make_record("k", "acked")}).error == ErrorCode::none); });
      REQUIRE(wal_located_batches(w.cluster) == 1);
      w.cluster.crash_agent(agent_a);
      w.sim.run_for(Duration::seconds(1));
      w.cluster.restart_agent(agent_a);
      w.sim.run_for(Duration::seconds(6));
      // The entry is still on the agent's disk either way; only recovery uploads it.
      CHECK(wal_located_batches(w.cluster) == (knob ? 1u : 0u));
      CHECK(w.sim.node(agent_a).disk().list("wal/").empty() == !knob);
      w.run(1, [&](Speaker& s) {
        auto records = s.read_all(kTopic, 0);
        if (knob) {
          CHECK_FALSE(records);
        } else {
          REQUIRE(records);
          CHECK(values_of(*records) == std::vector<std::string>{"acked"});
        }
      });
    }
  }
}

TEST_CASE("AutoMQ WAL mode: data not yet uploaded is read from the WAL's agent", "[diskless][wal]") {
  DisklessOptions o;
  o.automq_wal_mode = true;
  o.batch_timeout = Duration::seconds(30);
  World w(o);
  w.run(0, [&](Speaker& s) { REQUIRE(s.produce(kTopic, 3, {make_record("k", "fresh")}).error == ErrorCode::none); });
  CHECK(wal_located_batches(w.cluster) == 1);
  w.run(2, [&](Speaker& s) {
    auto records = s.read_all(kTopic, 3);
    REQUIRE(records);
    CHECK(values_of(*records) == std::vector<std::string>{"fresh"});
  });
}
