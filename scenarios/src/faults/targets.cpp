#include "targets.h"

#include <algorithm>

#include "weir/scenarios/pipeline_world.h"

namespace weir::scenarios::faults {
namespace {

std::vector<std::string> distinct_zones(sim::Simulation& sim, const std::vector<sim::NodeId>& nodes) {
  std::vector<std::string> zones;
  for (sim::NodeId node : nodes) {
    const std::string& zone = sim.node(node).zone();
    if (std::find(zones.begin(), zones.end(), zone) == zones.end()) zones.push_back(zone);
  }
  return zones;
}

std::vector<sim::NodeId> from_target(const ScheduledFault& fault, const std::vector<sim::NodeId>& candidates) {
  std::vector<sim::NodeId> nodes;
  const int n = fault_node_count(fault, static_cast<int>(candidates.size()));
  for (int k = 0; k < n; ++k) {
    nodes.push_back(candidates[static_cast<std::size_t>(fault.target + k) % candidates.size()]);
  }
  return nodes;
}

}  // namespace

int candidate_count(PipelineWorld& world, FaultKind kind) {
  switch (info(kind).target) {
    case FaultTarget::none: return 1;
    case FaultTarget::ingester: return static_cast<int>(world.ingesters().size());
    case FaultTarget::log_node: return static_cast<int>(world.log().serving_nodes().size());
    case FaultTarget::log_zone: return static_cast<int>(log_zones(world).size());
    case FaultTarget::ingester_zone: return static_cast<int>(ingester_zones(world).size());
    case FaultTarget::log_control: return static_cast<int>(log_control_nodes(world).size());
  }
  return 1;
}

std::vector<sim::NodeId> target_nodes(PipelineWorld& world, const ScheduledFault& fault) {
  switch (info(fault.kind).target) {
    case FaultTarget::ingester: return from_target(fault, world.ingesters());
    case FaultTarget::log_node: return from_target(fault, world.log().serving_nodes());
    case FaultTarget::log_control: return from_target(fault, log_control_nodes(world));
    case FaultTarget::none:
    case FaultTarget::log_zone:
    case FaultTarget::ingester_zone: return {};
  }
  return {};
}

std::string target_zone(const ScheduledFault& fault, const std::vector<std::string>& zones) {
  return zones[static_cast<std::size_t>(fault.target) % zones.size()];
}

std::vector<std::string> log_zones(PipelineWorld& world) {
  return distinct_zones(world.sim(), world.log().serving_nodes());
}

std::vector<sim::NodeId> log_control_nodes(PipelineWorld& world) {
  const std::vector<sim::NodeId> serving = world.log().serving_nodes();
  std::vector<sim::NodeId> control;
  for (sim::NodeId node : world.log().all_nodes()) {
    if (std::find(serving.begin(), serving.end(), node) == serving.end()) control.push_back(node);
  }
  return control;
}

std::vector<std::string> ingester_zones(PipelineWorld& world) { return distinct_zones(world.sim(), world.ingesters()); }

}  // namespace weir::scenarios::faults
