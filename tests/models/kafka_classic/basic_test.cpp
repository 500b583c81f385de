// The classic cluster through its RPC services, without faults (or with the
// simplest ones): produce/fetch, the high watermark, min.insync.replicas.
#include <catch2/catch.hpp>

#include "classic_test_support.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::classic;
using namespace weir::models::kafka::classic::testing;
using namespace weir::sim::literals;

namespace {

const std::string kTopic = "ingest";

std::vector<Record> records(std::int64_t first, std::int64_t count) {
  std::vector<Record> out;
  for (std::int64_t i = first; i < first + count; ++i) out.push_back(make_record(i));
  return out;
}

}  // namespace

TEST_CASE("produce and fetch round trip with dense offsets", "[kafka_classic]") {
  World w(ClassicClusterOptions{});
  Client c(w);
  w.run_client([&] {
    const auto first = c.produce(kTopic, 3, records(0, 5), -1);
    const auto second = c.produce(kTopic, 3, records(5, 3), -1);
    const auto third = c.produce(kTopic, 3, records(8, 1), 1);
    REQUIRE(first.error == ErrorCode::none);
    REQUIRE(second.error == ErrorCode::none);
    REQUIRE(third.error == ErrorCode::none);
    CHECK(first.base_offset == 0);
    CHECK(second.base_offset == 5);
    CHECK(third.base_offset == 8);

    // acks=1 returned before replication: wait for the high watermark.
    FetchPartitionResponse all;
    for (int tries = 0; tries < 20 && all.records.size() < 9; ++tries) all = c.fetch(kTopic, 3, 0, 500_ms);
    REQUIRE(all.error == ErrorCode::none);
    REQUIRE(all.records.size() == 9);
    for (std::int64_t i = 0; i < 9; ++i) {
      CHECK(all.records[i].offset == i);
      CHECK(all.records[i].record.value == make_record(i).value);
    }
    CHECK(all.high_watermark == 9);
    CHECK(c.list_offset(kTopic, 3, kEarliestTimestamp)->offset == 0);
    CHECK(c.list_offset(kTopic, 3, kLatestTimestamp)->offset == 9);
    CHECK(c.fetch(kTopic, 3, 10).error == ErrorCode::offset_out_of_range);
  });
}

TEST_CASE("only the leader accepts produce; metadata names it", "[kafka_classic]") {
  World w(ClassicClusterOptions{});
  Client c(w);
  w.run_client([&] {
    const auto meta = c.partition(kTopic, 0);
    REQUIRE(meta);
    CHECK(meta->replicas.size() == 3);
    CHECK(meta->isr.size() == 3);
    CHECK(meta->leader == meta->replicas.front());
    sim::NodeId follower = meta->replicas[1];
    const auto refused = c.produce_once(kTopic, 0, records(0, 1), -1, 5_s, follower);
    CHECK(refused.error == ErrorCode::not_leader_or_follower);
    const auto unknown = c.produce_once("nope", 0, records(0, 1), -1, 5_s, meta->leader);
    CHECK(unknown.error == ErrorCode::unknown_topic_or_partition);
  });
}

TEST_CASE("a consumer fetch long-polls until data arrives or max_wait passes", "[kafka_classic]") {
  World w(ClassicClusterOptions{});
  Client c(w);
  w.run_client([&] {
    REQUIRE(c.produce(kTopic, 1, records(0, 2), -1).error == ErrorCode::none);
    sim::Time start = w.sim.now();
    const auto empty = c.fetch(kTopic, 1, 2, 300_ms);
    CHECK(empty.error == ErrorCode::none);
    CHECK(empty.records.empty());
    CHECK(w.sim.now() - start >= 300_ms);

    bool produced = false;
    w.sim.spawn(w.client, [&] {
      w.sim.sleep(50_ms);
      produced = c.produce(kTopic, 1, records(2, 1), -1).error == ErrorCode::none;
    });
    start = w.sim.now();
    const auto woken = c.fetch(kTopic, 1, 2, 5_s);
    CHECK(produced);
    REQUIRE(woken.records.size() == 1);
    CHECK(woken.records[0].offset == 2);
    CHECK(w.sim.now() - start < 1_s);
  });
}

