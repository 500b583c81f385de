// Violations: property kinds and the capped sink.
#include <algorithm>
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

bool Evidence::empty() const { return *this == Evidence{}; }

namespace detail {

Evidence at_ingester(std::string_view zone, PartitionId partition, Offset offset, SimTime from, SimTime to) {
  Evidence e;
  e.zones = {std::string(zone)};
  e.partition = partition;
  e.offset = offset;
  e.from_ns = std::min(from, to);
  e.to_ns = std::max(from, to);
  return e;
}

void ViolationSink::add(std::string message, Evidence evidence) {
  if (violations_.size() < cap_) {
    violations_.push_back(Violation{property_, std::move(message), std::move(evidence)});
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
