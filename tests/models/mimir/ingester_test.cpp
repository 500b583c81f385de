#include <catch2/catch.hpp>

#include "read_path_fixture.h"
#include "weir/properties/checks/check_exact_resume.h"
#include "weir/properties/checks/check_gapless_replay.h"
#include "weir/properties/checks/check_identical_ordering.h"

using namespace weir;
using namespace weir::models;
using namespace weir::models::mimir;
using namespace weir::models::mimir::testing;

namespace {

// Record i holds series i at timestamp 1000 * (i + 1): every record has its
// own series, so a re-consumed record is an identical duplicate.
std::int64_t produce_records(ReadPathFixture& f, PartitionId partition, int first, int count) {
  std::int64_t last = -1;
  for (int i = first; i < first + count; ++i) last = f.produce(partition, make_request({i}, 1000 * (i + 1)));
  return last;
}

std::vector<properties::Violation> gapless_violations(ReadPathFixture& f) {
  f.record_log_bounds();
  return properties::check_gapless_replay(f.history, properties::CheckOptions{}).violations;
}

std::vector<int> range(int first, int count) {
  std::vector<int> out;
  for (int i = first; i < first + count; ++i) out.push_back(i);
  return out;
}

}  // namespace

TEST_CASE("ingester options default to Mimir's and validate", "[mimir][ingester]") {
  const IngesterOptions o;
  CHECK(o.commit_interval == 1_s);
  CHECK(o.last_produced_offset_poll_interval == 1_s);
  CHECK(o.target_consumer_lag_at_startup == 2_s);
  CHECK(o.max_consumer_lag_at_startup == 15_s);
  CHECK(o.wait_strong_read_consistency_timeout == 20_s);
  CHECK(o.fetch_concurrency_max == 12);
  CHECK(o.head_compaction_interval == 60_s);
  CHECK(o.head.block_range_ms == 2 * 3600 * 1000);
  CHECK_FALSE(o.commit_before_wal_fsync);
  CHECK_FALSE(o.start_at_log_end_without_offset);
  CHECK_FALSE(o.drop_whole_fetch_on_partial_error);
  CHECK_FALSE(o.ignore_record_at_offset_zero);
  CHECK_FALSE(o.return_overlapping_records_twice);
  CHECK_FALSE(o.resume_from_unset_last_returned_offset);
  CHECK_FALSE(o.missing_committed_offset_as_zero);
  CHECK_FALSE(o.validate());
  IngesterOptions bad;
  bad.target_consumer_lag_at_startup = 20_s;
  CHECK(bad.validate());
  bad = IngesterOptions{};
  bad.head_compaction_interval = 600_s;
  CHECK(bad.validate());
  CHECK(ingester_name("zone-a", 13) == "ingester-zone-a-13");
}

