// Property 2: gapless replay ("gapless_replay").
//
// Contract: per (zone, partition), over the ingester events in order:
// - a restart resumes at the last committed offset + 1, or at the log start
//   offset when nothing was committed (when the log bounds are known);
// - within one run of the ingester (between restarts), applied offsets never
//   skip ahead: each is at most the previous one + 1;
// - committed offsets never go backwards and were applied before;
// - the applied offsets, across all restarts, cover the log
//   [start_offset, end_offset) of the partition with no hole (when known).
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_gapless_replay(const History& history, const CheckOptions& options);

}  // namespace weir::properties
