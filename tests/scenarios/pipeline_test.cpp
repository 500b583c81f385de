// The whole pipeline end to end: 3 zones, 16 partitions, ingesters in two
// zones, on each log flavour. With no faults, every acknowledged sample is
// queryable in both ingester zones after the drain, and every property holds.
#include <catch2/catch.hpp>

#include <algorithm>

#include "weir/properties/history.h"
#include "weir/scenarios/pipeline.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

PipelineOptions small_pipeline(LogFlavour flavour) {
  PipelineOptions o;
  o.name = std::string("e2e-") + to_string(flavour);
  o.log.flavour = flavour;
  o.log.partitions = 16;
  o.series_per_client = 50;
  o.write_phase = sim::Duration::seconds(60);
  o.drain = sim::Duration::seconds(30);
  return o;
}

// The run did real work: writes acked, records applied in both zones, reads
// answered, and the final reads returned every acknowledged sample twice.
void check_did_work(const RunResult& r) {
  const auto& c = r.counters;
  CHECK(c.count("writes_acked") == 1);
  CHECK(c.at("samples_acked") >= 300);
  CHECK(c.at("log_acks") > 0);
  CHECK(c.at("records_applied") >= 2 * c.at("log_acks"));
  CHECK(c.at("reads_final_ok") == 2);
  CHECK(c.at("final_samples") >= 2 * c.at("samples_acked"));
  CHECK(c.count("reads_strong_ok") == 1);
}

}  // namespace

TEST_CASE("pipeline on the classic log: every acknowledged sample is queryable in both zones", "[pipeline]") {
  const RunResult r = run_pipeline(small_pipeline(LogFlavour::classic), 1);
  INFO(to_text(r));
  CHECK(r.simulator_error.empty());
  CHECK(r.violations.empty());
  CHECK(r.exit_code() == 0);
  check_did_work(r);
}

TEST_CASE("pipeline on the diskless log: every acknowledged sample is queryable in both zones", "[pipeline]") {
  const RunResult r = run_pipeline(small_pipeline(LogFlavour::diskless), 1);
  INFO(to_text(r));
  CHECK(r.simulator_error.empty());
  CHECK(r.violations.empty());
  CHECK(r.exit_code() == 0);
  check_did_work(r);
}

TEST_CASE("pipeline: the same seed gives the same trace hash", "[pipeline]") {
  for (LogFlavour flavour : {LogFlavour::classic, LogFlavour::diskless}) {
    auto options = small_pipeline(flavour);
    options.write_phase = sim::Duration::seconds(30);
    const auto a = run_pipeline(options, 5);
    const auto b = run_pipeline(options, 5);
    const auto c = run_pipeline(options, 6);
    CHECK(a.trace_hash == b.trace_hash);
    CHECK(a.events == b.events);
    CHECK(a.trace_hash != c.trace_hash);
  }
}

TEST_CASE("pipeline on the classic log with a short retention: every property holds and the log start moves",
          "[pipeline][retention]") {
  auto options = small_pipeline(LogFlavour::classic);
  options.log.partitions = 4;
  options.write_phase = sim::Duration::seconds(90);
  options.log.classic.segment_bytes = 64 * 1024;
  options.log.classic.retention = sim::Duration::seconds(20);
  options.log.classic.retention_check_interval = sim::Duration::seconds(5);
  weir::properties::Offset max_start = 0;
  RunHooks hooks;
  hooks.on_finish = [&](const sim::Simulation&, const weir::properties::History& history) {
    for (const auto& bounds : history.data().log_bounds) max_start = std::max(max_start, bounds.start_offset);
  };
  const RunResult r = run_pipeline(options, 3, hooks);
  INFO(to_text(r));
  CHECK(r.simulator_error.empty());
  CHECK(r.violations.empty());
  CHECK(r.exit_code() == 0);
  check_did_work(r);
  CHECK(max_start > 0);
}

TEST_CASE("pipeline options are validated with the field named", "[pipeline]") {
  PipelineOptions o;
  o.ingester_zones = {"zone-x"};
  CHECK(o.validate().value().find("zone-x") != std::string::npos);
  CHECK_THROWS_AS(run_pipeline(o, 1), std::invalid_argument);
}

namespace {

// A run's history, through the on_finish hook.
weir::properties::History history_of(const PipelineOptions& options, std::uint64_t seed, RunResult* result) {
  weir::properties::History history;
  RunHooks hooks;
  hooks.on_finish = [&](const sim::Simulation&, const weir::properties::History& h) { history = h; };
  *result = run_pipeline(options, seed, hooks);
  return history;
}

}  // namespace

TEST_CASE("pipeline: the default workload gives the checkers hundreds of pushes and many strong reads",
          "[pipeline][evidence]") {
  RunResult r;
  const auto history = history_of(small_pipeline(LogFlavour::classic), 2, &r);
  INFO(to_text(r));
  CHECK(r.violations.empty());
  CHECK(r.counters.at("writes_acked") >= 200);    // 2 clients in each of 3 zones, a push a second each
  CHECK(r.checked.at("read_after_write") >= 20);  // 2 strong readers through the write phase and the drain
  CHECK(r.vacuous().empty());
  // Reads go on after the write phase: strong reads after the heal are judged.
  const auto write_phase_end = sim::Duration::seconds(60).ns();
  CHECK(std::any_of(history.reads().begin(), history.reads().end(), [&](const auto& read) {
    return read.strong() && read.ok() && read.invoked_at > write_phase_end;
  }));
}

TEST_CASE("pipeline: a failed strong read is retried as a new read naming the first attempt",
          "[pipeline][evidence]") {
  auto options = small_pipeline(LogFlavour::classic);
  options.reads.strong_retries = 2;
  // Every zone but the readers' cut off for a while: strong reads fail and are retried.
  options.faults.faults.push_back({FaultKind::zone_partition, sim::Duration::seconds(20), sim::Duration::seconds(25), 1, 0});
  options.faults.faults.push_back({FaultKind::zone_partition, sim::Duration::seconds(20), sim::Duration::seconds(25), 2, 0});
  RunResult r;
  const auto history = history_of(options, 3, &r);
  std::size_t retries = 0;
  for (const auto& read : history.reads()) {
    if (!read.retry_of) continue;
    ++retries;
    const auto& first = history.read(*read.retry_of);
    CHECK(first.strong());
    CHECK(first.outcome == weir::properties::ReadOutcome::error);
    CHECK(first.selector == read.selector);
    CHECK(first.invoked_at < read.invoked_at);
  }
  CHECK(retries > 0);
}

TEST_CASE("pipeline: the same seed gives the same readers", "[pipeline][evidence]") {
  auto options = small_pipeline(LogFlavour::diskless);
  options.write_phase = sim::Duration::seconds(30);
  options.reads.strong_readers = 3;
  options.reads.eventual_readers = 2;
  const auto a = run_pipeline(options, 9);
  CHECK(a.trace_hash == run_pipeline(options, 9).trace_hash);
  options.reads.eventual_readers = 3;
  CHECK(a.trace_hash != run_pipeline(options, 9).trace_hash);
}
