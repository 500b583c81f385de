// The "rpc-chaos" scenario: the runtime under faults, before any model of the
// ingest pipeline is involved.
//
// Nodes in three zones each run a small durable key-value store: a `put`
// appends to a write-ahead log on the node's disk, fsyncs, then acknowledges.
// Client fibers put to random peers while a fault schedule crashes and
// restarts nodes and partitions them (safety phase). All faults then heal
// (liveness phase); finally every acknowledged put must be in its store's log
// (safety: no_lost_acked_writes) and every node must answer within a bound
// (liveness). The `ack_before_fsync` knob plants the classic durability bug.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "weir/scenarios/run_result.h"
#include "weir/sim/time.h"

namespace weir::scenarios {

struct RpcChaosOptions {
  int nodes = 6;                 // spread over zone-a, zone-b, zone-c
  int puts_per_client = 200;
  sim::Duration put_interval_max = sim::Duration::milliseconds(50);
  sim::Duration rpc_timeout = sim::Duration::milliseconds(200);
  sim::Duration safety_phase = sim::Duration::seconds(30);
  sim::Duration liveness_bound = sim::Duration::seconds(10);
  int faults = 12;               // crashes, restarts and partitions in the safety phase
  bool shuffle_same_instant = false;
  // Planted bug: acknowledge a put before its fsync (lost on crash).
  bool ack_before_fsync = false;

  std::optional<std::string> validate() const;
};

RunResult run_rpc_chaos(const RpcChaosOptions& options, std::uint64_t seed);

}  // namespace weir::scenarios
