// The log benchmark: a steady produce load on a log of either flavour, then
// every partition consumed by one reader per zone (LogWorkload). Reports
// records per wall second through produce, replication and consumption, and
// simulated seconds per wall second. Reads the wall clock, outside the run.
#pragma once

#include <cstdint>

#include "weir/scenarios/log_topology.h"

namespace weir::scenarios {

struct BenchLogOptions {
  LogTopologyOptions topology;
  int producers = 3;
  int seconds = 60;             // of simulated producing
  int record_interval_us = 1000;  // mean gap between one producer's records
  std::uint64_t seed = 1;
};

struct BenchLogReport {
  std::uint64_t produced = 0;
  std::uint64_t acked = 0;
  std::uint64_t failed = 0;      // produce errors (e.g. delivery timeouts)
  std::uint64_t unresolved = 0;  // no answer by the end
  std::uint64_t consumed = 0;  // records read back, over all zones
  double sim_seconds = 0;
  double wall_seconds = 0;
  double records_per_wall_second = 0;  // acked records / wall seconds
  double sim_seconds_per_wall_second = 0;
  std::uint64_t cross_zone_bytes = 0;
  std::uint64_t violations = 0;  // should be 0: the workload's own checks
  std::uint64_t trace_hash = 0;
};

BenchLogReport run_bench_log(const BenchLogOptions& options);

}  // namespace weir::scenarios
