#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "client_fixture.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::testing;
using namespace weir::sim::literals;

namespace {

struct Timed {
  ProduceResult result;
  sim::Duration took;
};

// Produces one record from a fiber of the client and records its result and latency.
void produce_timed(ClientFixture& f, Producer& producer, std::int32_t partition, std::string value, Timed& out) {
  const sim::Time start = f.sim.now();
  out.result = producer.produce("ingest", partition, make_record(std::move(value))).get();
  out.took = f.sim.now() - start;
}

}  // namespace

TEST_CASE("producer defaults are Mimir's franz-go settings", "[kafka_client][producer]") {
  const ProducerOptions o;
  CHECK(o.acks == -1);
  CHECK(o.max_in_flight_requests_per_broker == 20);
  CHECK(o.linger == 50_ms);
  CHECK(o.batch_max_bytes == 16'000'000);
  CHECK(o.delivery_timeout == 10_s);
  CHECK(o.request_timeout == 10_s);
  CHECK(o.request_timeout_overhead == 2_s);
  CHECK(o.dial_timeout == 2_s);
  CHECK(o.metadata_min_age == 10_s);
  CHECK(o.metadata_max_age == 10_s);
  CHECK(o.retry_backoff.min == 250_ms);
  CHECK(o.retry_backoff.max == 2500_ms);
  CHECK_FALSE(o.validate());
}

TEST_CASE("producer options reject nonsense", "[kafka_client][producer]") {
  const auto invalid = [](auto change) {
    ProducerOptions o;
    change(o);
    return o.validate().has_value();
  };
  CHECK(invalid([](ProducerOptions& o) { o.acks = 0; }));
  CHECK(invalid([](ProducerOptions& o) { o.max_in_flight_requests_per_broker = 0; }));
  CHECK(invalid([](ProducerOptions& o) { o.linger = sim::Duration::milliseconds(-1); }));
  CHECK(invalid([](ProducerOptions& o) { o.batch_max_bytes = 0; }));
  CHECK(invalid([](ProducerOptions& o) { o.delivery_timeout = sim::Duration(); }));
  CHECK(invalid([](ProducerOptions& o) { o.request_timeout_overhead = sim::Duration(); }));
  CHECK(invalid([](ProducerOptions& o) { o.dial_timeout = sim::Duration(); }));
  CHECK(invalid([](ProducerOptions& o) { o.retry_backoff.max = 1_ms; }));
  CHECK(invalid([](ProducerOptions& o) { o.retry_backoff.jitter = 1.0; }));
}

TEST_CASE("retry backoff doubles from 250 ms with jitter up to 2.5 s", "[kafka_client][producer]") {
  sim::Random random(7);
  const RetryBackoff backoff;
  for (int failures = 1; failures <= 12; ++failures) {
    const sim::Duration d = backoff.delay(failures, random);
    const double nominal = failures > 10 ? 2.5 : std::min(2.5, 0.25 * static_cast<double>(1 << (failures - 1)));
    CHECK(d.seconds_f() >= std::min(nominal * 0.8, 2.5) - 1e-9);
    CHECK(d.seconds_f() <= std::min(nominal * 1.2, 2.5) + 1e-9);
  }
}

TEST_CASE("a produced record is acknowledged at the offset the log stored it", "[kafka_client][producer]") {
  ClientFixture f;
  Producer producer = f.make_producer(f.producer_options());
  std::vector<ProduceResult> results;
  f.run([&] {
    std::vector<sim::Future<ProduceResult>> futures;
    for (int i = 0; i < 10; ++i) futures.push_back(producer.produce("ingest", i % 2, make_record(std::to_string(i))));
    for (auto& future : futures) results.push_back(future.get());
  });
  REQUIRE(results.size() == 10);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(results[i].ok());
    const auto log = f.log.records(i % 2);
    REQUIRE(results[i].offset < static_cast<std::int64_t>(log.size()));
    CHECK(log[static_cast<std::size_t>(results[i].offset)].record.value == std::to_string(i));
  }
  CHECK(f.log.end_offset(0) == 5);
  CHECK(f.log.end_offset(1) == 5);
  CHECK(producer.stats().records_acked == 10);
}

