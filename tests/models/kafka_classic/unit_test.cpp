// The classic model's pure building blocks: the partition log with its
// leader-epoch cache and disk format, leader election, options validation.
#include <map>

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

const sim::Time kT0;

PartitionLog log_with_epochs(const std::vector<std::pair<std::int32_t, int>>& runs) {
  PartitionLog log;
  std::int64_t i = 0;
  for (const auto& [epoch, count] : runs) {
    for (int k = 0; k < count; ++k) log.append(testing::make_record(i++), epoch, kT0);
  }
  return log;
}

// A partition's segment files by base offset, as the broker's disk holds them.
using Files = std::map<std::int64_t, std::string>;

// What the flusher does to the files, with no time passing and no failure;
// false if some write did not start where its file ends.
[[nodiscard]] bool flush_to(PartitionLog& log, Files& files) {
  while (const auto cut = log.take_file_cut()) {
    if (cut->size) {
      std::string& f = files[cut->base];
      f.resize(std::min<std::size_t>(*cut->size, f.size()));
    } else {
      files.erase(cut->base);
    }
  }
  bool in_place = true;
  for (const PartitionLog::Unwritten& u : log.take_unwritten()) {
    std::string& f = files[u.base];
    in_place = in_place && u.position == f.size();
    f += u.bytes.str();
  }
  return in_place;
}

// Recovery as the broker runs it: the files in base-offset order, empty ones skipped.
PartitionLog recover_from(const Files& files, PartitionLog::Recovery* recovery = nullptr) {
  std::vector<std::pair<std::int64_t, std::string_view>> in;
  for (const auto& [base, bytes] : files) {
    if (!bytes.empty()) in.emplace_back(base, bytes);
  }
  PartitionLog log;
  const PartitionLog::Recovery r = log.recover(in, kT0);
  if (recovery != nullptr) *recovery = r;
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
  const auto first = log.take_unwritten();
  REQUIRE(first.size() == 1);
  CHECK_FALSE(log.has_unwritten());
  log.append(testing::make_record(7), 3, kT0);
  const auto second = log.take_unwritten();
  REQUIRE(second.size() == 1);
  CHECK(second[0].first == 7);
  CHECK(second[0].position == first[0].bytes.size());
  const std::string file = first[0].bytes.str() + second[0].bytes.str();

  PartitionLog::Recovery recovery;
  PartitionLog recovered = recover_from({{0, file}}, &recovery);
  CHECK(recovery.files_kept == 1);
  CHECK(recovery.last_valid_bytes == file.size());
  REQUIRE(recovered.end_offset() == 8);
  CHECK(recovered.at(7).record.value == testing::make_record(7).value);
  CHECK(recovered.at(7).record.headers == testing::make_record(7).headers);
  CHECK(recovered.at(7).record.digest() == testing::make_record(7).digest());
  CHECK(recovered.end_offset_for_epoch(0).end_offset == 4);
  CHECK(recovered.latest_epoch() == 3);

  PartitionLog torn = recover_from({{0, file.substr(0, file.size() - 3)}}, &recovery);
  CHECK(recovery.last_valid_bytes == first[0].bytes.size());
  CHECK(torn.end_offset() == 7);

  std::string corrupt = file;
  corrupt[first[0].bytes.size() / 2] ^= 0x20;
  CHECK(recover_from({{0, corrupt}}).end_offset() < 4);
}

TEST_CASE("truncating written entries leaves a pending file cut", "[kafka_classic][unit]") {
  PartitionLog log = log_with_epochs({{0, 5}});
  const auto all = log.take_unwritten();
  log.truncate_to(2);
  const auto cut = log.take_file_cut();
  REQUIRE(cut);
  CHECK(cut->base == 0);
  REQUIRE(cut->size);
  PartitionLog prefix = recover_from({{0, all[0].bytes.str().substr(0, *cut->size)}});
  CHECK(prefix.end_offset() == 2);
  CHECK_FALSE(log.take_file_cut());
  log.append(testing::make_record(9), 1, kT0);
  CHECK(log.take_unwritten()[0].position == *cut->size);
}

TEST_CASE("the whole files hold the log, whatever writes and truncations were under way", "[kafka_classic][unit]") {
  PartitionLog log = log_with_epochs({{0, 5}});
  (void)log.take_unwritten();  // on disk
  log.append(testing::make_record(5), 0, kT0);
  (void)log.take_unwritten();  // a write that never lands
  log.truncate_to(3);          // a file cut still pending
  log.append(testing::make_record(6), 2, kT0);
  const auto whole = log.take_whole_files();
  REQUIRE(whole.size() == 1);
  const std::string file = whole[0].second.str();
  CHECK_FALSE(log.has_unwritten());
  CHECK_FALSE(log.take_file_cut());
  PartitionLog recovered = recover_from({{0, file}});
  REQUIRE(recovered.end_offset() == 4);
  for (std::int64_t o = 0; o < 4; ++o) CHECK(recovered.at(o).record.digest() == log.at(o).record.digest());
  CHECK(recovered.end_offset_for_epoch(0).end_offset == 3);
  CHECK(recovered.latest_epoch() == 2);
  log.append(testing::make_record(7), 2, kT0);
  CHECK(log.take_unwritten()[0].position == file.size());
}

