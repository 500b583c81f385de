// Property 5: no phantom samples ("no_phantom_samples").
//
// Contract: every sample a successful read returns was sent by some write,
// whatever that write's outcome (ambiguous and failed writes included), with
// the same value (compared bit for bit), and lies inside the read's selector.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_no_phantom_samples(const History& history, const CheckOptions& options);

}  // namespace weir::properties
