#include "partition.h"

#include <fmt/format.h>

#include "targets.h"
#include "weir/scenarios/pipeline_world.h"

namespace weir::scenarios::faults {
namespace {

// Every node of the simulation in `zone` (or, with in_zone false, outside it).
std::vector<sim::NodeId> nodes_where(sim::Simulation& sim, bool in_zone, const std::string& zone) {
  std::vector<sim::NodeId> nodes;
  for (sim::NodeId id = 0; id < sim.node_count(); ++id) {
    if ((sim.node(id).zone() == zone) == in_zone) nodes.push_back(id);
  }
  return nodes;
}

}  // namespace

std::vector<std::string> PartitionFamily::apply(ActiveFault& active) {
  sim::Simulation& sim = world_.sim();
  switch (std::get<PartitionEffect>(info(active.fault.kind).effect)) {
    case PartitionEffect::zone_both_ways: {
      const std::string zone = target_zone(active.fault, log_zones(world_));
      active.partitions.push_back(sim.network().isolate_zone(zone));
      return {zone};
    }
    case PartitionEffect::zone_outbound: {
      const std::string zone = target_zone(active.fault, log_zones(world_));
      active.partitions.push_back(
          sim.network().partition(nodes_where(sim, true, zone), nodes_where(sim, false, zone), true));
      return {zone};
    }
    case PartitionEffect::ingester_group: {
      const std::string zone = target_zone(active.fault, ingester_zones(world_));
      std::vector<sim::NodeId> group;
      for (sim::NodeId node : world_.ingesters()) {
        if (sim.node(node).zone() == zone) group.push_back(node);
      }
      active.partitions.push_back(sim.network().partition(group, world_.log().all_nodes()));
      return {fmt::format("ingesters-{}", zone)};
    }
  }
  return {};
}

void PartitionFamily::heal(const ActiveFault& active) {
  for (sim::PartitionId id : active.partitions) world_.sim().network().repair(id);
}

}  // namespace weir::scenarios::faults