TEST_CASE("an ingester consumes its partition, commits and answers queries", "[mimir][ingester]") {
  ReadPathFixture f;
  produce_records(f, 0, 0, 10);
  // An undecodable record and a sample rejected by the TSDB rules: both consumed.
  f.await<std::int64_t>([&] {
    auto ack = f.producer->produce("ingest", 0, kafka::Record{kTenant, "not a write request", 0, {}});
    f.producer->flush();
    return ack.get().offset;
  });
  prometheus::WriteRequest conflicting = make_request({0}, 1000);
  conflicting.mutable_timeseries(0)->mutable_samples(0)->set_value(-1);
  const std::int64_t last = f.produce(0, conflicting);
  REQUIRE(last == 11);

  const sim::NodeId node = f.add_ingester("zone-a", 0);
  f.sim.run_for(10_s);
  Ingester* ingester = f.ingester(node);
  REQUIRE(ingester != nullptr);
  CHECK(ingester->ready());
  CHECK(ingester->consumer_group() == "ingester-zone-a-0");
  CHECK(ingester->start_offset() == 0);
  CHECK(ingester->last_consumed_offset() == last);
  CHECK(ingester->last_committed_offset() == last);  // Mimir commits the last consumed offset
  CHECK(ingester->stats().records_undecodable == 1);
  CHECK(ingester->heads().count(AppendOutcome::duplicate_timestamp) == 1);
  CHECK(ingester->stats().offset_gaps == 0);

  const IngesterQueryResponse answer = f.query_ingester(node, select(range(0, 10)));
  REQUIRE(answer.ok);
  REQUIRE(answer.series.size() == 10);
  for (int i = 0; i < 10; ++i) {
    const auto& s = answer.series[static_cast<std::size_t>(
        std::find_if(answer.series.begin(), answer.series.end(), [&](const auto& r) { return r.series == test_series(i); }) -
        answer.series.begin())];
    REQUIRE(s.samples.size() == 1);
    CHECK(s.samples[0].ts_ms == 1000 * (i + 1));
    CHECK(s.samples[0].value == properties::sample_value(test_series(i), 1000 * (i + 1)));
  }

  // The history: a start at 0, every offset applied with the log's digest, a commit.
  std::vector<properties::Offset> applied;
  bool restarted_at_zero = false;
  for (const auto& e : f.history.data().ingester_events) {
    if (e.kind == properties::IngesterEventKind::restarted) restarted_at_zero = e.offset == 0;
    if (e.kind == properties::IngesterEventKind::applied) {
      applied.push_back(e.offset);
      CHECK(e.digest == f.log.records(0)[static_cast<std::size_t>(e.offset)].record.digest());
      CHECK(e.zone == "zone-a");
    }
  }
  CHECK(restarted_at_zero);
  CHECK(applied.size() == 12);
  CHECK_FALSE(f.history.data().lag_samples.empty());
  CHECK(gapless_violations(f).empty());
}

TEST_CASE("an ingester refuses reads until its lag is under 15 s", "[mimir][ingester]") {
  ReadPathFixture f;
  const std::int64_t last = produce_records(f, 0, 0, 300);
  // Each WAL write takes 100 ms: the 300-record backlog takes 30 s to consume.
  sim::DiskOptions slow = constant_disk();
  slow.write_latency = sim::Latency::constant(100_ms);
  const sim::NodeId node = f.add_ingester("zone-a", 0, {}, slow);
  f.sim.run_for(5_s);
  const IngesterQueryResponse early = f.query_ingester(node, select({0}));
  CHECK_FALSE(early.ok);
  CHECK(early.error == "not serving yet (catching up)");
  Ingester* ingester = f.ingester(node);
  CHECK_FALSE(ingester->ready());
  CHECK(ingester->stats().queries_not_ready == 1);
  // Poll until ready: by then it has consumed everything produced before it started.
  while (!ingester->ready()) f.sim.run_for(10_ms);
  CHECK(ingester->last_consumed_offset() == last);
  CHECK(f.sim.now() > sim::Time::zero() + 30_s);
  CHECK(f.query_ingester(node, select({0, 299})).ok);
}

TEST_CASE("WAL replay after a crash restores the head and resumes at committed + 1", "[mimir][ingester]") {
  ReadPathFixture f;  // ref-0 (zone-a) leads the partitions, ref-1 (zone-b) coordinates groups
  f.log.move_coordinator(1);
  produce_records(f, 0, 0, 5);
  const sim::NodeId node = f.add_ingester("zone-a", 0);
  f.sim.run_for(5_s);
  REQUIRE(f.ingester(node)->last_committed_offset() == 4);

  // Commits now fail (the coordinator is unreachable) while the WAL is still fsynced.
  const auto cut = f.sim.network().partition({node}, {f.log.node(1)});
  const std::int64_t last = produce_records(f, 0, 5, 5);
  f.sim.run_for(3_s);
  Ingester* before = f.ingester(node);
  REQUIRE(before->last_consumed_offset() == last);
  REQUIRE(before->last_committed_offset() == 4);
  const IngesterQueryResponse head_before = f.query_ingester(node, select(range(0, 10)));
  REQUIRE(sample_count(head_before.series) == 10);

  f.sim.crash(node);
  f.sim.network().repair(cut);
  f.sim.start(node);
  f.sim.run_for(5_s);
  Ingester* after = f.ingester(node);
  REQUIRE(after != nullptr);
  CHECK(after->stats().replay.records == 10);
  CHECK(after->start_offset() == 5);  // committed 4 + 1
  CHECK(after->last_consumed_offset() == last);
  // Records 5..9 were in the WAL and consumed again: identical duplicates, nothing rejected.
  CHECK(after->heads().count(AppendOutcome::duplicate) == 5);
  CHECK(after->heads().rejected_samples() == 0);
  CHECK(f.query_ingester(node, select(range(0, 10))).series == head_before.series);
  CHECK(gapless_violations(f).empty());
  // The restart resumed exactly after its commit and replayed 5..9 in order, from its resume offset.
  const properties::PropertyResult exact = properties::check_exact_resume(f.history, {});
  CHECK(exact.violations.empty());
  CHECK(exact.judged == 2);  // the first start and the restart
  CHECK(properties::check_identical_ordering(f.history, {}).violations.empty());
}

