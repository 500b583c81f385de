// Leader election and ISR pruning, as the KRaft controller does them when a
// broker is fenced or unfenced. A pure function of the partition state and
// the set of live (unfenced) brokers.
//
// Rules (Kafka's ReplicationControlManager and PartitionChangeBuilder):
// - fenced brokers leave the ISR, except that the ISR never becomes empty:
//   its last member stays, remembering who holds the data;
// - a live leader in the ISR stays; otherwise the first live ISR member in
//   assignment order leads (clean election);
// - with no live ISR member the partition has no leader, unless unclean
//   election is on: then the first live replica leads and the ISR is reset
//   to it alone (acknowledged records it lacks are lost);
// - a leader change bumps leader_epoch; any change bumps partition_epoch.
#pragma once

#include <functional>
#include <optional>

#include "weir/models/kafka/classic/partition_state.h"

namespace weir::models::kafka::classic {

using LiveFn = std::function<bool(sim::NodeId)>;

// The state after reconciling with `live`, or nothing if it does not change.
std::optional<PartitionState> reconcile(const PartitionState& state, const LiveFn& live, bool unclean);

}  // namespace weir::models::kafka::classic
