// The classic model's pure building blocks: the partition log with its
// leader-epoch cache and disk format, leader election, options validation.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "classic_test_support.h"
#include "election.h"
#include "partition_log.h"
#include "weir/sim/errors.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::classic;

namespace {

PartitionLog log_with_epochs(const std::vector<std::pair<std::int32_t, int>>& runs) {
  PartitionLog log;
  std::int64_t i = 0;
  for (const auto& [epoch, count] : runs) {
    for (int k = 0; k < count; ++k) log.append(testing::make_record(i++), epoch);
  }
  return log;
}

}  // namespace

TEST_CASE("the leader-epoch cache answers end offsets like Kafka's LeaderEpochFileCache", "[kafka_classic][unit]") {
  PartitionLog log = log_with_epochs({{1, 3}, {2, 2}, {4, 5}});  // epoch 1: 0..2, 2: 3..4, 4: 5..9
  CHECK(log.end_offset() == 10);
  CHECK(log.latest_epoch() == 4);
  CHECK(log.end_offset_for_epoch(4).end_offset == 10);
  CHECK(log.end_offset_for_epoch(1).end_offset == 3);
  CHECK(log.end_offset_for_epoch(2).end_offset == 5);
  // Epoch 3 is unknown: the largest below it (2) and where it ends.
  CHECK(log.end_offset_for_epoch(3).epoch == 2);
  CHECK(log.end_offset_for_epoch(3).end_offset == 5);
  // Older than anything: the requested epoch, ending where the log's first epoch starts.
  CHECK(log.end_offset_for_epoch(0).epoch == 0);
  CHECK(log.end_offset_for_epoch(0).end_offset == 0);
  // Newer than anything known: undefined.
  CHECK(log.end_offset_for_epoch(7).end_offset == -1);

  log.assign_epoch(6, log.end_offset());  // a new leader, no record yet
  CHECK(log.latest_epoch() == 6);
  CHECK(log.end_offset_for_epoch(4).end_offset == 10);
  CHECK(log.truncate_to(4) == 6);
  CHECK(log.latest_epoch() == 2);
  CHECK(log.end_offset_for_epoch(2).end_offset == 4);
}

TEST_CASE("a partition log survives its disk format, minus a torn or corrupt tail", "[kafka_classic][unit]") {
  PartitionLog log = log_with_epochs({{0, 4}, {3, 3}});
  const PartitionLog::Unwritten first = log.take_unwritten();
  CHECK_FALSE(log.has_unwritten());
  log.append(testing::make_record(7), 3);
  const PartitionLog::Unwritten second = log.take_unwritten();
  CHECK(second.first == 7);
  CHECK(second.position == first.bytes.size());
  const std::string file = first.bytes + second.bytes;

  PartitionLog recovered;
  CHECK(recovered.recover(file) == file.size());
  REQUIRE(recovered.end_offset() == 8);
  CHECK(recovered.at(7).record.value == testing::make_record(7).value);
  CHECK(recovered.at(7).record.headers == testing::make_record(7).headers);
  CHECK(recovered.at(7).record.digest() == testing::make_record(7).digest());
  CHECK(recovered.end_offset_for_epoch(0).end_offset == 4);
  CHECK(recovered.latest_epoch() == 3);

  PartitionLog torn;
  CHECK(torn.recover(std::string_view(file).substr(0, file.size() - 3)) == first.bytes.size());
  CHECK(torn.end_offset() == 7);

  std::string corrupt = file;
  corrupt[first.bytes.size() / 2] ^= 0x20;
  PartitionLog checked;
  checked.recover(corrupt);
  CHECK(checked.end_offset() < 4);
}

TEST_CASE("truncating written entries leaves a pending file truncation", "[kafka_classic][unit]") {
  PartitionLog log = log_with_epochs({{0, 5}});
  const PartitionLog::Unwritten all = log.take_unwritten();
  log.truncate_to(2);
  const auto cut = log.take_pending_truncate();
  REQUIRE(cut);
  PartitionLog prefix;
  CHECK(prefix.recover(std::string_view(all.bytes).substr(0, *cut)) == *cut);
  CHECK(prefix.end_offset() == 2);
  CHECK_FALSE(log.take_pending_truncate());
  log.append(testing::make_record(9), 1);
  CHECK(log.take_unwritten().position == *cut);
}

