// Property 1: no lost acknowledged samples ("no_lost_acked_samples").
//
// Contract: every sample of every acked write is returned, with the value the
// write sent, by a successful final drain read of every zone to check
// (History::zones_to_check). A sample that no successful final read of a
// zone covers is reported too: the drain could not show it was kept.
// Ambiguous, failed and rejected writes are never required. A history with
// no declared zones and no final reads has nothing to check.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_no_lost_acked_samples(const History& history, const CheckOptions& options);

}  // namespace weir::properties
