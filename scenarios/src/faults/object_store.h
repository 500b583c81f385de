// ObjectStoreFamily: faults the object store through its knobs
// (ObjectStoreEffect): a latency multiplier and a SlowDown probability, each
// the largest of the active faults', and a stall per active stall fault.
//
// Ownership: borrows the world, which must outlive it.
#pragma once

#include "family.h"

namespace weir::scenarios::faults {

class ObjectStoreFamily final : public Family {
 public:
  explicit ObjectStoreFamily(PipelineWorld& world) : world_(world) {}

  std::vector<std::string> apply(ActiveFault& active) override;
  void heal(const ActiveFault& active) override { (void)active; }
  void set_knobs(const ActiveFaults& active) override;

 private:
  PipelineWorld& world_;
};

}  // namespace weir::scenarios::faults
