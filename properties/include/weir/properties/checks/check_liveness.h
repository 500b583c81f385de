// Property 7: liveness ("liveness").
//
// Contract: let heal = the time the last fault healed (0 when none) and
// deadline = heal + options.liveness_bound.
// - Every (zone, partition) with lag samples has one at or after heal, and
//   from some time no later than the deadline on, every sample is under
//   options.lag_threshold.
// - Every strong read invoked before the deadline completed (ok or error)
//   by max(heal, invoked) + liveness_bound, or, when invoked before heal,
//   by invoked + options.read_timeout if that is later (the system may hold
//   a query caught by a fault until its own timeout).
// - Every strong client request first invoked at or after heal succeeded:
//   the system is healed, so a request whose every attempt (the read and
//   its retries, Read::retry_of) failed is a failure; a failed attempt that
//   a retry made good is not (reads invoked during faults may fail).
// - Every zone to check (History::zones_to_check) has successful final drain
//   reads that cover every sample of every acked write. A sample they do not
//   reach (the final read failed, e.g. an ingester did not answer, or no
//   final read covers it) is unproven rather than lost: reported here, with
//   the zone, its final reads and their errors, and how many acked samples
//   were left unproven. check_no_lost_acked_samples judges the rest.
// A run that ends before a deadline it still owes fails (the message says
// when the run ended): a scenario must run its liveness phase long enough.
// Judges ingesters with lag samples, strong reads and zones to check.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_liveness(const History& history, const CheckOptions& options);

}  // namespace weir::properties
