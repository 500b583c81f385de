// Private: one walk over every ingester's events that judges both gapless
// replay (property 2) and exact resume (property 9).
//
// Contract: per (zone, partition), events in history order (see
// check_gapless_replay.h and check_exact_resume.h for what each reports).
// A restart that resumes past every legal resume point (or between two)
// is a gapless_replay finding; one that resumes before all of them is an
// exact_resume finding, never both. gapless_replay judges applied records,
// exact_resume judges restarts that had a known resume point.
#pragma once

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"

namespace weir::properties::detail {

struct ReplayFindings {
  PropertyResult gapless_replay;
  PropertyResult exact_resume;
};

ReplayFindings walk_replay(const History& history, const CheckOptions& options);

}  // namespace weir::properties::detail