TEST_CASE("the whole file holds the log, whatever writes and truncations were under way", "[kafka_classic][unit]") {
  PartitionLog log = log_with_epochs({{0, 5}});
  (void)log.take_unwritten();  // on disk
  log.append(testing::make_record(5), 0);
  (void)log.take_unwritten();  // a write that never lands
  log.truncate_to(3);          // a file truncation still pending
  log.append(testing::make_record(6), 2);
  const std::string file = log.take_whole_file();
  CHECK_FALSE(log.has_unwritten());
  CHECK_FALSE(log.take_pending_truncate());
  PartitionLog recovered;
  CHECK(recovered.recover(file) == file.size());
  REQUIRE(recovered.end_offset() == 4);
  for (std::int64_t o = 0; o < 4; ++o) CHECK(recovered.at(o).record.digest() == log.at(o).record.digest());
  CHECK(recovered.end_offset_for_epoch(0).end_offset == 3);
  CHECK(recovered.latest_epoch() == 2);
  log.append(testing::make_record(7), 2);
  CHECK(log.take_unwritten().position == file.size());
}

TEST_CASE("election: clean keeps the ISR's data, unclean takes any live replica", "[kafka_classic][unit]") {
  PartitionState s;
  s.replicas = {10, 11, 12};
  s.isr = {10, 11, 12};
  s.leader = 10;
  s.leader_epoch = 3;
  s.partition_epoch = 7;
  auto without = [](std::vector<sim::NodeId> dead) {
    return [dead](sim::NodeId n) { return std::find(dead.begin(), dead.end(), n) == dead.end(); };
  };

  CHECK_FALSE(reconcile(s, without({}), false));
  const auto failover = reconcile(s, without({10}), false);
  REQUIRE(failover);
  CHECK(failover->leader == 11);
  CHECK(failover->leader_epoch == 4);
  CHECK(failover->partition_epoch == 8);
  CHECK(failover->isr == std::vector<sim::NodeId>{11, 12});

  const auto follower_gone = reconcile(s, without({12}), false);
  REQUIRE(follower_gone);
  CHECK(follower_gone->leader == 10);
  CHECK(follower_gone->leader_epoch == 3);  // no leader change, no new leader epoch
  CHECK(follower_gone->isr == std::vector<sim::NodeId>{10, 11});

  PartitionState alone = s;
  alone.isr = {10};
  const auto offline = reconcile(alone, without({10}), false);
  REQUIRE(offline);
  CHECK(offline->leader == sim::kNoNode);
  CHECK(offline->isr == std::vector<sim::NodeId>{10});  // the last member stays
  CHECK(offline->leader_epoch == 4);
  const auto unclean = reconcile(alone, without({10}), true);
  REQUIRE(unclean);
  CHECK(unclean->leader == 11);
  CHECK(unclean->isr == std::vector<sim::NodeId>{11});
  // The last ISR member returns: it leads again (clean).
  const auto back = reconcile(*offline, without({}), false);
  REQUIRE(back);
  CHECK(back->leader == 10);
  CHECK(back->leader_epoch == 5);
}

TEST_CASE("options are validated", "[kafka_classic][unit]") {
  ClassicClusterOptions o;
  CHECK_FALSE(o.validate());
  o.replication_factor = 4;
  CHECK(o.validate());
  o = {};
  o.min_insync_replicas = 4;
  CHECK(o.validate());
  o = {};
  o.topics = {{"__consumer_offsets", 1}};
  CHECK(o.validate());
  o = {};
  o.replica_fetch_max_wait = o.replica_lag_time_max;
  CHECK(o.validate());
  o = {};
  o.broker_session_timeout = o.broker_heartbeat_interval;
  CHECK(o.validate());
  o = {};
  o.topics.push_back(o.topics.front());
  CHECK(o.validate());
  sim::Simulation sim({.seed = 1});
  o = {};
  o.brokers = 0;
  CHECK_THROWS_AS(ClassicCluster(sim, o), std::invalid_argument);
}