TEST_CASE("records produced within the linger share one Produce request", "[kafka_client][producer]") {
  ClientFixture f;
  Producer producer = f.make_producer(f.producer_options());
  Timed first;
  f.run([&] {
    f.sim.spawn(f.client, [&] { produce_timed(f, producer, 0, "a0", first); });
    producer.produce("ingest", 1, make_record("b0"));  // another partition, same leader, same instant
    for (int i = 1; i < 5; ++i) {
      f.sim.sleep(10_ms);
      producer.produce("ingest", 0, make_record("a"));
    }
    f.sim.sleep(300_ms);
    producer.produce("ingest", 0, make_record("late"));
  });
  REQUIRE(first.result.ok());
  CHECK(first.took >= 50_ms);  // lingered
  CHECK(first.took < 60_ms);
  CHECK(f.log.produce_requests() == 2);
  CHECK(f.log.records_per_produce_request() == std::vector<std::size_t>{6, 1});
}

TEST_CASE("each partition lingers from its own first record", "[kafka_client][producer]") {
  ClientFixture f;
  Producer producer = f.make_producer(f.producer_options());
  f.run([&] {
    producer.produce("ingest", 0, make_record("a"));
    f.sim.sleep(20_ms);
    producer.produce("ingest", 1, make_record("b"));
    producer.produce("ingest", 1, make_record("b"));
  });
  CHECK(f.log.records_per_produce_request() == std::vector<std::size_t>{1, 2});
}

TEST_CASE("a full batch is sent without waiting for the linger", "[kafka_client][producer]") {
  ClientFixture f;
  ProducerOptions options = f.producer_options();
  options.batch_max_bytes = 2 * make_record("xx").wire_bytes();
  Producer producer = f.make_producer(options);
  Timed second;
  f.run([&] {
    f.sim.sleep(10_ms);  // metadata is known
    producer.produce("ingest", 0, make_record("xx"));
    produce_timed(f, producer, 0, "xx", second);
  });
  REQUIRE(second.result.ok());
  CHECK(second.took < 10_ms);
  CHECK(f.log.produce_requests() == 1);
}

TEST_CASE("flush sends at once and waits for every result", "[kafka_client][producer]") {
  ClientFixture f;
  ProducerOptions options = f.producer_options();
  options.linger = 1_s;
  Producer producer = f.make_producer(options);
  sim::Future<ProduceResult> result;
  sim::Duration took;
  f.run([&] {
    f.sim.sleep(10_ms);
    result = producer.produce("ingest", 1, make_record("x"));
    const sim::Time start = f.sim.now();
    producer.flush();
    took = f.sim.now() - start;
  });
  REQUIRE(result.ready());
  CHECK(result.get().ok());
  CHECK(took < 10_ms);
}

TEST_CASE("a record bigger than a batch is rejected without being sent", "[kafka_client][producer]") {
  ClientFixture f;
  ProducerOptions options = f.producer_options();
  options.batch_max_bytes = 100;
  Producer producer = f.make_producer(options);
  auto result = producer.produce("ingest", 0, make_record(std::string(200, 'x')));
  REQUIRE(result.ready());
  CHECK(result.get().status == ProduceStatus::record_too_large);
  CHECK_FALSE(result.get().ambiguous());
  f.sim.run_for(1_s);
  CHECK(f.log.produce_requests() == 0);
}

TEST_CASE("no broker has more Produce requests in flight than the limit", "[kafka_client][producer]") {
  const int limit = GENERATE(20, 3);
  ClientFixture f(ReferenceLogOptions{{"zone-a"}, "ingest", 16});
  f.log.faults().produce_reply_delay = 1_s;
  ProducerOptions options = f.producer_options();
  options.max_in_flight_requests_per_broker = limit;
  Producer producer = f.make_producer(options);
  std::vector<sim::Future<ProduceResult>> futures;
  f.run([&] {
    sim::Random random(3);
    for (int i = 0; i < 400; ++i) {
      f.sim.sleep(5_ms);
      futures.push_back(producer.produce("ingest", static_cast<std::int32_t>(random.below(16)), make_record("r")));
    }
  });
  CHECK(f.log.max_concurrent_produces() == limit);
  CHECK(producer.stats().max_in_flight_observed == limit);
  for (auto& future : futures) {
    REQUIRE(future.ready());
    CHECK(future.get().ok());
  }
}

