// FaultPlan: kind names round-trip, and validation names the fault and field.
#include <catch2/catch.hpp>

#include "weir/scenarios/fault_plan.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

FaultPlan one(FaultKind kind, int at_s, int duration_s, double magnitude = 0, int target = -1) {
  FaultPlan plan;
  plan.faults.push_back({kind, sim::Duration::seconds(at_s), sim::Duration::seconds(duration_s), target, magnitude});
  return plan;
}

bool error_has(const std::optional<std::string>& error, const std::string& part) {
  return error && error->find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("fault kinds: every name round-trips and unknown names are refused", "[faults]") {
  for (FaultKind kind : kAllFaultKinds) CHECK(parse_fault_kind(to_string(kind)) == kind);
  CHECK(to_string(FaultKind::broker_crash) == "broker_crash");
  CHECK(to_string(FaultKind::network_drop) == "network_drop");
  CHECK(to_string(FaultKind::ingester_kill_torn_wal) == "ingester_kill_torn_wal");
  CHECK_FALSE(parse_fault_kind("broker-crash"));
  CHECK_FALSE(parse_fault_kind(""));
}

TEST_CASE("fault plan validation: faults end within the safety phase, magnitudes in range", "[faults]") {
  const auto phase = sim::Duration::seconds(60);
  CHECK_FALSE(FaultPlan{}.validate(phase));
  CHECK_FALSE(one(FaultKind::broker_crash, 10, 50).validate(phase));
  CHECK_FALSE(one(FaultKind::network_drop, 10, 5, 1.0).validate(phase));
  CHECK_FALSE(one(FaultKind::brokers_crash_together, 10, 5, 3).validate(phase));

  CHECK(error_has(one(FaultKind::broker_crash, 10, 51).validate(phase), "faults[0] (broker_crash): duration"));
  CHECK(error_has(one(FaultKind::broker_crash, -1, 5).validate(phase), "faults[0] (broker_crash): at"));
  CHECK(error_has(one(FaultKind::broker_crash, 1, 0).validate(phase), "duration: must be positive"));
  CHECK(error_has(one(FaultKind::broker_crash, 1, 5, 0, -2).validate(phase), "target"));
  CHECK(error_has(one(FaultKind::network_drop, 1, 5, 1.5).validate(phase), "magnitude: must be a probability"));
  CHECK(error_has(one(FaultKind::disk_slow, 1, 5, 0.5).validate(phase), "magnitude: must be a multiplier"));
  CHECK(error_has(one(FaultKind::brokers_crash_together, 1, 5, 1).validate(phase), "whole number"));
  CHECK(error_has(one(FaultKind::ingester_kill, 1, 5, 2).validate(phase), "takes no magnitude"));

  FaultPlan second = one(FaultKind::broker_crash, 1, 5);
  second.faults.push_back({FaultKind::zone_partition, sim::Duration::seconds(58), sim::Duration::seconds(5), 0, 0});
  CHECK(error_has(second.validate(phase), "faults[1] (zone_partition)"));

  FaultPlan swarm;
  swarm.swarm.enabled = true;
  CHECK_FALSE(swarm.validate(phase));
  swarm.swarm.kind_probability = 1.5;
  CHECK(error_has(swarm.validate(phase), "swarm.kind_probability"));
  swarm.swarm.kind_probability = 0.5;
  swarm.swarm.kinds = {FaultKind::disk_slow, FaultKind::disk_slow};
  CHECK(error_has(swarm.validate(phase), "swarm.kinds[1]"));
  swarm.swarm.kinds.clear();
  swarm.swarm.duration_max = sim::Duration::seconds(60);
  CHECK(error_has(swarm.validate(phase), "swarm.duration_max"));
  swarm.swarm.duration_max = sim::Duration::seconds(10);
  swarm.swarm.faults_max = -1;
  CHECK(error_has(swarm.validate(phase), "swarm.faults_max"));
}

TEST_CASE("fault magnitudes: defaults are inside their own ranges", "[faults]") {
  for (FaultKind kind : kAllFaultKinds) {
    const double m = default_magnitude(kind);
    if (magnitude_unit(kind) == MagnitudeUnit::none) {
      CHECK(m == 0);
    } else {
      CHECK_FALSE(one(kind, 1, 5, m).validate(sim::Duration::seconds(60)));
    }
  }
}
