// Failures of brokers and of the controller: clean failover keeps every
// acknowledged record, followers truncate divergent tails by leader epoch,
// unclean election loses acknowledged records, a wiped broker re-replicates.
#include <catch2/catch.hpp>

#include <map>

#include "classic_test_support.h"
#include "weir/models/kafka/classic/trace_kinds.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::classic;
using namespace weir::models::kafka::classic::testing;
using namespace weir::sim::literals;

namespace {

const std::string kTopic = "ingest";

// Counts trace events by kind name.
class KindCounter : public sim::TraceSink {
 public:
  void on_event(const sim::TraceEvent& e) override { ++counts[std::string(e.kind.name())]; }
  std::map<std::string, int> counts;
};

std::vector<std::uint64_t> digests_of(World& w, std::size_t broker, std::int32_t partition) {
  return w.cluster.record_digests(broker, kTopic, partition);
}

// Every replica of the partition holds the same records, offset by offset.
void check_replicas_agree(World& w, std::int32_t partition) {
  const auto state = w.cluster.partition_state(kTopic, partition);
  REQUIRE(state);
  const auto reference = digests_of(w, w.broker_index(state->replicas.front()), partition);
  for (sim::NodeId n : state->replicas) CHECK(digests_of(w, w.broker_index(n), partition) == reference);
}

bool contains(const std::vector<std::uint64_t>& digests, const Record& r) {
  return std::find(digests.begin(), digests.end(), r.digest()) != digests.end();
}

// Cuts the partition's leader off from its followers (not from the controller).
sim::PartitionId isolate_leader(World& w, std::int32_t partition) {
  const auto state = *w.cluster.partition_state(kTopic, partition);
  std::vector<sim::NodeId> followers;
  for (sim::NodeId n : state.replicas) {
    if (n != state.leader) followers.push_back(n);
  }
  return w.sim.network().partition({state.leader}, followers);
}

}  // namespace

TEST_CASE("clean leader failover keeps every acknowledged record", "[kafka_classic][failover]") {
  World w(ClassicClusterOptions{}, 7);
  Client c(w);
  std::vector<std::pair<std::int64_t, Record>> acked;
  bool stop = false;
  w.sim.spawn(w.client, [&] {
    for (std::int64_t i = 0; !stop; ++i) {
      const Record r = make_record(i);
      const auto res = c.produce_once(kTopic, 0, {r}, -1, 2_s);
      if (res.error == ErrorCode::none) acked.emplace_back(res.base_offset, r);
      if (res.error != ErrorCode::none) w.sim.sleep(100_ms);
    }
  });
  std::vector<std::int32_t> epochs;
  w.run_client([&] {
    for (int round = 0; round < 3; ++round) {
      w.sim.sleep(3_s);
      const std::size_t leader = *w.leader_index(kTopic, 0);
      w.cluster.crash_broker(leader);
      w.sim.sleep(12_s);  // fenced; a follower from the ISR leads
      epochs.push_back(w.cluster.partition_state(kTopic, 0)->leader_epoch);
      CHECK(*w.leader_index(kTopic, 0) != leader);
      w.cluster.start_broker(leader);
      while (!w.fully_replicated(kTopic, 0)) w.sim.sleep(500_ms);
    }
    stop = true;
    w.sim.sleep(3_s);
  });
  CHECK(epochs == std::vector<std::int32_t>{1, 2, 3});
  REQUIRE(acked.size() > 50);
  REQUIRE(w.run_until([&] { return w.fully_replicated(kTopic, 0); }, 60_s));
  check_replicas_agree(w, 0);
  const auto log = digests_of(w, *w.leader_index(kTopic, 0), 0);
  for (const auto& [offset, record] : acked) {
    REQUIRE(offset < static_cast<std::int64_t>(log.size()));
    CHECK(log[static_cast<std::size_t>(offset)] == record.digest());
  }
}

TEST_CASE("a follower truncates what an old leader acknowledged alone with acks=1", "[kafka_classic][failover]") {
  ClassicClusterOptions o;
  o.flush_interval = 100_ms;  // the old leader has the record on disk: only truncation removes it
  World w(o, 3);
  KindCounter kinds;
  w.sim.trace().set_sink(&kinds);
  Client c(w);
  const Record lost = make_record(100);
  const Record replacement = make_record(200);
  w.run_client([&] {
    REQUIRE(c.produce(kTopic, 0, {make_record(0), make_record(1)}, -1).error == ErrorCode::none);
    const std::size_t old_leader = *w.leader_index(kTopic, 0);
    const auto cut = isolate_leader(w, 0);
    const auto res = c.produce_once(kTopic, 0, {lost}, 1);
    REQUIRE(res.error == ErrorCode::none);
    REQUIRE(res.base_offset == 2);
    w.sim.sleep(500_ms);  // flushed to the old leader's disk
    w.cluster.crash_broker(old_leader);
    w.sim.network().repair(cut);
    w.sim.sleep(12_s);
    REQUIRE(w.leader_index(kTopic, 0));
    CHECK(*w.leader_index(kTopic, 0) != old_leader);
    const auto next = c.produce(kTopic, 0, {replacement}, -1);
    REQUIRE(next.error == ErrorCode::none);
    CHECK(next.base_offset == 2);  // the same offset now holds another record
    w.cluster.start_broker(old_leader);
    while (!w.fully_replicated(kTopic, 0)) w.sim.sleep(500_ms);
    const auto log = digests_of(w, old_leader, 0);
    REQUIRE(log.size() == 3);
    CHECK(log[2] == replacement.digest());
  });
  CHECK(kinds.counts[std::string(kTraceTruncated.name())] >= 1);
  check_replicas_agree(w, 0);
  for (std::size_t b = 0; b < 3; ++b) CHECK_FALSE(contains(digests_of(w, b, 0), lost));
}