TEST_CASE("retriable errors are retried until the record is written", "[kafka_client][producer]") {
  ClientFixture f;
  f.log.faults().fail_produce_partitions = 3;
  f.log.faults().fail_produce_error = ErrorCode::not_enough_replicas;
  ProducerOptions options = f.producer_options();
  options.metadata_min_age = 100_ms;
  Producer producer = f.make_producer(options);
  Timed t;
  f.run([&] { produce_timed(f, producer, 2, "x", t); });
  REQUIRE(t.result.ok());
  CHECK(t.result.attempts == 4);
  CHECK(t.result.offset == 0);
  CHECK(f.log.produce_requests() == 4);
  CHECK(f.log.end_offset(2) == 1);
  CHECK(producer.stats().batches_retried == 3);
}

TEST_CASE("a non-retriable error fails the record at once", "[kafka_client][producer]") {
  ClientFixture f;
  f.log.faults().fail_produce_partitions = 1;
  f.log.faults().fail_produce_error = ErrorCode::offset_out_of_range;
  Producer producer = f.make_producer(f.producer_options());
  Timed t;
  f.run([&] { produce_timed(f, producer, 0, "x", t); });
  CHECK(t.result.status == ProduceStatus::rejected);
  CHECK(t.result.error == ErrorCode::offset_out_of_range);
  CHECK_FALSE(t.result.ambiguous());
  CHECK(f.log.produce_requests() == 1);
}

TEST_CASE("a record unanswered past the delivery timeout fails ambiguously", "[kafka_client][producer]") {
  ClientFixture f;
  f.log.faults().withhold_produce_replies = 1'000;
  Producer producer = f.make_producer(f.producer_options());
  Timed t;
  f.run([&] { produce_timed(f, producer, 0, "maybe", t); });
  CHECK(t.result.status == ProduceStatus::delivery_timeout);
  CHECK(t.result.error == ErrorCode::request_timed_out);
  CHECK(t.result.ambiguous());
  // Checked only when the answer is given up on: 10 s + 2 s after the send.
  CHECK(t.took >= 12_s);
  CHECK(t.took < 13_s);
  REQUIRE(f.log.end_offset(0) == 1);  // it is in the log all the same
  CHECK(f.log.records(0)[0].record.value == "maybe");
}

TEST_CASE("a lost answer and a retry write the record twice", "[kafka_client][producer]") {
  ClientFixture f;
  f.log.faults().withhold_produce_replies = 1;
  ProducerOptions options = f.producer_options();
  options.request_timeout = 1_s;
  options.request_timeout_overhead = 500_ms;
  options.metadata_min_age = 100_ms;
  Producer producer = f.make_producer(options);
  Timed t;
  f.run([&] { produce_timed(f, producer, 0, "twice", t); });
  REQUIRE(t.result.ok());
  CHECK(t.result.attempts == 2);
  CHECK(t.result.offset == 1);
  const auto log = f.log.records(0);
  REQUIRE(log.size() == 2);
  CHECK(log[0].record.digest() == log[1].record.digest());
}

TEST_CASE("a retried batch can land after a batch produced later", "[kafka_client][producer]") {
  ClientFixture f;
  f.log.faults().produce_reply_delay = 100_ms;
  f.log.faults().fail_produce_partitions = 1;
  ProducerOptions options = f.producer_options();
  options.metadata_min_age = 100_ms;
  Producer producer = f.make_producer(options);
  Timed first;
  Timed second;
  f.run([&] {
    f.sim.sleep(10_ms);
    f.sim.spawn(f.client, [&] { produce_timed(f, producer, 0, "first", first); });
    f.sim.sleep(60_ms);  // the first batch is in flight
    produce_timed(f, producer, 0, "second", second);
  });
  REQUIRE(first.result.ok());
  REQUIRE(second.result.ok());
  CHECK(first.result.attempts == 2);
  CHECK(second.result.offset < first.result.offset);
}

