// The whole pipeline end to end: 3 zones, 16 partitions, ingesters in two
// zones, on each log flavour. With no faults, every acknowledged sample is
// queryable in both ingester zones after the drain, and every property holds.
#include <catch2/catch.hpp>

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

TEST_CASE("pipeline options are validated with the field named", "[pipeline]") {
  PipelineOptions o;
  o.ingester_zones = {"zone-x"};
  CHECK(o.validate().value().find("zone-x") != std::string::npos);
  CHECK_THROWS_AS(run_pipeline(o, 1), std::invalid_argument);
}
