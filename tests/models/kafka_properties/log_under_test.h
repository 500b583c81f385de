// LogUnderTest: either log flavour, built in a Simulation, plus a fault
// schedule that any Kafka-compatible log must survive. The log-level
// property tests run the same workload and the same faults against each
// flavour through this one interface.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "weir/models/kafka/log_cluster.h"
#include "weir/models/kafka/log_workload.h"
#include "weir/models/objstore/object_store.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::testing {

struct LogUnderTest {
  std::unique_ptr<objstore::ObjectStore> store;  // the diskless log's; null for classic
  std::unique_ptr<LogCluster> log;
};

using MakeLog = std::function<LogUnderTest(sim::Simulation&)>;
LogUnderTest make_diskless(sim::Simulation& sim);
LogUnderTest make_classic(sim::Simulation& sim);

// One fault: after `gap_ms` from the previous one, crash-and-restart a
// serving node or cut a zone off, for `duration_ms`.
struct Fault {
  enum class Kind { crash_restart, zone_partition };
  Kind kind = Kind::crash_restart;
  int gap_ms = 0;
  int target = 0;  // index into serving nodes or zones (taken modulo)
  int duration_ms = 0;
};
rc::Gen<std::vector<Fault>> fault_schedule();
std::string describe(const std::vector<Fault>& faults);

// Runs the workload with the faults (healed before the workload ends) and
// returns what it saw; the trace hash goes to `trace_hash` when not null.
LogWorkloadSummary run_with_faults(const MakeLog& make, std::uint64_t seed, const std::vector<Fault>& faults,
                                   const LogWorkloadOptions& options, std::uint64_t* trace_hash = nullptr);

}  // namespace weir::models::kafka::testing
