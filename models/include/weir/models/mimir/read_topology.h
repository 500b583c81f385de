// ReadTopology: where the read path finds things: for each partition, the
// ingester that consumes it in each zone, and the store-gateways.
//
// A scenario (or a test) builds it while it adds the nodes, then hands a copy
// to every querier. It names nodes by id only, so it stays valid across
// crashes and restarts (a node keeps its id). Node names follow Mimir:
// ingester_name("zone-a", 13) is "ingester-zone-a-13", the ingester of
// partition 13 in zone-a, whose consumer group is that same name.
// Contract: a plain value; lookups are deterministic (ordered containers).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/types.h"
#include "weir/sim/trace.h"

namespace weir::models::mimir {

using properties::PartitionId;

struct ZonedNode {
  std::string zone;
  sim::NodeId node = sim::kNoNode;
  bool operator==(const ZonedNode&) const = default;
};

struct ReadTopology {
  std::map<PartitionId, std::map<std::string, sim::NodeId, std::less<>>> ingesters;  // partition -> zone -> node
  std::vector<ZonedNode> store_gateways;

  void add_ingester(PartitionId partition, std::string zone, sim::NodeId node);
  void add_store_gateway(std::string zone, sim::NodeId node);
  // Every partition with an ingester, ascending.
  std::vector<PartitionId> partitions() const;
  // The partition's ingesters in the order a querier in `zone` tries them:
  // its own zone first, then the other zones by name.
  std::vector<sim::NodeId> ingesters_for(PartitionId partition, std::string_view zone) const;
  // The partition's ingester in `zone` only (empty if it has none there).
  std::vector<sim::NodeId> ingesters_in(PartitionId partition, std::string_view zone) const;
  // Store-gateways in the same order: own zone first, then the rest as added.
  std::vector<sim::NodeId> store_gateways_for(std::string_view zone) const;
  std::vector<sim::NodeId> store_gateways_in(std::string_view zone) const;
};

// "ingester-<zone>-<partition>".
std::string ingester_name(std::string_view zone, PartitionId partition);

}  // namespace weir::models::mimir
