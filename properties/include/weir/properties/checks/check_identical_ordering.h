// Property 3: identical ordering across zones ("identical_ordering").
//
// Contract: per partition:
// - an offset never holds two different record digests: not in the log acks,
//   not within a zone, not between a zone and the log;
// - each zone applies records in the order of the log: per (zone,
//   partition), walking the applied events in history order, offsets within
//   one run of the ingester (between restarts) strictly increase (a repeat
//   or a decrease fails); re-applying older offsets is legal only right after
//   a restart, as a replay from its resume offset, so the first offset
//   applied after a restart is not below the restart's resume offset (a
//   skip ahead is gapless_replay's finding);
// - for any two zones, the (offset, digest) sequences applied (offset order,
//   each offset once) agree: one is a prefix of the other;
// - once the history records a completed drain, they are equal.
// Judges every applied record's order, every applied record the log acked,
// and every position compared between two zones.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_identical_ordering(const History& history, const CheckOptions& options);

}  // namespace weir::properties
