// Private: grouping of ingester events and log bounds.
#include "ingester_timeline.h"

namespace weir::properties::detail {

std::map<ZonePartition, std::vector<const IngesterEvent*>> events_by_zone_partition(
    const History& history) {
  std::map<ZonePartition, std::vector<const IngesterEvent*>> groups;
  for (const auto& event : history.data().ingester_events) {
    groups[{event.zone, event.partition}].push_back(&event);
  }
  return groups;
}

std::map<PartitionId, LogBounds> log_bounds_by_partition(const History& history) {
  std::map<PartitionId, LogBounds> bounds;
  for (const auto& entry : history.data().log_bounds) bounds[entry.partition] = entry;
  return bounds;
}

}  // namespace weir::properties::detail