TEST_CASE("a torn WAL tail is cut off and the records after the commit are consumed again", "[mimir][ingester]") {
  ReadPathFixture f;
  sim::DiskOptions disk = constant_disk();
  disk.torn_last_write = true;
  produce_records(f, 0, 0, 20);
  const sim::NodeId node = f.add_ingester("zone-a", 0, {}, disk);
  f.sim.run_for(5_s);
  produce_records(f, 0, 20, 10);
  f.sim.run_for(200_ms);  // consumed, not yet fsynced
  const std::int64_t committed = f.ingester(node)->last_committed_offset();
  f.sim.crash(node);
  f.sim.start(node);
  f.sim.run_for(5_s);
  Ingester* after = f.ingester(node);
  CHECK(after->stats().replay.records >= static_cast<std::uint64_t>(committed + 1));
  CHECK(after->stats().replay.torn_tails + after->stats().replay.corrupt_frames <= 1);
  CHECK(after->start_offset() == committed + 1);
  CHECK(sample_count(f.query_ingester(node, select(range(0, 30))).series) == 30);
}

TEST_CASE("commit happens only after the WAL fsync; the knob loses samples on a crash in between",
          "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("commit_before_wal_fsync = " << knob) {
      ReadPathFixture f;
      IngesterOptions options;
      options.commit_before_wal_fsync = knob;
      sim::DiskOptions disk = constant_disk();
      disk.fsync_latency = sim::Latency::constant(300_ms);
      produce_records(f, 0, 0, 5);
      const sim::NodeId node = f.add_ingester("zone-a", 0, options, disk);
      f.sim.run_for(5_s);
      REQUIRE(f.ingester(node)->last_committed_offset() == 4);

      const std::int64_t last = produce_records(f, 0, 5, 5);
      // Crash the moment the commit of the new records is acknowledged.
      while (f.ingester(node)->last_committed_offset() < last) f.sim.run_for(1_ms);
      f.sim.crash(node);
      f.sim.start(node);
      f.sim.run_for(5_s);
      Ingester* after = f.ingester(node);
      CHECK(after->start_offset() == last + 1);
      const std::size_t kept = sample_count(f.query_ingester(node, select(range(0, 10))).series);
      if (knob) {
        CHECK(kept == 5);  // the committed records 5..9 were never durable: lost
      } else {
        CHECK(kept == 10);
      }
    }
  }
}

TEST_CASE("with start_at_log_end_without_offset a new ingester skips the partition", "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("start_at_log_end_without_offset = " << knob) {
      ReadPathFixture f;
      produce_records(f, 0, 0, 10);
      IngesterOptions options;
      options.start_at_log_end_without_offset = knob;
      const sim::NodeId node = f.add_ingester("zone-a", 0, options);
      f.sim.run_for(3_s);
      produce_records(f, 0, 10, 5);
      f.sim.run_for(3_s);
      Ingester* ingester = f.ingester(node);
      CHECK(ingester->start_offset() == (knob ? 10 : 0));
      CHECK(ingester->last_consumed_offset() == 14);
      const auto violations = gapless_violations(f);
      if (knob) {
        REQUIRE_FALSE(violations.empty());
        CHECK(sample_count(f.query_ingester(node, select(range(0, 15))).series) == 5);
      } else {
        CHECK(violations.empty());
      }
    }
  }
}

