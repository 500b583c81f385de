#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "client_fixture.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::testing;
using namespace weir::sim::literals;

namespace {

// Writes `count` records to `partition` through a producer and waits for them.
void fill(ClientFixture& f, std::int32_t partition, int count) {
  Producer producer = f.make_producer(f.producer_options());
  f.run(
      [&] {
        for (int i = 0; i < count; ++i) producer.produce("ingest", partition, make_record(std::to_string(i)));
        producer.flush();
      },
      1_s);
}

}  // namespace

TEST_CASE("consumer defaults are Mimir's reader settings", "[kafka_client][consumer]") {
  const ConsumerOptions o;
  CHECK(o.fetch_max_wait == 5_s);
  CHECK(o.fetch_min_bytes == 1);
  CHECK(o.fetch_max_bytes == 100'000'000);
  CHECK(o.list_offsets_retry_timeout == 10_s);
  CHECK(o.metadata_min_age == 10_s);
  CHECK(o.dial_timeout == 2_s);
  CHECK_FALSE(o.validate());
  ConsumerOptions bad;
  bad.fetch_min_bytes = bad.fetch_max_bytes + 1;
  CHECK(bad.validate());
}

TEST_CASE("fetch returns the records from the asked offset with the high watermark", "[kafka_client][consumer]") {
  ClientFixture f;
  fill(f, 1, 5);
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), f.consumer_options());
  FetchResult fetched;
  f.run([&] { fetched = consumer.fetch(TopicPartition{"ingest", 1}, 2); }, 1_s);
  REQUIRE(fetched.ok());
  CHECK(fetched.high_watermark == 5);
  CHECK(fetched.log_start_offset == 0);
  REQUIRE(fetched.records.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(fetched.records[i].offset == static_cast<std::int64_t>(i) + 2);
    CHECK(fetched.records[i].record.value == std::to_string(i + 2));
  }
}

TEST_CASE("a fetch outside the log is OFFSET_OUT_OF_RANGE and list_offsets finds the bounds",
          "[kafka_client][consumer]") {
  ClientFixture f;
  fill(f, 0, 10);
  f.log.truncate_before(0, 4);
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), f.consumer_options());
  const TopicPartition tp{"ingest", 0};
  FetchResult below;
  FetchResult above;
  FetchResult restarted;
  OffsetResult earliest;
  OffsetResult latest;
  f.run(
      [&] {
        below = consumer.fetch(tp, 0);
        above = consumer.fetch(tp, 11);
        earliest = consumer.list_offsets(tp, kEarliestTimestamp);
        latest = consumer.list_offsets(tp, kLatestTimestamp);
        restarted = consumer.fetch(tp, earliest.offset);
      },
      5_s);
  CHECK(below.error == ErrorCode::offset_out_of_range);
  CHECK(below.log_start_offset == 4);
  CHECK(above.error == ErrorCode::offset_out_of_range);
  REQUIRE(earliest.ok());
  CHECK(earliest.offset == 4);
  REQUIRE(latest.ok());
  CHECK(latest.offset == 10);
  REQUIRE(restarted.ok());
  REQUIRE(restarted.records.size() == 6);
  CHECK(restarted.records.front().offset == 4);
}

TEST_CASE("a fetch at the log end waits up to max wait for new records", "[kafka_client][consumer]") {
  ClientFixture f;
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), f.consumer_options());
  const TopicPartition tp{"ingest", 3};
  FetchResult empty;
  sim::Duration empty_took;
  f.run(
      [&] {
        f.sim.sleep(10_ms);  // metadata is known
        const sim::Time start = f.sim.now();
        empty = consumer.fetch(tp, 0, 2_s);
        empty_took = f.sim.now() - start;
      },
      5_s);
  REQUIRE(empty.ok());
  CHECK(empty.records.empty());
  CHECK(empty_took == 2_s + 2_ms);  // the wait plus a round trip

  Producer producer = f.make_producer(f.producer_options());
  FetchResult woken;
  sim::Duration woken_took;
  f.run(
      [&] {
        f.sim.spawn(f.client, [&] {
          f.sim.sleep(500_ms);
          producer.produce("ingest", 3, make_record("news"));
        });
        const sim::Time start = f.sim.now();
        woken = consumer.fetch(tp, 0);  // fetch_max_wait: 5 s
        woken_took = f.sim.now() - start;
      },
      10_s);
  REQUIRE(woken.ok());
  REQUIRE(woken.records.size() == 1);
  CHECK(woken.records[0].record.value == "news");
  CHECK(woken_took < 1_s);  // answered on the append (after the 50 ms linger), not at max wait
}

