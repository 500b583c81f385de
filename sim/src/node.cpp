#include "weir/sim/node.h"

#include "weir/sim/simulation.h"

namespace weir::sim {

Node::Node(NodeId id, NodeSpec spec, Simulation& sim)
    : id_(id), spec_(std::move(spec)), disk_(sim, id, spec_.disk) {}

}  // namespace weir::sim
