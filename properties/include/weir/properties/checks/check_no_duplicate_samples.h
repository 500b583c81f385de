// Property 6: no duplicates in query results ("no_duplicate_samples").
//
// Contract: a successful read never returns the same (series, timestamp)
// twice, whether within one series result or across two results of the
// same series.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_no_duplicate_samples(const History& history, const CheckOptions& options);

}  // namespace weir::properties