TEST_CASE("with drop_whole_fetch_on_partial_error a failed sub-fetch leaves a gap", "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("drop_whole_fetch_on_partial_error = " << knob) {
      ReadPathFixture f(7);
      produce_records(f, 0, 0, 400);
      IngesterOptions options;
      options.drop_whole_fetch_on_partial_error = knob;
      options.records_per_fetch = 10;
      options.fetch_concurrency_max = 4;
      const sim::NodeId node = f.add_ingester("zone-a", 0, options);
      f.sim.network().options().drop_probability = 0.1;  // some sub-fetches time out
      f.sim.run_for(120_s);
      f.sim.network().options().drop_probability = 0.0;
      f.sim.run_for(30_s);
      // New records let a reader that skipped the end of the backlog catch up.
      const std::int64_t last = produce_records(f, 0, 400, 5);
      f.sim.run_for(30_s);
      Ingester* ingester = f.ingester(node);
      REQUIRE(ingester->ready());
      CHECK(ingester->last_consumed_offset() == last);
      const PartitionFetcherStats& fetch = ingester->fetcher()->stats();
      CHECK(fetch.concurrent_fetches > 0);
      CHECK(fetch.fetch_errors > 0);
      const auto violations = gapless_violations(f);
      if (knob) {
        CHECK(fetch.fetches_dropped > 0);
        CHECK(ingester->stats().offset_gaps > 0);
        CHECK_FALSE(violations.empty());
      } else {
        CHECK(fetch.ranges_refetched > 0);
        CHECK(ingester->stats().offset_gaps == 0);
        CHECK(violations.empty());
        CHECK(sample_count(f.query_ingester(node, select(range(0, 405))).series) == 405);
      }
    }
  }
}

TEST_CASE("with ignore_record_at_offset_zero the partition's first record is never applied",
          "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("ignore_record_at_offset_zero = " << knob) {
      ReadPathFixture f;
      const std::int64_t last = produce_records(f, 0, 0, 10);
      IngesterOptions options;
      options.ignore_record_at_offset_zero = knob;
      const sim::NodeId node = f.add_ingester("zone-a", 0, options);
      f.sim.run_for(5_s);
      Ingester* ingester = f.ingester(node);
      CHECK(ingester->start_offset() == 0);
      CHECK(ingester->last_consumed_offset() == last);
      const std::size_t kept = sample_count(f.query_ingester(node, select(range(0, 10))).series);
      CHECK(kept == (knob ? 9 : 10));
      CHECK(gapless_violations(f).empty() == !knob);
    }
  }
}

TEST_CASE("with return_overlapping_records_twice a concurrent fetch applies records again",
          "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("return_overlapping_records_twice = " << knob) {
      ReadPathFixture f;
      const std::int64_t last = produce_records(f, 0, 0, 100);
      IngesterOptions options;
      options.return_overlapping_records_twice = knob;
      options.records_per_fetch = 10;
      options.fetch_concurrency_max = 4;
      const sim::NodeId node = f.add_ingester("zone-a", 0, options);
      f.sim.run_for(10_s);
      Ingester* ingester = f.ingester(node);
      REQUIRE(ingester->ready());
      CHECK(ingester->last_consumed_offset() == last);
      CHECK(ingester->fetcher()->stats().concurrent_fetches > 0);
      CHECK(sample_count(f.query_ingester(node, select(range(0, 100))).series) == 100);
      const auto violations = properties::check_identical_ordering(f.history, {}).violations;
      if (knob) {
        CHECK(ingester->stats().records_consumed > 100);
        CHECK_FALSE(violations.empty());
      } else {
        CHECK(ingester->stats().records_consumed == 100);
        CHECK(violations.empty());
      }
    }
  }
}