TEST_CASE("election keeps leaders live and in the ISR, for any state and liveness", "[kafka_classic][unit]") {
  CHECK(rc::check("reconcile invariants", [](bool unclean) {
    const auto n = *rc::gen::inRange<sim::NodeId>(1, 6);
    PartitionState s;
    for (sim::NodeId i = 0; i < n; ++i) s.replicas.push_back(i);
    const auto in_isr = *rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>());
    for (sim::NodeId i = 0; i < n; ++i) {
      if (in_isr[i]) s.isr.push_back(i);
    }
    if (s.isr.empty()) s.isr.push_back(*rc::gen::inRange<sim::NodeId>(0, n));
    s.leader = *rc::gen::element(sim::kNoNode, s.isr.front(), s.isr.back());
    s.leader_epoch = 4;
    s.partition_epoch = 9;
    const auto alive = *rc::gen::container<std::vector<bool>>(n, rc::gen::arbitrary<bool>());
    const LiveFn live = [&alive](sim::NodeId node) { return alive[node]; };

    const auto next = reconcile(s, live, unclean);
    const PartitionState& r = next ? *next : s;
    RC_ASSERT(!r.isr.empty());
    bool any_live_in_isr = false;
    for (sim::NodeId m : s.isr) {
      if (alive[m]) {
        any_live_in_isr = true;
        RC_ASSERT(r.in_isr(m));  // live in-sync replicas stay in sync
      }
    }
    for (sim::NodeId m : r.isr) RC_ASSERT(s.is_replica(m));
    if (r.has_leader()) {
      RC_ASSERT(alive[r.leader]);
      RC_ASSERT(r.in_isr(r.leader));
      if (!unclean) RC_ASSERT(s.in_isr(r.leader));  // clean: only replicas that have every acknowledged record
    }
    RC_ASSERT(r.has_leader() == (any_live_in_isr || (unclean && std::count(alive.begin(), alive.end(), true) > 0)));
    if (next) {
      RC_ASSERT(next->partition_epoch == s.partition_epoch + 1);
      RC_ASSERT(next->leader_epoch == s.leader_epoch + (next->leader != s.leader ? 1 : 0));
    }
  }));
}

TEST_CASE("the file the flusher builds always recovers the log", "[kafka_classic][unit]") {
  CHECK(rc::check("truncations and flushes in any order", [] {
    PartitionLog log;
    std::string file;
    std::int64_t next_record = 0;
    std::int32_t epoch = 0;
    const auto flush = [&] {
      while (const auto cut = log.take_pending_truncate()) file.resize(std::min<std::size_t>(*cut, file.size()));
      const PartitionLog::Unwritten u = log.take_unwritten();
      RC_ASSERT(u.position == file.size());
      file += u.bytes;
    };
    const auto ops = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 5));
    for (int op : ops) {
      if (op == 0 || op == 1) {
        if (op == 1) ++epoch;
        log.append(testing::make_record(next_record++), epoch);
      } else if (op == 2) {
        log.truncate_to(*rc::gen::inRange<std::int64_t>(0, log.end_offset() + 1));
      } else if (op == 3) {
        flush();
      } else {
        file = log.take_whole_file();  // a killed process's page cache written back
      }
    }
    flush();
    PartitionLog recovered;
    RC_ASSERT(recovered.recover(file) == file.size());
    RC_ASSERT(recovered.end_offset() == log.end_offset());
    for (std::int64_t o = 0; o < log.end_offset(); ++o) {
      RC_ASSERT(recovered.at(o).record.digest() == log.at(o).record.digest());
      RC_ASSERT(recovered.at(o).leader_epoch == log.at(o).leader_epoch);
    }
    for (std::int32_t e = 0; e <= epoch + 1; ++e) {
      RC_ASSERT(recovered.end_offset_for_epoch(e).end_offset == log.end_offset_for_epoch(e).end_offset);
    }
  }));
}

TEST_CASE("a partition log refuses a record of an older leader epoch than it knows", "[kafka_classic][unit][assert]") {
  PartitionLog log = log_with_epochs({{1, 2}, {3, 2}});
  CHECK_THROWS_AS(log.append(Record{}, 2), weir::sim::InvariantError);
  CHECK(log.end_offset() == 4);
  log.truncate_to(2);  // epoch 3 is gone with its records: epoch 2 may follow epoch 1
  log.append(Record{}, 2);
  CHECK(log.end_offset() == 3);
}
