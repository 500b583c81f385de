// What a fault's target index picks in a PipelineWorld, by its kind's
// FaultTarget (fault_kinds.h): the candidates in the topology's order, and
// the nodes or zone a resolved target (>= 0) names among them.
#pragma once

#include <string>
#include <vector>

#include "weir/scenarios/fault_plan.h"
#include "weir/sim/trace.h"

namespace weir::scenarios {
class PipelineWorld;
}

namespace weir::scenarios::faults {

// How many candidates a fault of `kind` has (1 for a kind with no target).
int candidate_count(PipelineWorld& world, FaultKind kind);
// The nodes a fault hits, from its target on (fault_node_count of them);
// none for a kind whose target is not a node.
std::vector<sim::NodeId> target_nodes(PipelineWorld& world, const ScheduledFault& fault);
// The zone a fault's target names among `zones`.
std::string target_zone(const ScheduledFault& fault, const std::vector<std::string>& zones);
// The log's zones and the ingesters' zones, each once, in node order.
std::vector<std::string> log_zones(PipelineWorld& world);
std::vector<std::string> ingester_zones(PipelineWorld& world);
// The log's nodes that serve no client: its control plane.
std::vector<sim::NodeId> log_control_nodes(PipelineWorld& world);

}  // namespace weir::scenarios::faults
