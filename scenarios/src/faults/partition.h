// PartitionFamily: cuts the network as a fault's PartitionEffect says, and
// repairs those partitions when it heals.
//
// Ownership: borrows the world, which must outlive it.
#pragma once

#include "family.h"

namespace weir::scenarios::faults {

class PartitionFamily final : public Family {
 public:
  explicit PartitionFamily(PipelineWorld& world) : world_(world) {}

  std::vector<std::string> apply(ActiveFault& active) override;
  void heal(const ActiveFault& active) override;

 private:
  PipelineWorld& world_;
};

}  // namespace weir::scenarios::faults
