// Property 1: no lost acknowledged samples ("no_lost_acked_samples").
//
// Contract: every sample of every acked write that a successful final drain
// read of a zone to check (History::zones_to_check) covers is returned by
// those reads, with the value the write sent; a covered sample missing, or
// returned only with another value, is lost. A sample that no successful
// final read of a zone covers (its final read failed, or none reaches it) is
// not judged here: it is unproven, a liveness failure (check_liveness.h).
// Ambiguous, failed and rejected writes are never required. A history with
// no declared zones and no final reads has nothing to check. Judges covered
// acked samples x zones.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_no_lost_acked_samples(const History& history, const CheckOptions& options);

}  // namespace weir::properties
