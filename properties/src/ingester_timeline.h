// Private: ingester events grouped per (zone, partition), and log bounds per partition.
//
// Contract: groups keep the recorded order of events; map keys make every
// iteration order deterministic (zone name, then partition).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "weir/properties/history.h"

namespace weir::properties::detail {

using ZonePartition = std::pair<std::string, PartitionId>;

std::map<ZonePartition, std::vector<const IngesterEvent*>> events_by_zone_partition(
    const History& history);

std::map<PartitionId, LogBounds> log_bounds_by_partition(const History& history);

}  // namespace weir::properties::detail
