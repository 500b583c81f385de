// NetworkFamily: faults every message through the network's knobs
// (NetworkEffect): a delay and a drop probability, each the largest of the
// active faults'.
//
// Ownership: borrows the world, which must outlive it.
#pragma once

#include "family.h"

namespace weir::scenarios::faults {

class NetworkFamily final : public Family {
 public:
  explicit NetworkFamily(PipelineWorld& world) : world_(world) {}

  std::vector<std::string> apply(ActiveFault& active) override;
  void heal(const ActiveFault& active) override { (void)active; }
  void set_knobs(const ActiveFaults& active) override;

 private:
  PipelineWorld& world_;
};

}  // namespace weir::scenarios::faults
