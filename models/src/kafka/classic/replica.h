// Replica: one broker's copy of one partition and its replication state.
//
// Every replica has a log, a high watermark and the partition state its
// broker last learned. As leader it tracks each follower's fetch progress (to
// advance the high watermark and manage the ISR); as follower it remembers
// whether it must truncate (OffsetsForLeaderEpoch) before fetching. Owned by
// its Broker, created at boot and never moved, so fibers of the broker may
// hold pointers to it.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "notifier.h"
#include "partition_log.h"
#include "weir/models/kafka/classic/partition_state.h"
#include "weir/sim/time.h"

namespace weir::models::kafka::classic {

struct FollowerState {
  sim::NodeId broker = sim::kNoNode;
  std::int64_t log_end_offset = -1;  // -1: unknown since this leadership began
  sim::Time last_fetch;
  sim::Time last_caught_up;          // Kafka's lastCaughtUpTimeMs
  std::int64_t leader_end_at_last_fetch = -1;
};

struct Replica {
  Replica(sim::Simulation& sim, std::uint32_t partition_index, std::uint64_t segment_bytes)
      : index(partition_index), log(segment_bytes), progress(sim) {}

  bool leads(sim::NodeId self) const { return state.leader == self; }
  FollowerState* follower(sim::NodeId broker) {
    for (FollowerState& f : followers) {
      if (f.broker == broker) return &f;
    }
    return nullptr;
  }

  const std::uint32_t index;  // partition index in the Topology
  PartitionLog log;
  std::int64_t high_watermark = 0;
  PartitionState state;  // newest known; leader_epoch -1 until the first metadata

  // ---- Leader side.
  std::vector<FollowerState> followers;
  std::int64_t leader_epoch_start = 0;  // the LEO when this leadership began
  bool alter_in_flight = false;         // an AlterPartition awaits the controller
  std::uint64_t alter_serial = 0;
  std::int32_t alter_partition_epoch = -1;
  std::vector<sim::NodeId> pending_isr;  // counted for the high watermark meanwhile

  // ---- Follower side.
  bool needs_truncation = false;
  sim::Time fetch_backoff_until;

  // ---- Disk.
  std::set<std::int64_t> unsynced_segments;  // base offsets of segment files awaiting an fsync

  // Woken by every change of the log end, the high watermark or the state.
  Notifier progress;
};

}  // namespace weir::models::kafka::classic
