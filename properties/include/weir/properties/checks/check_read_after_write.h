// Property 4: read-after-write under strong consistency ("read_after_write").
//
// Contract: a successful strong read invoked strictly after a write was
// acked (in simulated time) returns every sample of that write that its
// selector covers, with the value the write sent. Failed or pending reads
// are not violations; only acked writes are required.
#pragma once

#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

PropertyResult check_read_after_write(const History& history, const CheckOptions& options);

}  // namespace weir::properties
