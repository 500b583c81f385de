// Runs every enabled checker.
//
// Contract: violations of properties 1..8 in DESIGN.md order, each checker's
// in its own deterministic order. Depends only on the history and options.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

std::vector<Violation> check_all(const History& history, const CheckOptions& options = {});

}  // namespace weir::properties
