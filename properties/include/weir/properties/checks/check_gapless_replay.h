// Property 2: gapless replay ("gapless_replay").
//
// Contract: per (zone, partition), over the ingester events in order:
// - a restart never resumes past the legal resume points: the last
//   confirmed commit + 1, or the log start offset when nothing was
//   committed (when the log bounds are known), or any unconfirmed commit
//   attempt newer than the last confirmed commit + 1 (the log may have stored
//   any of them, and the newest stored one wins); resuming past all of them,
//   or between two, skips offsets. Resuming before them all is
//   exact_resume's finding (check_exact_resume.h), not this one's;
// - within one run of the ingester (between restarts), applied offsets never
//   skip ahead: each is at most the previous one + 1;
// - committed offsets never go backwards and were applied before;
// - the applied offsets, across all restarts, cover the log
//   [start_offset, end_offset) of the partition with no hole (when known).
// Judges applied records.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_gapless_replay(const History& history, const CheckOptions& options);

}  // namespace weir::properties
