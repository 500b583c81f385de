// Family: applies and heals the faults of one FaultFamily (fault_kinds.h)
// on a PipelineWorld, for the FaultInjector; what it does to a fault is its
// kind's row's effect. The injector calls apply when a fault starts, heal
// when it ends, and every family's set_knobs after each of those.
//
// Ownership: a family borrows the world, which must outlive it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "weir/scenarios/fault_injector.h"

namespace weir::scenarios::faults {

class Family {
 public:
  virtual ~Family() = default;

  // Puts `active.fault` into effect and records in `active` what it took
  // (nodes it holds down or whose disk it faults, partitions to repair);
  // returns the names of what it hit that is not a node (a zone,
  // "object-store"). May block (a clean stop waits).
  virtual std::vector<std::string> apply(ActiveFault& active) = 0;
  // Gives back what apply took; the fault is no longer active.
  virtual void heal(const ActiveFault& active) = 0;
  // A knob family sets its knobs from the active faults: each the largest
  // magnitude of the faults that set it, off when none does.
  virtual void set_knobs(const ActiveFaults& active) { (void)active; }
  // FaultInjector::heal_all: forget every active fault (the world heals
  // itself); an apply still under way gives up.
  virtual void heal_all() {}
};

std::unique_ptr<Family> make_family(FaultFamily family, PipelineWorld& world);

}  // namespace weir::scenarios::faults
