// Runs every enabled checker.
//
// Contract: one PropertyResult per enabled property, in the order of
// property_id (1..9), each checker's violations in its own deterministic
// order; then a min_observations shortfall for every enabled property that
// judged fewer observations than options.min_observations asks. Depends only
// on the history and options. bounded_staleness counts as enabled only when
// a staleness bound is set (without one it judges nothing).
#pragma once

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"

namespace weir::properties {

CheckReport check_all(const History& history, const CheckOptions& options = {});

}  // namespace weir::properties
