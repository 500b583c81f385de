// weir compare: the measures of one run (percentiles, latencies from the
// history, bytes from the network), their aggregation across seeds on two
// sides with the seeds whose verdict differs, and one real comparison that
// shows a modelled fact: a diskless log moves far fewer bytes across zones
// than a classic RF=3 log under the same workload.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "weir/properties/history.h"
#include "weir/scenarios/compare.h"
#include "weir/scenarios/measures.h"
#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/scenario_spec.h"
#include "weir/sim/simulation.h"

using namespace weir::scenarios;
namespace properties = weir::properties;
namespace sim = weir::sim;

namespace {

constexpr std::int64_t kMs = 1'000'000;  // nanoseconds

RunResult result(std::uint64_t seed, std::map<std::string, double> measures) {
  RunResult r;
  r.scenario = "baseline-classic";
  r.seed = seed;
  r.measures = std::move(measures);
  return r;
}

// A small pipeline from a built-in spec: 2 partitions, 30 s of writes, a
// scrape every 5 s (15 writes), reads every 5 s.
PipelineOptions small(const std::string& builtin) {
  ScenarioLoader loader;
  REQUIRE_FALSE(loader.load(builtin));
  for (const char* assignment : {"log.partitions=2", "phases.safety_ms=30000", "phases.drain_ms=15000",
                                 "workload.series_per_client=20", "workload.scrape_interval_ms=5000"}) {
    const auto error = loader.set(assignment);
    INFO(assignment << ": " << error.value_or(""));
    REQUIRE_FALSE(error);
  }
  return loader.options().pipeline;
}

double mean_of(const CompareSideReport& side, const std::string& measure) {
  const auto it = side.measures.find(measure);
  return it == side.measures.end() ? 0.0 : it->second.mean;
}

}  // namespace

TEST_CASE("nearest-rank percentiles are one of the values", "[compare]") {
  const std::vector<double> values = {50, 15, 40, 20, 35};  // unsorted on purpose
  CHECK(nearest_rank_percentile(values, 0) == 15);
  CHECK(nearest_rank_percentile(values, 5) == 15);
  CHECK(nearest_rank_percentile(values, 30) == 20);
  CHECK(nearest_rank_percentile(values, 40) == 20);
  CHECK(nearest_rank_percentile(values, 50) == 35);
  CHECK(nearest_rank_percentile(values, 100) == 50);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(nearest_rank_percentile(hundred, 99) == 99);  // 0.99 * 100 rounds above 99 in doubles
  CHECK(nearest_rank_percentile({1, 2}, 50) == 1);   // the lower middle value
  CHECK_THROWS(nearest_rank_percentile({}, 50));
  CHECK_THROWS(nearest_rank_percentile({1}, 101));
}

TEST_CASE("measures: write and read latencies from the history, bytes from the network", "[compare]") {
  properties::History history;
  for (int i = 0; i < 4; ++i) {  // acked after 10, 20, 30, 40 ms
    const auto id = history.record_write_invoke("t", "c", i * 1000 * kMs, {properties::make_run(1, i * 1000, 0, 1)});
    history.record_write_complete(id, i * 1000 * kMs + (i + 1) * 10 * kMs, properties::WriteOutcome::acked);
  }
  const auto slow = history.record_write_invoke("t", "c", 0, {properties::make_run(2, 0, 0, 1)});
  history.record_write_complete(slow, 5000 * kMs, properties::WriteOutcome::timed_out);  // not acked: not counted
  const auto selector = properties::make_selector({1}, 0, 10);
  const auto strong = history.record_read_invoke(properties::ReadConsistency::strong, selector, 0);
  history.record_read_complete(strong, 7 * kMs, "zone-a", "q", {});
  const auto failed = history.record_read_invoke(properties::ReadConsistency::strong, selector, 0);
  history.record_read_failed(failed, 900 * kMs, "zone-a", "q", "timeout");  // failed: not counted
  const auto final_read = history.record_read_invoke(properties::ReadConsistency::eventual, selector, 0, true);
  history.record_read_complete(final_read, 800 * kMs, "zone-a", "checker", {});  // final drain: not counted

  sim::Simulation simulation({.seed = 1});
  const auto m = measure(history, simulation.network(), nullptr);
  CHECK(m.at("write_ack_latency_p50_ms") == 20);
  CHECK(m.at("write_ack_latency_p99_ms") == 40);
  CHECK(m.at("write_ack_latency_max_ms") == 40);
  CHECK(m.at("read_strong_latency_p50_ms") == 7);
  CHECK(m.at("read_strong_latency_p99_ms") == 7);
  CHECK(m.count("read_eventual_latency_p50_ms") == 0);  // no eventual read besides the final one
  CHECK(m.at("cross_zone_bytes") == 0);
  CHECK(m.at("cross_zone_bytes.replication") == 0);  // the log's classes are always there
  CHECK(m.count("cross_zone_bytes.query") == 0);     // others only when some crossed
  CHECK(m.at("total_cost_usd") == 0);
  CHECK(m.count("objstore_put_requests") == 0);  // no store given
}

