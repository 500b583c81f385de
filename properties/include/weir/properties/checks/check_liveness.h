// Property 7: liveness ("liveness").
//
// Contract: let heal = the time the last fault healed (0 when none) and
// deadline = heal + options.liveness_bound.
// - Every (zone, partition) with lag samples has one at or after heal, and
//   from some time no later than the deadline on, every sample is under
//   options.lag_threshold.
// - Every strong read invoked before the deadline completed (ok or error)
//   by max(heal, invoked) + liveness_bound.
// A run that ends before a deadline it still owes fails (the message says
// when the run ended): a scenario must run its liveness phase long enough.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_liveness(const History& history, const CheckOptions& options);

}  // namespace weir::properties
