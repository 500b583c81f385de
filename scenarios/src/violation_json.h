// Private: a violation as JSON, with its evidence, and back (for the sweep's
// workers). Evidence fields appear only when set; series and record digests
// are hex strings ("0x6b5662f1c980545c"), as in the messages, since JSON
// readers lose precision on 64-bit numbers.
#pragma once

#include <nlohmann/json.hpp>

#include "weir/properties/violation.h"

namespace weir::scenarios::detail {

nlohmann::json violation_json(const properties::Violation& violation);
properties::Violation violation_from_json(const nlohmann::json& j);

}  // namespace weir::scenarios::detail
