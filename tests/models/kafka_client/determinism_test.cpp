#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <string>
#include <vector>

#include "client_fixture.h"

using namespace weir;
using namespace weir::models::kafka;
using namespace weir::models::kafka::testing;
using namespace weir::sim::literals;

namespace {

struct Outcome {
  std::uint64_t trace_hash = 0;
  std::vector<std::int64_t> offsets;  // -1 for a failed record
  bool operator==(const Outcome&) const = default;
};

// Two leaders, lossy and jittery links, leadership moving under a producer
// and a consumer: everything the clients do must follow from the seed.
Outcome run_clients(std::uint64_t seed) {
  sim::NetworkOptions network;
  network.drop_probability = 0.02;
  network.duplicate_probability = 0.02;
  network.delay_probability = 0.1;
  ClientFixture f(ReferenceLogOptions{{"zone-a", "zone-b"}, "ingest", 4}, seed, network);
  f.log.faults().fail_produce_partitions = 2;
  ProducerOptions producer_options = f.producer_options();
  producer_options.metadata_min_age = 200_ms;
  producer_options.request_timeout = 1_s;
  producer_options.request_timeout_overhead = 200_ms;
  Producer producer = f.make_producer(producer_options);
  ConsumerOptions consumer_options = f.consumer_options();
  consumer_options.request_timeout_overhead = 1_s;
  Consumer consumer(f.sim, f.client, f.log.bootstrap("zone-a"), consumer_options);
  std::vector<sim::Future<ProduceResult>> futures;
  f.run(
      [&] {
        sim::Random random = f.sim.random("test-workload");
        for (int i = 0; i < 60; ++i) {
          f.sim.sleep(sim::Duration::milliseconds(1 + static_cast<std::int64_t>(random.below(30))));
          const auto partition = static_cast<std::int32_t>(random.below(4));
          futures.push_back(producer.produce("ingest", partition, make_record(std::to_string(i))));
          if (i == 30) f.log.move_leader(partition, 1);
        }
        producer.flush();
        consumer.commit("g", TopicPartition{"ingest", 0}, 5);
        consumer.fetch(TopicPartition{"ingest", 1}, 0, 100_ms);
      },
      30_s);
  Outcome outcome{f.sim.trace_hash(), {}};
  for (auto& future : futures) outcome.offsets.push_back(future.ready() && future.get().ok() ? future.get().offset : -1);
  return outcome;
}

}  // namespace

TEST_CASE("the clients are deterministic: same seed, same trace hash", "[kafka_client][determinism]") {
  CHECK(rc::check("run twice", [] {
    const auto seed = *rc::gen::inRange<std::uint64_t>(0, 1'000'000);
    const Outcome first = run_clients(seed);
    const auto acked = std::count_if(first.offsets.begin(), first.offsets.end(), [](std::int64_t o) { return o >= 0; });
    RC_ASSERT(acked >= 40);  // the run did real work despite the faults
    RC_ASSERT(first == run_clients(seed));
    RC_ASSERT(first.trace_hash != run_clients(seed + 1).trace_hash);
  }));
}
