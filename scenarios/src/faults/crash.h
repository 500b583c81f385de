// CrashFamily: takes a fault's target nodes down until it heals, then
// starts them again (CrashEffect says how they go down). A node held down by
// several faults at once starts when the last of them heals.
//
// Ownership: borrows the world, which must outlive it.
#pragma once

#include <map>

#include "family.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios::faults {

class CrashFamily final : public Family {
 public:
  explicit CrashFamily(PipelineWorld& world);

  std::vector<std::string> apply(ActiveFault& active) override;
  void heal(const ActiveFault& active) override;
  void heal_all() override;

 private:
  void crash(ActiveFault& active, const std::vector<sim::NodeId>& nodes);
  void stop_cleanly(sim::NodeId ingester);

  PipelineWorld& world_;
  sim::Simulation& sim_;
  std::map<sim::NodeId, int> down_count_;  // nodes held down, by how many faults
  bool stopped_ = false;                   // heal_all was called: a clean stop gives up
};

}  // namespace weir::scenarios::faults
