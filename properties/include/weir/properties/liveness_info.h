// What the liveness checker needs besides reads: consumer lag over time.
//
// Contract: a LagSample says how far behind the log an ingester was (as a
// duration) at a time. The history also keeps when the last fault healed and
// when the run ended (see History).
#pragma once

#include <string>

#include "weir/properties/types.h"

namespace weir::properties {

struct LagSample {
  std::string zone;
  PartitionId partition = 0;
  SimTime at = 0;
  SimDuration lag = 0;
  bool operator==(const LagSample&) const = default;
};

}  // namespace weir::properties
