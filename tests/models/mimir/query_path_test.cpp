#include <catch2/catch.hpp>

#include "read_path_fixture.h"

using namespace weir;
using namespace weir::models;
using namespace weir::models::mimir;
using namespace weir::models::mimir::testing;
using properties::ReadConsistency;

namespace {

// Series i goes to partition i % 2, at timestamp 1000 * (i + 1).
std::int64_t write_series(ReadPathFixture& f, int first, int count) {
  std::int64_t last = -1;
  for (int i = first; i < first + count; ++i) last = f.produce(i % 2, make_request({i}, 1000 * (i + 1)));
  return last;
}

std::vector<int> range(int first, int count) {
  std::vector<int> out;
  for (int i = first; i < first + count; ++i) out.push_back(i);
  return out;
}

bool holds(const std::vector<properties::SeriesResult>& result, int series) {
  for (const auto& s : result) {
    if (s.series == test_series(series)) return !s.samples.empty();
  }
  return false;
}

struct Cluster {
  explicit Cluster(ReadPathFixture& f, QueryFrontendOptions qf = {}, sim::DiskOptions disk = constant_disk()) {
    f.add_all_ingesters({}, disk);
    f.add_store_gateway("zone-a");
    f.add_store_gateway("zone-b");
    querier_a = f.add_querier("zone-a");
    querier_b = f.add_querier("zone-b");
    frontend = f.add_query_frontend(qf);
  }
  sim::NodeId querier_a = sim::kNoNode;
  sim::NodeId querier_b = sim::kNoNode;
  sim::NodeId frontend = sim::kNoNode;
};

}  // namespace

TEST_CASE("topology orders a partition's ingesters own zone first", "[mimir][query]") {
  ReadTopology t;
  t.add_ingester(3, "zone-b", 11);
  t.add_ingester(3, "zone-a", 10);
  t.add_ingester(3, "zone-c", 12);
  t.add_ingester(1, "zone-a", 20);
  CHECK(t.partitions() == std::vector<PartitionId>{1, 3});
  CHECK(t.ingesters_for(3, "zone-b") == std::vector<sim::NodeId>{11, 10, 12});
  CHECK(t.ingesters_for(3, "zone-d") == std::vector<sim::NodeId>{10, 11, 12});
  CHECK(t.ingesters_for(7, "zone-a").empty());
  t.add_store_gateway("zone-a", 30);
  t.add_store_gateway("zone-b", 31);
  CHECK(t.store_gateways_for("zone-b") == std::vector<sim::NodeId>{31, 30});
}

TEST_CASE("a query through the frontend merges partitions and zones without duplicates", "[mimir][query]") {
  ReadPathFixture f;
  const Cluster c(f);
  write_series(f, 0, 10);
  f.sim.run_for(5_s);
  for (const ReadConsistency consistency : {ReadConsistency::eventual, ReadConsistency::strong}) {
    const QueryResponse answer = f.query(c.frontend, select(range(0, 10)), consistency);
    REQUIRE(answer.ok);
    CHECK_FALSE(answer.zone.empty());
    CHECK(answer.querier == named("querier-", answer.zone));
    REQUIRE(answer.series.size() == 10);
    for (const auto& s : answer.series) {
      REQUIRE(s.samples.size() == 1);
      CHECK(s.samples[0].value == properties::sample_value(s.series, s.samples[0].ts_ms));
    }
  }
  // The selector's time range applies.
  const QueryResponse early = f.query(c.frontend, select(range(0, 10), 0, 3000));
  REQUIRE(early.ok);
  CHECK(sample_count(early.series) == 3);
}

TEST_CASE("a querier fails over to another zone's ingester", "[mimir][query]") {
  ReadPathFixture f;
  const Cluster c(f);
  write_series(f, 0, 6);
  f.sim.run_for(5_s);
  f.sim.crash(f.sim.find_node("ingester-zone-a-0"));
  const QueryResponse answer = f.await<QueryResponse>([&] {
    QuerierRequest request{QueryRequest{kTenant, select(range(0, 6)), ReadConsistency::eventual}, {}, {}};
    auto reply = f.sim.network().call(f.client, c.querier_a,
                                                     sim::Payload{request, 64, 0, "query"}, 60_s);
    return reply.ok() ? reply.value() : QueryResponse{false, "rpc timed out", {}, {}, {}, 0};
  });
  REQUIRE(answer.ok);
  CHECK(answer.zone == "zone-a");
  CHECK(sample_count(answer.series) == 6);
  CHECK(f.sim.node(c.querier_a).process_as<Querier>().stats().ingester_failovers >= 1);

  // With the partition's ingesters down in every zone the query fails.
  f.sim.crash(f.sim.find_node("ingester-zone-b-0"));
  const QueryResponse failed = f.query(c.frontend, select({0}));
  CHECK_FALSE(failed.ok);
  CHECK(failed.error.find("partition 0") != std::string::npos);
}

TEST_CASE("a strong read waits for the next offsets poll; stale offsets miss an acknowledged write",
          "[mimir][query][knob]") {
  for (const bool knob : {false, true}) {
    DYNAMIC_SECTION("strong_read_uses_stale_offsets = " << knob) {
      ReadPathFixture f;
      QueryFrontendOptions qf;
      qf.strong_read_uses_stale_offsets = knob;
      // Ingesters take 2 s to write each record to their WAL: they apply it late.
      sim::DiskOptions slow = constant_disk();
      slow.write_latency = sim::Latency::constant(2_s);
      const sim::Time started = f.sim.now();
      const Cluster c(f, qf, slow);
      f.sim.run_until(started + 10_s + 500_ms);  // half-way between two polls
      const std::uint64_t polls_before = f.sim.node(c.frontend).process_as<QueryFrontend>().offsets().polls();

      // The write is acknowledged, then the strong read is invoked.
      sim::Time acked_at;
      sim::Time answered_at;
      const QueryResponse answer = f.await<QueryResponse>([&] {
        f.produce_in_fiber(0, make_request({0}, 1000));
        acked_at = f.sim.now();
        QueryResponse r = f.query_in_fiber(c.frontend, select({0}),
                                           ReadConsistency::strong);
        answered_at = f.sim.now();
        return r;
      });
      REQUIRE(answer.ok);
      if (knob) {
        CHECK_FALSE(holds(answer.series, 0));  // a read-after-write violation
        CHECK(answered_at - acked_at < 100_ms);
      } else {
        CHECK(holds(answer.series, 0));
        CHECK(answered_at - acked_at >= 2_s);  // waited for the poll, then for the ingester
        CHECK(f.sim.node(c.frontend).process_as<QueryFrontend>().offsets().polls() > polls_before);
      }
    }
  }
}

TEST_CASE("a strong read completes no earlier than the next poll starts", "[mimir][query]") {
  ReadPathFixture f;
  const sim::Time started = f.sim.now();
  const Cluster c(f);
  f.sim.run_until(started + 5_s + 300_ms);
  const sim::Time asked_at = f.sim.now();
  const QueryResponse answer = f.query(c.frontend, select({0}), ReadConsistency::strong);
  REQUIRE(answer.ok);
  // Polls start every second from the frontend's start: the next one at 6 s.
  CHECK(f.sim.now() >= started + 6_s);
  CHECK(f.sim.now() - asked_at < 1_s);
  const QueryResponse eventual = f.query(c.frontend, select({0}));
  REQUIRE(eventual.ok);
}
