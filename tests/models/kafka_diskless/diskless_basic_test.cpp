// The diskless log without faults: dense offsets, identical reads in every
// zone, zone-aware routing, list offsets, long polls, the cache, group offsets.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "world.h"

using namespace weir::models::kafka;
using namespace weir::models::kafka::diskless;
using namespace weir::models::kafka::diskless::testing;
using weir::sim::Duration;
using weir::sim::NodeId;

namespace {

DisklessOptions two_agents_per_zone() {
  DisklessOptions o;
  o.agents_per_zone = 2;
  return o;
}

}  // namespace

TEST_CASE("produce and fetch round trip with dense offsets across agents and zones", "[diskless]") {
  World w(two_agents_per_zone());
  // acked[partition][offset] = digest
  std::map<std::int32_t, std::map<std::int64_t, std::uint64_t>> acked;
  int failures = 0;
  for (std::size_t zone = 0; zone < 3; ++zone) {
    for (std::int32_t partition = 0; partition < 4; ++partition) {
      w.spawn(zone, [&, zone, partition](Speaker& s) {
        for (int i = 0; i < 6; ++i) {
          std::vector<Record> records;
          for (int r = 0; r <= i % 3; ++r) {
            records.push_back(make_record(s.zone(), numbered("v", zone * 1000 + i * 10 + r)));
          }
          const Ack ack = s.produce(kTopic, partition, records);
          if (ack.error != ErrorCode::none) {
            ++failures;
            continue;
          }
          for (std::size_t r = 0; r < records.size(); ++r) {
            const bool fresh = acked[partition].emplace(ack.offset + static_cast<std::int64_t>(r), records[r].digest()).second;
            CHECK(fresh);  // no offset is handed out twice
          }
        }
      });
    }
  }
  w.sim.run_for(Duration::seconds(20));
  CHECK(failures == 0);
  for (std::int32_t partition = 0; partition < 4; ++partition) {
    const auto& offsets = acked[partition];
    REQUIRE(offsets.size() == 3 * 12);
    CHECK(offsets.begin()->first == 0);
    CHECK(offsets.rbegin()->first == static_cast<std::int64_t>(offsets.size()) - 1);  // dense
  }
  // Every zone reads the same record at every offset, and it is the acknowledged one.
  std::vector<std::vector<std::vector<FetchedRecord>>> seen(3);
  for (std::size_t zone = 0; zone < 3; ++zone) {
    w.run(zone, [&, zone](Speaker& s) {
      for (std::int32_t partition = 0; partition < 4; ++partition) {
        auto records = s.read_all(kTopic, partition);
        REQUIRE(records);
        seen[zone].push_back(*records);
      }
    });
  }
  for (std::int32_t partition = 0; partition < 4; ++partition) {
    const auto& reference = seen[0][static_cast<std::size_t>(partition)];
    REQUIRE(reference.size() == acked[partition].size());
    for (const FetchedRecord& r : reference) CHECK(acked[partition].at(r.offset) == r.record.digest());
    for (std::size_t zone = 1; zone < 3; ++zone) {
      const auto& other = seen[zone][static_cast<std::size_t>(partition)];
      REQUIRE(other.size() == reference.size());
      for (std::size_t i = 0; i < other.size(); ++i) {
        CHECK(other[i].offset == reference[i].offset);
        CHECK(other[i].record.digest() == reference[i].record.digest());
      }
    }
  }
}

TEST_CASE("metadata names a live agent of the client's zone as every leader", "[diskless]") {
  World w(two_agents_per_zone());
  w.sim.run_for(Duration::seconds(2));
  for (std::size_t zone = 0; zone < 3; ++zone) {
    w.run(zone, [&](Speaker& s) {
      auto meta = s.metadata();
      REQUIRE(meta);
      REQUIRE(meta->topics.size() == 1);
      std::set<NodeId> leaders;
      for (const PartitionMetadata& p : meta->topics[0].partitions) {
        CHECK(w.sim.node(p.leader).zone() == s.zone());
        leaders.insert(p.leader);
      }
      CHECK(leaders.size() == 2);  // spread over the zone's agents
      CHECK(s.coordinator("group-1") != weir::sim::kNoNode);
      CHECK(w.sim.node(s.coordinator("group-1")).zone() == s.zone());
    });
  }
}

TEST_CASE("a zone without live agents is routed to other zones", "[diskless]") {
  World w;
  const NodeId agent_b = w.cluster.agents_in_zone("zone-b").at(0);
  w.cluster.crash_agent(agent_b);
  w.sim.run_for(Duration::seconds(5));  // past the liveness timeout
  w.run(1, [&](Speaker& s) {
    auto meta = s.metadata();
    REQUIRE(meta);
    for (const PartitionMetadata& p : meta->topics[0].partitions) {
      CHECK(p.leader != agent_b);
      CHECK(w.sim.node(p.leader).zone() != "zone-b");
    }
    CHECK(s.produce(kTopic, 0, {make_record("k", "v")}).error == ErrorCode::none);
  });
}

TEST_CASE("list offsets reports the log start and the high watermark", "[diskless]") {
  World w;
  w.run(0, [&](Speaker& s) {
    CHECK(s.list_offset(kTopic, 1) == 0);
    REQUIRE(s.produce(kTopic, 1, {make_record("k", "a"), make_record("k", "b")}).error == ErrorCode::none);
    REQUIRE(s.produce(kTopic, 1, {make_record("k", "c")}).error == ErrorCode::none);
    CHECK(s.list_offset(kTopic, 1) == 3);
    CHECK(s.list_offset(kTopic, 1, kEarliestTimestamp) == 0);
    auto past = s.fetch(kTopic, 1, 4);
    REQUIRE(past);
    CHECK(past->error == ErrorCode::offset_out_of_range);
    CHECK(s.produce("no-such-topic", 0, {make_record("k", "v")}).error != ErrorCode::none);
  });
}