TEST_CASE("compare_results: per side verdicts and measures, and the seeds whose verdict differs", "[compare]") {
  std::vector<RunResult> a = {result(0, {{"write_ack_latency_p99_ms", 10}, {"cross_zone_bytes", 1000}}),
                              result(1, {{"write_ack_latency_p99_ms", 30}, {"cross_zone_bytes", 3000}}),
                              result(2, {{"write_ack_latency_p99_ms", 20}, {"cross_zone_bytes", 2000}})};
  std::vector<RunResult> b = a;
  for (auto& r : b) {
    r.measures["cross_zone_bytes"] /= 10;
    r.measures["objstore_put_requests"] = 50;  // only B has an object store bill
    r.overrides = {"log.flavour=DISKLESS"};
  }
  b[1].violations.push_back({"no_lost_acked_samples", "sample (7, 1000) missing in zone-b"});
  b[1].violations.push_back({"no_lost_acked_samples", "sample (8, 1000) missing in zone-b"});
  b[2].violations.push_back({"liveness", "lag stayed above 1 s"});
  a[2].violations.push_back({"liveness", "lag stayed above 1 s"});  // the same verdict: not a difference

  const CompareReport report = compare_results(a, b);
  CHECK(report.a.summary.seeds_run == 3);
  CHECK(report.a.summary.seeds_failed == 1);
  CHECK(report.a.summary.exit_code == 2);
  CHECK(report.b.summary.seeds_failed == 2);
  CHECK(report.b.summary.failures_by_property.at("no_lost_acked_samples") == 1);  // seeds, not violations
  CHECK(report.b.summary.exit_code == 1);
  CHECK(report.exit_code() == 1);
  CHECK(report.b.overrides == std::vector<std::string>{"log.flavour=DISKLESS"});

  const MeasureStats& latency = report.a.measures.at("write_ack_latency_p99_ms");
  CHECK(latency.seeds == 3);
  CHECK(latency.mean == Approx(20));
  CHECK(latency.median == 20);
  CHECK(latency.max == 30);
  CHECK(report.ratio("cross_zone_bytes").value() == Approx(0.1));
  CHECK(report.ratio("write_ack_latency_p99_ms").value() == Approx(1));
  CHECK_FALSE(report.ratio("objstore_put_requests"));  // A lacks it
  CHECK(report.measure_names() ==
        std::vector<std::string>{"cross_zone_bytes", "objstore_put_requests", "write_ack_latency_p99_ms"});

  REQUIRE(report.differences.size() == 1);
  const VerdictDifference& d = report.differences.front();
  CHECK(d.seed == 1);
  CHECK(d.a.text() == "PASS");
  CHECK(d.b.text() == "FAIL (safety: no_lost_acked_samples)");
  CHECK(d.b.reproduce == "weir run --scenario baseline-classic --seed 1 --set log.flavour=DISKLESS");

  const std::string text = to_text(report);
  CHECK(text.find("seed 1: A PASS, B FAIL (safety: no_lost_acked_samples)") != std::string::npos);
  CHECK(text.find("reproduce B: weir run --scenario baseline-classic --seed 1") != std::string::npos);
  const auto j = nlohmann::json::parse(to_json(report));
  CHECK(j.at("exit_code") == 1);
  CHECK(j.at("a").at("measures").at("write_ack_latency_p99_ms").at("max") == 30.0);
  CHECK(j.at("b").at("failures_by_property").at("no_lost_acked_samples") == 1);
  CHECK(j.at("ratios").at("cross_zone_bytes").get<double>() == Approx(0.1));
  CHECK(j.at("ratios").at("objstore_put_requests").is_null());
  CHECK(j.at("differences").size() == 1);
  CHECK(j.at("differences")[0].at("b").at("properties") == std::vector<std::string>{"no_lost_acked_samples"});
}

