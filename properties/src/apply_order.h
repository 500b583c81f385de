// Private: the order in which each zone applied each partition's records.
//
// Contract: per (zone, partition), over the ingester events in history
// order: within one run of the ingester (between restarts) applied offsets
// strictly increase, so a repeat or a decrease is reported; a restart opens
// a new run that replays from its resume offset, so its first applied offset
// must not be below that. Skips ahead are gapless replay's business, not
// reported here. Every applied record is judged.
#pragma once

#include "violation_sink.h"
#include "weir/properties/history.h"

namespace weir::properties::detail {

void check_apply_order(const History& history, ViolationSink& sink);

}  // namespace weir::properties::detail