TEST_CASE("with resume_from_unset_last_returned_offset a caught-up restart replays the partition",
          "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("resume_from_unset_last_returned_offset = " << knob) {
      ReadPathFixture f;
      const std::int64_t last = produce_records(f, 0, 0, 10);
      IngesterOptions options;
      options.resume_from_unset_last_returned_offset = knob;
      const sim::NodeId node = f.add_ingester("zone-a", 0, options);
      f.sim.run_for(5_s);
      REQUIRE(f.ingester(node)->last_committed_offset() == last);
      // Restarted with everything committed: caught up before any record is returned.
      f.sim.crash(node);
      f.sim.start(node);
      f.sim.run_for(15_s);
      Ingester* after = f.ingester(node);
      REQUIRE(after->ready());
      CHECK(after->start_offset() == last + 1);
      const auto violations = properties::check_identical_ordering(f.history, {}).violations;
      if (knob) {
        CHECK(after->stats().records_consumed == 10);  // 0..9 again, from the log start
        CHECK_FALSE(violations.empty());
      } else {
        CHECK(after->stats().records_consumed == 0);
        CHECK(violations.empty());
      }
    }
  }
}

TEST_CASE("with missing_committed_offset_as_zero a new ingester resumes after offset 0",
          "[mimir][ingester][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("missing_committed_offset_as_zero = " << knob) {
      ReadPathFixture f;
      const std::int64_t last = produce_records(f, 0, 0, 10);
      IngesterOptions options;
      options.missing_committed_offset_as_zero = knob;
      const sim::NodeId node = f.add_ingester("zone-a", 0, options);
      f.sim.run_for(5_s);
      Ingester* ingester = f.ingester(node);
      CHECK(ingester->start_offset() == (knob ? 1 : 0));
      CHECK(ingester->last_consumed_offset() == last);
      CHECK(sample_count(f.query_ingester(node, select(range(0, 10))).series) == (knob ? 9u : 10u));
      CHECK(gapless_violations(f).empty() == !knob);
    }
  }
}

TEST_CASE("a strong read waits for its offset and times out after 20 s", "[mimir][ingester]") {
  ReadPathFixture f;
  const std::int64_t last = produce_records(f, 0, 0, 3);
  const sim::NodeId node = f.add_ingester("zone-a", 0);
  f.sim.run_for(5_s);

  // Wait for an offset produced 3 s later.
  std::optional<IngesterQueryResponse> waited;
  sim::Time answered_at;
  f.sim.spawn(f.client, [&] {
    IngesterQueryRequest request{kTenant, select(range(0, 4)), last + 1, 20_s};
    auto reply = f.sim.network().call(f.client, node,
                                                             sim::Payload{request, 64, 0, "query"}, 60_s);
    answered_at = f.sim.now();
    waited = reply.ok() ? reply.value() : IngesterQueryResponse{false, "rpc timed out", {}};
  });
  f.sim.run_for(3_s);
  CHECK_FALSE(waited.has_value());
  const sim::Time produced_at = f.sim.now();
  produce_records(f, 0, 3, 1);
  f.sim.run_for(1_s);
  REQUIRE(waited.has_value());
  CHECK(waited->ok);
  CHECK(sample_count(waited->series) == 4);
  CHECK(answered_at - produced_at < 100_ms);

  // An offset never produced: fails after the ingester's 20 s.
  const sim::Time asked_at = f.sim.now();
  const IngesterQueryResponse timed_out = f.query_ingester(node, select({0}), last + 100);
  CHECK_FALSE(timed_out.ok);
  CHECK(timed_out.error == "strong read timed out");
  CHECK(f.sim.now() - asked_at >= 20_s);
  CHECK(f.sim.now() - asked_at < 21_s);
  CHECK(f.ingester(node)->stats().strong_read_timeouts == 1);
}

TEST_CASE("an eventual read may be stale; a strong read then times out", "[mimir][ingester]") {
  ReadPathFixture f;
  produce_records(f, 0, 0, 2);
  const sim::NodeId node = f.add_ingester("zone-a", 0);
  f.sim.run_for(5_s);
  // The ingester can no longer fetch: a new record stays unconsumed.
  f.sim.network().partition({node}, {f.log.node(0)});
  const std::int64_t offset = produce_records(f, 0, 2, 1);
  const IngesterQueryResponse eventual = f.query_ingester(node, select(range(0, 3)));
  CHECK(eventual.ok);
  CHECK(sample_count(eventual.series) == 2);  // stale: the acknowledged third sample is missing
  const IngesterQueryResponse strong = f.query_ingester(node, select(range(0, 3)), offset);
  CHECK_FALSE(strong.ok);
  CHECK(strong.error == "strong read timed out");
}