TEST_CASE("after NOT_LEADER_OR_FOLLOWER the producer follows the new leader", "[kafka_client][producer]") {
  ClientFixture f(ReferenceLogOptions{{"zone-a", "zone-b"}, "ingest", 2});
  ProducerOptions options = f.producer_options();
  options.metadata_min_age = 1_s;
  Producer producer = f.make_producer(options);
  Timed before;
  Timed after;
  f.run([&] {
    produce_timed(f, producer, 0, "before", before);
    f.log.move_leader(0, 1);
    produce_timed(f, producer, 0, "after", after);
  });
  REQUIRE(before.result.ok());
  REQUIRE(after.result.ok());
  CHECK(after.result.attempts == 2);
  CHECK(f.log.produce_requests_to(0) == 2);
  CHECK(f.log.produce_requests_to(1) == 1);
  CHECK(f.log.end_offset(0) == 2);
}

TEST_CASE("with Mimir's metadata min age a leader change costs up to 10 s", "[kafka_client][producer]") {
  ClientFixture f(ReferenceLogOptions{{"zone-a", "zone-b"}, "ingest", 2});
  Producer producer = f.make_producer(f.producer_options());
  Timed after;
  f.run([&] {
    f.sim.sleep(1_s);
    f.log.move_leader(1, 1);
    produce_timed(f, producer, 1, "after", after);
  });
  REQUIRE(after.result.ok());
  // The error-triggered refresh waits for 10 s after the first one, at t=0.
  CHECK(after.took >= 8900_ms);
}

// Metadata requests carry no timeout of their own, so franz-go deadlines them
// by the request timeout overhead alone: 2 s in Mimir's writer. A refresh
// lost on the connection to the first contact (the client's zone) then costs
// 2 s before the next contact answers, well within the record's 10 s.
TEST_CASE("a Metadata request lost on its connection times out after the request overhead",
          "[kafka_client][producer]") {
  ClientFixture f(ReferenceLogOptions{{"zone-a", "zone-b", "zone-c"}, "ingest", 2});
  f.log.move_leader(0, 1);
  ProducerOptions options = f.producer_options();
  options.metadata_min_age = 1_s;
  Producer producer = f.make_producer(options);
  Timed moved;
  f.run([&] {
    f.sim.sleep(1_s);  // the first refresh went through ref-0, whose connection stays open
    f.sim.network().isolate(f.log.node(0));
    f.log.move_leader(0, 2);
    produce_timed(f, producer, 0, "moved", moved);
  });
  REQUIRE(moved.result.ok());
  CHECK(moved.result.attempts == 2);
  CHECK(moved.took < 3_s);  // NOT_LEADER, then ref-0's 2 s silence, then ref-1's answer
  CHECK(f.log.produce_requests_to(2) == 1);
}

TEST_CASE("a crash of the producing node leaves pending results unresolved", "[kafka_client][producer]") {
  ClientFixture f;
  struct Holder : sim::Process {
    std::unique_ptr<Producer> producer;
  };
  sim::Future<ProduceResult> pending;
  const sim::NodeId node = f.sim.add_node(sim::NodeSpec{
      "distributor", "zone-a",
      [&](sim::Simulation& s, sim::NodeId self) {
        auto holder = std::make_unique<Holder>();
        holder->producer = std::make_unique<Producer>(s, self, f.log.bootstrap("zone-a"), f.producer_options());
        pending = holder->producer->produce("ingest", 0, make_record("lost"));
        return holder;
      },
      {}});
  f.sim.start(node);
  f.sim.run_for(10_ms);  // still lingering
  f.sim.crash(node);
  f.sim.run_for(30_s);
  CHECK_FALSE(pending.ready());
  CHECK(f.log.produce_requests() == 0);
}
