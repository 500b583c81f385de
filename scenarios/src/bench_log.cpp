#include "weir/scenarios/bench_log.h"

#include <chrono>

#include "weir/models/kafka/log_workload.h"
#include "weir/sim/network.h"

namespace weir::scenarios {

BenchLogReport run_bench_log(const BenchLogOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  sim::Simulation sim({.seed = options.seed});
  LogTopology topology = build_log(sim, options.topology);
  models::kafka::LogWorkloadOptions workload;
  workload.topic = options.topology.topic;
  workload.partitions = options.topology.partitions;
  workload.zones = options.topology.zones;
  workload.producers = options.producers;
  workload.duration = sim::Duration::seconds(options.seconds);
  workload.mean_record_interval = sim::Duration::microseconds(options.record_interval_us);
  workload.read_timeout = sim::Duration::seconds(3600);  // reading back everything can take a while
  const models::kafka::LogWorkloadSummary summary = models::kafka::run_log_workload(sim, *topology.log, workload);

  BenchLogReport r;
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.produced = summary.produced;
  r.acked = summary.acked;
  r.failed = summary.failed;
  r.unresolved = summary.unresolved;
  for (const auto& zone : summary.reads) {
    for (const auto& partition : zone.partitions) r.consumed += partition.records.size();
  }
  r.sim_seconds = sim.now().seconds_f();
  r.records_per_wall_second = static_cast<double>(r.acked) / r.wall_seconds;
  r.sim_seconds_per_wall_second = r.sim_seconds / r.wall_seconds;
  r.cross_zone_bytes = sim.network().cross_zone_bytes();
  r.violations = summary.violations().size();
  r.trace_hash = sim.trace_hash();
  return r;
}

}  // namespace weir::scenarios