TEST_CASE("segments roll at segment_bytes, each into its own file", "[kafka_classic][unit][retention]") {
  const std::size_t record_bytes = [] {
    PartitionLog one;
    one.append(testing::make_record(0), 0, kT0);
    return one.segments()[0].bytes;
  }();
  PartitionLog log(3 * record_bytes);  // three records per segment
  for (int i = 0; i < 10; ++i) log.append(testing::make_record(i), 0, kT0);
  REQUIRE(log.segments().size() == 4);
  CHECK(log.segments()[1].base_offset == 3);
  CHECK(log.segments()[3].base_offset == 9);
  CHECK(log.segments()[0].bytes == 3 * record_bytes);
  Files files;
  REQUIRE(flush_to(log, files));
  REQUIRE(files.size() == 4);
  CHECK(files.at(3).size() == 3 * record_bytes);
  CHECK(files.at(9).size() == record_bytes);

  SECTION("recovery reads them in order") {
    PartitionLog recovered = recover_from(files);
    CHECK(recovered.end_offset() == 10);
    CHECK(recovered.segments().size() == 4);
    for (std::int64_t o = 0; o < 10; ++o) CHECK(recovered.at(o).record.digest() == log.at(o).record.digest());
  }
  SECTION("a corrupt middle segment ends the log there") {
    files.at(3)[record_bytes + 20] ^= 0x10;  // the second record of segment 3
    PartitionLog::Recovery recovery;
    PartitionLog recovered = recover_from(files, &recovery);
    CHECK(recovered.end_offset() == 4);
    CHECK(recovery.files_kept == 2);  // the broker cuts file 3 and removes files 6 and 9
    CHECK(recovery.last_valid_bytes == record_bytes);
  }
  SECTION("a missing segment file ends the log before it") {
    files.erase(6);
    PartitionLog::Recovery recovery;
    CHECK(recover_from(files, &recovery).end_offset() == 6);
    CHECK(recovery.files_kept == 2);
  }
  SECTION("truncation cuts into one segment and removes the later ones") {
    CHECK(log.truncate_to(4) == 6);
    CHECK(log.segments().size() == 2);
    REQUIRE(flush_to(log, files));
    CHECK(files.size() == 2);
    CHECK(files.at(3).size() == record_bytes);
    CHECK(recover_from(files).end_offset() == 4);
  }
}

TEST_CASE("a failed segment write leaves it and the later segments unwritten", "[kafka_classic][unit][retention]") {
  const std::size_t record_bytes = [] {
    PartitionLog one;
    one.append(testing::make_record(0), 0, kT0);
    return one.segments()[0].bytes;
  }();
  PartitionLog log(2 * record_bytes);
  for (int i = 0; i < 3; ++i) log.append(testing::make_record(i), 0, kT0);
  Files files;
  REQUIRE(flush_to(log, files));  // segment 0 whole, segment 2 with one record
  for (int i = 3; i < 7; ++i) log.append(testing::make_record(i), 0, kT0);  // segments 2, 4, 6
  const auto chunks = log.take_unwritten();
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].base == 2);
  CHECK(chunks[0].position == record_bytes);
  files[2] += chunks[0].bytes.str();  // it landed; the next one failed
  log.write_failed(chunks[1]);
  CHECK(log.written_end() == 4);
  const auto again = log.take_unwritten();
  REQUIRE(again.size() == 2);
  CHECK(again[0].base == 4);
  CHECK(again[0].position == 0);
  for (const auto& u : again) files[u.base] += u.bytes.str();
  const PartitionLog recovered = recover_from(files);
  REQUIRE(recovered.end_offset() == 7);
  for (std::int64_t o = 0; o < 7; ++o) CHECK(recovered.at(o).record.digest() == log.at(o).record.digest());
}

