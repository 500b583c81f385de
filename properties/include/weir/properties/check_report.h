// What the checkers judged in one history, and what they found.
//
// Contract: a PropertyResult is one enabled property's verdict: `judged`
// counts the observations it judged (its unit is judged_unit(property):
// acked samples per zone, records compared, strong reads, ...), and
// `violations` what it found. A property that judged nothing is vacuous: it
// did not fail, but it did not pass either, because it had nothing to judge.
// A CheckReport lists the enabled properties in check_all's order, and the
// shortfalls: one min_observations violation for each property that judged
// fewer observations than CheckOptions::min_observations asks of it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/violation.h"

namespace weir::properties {

struct PropertyResult {
  std::string property;
  std::uint64_t judged = 0;
  std::vector<Violation> violations;

  bool vacuous() const { return judged == 0; }
  bool operator==(const PropertyResult&) const = default;
};

struct CheckReport {
  std::vector<PropertyResult> properties;
  std::vector<Violation> shortfalls;  // property_id::min_observations

  // Every violation, in the order of `properties`, then the shortfalls.
  std::vector<Violation> violations() const;
  // Property -> observations judged, for every enabled property.
  std::map<std::string, std::uint64_t> checked() const;
  // The enabled properties that judged nothing, in order.
  std::vector<std::string> vacuous() const;

  bool operator==(const CheckReport&) const = default;
};

// What one observation of `property` is, plural ("acked samples x zones").
std::string_view judged_unit(std::string_view property);

}  // namespace weir::properties