TEST_CASE("after a leader move the consumer's next fetch reaches the new leader", "[kafka_client][consumer]") {
  ClientFixture f(ReferenceLogOptions{{"zone-a", "zone-b"}, "ingest", 2});
  fill(f, 0, 3);
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), f.consumer_options());
  const TopicPartition tp{"ingest", 0};
  FetchResult before;
  FetchResult stale;
  FetchResult after;
  OffsetResult latest;
  f.run(
      [&] {
        before = consumer.fetch(tp, 0);
        f.log.move_leader(0, 1);
        stale = consumer.fetch(tp, 0);
        f.sim.sleep(300_ms);  // the caller's backoff, as Mimir's reader does
        after = consumer.fetch(tp, 0);
        f.log.move_leader(0, 0);
        latest = consumer.list_offsets(tp, kLatestTimestamp);  // retries internally
      },
      5_s);
  CHECK(before.ok());
  CHECK(stale.error == ErrorCode::not_leader_or_follower);
  REQUIRE(after.ok());
  CHECK(after.records.size() == 3);
  REQUIRE(latest.ok());
  CHECK(latest.offset == 3);
}

// The first fetch is lost on its open connection and waits out its whole
// timeout, which closes the connection; the next must dial the leader, and a
// dial to an unreachable broker gives up at the dial timeout (franz-go), so
// the reader learns within 2 s, not 11, that the leader is still away.
TEST_CASE("a fetch from an unreachable leader times out, and the next gives up at the dial timeout",
          "[kafka_client][consumer]") {
  ClientFixture f;
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), f.consumer_options());
  const TopicPartition tp{"ingest", 0};
  const auto timed_fetch = [&](FetchResult& fetched) {
    const sim::Time start = f.sim.now();
    fetched = consumer.fetch(tp, 0, 1_s);
    return f.sim.now() - start;
  };
  FetchResult connected, lost, redialed, healed;
  sim::Duration lost_took, redialed_took, healed_took;
  f.run(
      [&] {
        timed_fetch(connected);
        const sim::PartitionId cut = f.sim.network().isolate(f.log.node(0));
        lost_took = timed_fetch(lost);
        redialed_took = timed_fetch(redialed);
        f.sim.network().repair(cut);
        healed_took = timed_fetch(healed);
      },
      60_s);
  CHECK(connected.ok());
  CHECK(lost.error == ErrorCode::request_timed_out);
  CHECK(lost_took == 1_s + 10_s);  // max wait plus the request timeout overhead
  CHECK(redialed.error == ErrorCode::request_timed_out);
  CHECK(redialed_took == 2_s);  // Mimir's dial timeout
  CHECK(healed.ok());
  CHECK(healed_took < 1100_ms);  // dialed at once; the empty partition holds the fetch for its max wait
}

TEST_CASE("group offsets are committed and fetched through the coordinator", "[kafka_client][consumer]") {
  ClientFixture f(ReferenceLogOptions{{"zone-a", "zone-b"}, "ingest", 2});
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), f.consumer_options());
  const TopicPartition tp{"ingest", 1};
  OffsetResult none;
  OffsetResult first;
  OffsetResult moved;
  OffsetResult other_group;
  ErrorCode commit_first = ErrorCode::kafka_storage_error;
  ErrorCode commit_moved = ErrorCode::kafka_storage_error;
  f.run([&] {
    none = consumer.fetch_committed("ingester-zone-a-1", tp);
    commit_first = consumer.commit("ingester-zone-a-1", tp, 42);
    first = consumer.fetch_committed("ingester-zone-a-1", tp);
    f.log.move_coordinator(1);  // the cached coordinator now refuses
    commit_moved = consumer.commit("ingester-zone-a-1", tp, 43);
    moved = consumer.fetch_committed("ingester-zone-a-1", tp);
    other_group = consumer.fetch_committed("ingester-zone-b-1", tp);
  });
  REQUIRE(none.ok());
  CHECK(none.offset == -1);
  CHECK(commit_first == ErrorCode::none);
  REQUIRE(first.ok());
  CHECK(first.offset == 42);
  CHECK(commit_moved == ErrorCode::none);
  REQUIRE(moved.ok());
  CHECK(moved.offset == 43);
  REQUIRE(other_group.ok());
  CHECK(other_group.offset == -1);
  CHECK(consumer.stats().coordinator_lookups == 3);  // first, after the move, the other group
}

TEST_CASE("offset commits give up after the group retry timeout", "[kafka_client][consumer]") {
  ClientFixture f;
  ConsumerOptions options = f.consumer_options();
  options.group_retry_timeout = 5_s;
  options.request_timeout_overhead = 1_s;
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), options);
  ErrorCode result = ErrorCode::none;
  sim::Duration took;
  f.run([&] {
    f.sim.sleep(10_ms);
    f.sim.network().isolate(f.log.node(0));
    const sim::Time start = f.sim.now();
    result = consumer.commit("g", TopicPartition{"ingest", 0}, 1);
    took = f.sim.now() - start;
  });
  CHECK(result == ErrorCode::coordinator_not_available);
  // The last lookup may start just before the deadline and take its 1 s.
  CHECK(took <= 5_s + 1_s + 1_s);
  CHECK(took >= 4_s);
}