TEST_CASE("the high watermark advances only when the ISR has replicated", "[kafka_classic]") {
  World w(ClassicClusterOptions{});
  Client c(w);
  w.run_client([&] {
    REQUIRE(c.produce(kTopic, 0, records(0, 4), -1).error == ErrorCode::none);
    const std::size_t leader = *w.leader_index(kTopic, 0);
    const auto state = *w.cluster.partition_state(kTopic, 0);
    std::vector<sim::NodeId> followers;
    for (sim::NodeId n : state.replicas) {
      if (n != state.leader) followers.push_back(n);
    }
    const auto cut = w.sim.network().partition({state.leader}, followers);

    // acks=1 is acknowledged at once, but stays above the high watermark.
    const auto one = c.produce_once(kTopic, 0, records(4, 1), 1);
    REQUIRE(one.error == ErrorCode::none);
    CHECK(one.base_offset == 4);
    // acks=all waits for the ISR until the request timeout: ambiguous.
    const auto all = c.produce_once(kTopic, 0, records(5, 1), -1, 2_s);
    CHECK(all.error == ErrorCode::request_timed_out);
    auto status = *w.cluster.replica_status(leader, kTopic, 0);
    CHECK(status.log_end_offset == 6);
    CHECK(status.high_watermark == 4);
    CHECK(c.fetch(kTopic, 0, 4, 100_ms).records.empty());
    CHECK(c.list_offset(kTopic, 0, kLatestTimestamp)->offset == 4);

    w.sim.network().repair(cut);
    w.sim.sleep(2_s);
    status = *w.cluster.replica_status(leader, kTopic, 0);
    CHECK(status.high_watermark == 6);  // the timed-out record was written after all
    CHECK(c.fetch(kTopic, 0, 4).records.size() == 2);
  });
}

TEST_CASE("acks=all is refused with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas",
          "[kafka_classic]") {
  World w(ClassicClusterOptions{});
  Client c(w);
  w.run_client([&] {
    REQUIRE(c.produce(kTopic, 2, records(0, 3), -1).error == ErrorCode::none);
    const std::size_t survivor = 0;
    w.cluster.crash_broker(1);
    w.cluster.crash_broker(2);
    w.sim.sleep(12_s);  // past broker.session.timeout: both are fenced
    const auto state = *w.cluster.partition_state(kTopic, 2);
    CHECK(state.leader == w.cluster.broker(survivor));
    CHECK(state.isr == std::vector<sim::NodeId>{w.cluster.broker(survivor)});

    const auto refused = c.produce(kTopic, 2, records(3, 1), -1, 1_s);
    CHECK(refused.error == ErrorCode::not_enough_replicas);
    CHECK(w.cluster.replica_status(survivor, kTopic, 2)->log_end_offset == 3);  // nothing written
    const auto one = c.produce(kTopic, 2, records(3, 1), 1);
    CHECK(one.error == ErrorCode::none);

    w.cluster.start_broker(1);
    w.cluster.start_broker(2);
    const auto back = c.produce(kTopic, 2, records(4, 1), -1, 60_s);
    CHECK(back.error == ErrorCode::none);
    CHECK(back.base_offset == 4);
  });
}

TEST_CASE("with RF=3 across three zones, each produced byte costs about two cross-zone replication bytes",
          "[kafka_classic][cost]") {
  World w(ClassicClusterOptions{});
  Client c(w);
  std::uint64_t produced = 0;
  std::uint64_t replicated = 0;
  w.run_client([&] {
    w.sim.sleep(1_s);
    const auto before = w.sim.network().cross_zone_bytes_by_traffic();
    for (std::int64_t i = 0; i < 320; ++i) {
      std::vector<Record> batch;
      for (std::int64_t k = 0; k < 5; ++k) batch.push_back(make_record(i * 5 + k, 1000));
      for (const Record& r : batch) produced += r.wire_bytes();
      REQUIRE(c.produce(kTopic, static_cast<std::int32_t>(i % 16), std::move(batch), -1).error == ErrorCode::none);
    }
    w.sim.sleep(2_s);
    const auto after = w.sim.network().cross_zone_bytes_by_traffic();
    replicated = after.at(std::string(kTrafficReplication)) - before.at(std::string(kTrafficReplication));
  });
  const double ratio = static_cast<double>(replicated) / static_cast<double>(produced);
  INFO("produced " << produced << " bytes, replicated cross-zone " << replicated << " bytes");
  CHECK(ratio > 1.95);
  CHECK(ratio < 2.2);
}
