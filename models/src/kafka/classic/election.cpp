#include "election.h"

namespace weir::models::kafka::classic {

std::optional<PartitionState> reconcile(const PartitionState& state, const LiveFn& live, bool unclean) {
  PartitionState next = state;
  next.isr.clear();
  for (sim::NodeId n : state.isr) {
    if (live(n)) next.isr.push_back(n);
  }
  if (next.isr.empty()) next.isr = state.isr;  // the last member stays

  const bool leader_ok = state.has_leader() && live(state.leader) && next.in_isr(state.leader);
  if (!leader_ok) {
    next.leader = sim::kNoNode;
    for (sim::NodeId r : state.replicas) {
      if (live(r) && next.in_isr(r)) {
        next.leader = r;
        break;
      }
    }
    if (!next.has_leader() && unclean) {
      for (sim::NodeId r : state.replicas) {
        if (live(r)) {
          next.leader = r;
          next.isr = {r};
          break;
        }
      }
    }
  }
  if (next.leader == state.leader && next.isr == state.isr) return std::nullopt;
  if (next.leader != state.leader) ++next.leader_epoch;
  ++next.partition_epoch;
  return next;
}

}  // namespace weir::models::kafka::classic
