// PartitionState: what the controller decides about one partition: its
// replicas, its ISR, its leader and the epochs that version them.
//
// The controller owns the authoritative copy; brokers hold the latest copy
// they were told. leader_epoch grows on every leader change (including to and
// from "no leader"); partition_epoch grows on every change at all, so
// between two copies the one with the larger partition_epoch is the newer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "weir/sim/trace.h"

namespace weir::models::kafka::classic {

struct PartitionState {
  sim::NodeId leader = sim::kNoNode;  // kNoNode: no leader (the partition is offline)
  std::int32_t leader_epoch = -1;
  std::int32_t partition_epoch = -1;
  std::vector<sim::NodeId> replicas;  // assignment order = election preference
  std::vector<sim::NodeId> isr;       // in assignment order

  bool has_leader() const { return leader != sim::kNoNode; }
  bool in_isr(sim::NodeId node) const { return std::find(isr.begin(), isr.end(), node) != isr.end(); }
  bool is_replica(sim::NodeId node) const {
    return std::find(replicas.begin(), replicas.end(), node) != replicas.end();
  }
  bool operator==(const PartitionState&) const = default;
};

}  // namespace weir::models::kafka::classic
