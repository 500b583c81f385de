// DiskFamily: faults a node's disk (an ingester's or a log node's) through
// its knobs (DiskEffect): a latency multiplier, an fsync error probability,
// a capacity (full: what it holds when the fault starts) and a corrupt-read
// probability, each the largest of the active faults on that disk's.
//
// Ownership: borrows the world, which must outlive it.
#pragma once

#include "family.h"

namespace weir::scenarios::faults {

class DiskFamily final : public Family {
 public:
  explicit DiskFamily(PipelineWorld& world) : world_(world) {}

  std::vector<std::string> apply(ActiveFault& active) override;
  void heal(const ActiveFault& active) override { (void)active; }
  void set_knobs(const ActiveFaults& active) override;

 private:
  PipelineWorld& world_;
  std::vector<sim::NodeId> faulted_;  // every disk a fault ever set, reset when no fault holds it
};

}  // namespace weir::scenarios::faults
