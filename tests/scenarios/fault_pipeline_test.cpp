// The pipeline under faults: with a few faults of every family scheduled in
// the safety phase, on each log flavour, every property still holds (the
// system is correct under faults by default), and a swarm run is the same
// run for the same seed.
#include <catch2/catch.hpp>

#include "weir/scenarios/pipeline.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

PipelineOptions small_pipeline(LogFlavour flavour) {
  PipelineOptions o;
  o.name = std::string("faults-") + to_string(flavour);
  o.log.flavour = flavour;
  o.log.partitions = 4;
  o.series_per_client = 10;
  o.write_phase = sim::Duration::seconds(60);
  o.drain = sim::Duration::seconds(60);
  return o;
}

ScheduledFault fault(FaultKind kind, int at_s, int duration_s, int target, double magnitude = 0) {
  return {kind, sim::Duration::seconds(at_s), sim::Duration::seconds(duration_s), target, magnitude};
}

FaultPlan every_family() {
  FaultPlan plan;
  plan.faults = {
      fault(FaultKind::ingester_kill, 10, 8, 0),           fault(FaultKind::ingester_kill_torn_wal, 20, 6, 1),
      fault(FaultKind::ingester_stop, 35, 5, 2),           fault(FaultKind::broker_crash, 12, 8, 0),
      fault(FaultKind::broker_disk_loss, 34, 8, 1),        fault(FaultKind::zone_partition, 15, 5, 2),
      fault(FaultKind::zone_partition_one_way, 25, 5, 1),  fault(FaultKind::group_partition, 42, 5, 1),
      fault(FaultKind::object_store_slow, 10, 10, -1, 5),  fault(FaultKind::object_store_stall, 30, 4, -1),
      fault(FaultKind::object_store_slow_down, 40, 10, -1, 0.3), fault(FaultKind::disk_slow, 10, 10, 3, 20),
      fault(FaultKind::disk_fsync_errors, 20, 10, 3, 0.5), fault(FaultKind::network_delay, 5, 50, -1, 0.2),
      fault(FaultKind::network_drop, 30, 10, -1, 0.02),
  };
  return plan;
}

}  // namespace

TEST_CASE("pipeline under scheduled faults of every family: every property holds on both flavours", "[faults]") {
  for (LogFlavour flavour : {LogFlavour::classic, LogFlavour::diskless}) {
    auto options = small_pipeline(flavour);
    options.faults = every_family();
    const RunResult r = run_pipeline(options, 3);
    INFO(to_text(r));
    CHECK(r.exit_code() == exit_code::ok);
    CHECK(r.faults.size() == options.faults.faults.size());
    CHECK(r.counters.at("samples_acked") > 0);
    CHECK(r.counters.at("reads_final_ok") == 2);
  }
}

TEST_CASE("pipeline swarm: the same seed gives the same faults and trace, another seed others", "[faults]") {
  auto options = small_pipeline(LogFlavour::diskless);
  options.write_phase = sim::Duration::seconds(40);
  options.faults.swarm.enabled = true;
  options.faults.swarm.faults_max = 6;
  options.faults.swarm.duration_max = sim::Duration::seconds(10);
  const RunResult a = run_pipeline(options, 11);
  const RunResult b = run_pipeline(options, 11);
  const RunResult c = run_pipeline(options, 12);
  INFO(to_text(a) << to_text(c));
  CHECK_FALSE(a.faults.empty());
  CHECK(a.faults == b.faults);
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.faults != c.faults);
  CHECK(a.trace_hash != c.trace_hash);
  CHECK(a.exit_code() == exit_code::ok);
  CHECK(c.exit_code() == exit_code::ok);
}

TEST_CASE("pipeline options: an invalid fault plan is refused with the fault named", "[faults]") {
  auto options = small_pipeline(LogFlavour::classic);
  options.faults.faults.push_back(fault(FaultKind::broker_crash, 55, 10, 0));
  const auto error = options.validate();
  REQUIRE(error);
  CHECK(error->find("faults: faults[0] (broker_crash): duration") != std::string::npos);
  CHECK_THROWS_AS(run_pipeline(options, 1), std::invalid_argument);
}