namespace {

// ISR shrinks to the leader alone, the leader acknowledges `record` (acks=all,
// min.insync.replicas=1), flushes it, and crashes. Returns the record's fate
// after everything heals: whether the final log still holds it.
bool acked_record_survives(bool unclean) {
  ClassicClusterOptions o;
  o.min_insync_replicas = 1;
  o.unclean_leader_election = unclean;
  o.replica_lag_time_max = 2_s;
  o.flush_interval = 100_ms;
  World w(o, 11);
  Client c(w);
  const Record record = make_record(42);
  bool acked = false;
  w.run_client([&] {
    REQUIRE(c.produce(kTopic, 0, {make_record(0)}, -1).error == ErrorCode::none);
    const std::size_t leader = *w.leader_index(kTopic, 0);
    const auto cut = isolate_leader(w, 0);
    w.sim.sleep(4_s);  // the followers fall out of the ISR
    REQUIRE(w.cluster.partition_state(kTopic, 0)->isr.size() == 1);
    acked = c.produce_once(kTopic, 0, {record}, -1).error == ErrorCode::none;
    w.sim.sleep(500_ms);
    w.cluster.crash_broker(leader);
    w.sim.network().repair(cut);
    w.sim.sleep(12_s);
    const auto state = *w.cluster.partition_state(kTopic, 0);
    CHECK(state.has_leader() == unclean);  // clean: offline until the only in-sync replica returns
    w.cluster.start_broker(leader);
    while (!w.fully_replicated(kTopic, 0)) w.sim.sleep(500_ms);
  });
  REQUIRE(acked);
  check_replicas_agree(w, 0);
  return contains(digests_of(w, *w.leader_index(kTopic, 0), 0), record);
}

}  // namespace

TEST_CASE("unclean election with min.insync.replicas=1 loses an acknowledged record", "[kafka_classic][failover]") {
  CHECK(acked_record_survives(/*unclean=*/false));
  CHECK_FALSE(acked_record_survives(/*unclean=*/true));
}

TEST_CASE("a crashed controller stops elections until it returns", "[kafka_classic][failover]") {
  World w(ClassicClusterOptions{}, 5);
  Client c(w);
  w.run_client([&] {
    REQUIRE(c.produce(kTopic, 1, {make_record(0)}, -1).error == ErrorCode::none);
    const std::size_t leader = *w.leader_index(kTopic, 1);
    w.cluster.crash_controller();
    // Leaders and ISRs stand: replication needs no controller.
    CHECK(c.produce(kTopic, 1, {make_record(1)}, -1, 5_s).error == ErrorCode::none);
    CHECK_FALSE(w.cluster.partition_state(kTopic, 1));
    w.cluster.start_controller();
    w.sim.sleep(1_s);
    REQUIRE(w.cluster.partition_state(kTopic, 1));
    const std::int32_t epoch = w.cluster.partition_state(kTopic, 1)->leader_epoch;
    w.cluster.crash_controller();
    w.cluster.crash_broker(leader);
    w.sim.sleep(15_s);
    w.cluster.start_controller();
    w.sim.sleep(1_s);
    CHECK(w.cluster.partition_state(kTopic, 1)->leader_epoch == epoch);  // nobody noticed yet
    w.sim.sleep(10_s);  // a fresh session timeout later
    CHECK(w.cluster.partition_state(kTopic, 1)->leader_epoch == epoch + 1);
    const auto res = c.produce(kTopic, 1, {make_record(2)}, -1);
    CHECK(res.error == ErrorCode::none);
    CHECK(res.base_offset == 2);
  });
}

TEST_CASE("a broker that lost its disk rejoins empty and re-replicates", "[kafka_classic][failover]") {
  World w(ClassicClusterOptions{}, 9);
  Client c(w);
  w.run_client([&] {
    for (std::int64_t i = 0; i < 20; ++i) {
      REQUIRE(c.produce(kTopic, static_cast<std::int32_t>(i % 4), {make_record(i)}, -1).error == ErrorCode::none);
    }
    w.sim.sleep(6_s);  // flushed everywhere
    w.cluster.lose_broker_disk(1);
    while (!w.cluster.replica_status(1, kTopic, 0)) w.sim.sleep(1_ms);
    CHECK(w.cluster.replica_status(1, kTopic, 0)->log_end_offset == 0);  // starts over, empty
    for (std::int32_t p = 0; p < 4; ++p) {
      while (!w.fully_replicated(kTopic, p)) w.sim.sleep(500_ms);
      CHECK(w.cluster.replica_status(1, kTopic, p)->log_end_offset == 5);
    }
  });
  for (std::int32_t p = 0; p < 4; ++p) check_replicas_agree(w, p);
}