TEST_CASE("a fetch at the high watermark long-polls until a commit", "[diskless]") {
  World w;
  w.spawn(1, [&](Speaker& s) {
    w.sim.sleep(Duration::seconds(1));
    REQUIRE(s.produce(kTopic, 2, {make_record("k", "late")}).error == ErrorCode::none);
  });
  w.run(0, [&](Speaker& s) {
    const auto start = w.sim.now();
    auto got = s.fetch(kTopic, 2, 0, Duration::seconds(5));
    REQUIRE(got);
    REQUIRE(got->records.size() == 1);
    CHECK(got->records[0].record.value == "late");
    CHECK(w.sim.now() - start < Duration::seconds(2));  // woken by the commit, not the deadline
    const auto idle = w.sim.now();
    got = s.fetch(kTopic, 2, 1, Duration::milliseconds(700));
    REQUIRE(got);
    CHECK(got->records.empty());
    CHECK(w.sim.now() - idle >= Duration::milliseconds(700));
  });
}

TEST_CASE("repeated fetches in a zone are served from the agent's cache", "[diskless]") {
  World w;
  w.run(0, [&](Speaker& s) {
    for (int i = 0; i < 5; ++i) REQUIRE(s.produce(kTopic, 0, {make_record("k", numbered("v", i))}).error == ErrorCode::none);
    REQUIRE(s.read_all(kTopic, 0)->size() == 5);
    const std::uint64_t gets = w.store.counters().get_requests;
    REQUIRE(s.read_all(kTopic, 0)->size() == 5);
    CHECK(w.store.counters().get_requests == gets);
  });
}

TEST_CASE("consumer-group offsets survive agent and metadata crashes", "[diskless]") {
  World w;
  w.run(0, [&](Speaker& s) {
    const NodeId coordinator = s.coordinator("ingester-zone-a-0");
    REQUIRE(coordinator != weir::sim::kNoNode);
    CHECK(s.commit_offset(coordinator, "ingester-zone-a-0", kTopic, 3, 42) == ErrorCode::none);
  });
  for (const AgentInfo& a : w.cluster.agents()) w.cluster.restart_agent(a.node);
  w.cluster.restart_metadata();
  w.sim.run_for(Duration::seconds(1));
  w.run(2, [&](Speaker& s) {
    const NodeId coordinator = s.coordinator("ingester-zone-a-0");
    CHECK(s.committed_offset(coordinator, "ingester-zone-a-0", kTopic, 3) == 42);
    CHECK(s.committed_offset(coordinator, "other-group", kTopic, 3) == -1);
  });
}

TEST_CASE("while the metadata service is down produces fail; after restart they succeed", "[diskless]") {
  DisklessOptions o;
  o.metadata_attempts = 2;
  o.metadata_timeout = Duration::milliseconds(500);
  World w(o);
  w.cluster.crash_metadata();
  w.run(0, [&](Speaker& s) {
    CHECK(s.produce(kTopic, 0, {make_record("k", "lost")}).error == ErrorCode::request_timed_out);
    CHECK(s.read_all(kTopic, 0) == std::nullopt);
  });
  w.cluster.restart_metadata();
  w.run(0, [&](Speaker& s) {
    const Ack ack = s.produce(kTopic, 0, {make_record("k", "kept")});
    CHECK(ack.error == ErrorCode::none);
    CHECK(ack.offset == 0);  // the failed produce left nothing in the log
  });
}

TEST_CASE("invalid options are rejected", "[diskless]") {
  DisklessOptions o;
  CHECK_FALSE(o.validate());
  o.ack_before_commit = true;
  o.automq_wal_mode = true;
  CHECK(o.validate());
  o = DisklessOptions{};
  o.agents_per_zone = 0;
  CHECK(o.validate());
  o = DisklessOptions{};
  o.metadata_zone = "elsewhere";
  CHECK(o.validate());
  o = DisklessOptions{};
  o.topics = {{"t", 0}};
  CHECK(o.validate());
  weir::sim::Simulation sim({.seed = 1});
  weir::models::objstore::ObjectStore store(sim, {"zone-a"});
  CHECK_THROWS_AS(DisklessCluster(sim, store, DisklessOptions{}), std::invalid_argument);  // no store in zone-b
}

TEST_CASE("records keep their key, value, timestamp and headers", "[diskless]") {
  World w;
  Record sent = make_record("tenant-1", std::string(300, 'w'), 1234);
  sent.headers = {{"Version", "2"}, {"empty", ""}};
  w.run(0, [&](Speaker& s) {
    REQUIRE(s.produce(kTopic, 0, {sent, make_record("", "")}).error == ErrorCode::none);
    auto records = s.read_all(kTopic, 0);
    REQUIRE(records);
    REQUIRE(records->size() == 2);
    CHECK(records->at(0).record.key == sent.key);
    CHECK(records->at(0).record.value == sent.value);
    CHECK(records->at(0).record.timestamp_ms == 1234);
    CHECK(records->at(0).record.headers == sent.headers);
    CHECK(records->at(0).record.digest() == sent.digest());
    CHECK(records->at(1).record.value.empty());
  });
}
