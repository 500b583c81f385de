// Property 3: identical ordering across zones ("identical_ordering").
//
// Contract: per partition:
// - an offset never holds two different record digests: not in the log acks,
//   not within a zone, not between a zone and the log;
// - for any two zones, the (offset, digest) sequences applied (offset order,
//   each offset once) agree: one is a prefix of the other;
// - once the history records a completed drain, they are equal.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_identical_ordering(const History& history, const CheckOptions& options);

}  // namespace weir::properties