TEST_CASE("retention deletes old closed segments below the high watermark", "[kafka_classic][unit][retention]") {
  const std::size_t record_bytes = [] {
    PartitionLog one;
    one.append(testing::make_record(0), 0, kT0);
    return one.segments()[0].bytes;
  }();
  PartitionLog log(2 * record_bytes);  // two records per segment
  const auto at_second = [](int s) { return sim::Time() + sim::Duration::seconds(s); };
  std::int32_t epoch = 0;
  for (int i = 0; i < 7; ++i) {
    if (i == 3) epoch = 2;
    if (i == 5) epoch = 5;
    log.append(testing::make_record(i), epoch, at_second(i));  // segments [0,2) [2,4) [4,6) [6,7)
  }
  Files files;
  REQUIRE(flush_to(log, files));
  REQUIRE(files.size() == 4);

  // Nothing is old enough before second 1 (segment 0's newest record is at 1 s).
  CHECK(log.delete_segments_older_than(at_second(1), 7) == 0);
  // Old enough, but the high watermark (3) does not pass segment 2's end.
  CHECK(log.delete_segments_older_than(at_second(100), 3) == 1);
  CHECK(log.start_offset() == 2);
  // The active segment stays, whatever its age.
  CHECK(log.delete_segments_older_than(at_second(100), 7) == 2);
  CHECK(log.start_offset() == 6);
  CHECK(log.end_offset() == 7);
  CHECK(log.segments().size() == 1);
  CHECK(log.at(6).record.digest() == testing::make_record(6).digest());
  // The epoch covering the new start now starts there.
  REQUIRE(log.epochs().size() == 1);
  CHECK(log.epochs()[0] == std::pair<std::int32_t, std::int64_t>{5, 6});
  CHECK(log.end_offset_for_epoch(5).end_offset == 7);

  REQUIRE(flush_to(log, files));
  REQUIRE(files.size() == 1);
  CHECK(files.begin()->first == 6);
  PartitionLog recovered = recover_from(files);
  CHECK(recovered.start_offset() == 6);
  CHECK(recovered.end_offset() == 7);
  CHECK(recovered.latest_epoch() == 5);
}

TEST_CASE("a follower log restarts at its leader's log start", "[kafka_classic][unit][retention]") {
  PartitionLog log = log_with_epochs({{0, 5}});
  Files files;
  REQUIRE(flush_to(log, files));
  log.truncate_fully_and_start_at(40);
  CHECK(log.start_offset() == 40);
  CHECK(log.end_offset() == 40);
  CHECK(log.latest_epoch() == -1);
  log.append(testing::make_record(40), 3, kT0);
  REQUIRE(flush_to(log, files));
  REQUIRE(files.size() == 1);
  CHECK(files.begin()->first == 40);
  PartitionLog recovered = recover_from(files);
  CHECK(recovered.start_offset() == 40);
  CHECK(recovered.end_offset() == 41);
  // A truncation below the start empties it too, as Kafka's truncateTo does.
  CHECK(log.truncate_to(10) == 1);
  CHECK(log.start_offset() == 10);
  CHECK(log.end_offset() == 10);
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

TEST_CASE("the files the flusher builds always recover the log", "[kafka_classic][unit]") {
  CHECK(rc::check("appends, truncations, retention and flushes in any order", [] {
    const std::uint64_t segment_bytes = *rc::gen::inRange<std::uint64_t>(1, 2000);
    PartitionLog log(segment_bytes);
    Files files;
    std::int64_t next_record = 0;
    std::int32_t epoch = 0;
    int second = 0;
    const auto flush = [&] { RC_ASSERT(flush_to(log, files)); };
    const auto ops = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 6));
    for (int op : ops) {
      if (op == 0 || op == 1) {
        if (op == 1) ++epoch;
        log.append(testing::make_record(next_record++), epoch, sim::Time() + sim::Duration::seconds(++second));
      } else if (op == 2) {
        log.truncate_to(*rc::gen::inRange<std::int64_t>(log.start_offset(), log.end_offset() + 1));
      } else if (op == 3) {
        flush();
      } else if (op == 4) {
        const auto cutoff = sim::Time() + sim::Duration::seconds(*rc::gen::inRange(0, second + 2));
        log.delete_segments_older_than(cutoff, *rc::gen::inRange<std::int64_t>(0, log.end_offset() + 1));
      } else {
        files.clear();  // a killed process's page cache written back
        for (auto& [base, bytes] : log.take_whole_files()) files[base] = bytes.str();
      }
    }
    flush();
    if (log.end_offset() == log.start_offset()) return;  // an empty log leaves no record of its start
    const PartitionLog recovered = recover_from(files);
    RC_ASSERT(recovered.start_offset() == log.start_offset());
    RC_ASSERT(recovered.end_offset() == log.end_offset());
    for (std::int64_t o = log.start_offset(); o < log.end_offset(); ++o) {
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
  CHECK_THROWS_AS(log.append(Record{}, 2, kT0), weir::sim::InvariantError);
  CHECK(log.end_offset() == 4);
  log.truncate_to(2);  // epoch 3 is gone with its records: epoch 2 may follow epoch 1
  log.append(Record{}, 2, kT0);
  CHECK(log.end_offset() == 3);
}
