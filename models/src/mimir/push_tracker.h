// PushTracker: the log's answers for the records of one distributor push,
// shared by the fibers that watch each record's produce, and the push's
// verdict: acknowledged once every record of every partition is (or, with the
// planted ack_before_all_partitions bug, once every record of any one
// partition is), failed at the first record that fails.
//
// Contract: shared (shared_ptr) by the push handler and the watchers, so it
// outlives whichever finishes first; the verdict is set once.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "weir/models/mimir/partition_ring.h"
#include "weir/sim/future.h"

namespace weir::models::mimir {

class PushTracker {
 public:
  PushTracker(sim::Simulation& sim, bool decide_on_first_partition)
      : decide_on_first_partition_(decide_on_first_partition), verdict_(sim) {}

  void expect(PartitionId partition) { ++outstanding_[partition]; }

  void acked(PartitionId partition) {
    if (--outstanding_[partition] > 0) return;
    ++partitions_done_;
    if (decide_on_first_partition_ || partitions_done_ == outstanding_.size()) verdict_.set(true);
  }

  void failed(PartitionId partition, std::string error) {
    if (verdict_.is_set()) return;
    error_ = "failed pushing to partition " + std::to_string(partition) + ": " + std::move(error);
    verdict_.set(false);
  }

  // True: acknowledged; false: failed (see error()).
  sim::Future<bool> verdict() const { return verdict_.future(); }
  const std::string& error() const { return error_; }

 private:
  bool decide_on_first_partition_;
  std::map<PartitionId, int> outstanding_;
  std::size_t partitions_done_ = 0;
  sim::Promise<bool> verdict_;
  std::string error_;
};

}  // namespace weir::models::mimir
