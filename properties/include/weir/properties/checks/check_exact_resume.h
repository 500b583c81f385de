// Property 9: exact resume ("exact_resume").
//
// Contract: per (zone, partition), over the ingester events in order, a
// restart resumes no earlier than the legal resume points: the last
// confirmed commit + 1 (the log start offset when nothing was committed and
// the log bounds are known) and, for every commit attempt newer than it that
// was never confirmed (the log may have stored it), that offset + 1. A
// restart resuming before all of them re-applies committed records: Mimir
// resumes exactly, so this is a finding even though the head takes the
// replayed records as identical duplicates. Resuming past them is a
// gapless_replay finding instead (check_gapless_replay.h). Judges restarts
// whose resume points are known.
#pragma once

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_exact_resume(const History& history, const CheckOptions& options);

}  // namespace weir::properties
