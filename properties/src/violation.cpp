// Violations: property kinds and the capped sink.
#include "weir/properties/violation.h"

#include <fmt/format.h>

#include "violation_sink.h"

namespace weir::properties {

PropertyKind property_kind(std::string_view property) {
  const bool liveness = property == property_id::liveness || property == property_id::min_observations;
  return liveness ? PropertyKind::liveness : PropertyKind::safety;
}

namespace detail {

void ViolationSink::add(std::string message) {
  if (violations_.size() < cap_) {
    violations_.push_back(Violation{property_, std::move(message)});
  } else {
    ++left_out_;
  }
}

PropertyResult ViolationSink::finish() && {
  if (left_out_ > 0) {
    violations_.push_back(Violation{
        property_, fmt::format("... and {} more violations of {} not listed", left_out_, property_)});
  }
  return PropertyResult{property_, judged_, std::move(violations_)};
}

}  // namespace detail
}  // namespace weir::properties
