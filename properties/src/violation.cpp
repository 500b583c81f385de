// Violations: property kinds and the capped sink.
#include "weir/properties/violation.h"

#include <fmt/format.h>

#include "violation_sink.h"

namespace weir::properties {

PropertyKind property_kind(std::string_view property) {
  const bool liveness = property == property_id::liveness || property == property_id::min_observations;
  return liveness ? PropertyKind::liveness : PropertyKind::safety;
}

bool is_property(std::string_view name) {
  namespace id = property_id;
  for (std::string_view known : {id::no_lost_acked_samples, id::gapless_replay, id::identical_ordering,
                                 id::read_after_write, id::no_phantom_samples, id::no_duplicate_samples, id::liveness,
                                 id::bounded_staleness, id::exact_resume, id::min_observations}) {
    if (name == known) return true;
  }
  return false;
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
