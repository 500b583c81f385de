// Kafka clients in whole runs: after faults heal, producers and consumers
// reach the log again within seconds, as franz-go does (a request to a broker
// that is down or cut off costs a 2 s dial once its connection timed out, a
// lost Metadata request costs the writer's 2 s overhead), so a run of faults
// back to back does not stall a partition's readers past the ingesters' idle
// timeout.
#include <catch2/catch.hpp>

#include "weir/scenarios/scenario.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

ScheduledFault fault(FaultKind kind, int at_ms, int duration_ms, int target, double magnitude = 0) {
  return {kind, sim::Duration::milliseconds(at_ms), sim::Duration::milliseconds(duration_ms), target, magnitude};
}

}  // namespace

// chaos-classic seed 1398, shrunk. Two brokers crash (38 s), then two others
// (66 s), then zone-a is cut off (80 s). When each fetch to a dead or
// unreachable leader waited out its whole 15 s timeout and the next went
// again to the leader the cache still named, a zone-a ingester read nothing
// from 37 s to 101 s: its head went idle for 60 s, was compacted whole, and
// refused the acknowledged samples it then read (read_after_write).
TEST_CASE("after brokers crash and a zone is cut off, ingesters catch up before their heads go idle",
          "[scenarios][faults]") {
  const std::vector<ScheduledFault> schedule = {
      fault(FaultKind::network_drop, 19'764, 6'455, 0, 0.05),
      fault(FaultKind::brokers_crash_together, 38'161, 15'000, 2, 2),
      fault(FaultKind::brokers_crash_together, 65'571, 4'971, 0, 2),
      fault(FaultKind::zone_partition, 79'660, 5'389, 0),
  };
  const RunResult r = Scenario::builtin("chaos-classic").with_faults(schedule).run(1398);
  INFO(to_text(r));
  CHECK(r.violations.empty());
  CHECK(r.simulator_error.empty());
  CHECK(r.faults.size() == schedule.size());
}