TEST_CASE("compare_results: a worker that died is a simulator failure that differs from a pass", "[compare]") {
  std::vector<RunResult> a = {result(4, {})};
  std::vector<RunResult> b = {result(4, {})};
  b[0].simulator_error = "worker process killed by signal 11 (Segmentation fault)";
  const CompareReport report = compare_results(a, b);
  CHECK(report.exit_code() == 3);
  CHECK(report.b.summary.failures_by_property.at("simulator") == 1);
  REQUIRE(report.differences.size() == 1);
  CHECK(report.differences[0].b.text() == "FAIL (simulator)");
  CHECK(report.differences[0].b.properties == std::vector<std::string>{"simulator"});
}

TEST_CASE("measures: the same seed gives the same measures, in process and through a sweep worker", "[compare]") {
  const PipelineOptions options = small("baseline-classic");
  const RunResult first = run_pipeline(options, 3);
  const RunResult second = run_pipeline(options, 3);
  INFO(to_text(first));
  REQUIRE(first.exit_code() == 0);
  CHECK(first.trace_hash == second.trace_hash);
  CHECK(first.measures == second.measures);
  for (const char* name : {"write_ack_latency_p50_ms", "write_ack_latency_p99_ms", "write_ack_latency_max_ms",
                           "read_strong_latency_p50_ms", "read_eventual_latency_p99_ms", "cross_zone_bytes",
                           "cross_zone_bytes.produce", "cross_zone_bytes.replication", "objstore_put_requests",
                           "total_cost_usd"}) {
    INFO(name);
    CHECK(first.measures.count(name) == 1);
  }
  CHECK(first.measures.at("write_ack_latency_p50_ms") > 0);
  CHECK(first.measures.at("write_ack_latency_p50_ms") <= first.measures.at("write_ack_latency_p99_ms"));
  CHECK(first.measures.at("write_ack_latency_p99_ms") <= first.measures.at("write_ack_latency_max_ms"));

  // A sweep's worker sends its result back as JSON: the measures survive it exactly.
  std::vector<RunResult> swept;
  run_sweep(options.name, [&](std::uint64_t seed) { return run_pipeline(options, seed); }, {{3, 4}, {}, 1, 0.0},
            [&](const RunResult& r) { swept.push_back(r); });
  REQUIRE(swept.size() == 1);
  CHECK(swept[0].measures == first.measures);
}

TEST_CASE("compare: a diskless log moves far fewer bytes across zones than classic RF=3", "[compare]") {
  const PipelineOptions classic = small("baseline-classic");
  const PipelineOptions diskless = small("baseline-diskless");
  const CompareSide a{classic.name, [&](std::uint64_t seed) { return run_pipeline(classic, seed); }, "", {}};
  const CompareSide b{diskless.name, [&](std::uint64_t seed) { return run_pipeline(diskless, seed); }, "", {}};
  const CompareReport report = run_compare(a, b, {{1, 2}, {}, 2, 0.0});
  INFO(to_text(report));
  CHECK(report.exit_code() == 0);
  CHECK(report.a.summary.seeds_run == 1);
  CHECK(report.b.summary.seeds_run == 1);
  CHECK(report.differences.empty());
  // Classic: the leader takes produces from every zone and replicates to
  // followers in the two other zones. Diskless: agents take produces in
  // their own zone and object storage replicates.
  const double classic_bytes =
      mean_of(report.a, "cross_zone_bytes.produce") + mean_of(report.a, "cross_zone_bytes.replication");
  const double diskless_bytes =
      mean_of(report.b, "cross_zone_bytes.produce") + mean_of(report.b, "cross_zone_bytes.replication");
  CHECK(classic_bytes > 0);
  CHECK(diskless_bytes * 10 < classic_bytes);
  CHECK(mean_of(report.b, "cross_zone_bytes") < mean_of(report.a, "cross_zone_bytes"));
  // What it pays instead: object-store PUTs, and a slower acknowledgement.
  CHECK(mean_of(report.b, "objstore_put_requests") > mean_of(report.a, "objstore_put_requests"));
  CHECK(report.ratio("write_ack_latency_p50_ms").value() > 1);
}
