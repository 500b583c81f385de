// OffsetWatcher: the last Kafka offset an ingester has consumed, and a way
// for strong reads to wait until it reaches an offset (Mimir's
// partitionOffsetWatcher, pkg/storage/ingest/partition_offset_watcher.go).
//
// Contract: -1 until something is consumed; notify() only moves it forward.
// wait_until() blocks the calling fiber; every waiter is woken at each
// advance and re-checks. Owned by the ingester's process; waiters are fibers
// of the same node, so a crash unwinds them before the watcher dies.
#pragma once

#include <cstdint>

#include "weir/sim/future.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

class OffsetWatcher {
 public:
  explicit OffsetWatcher(sim::Simulation& sim) : sim_(sim), advanced_(sim) {}

  std::int64_t last() const { return last_; }

  void notify(std::int64_t offset) {
    if (offset <= last_) return;
    last_ = offset;
    sim::Promise<bool> advanced = advanced_;
    advanced_ = sim::Promise<bool>(sim_);
    advanced.set(true);
  }

  // True once last() >= offset; false if the deadline passes first.
  bool wait_until(std::int64_t offset, sim::Time deadline) {
    while (last_ < offset) {
      if (sim_.now() >= deadline) return false;
      sim::Future<bool> advanced = advanced_.future();
      advanced.get_until(deadline);
    }
    return true;
  }

 private:
  sim::Simulation& sim_;
  std::int64_t last_ = -1;
  sim::Promise<bool> advanced_;
};

}  // namespace weir::models::mimir
