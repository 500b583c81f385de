// The long-term storage path in whole runs: built-ins cut, ship and compact
// blocks and their final reads take the oldest samples from the
// store-gateways; a 4-hour run with an ingester killed after it shipped a
// block loses nothing; the blocks section of a spec is validated.
#include <catch2/catch.hpp>

#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/scenario.h"
#include "weir/sim/trace.h"

using namespace weir::scenarios;

namespace {

std::uint64_t counter(const RunResult& r, const std::string& name) {
  const auto it = r.counters.find(name);
  return it == r.counters.end() ? 0 : it->second;
}

std::string verdict(const RunResult& r) { return to_text(r); }

}  // namespace

TEST_CASE("built-in runs ship blocks in every zone, compact, and read old samples from store-gateways only",
          "[scenarios][ltp]") {
  for (const char* name : {"baseline-classic", "ingester-crash-diskless"}) {
    const RunResult r = Scenario::builtin(name).run(1);
    INFO(verdict(r));
    CHECK(r.violations.empty());
    CHECK(r.simulator_error.empty());
    CHECK(counter(r, "blocks_shipped_zone-a") >= 1);
    CHECK(counter(r, "blocks_shipped_zone-b") >= 1);
    CHECK(counter(r, "compactions") >= 1);
    CHECK(counter(r, "reads_final_ok") == 2);
    CHECK(counter(r, "final_reads_store_gateway_samples") > 0);
    CHECK(counter(r, "final_read_store_gateway_samples_zone-a") > 0);  // each zone's final read
    CHECK(counter(r, "final_read_store_gateway_samples_zone-b") > 0);
  }
}

TEST_CASE("a built-in run with blocks is the same run for the same seed", "[scenarios][ltp]") {
  const Scenario scenario = Scenario::builtin("chaos-diskless").set("log.partitions=4");
  const RunResult a = scenario.run(7);
  const RunResult b = scenario.run(7);
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.counters == b.counters);
  CHECK(counter(a, "compactions") >= 1);
  CHECK(scenario.run(8).trace_hash != a.trace_hash);
}

// An ingester killed at 3.6 h, after its 2 h block was cut, shipped and its
// WAL truncated: the block is on its disk, so nothing acknowledged is lost
// (with Mimir's settings the final reads ask the ingesters for everything).
TEST_CASE("a 4-hour run with an ingester killed after shipping a block loses no acked sample", "[scenarios][ltp]") {
  const RunResult r = Scenario::builtin("baseline-classic")
                          .set("blocks={}")
                          .set("phases.safety_ms=14400000")
                          .set("faults.fault[0]={kind: \"ingester_kill\" at_ms: 12960000 duration_ms: 10000}")
                          .set("workload.series_per_client=10")
                          .set("workload.clients_per_zone=1")          // the load: a push per
                          .set("workload.scrape_interval_ms=15000")    // client every 15 s, not every
                          .set("workload.batch_send_deadline_ms=5000") // second for 4 hours
                          .set("log.partitions=1")
                          .set("reads.interval_ms=0")
                          .run(0);
  INFO(verdict(r));
  CHECK(r.violations.empty());
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].find("ingester_kill ingester-zone-a-0") != std::string::npos);
  CHECK(counter(r, "blocks_shipped_zone-a") >= 1);
  CHECK(counter(r, "blocks_shipped_zone-b") >= 1);
  CHECK(counter(r, "final_reads_store_gateway_samples") == 0);
  CHECK(counter(r, "final_samples") == 2 * counter(r, "samples_acked"));
}

TEST_CASE("the blocks section is validated with Mimir's rules", "[scenarios][ltp]") {
  const Scenario base = Scenario::builtin("baseline-classic");
  CHECK_THROWS_WITH(base.set("blocks.block_range_ms=0"), Catch::Contains("blocks.block_range_ms: must be positive"));
  CHECK_THROWS_WITH(base.set("blocks.block_range_ms=15"), Catch::Contains("blocks.block_range_ms: must be positive and even"));
  CHECK_THROWS_WITH(base.set("blocks.head_compaction_interval_ms=600000"),
                    Catch::Contains("blocks.head_compaction_interval_ms"));
  CHECK_THROWS_WITH(base.set("blocks.query_store_after_ms=90000"),
                    Catch::Contains("blocks.query_store_after_ms: must be less than query_ingesters_within_ms"));
  CHECK_THROWS_WITH(base.set("blocks.retention_ms=60000"),
                    Catch::Contains("blocks.retention_ms: must be at least query_ingesters_within_ms"));
  CHECK_THROWS_WITH(base.set("blocks.compactor_interval_ms=0"), Catch::Contains("blocks.compactor_interval_ms"));
  CHECK_THROWS_WITH(base.set("blocks.no_such_knob=1"), Catch::Contains("no_such_knob"));
  // 0 turns a split off, as in Mimir.
  CHECK_NOTHROW(base.set("blocks.query_ingesters_within_ms=0").set("blocks.query_store_after_ms=0"));
  const PipelineOptions& o = base.options();
  CHECK(o.ingester.head.block_range_ms == 20000);
  CHECK(o.querier.query_ingesters_within == weir::sim::Duration::seconds(90));
  CHECK(o.store_gateway.sync_interval == weir::sim::Duration::seconds(10));
  CHECK(o.compactor.compaction_interval == weir::sim::Duration::seconds(20));
}

// An ingester killed with a torn WAL at 35 s, then stopped at 55 s: its WAL
// repair (the torn frame cut at restart) must be durable, or the crash after
// the stop brings the torn frame back, the next replay stops there and
// deletes every segment written since, and the zone loses acked samples.
TEST_CASE("an ingester killed with a torn WAL and later stopped loses nothing", "[scenarios][ltp][wal]") {
  const Scenario scenario = Scenario::builtin("ingester-crash-diskless");
  for (std::uint64_t seed : {2, 18}) {
    const RunResult r = scenario.run(seed);
    INFO(verdict(r));
    CHECK(r.violations.empty());
    CHECK(r.simulator_error.empty());
  }
}

namespace {

// Counts the WAL replays that found records (an ingester restarted with its
// WAL on disk) and sums the records they replayed.
class WalReplaySink : public weir::sim::TraceSink {
 public:
  void on_event(const weir::sim::TraceEvent& event) override {
    if (event.kind.name() != "mimir.ingester.wal_replayed" || event.fields.size() < 2) return;
    if (event.fields[1].number() > 0) ++replays_with_records;
    records += event.fields[1].number();
  }
  int replays_with_records = 0;
  std::int64_t records = 0;
};

}  // namespace

// The WAL logs a series' labels once per segment; a restarted ingester reads
// them back from the segment's start. The built-in whose seed 10 restarts
// ingesters with a torn WAL tail is the same run for the same seed, and passes.
TEST_CASE("a run whose ingesters replay their WAL after crashes is the same run for the same seed",
          "[scenarios][wal]") {
  const Scenario scenario = Scenario::builtin("ingester-crash-diskless");
  WalReplaySink first_sink;
  WalReplaySink second_sink;
  RunHooks first_hooks;
  first_hooks.trace_sink = &first_sink;
  RunHooks second_hooks;
  second_hooks.trace_sink = &second_sink;
  const RunResult a = scenario.run(10, first_hooks);
  const RunResult b = scenario.run(10, second_hooks);
  INFO(verdict(a));
  CHECK(a.violations.empty());
  CHECK(a.simulator_error.empty());
  CHECK(first_sink.replays_with_records > 0);
  CHECK(first_sink.records == second_sink.records);
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(scenario.run(11).trace_hash != a.trace_hash);
}
