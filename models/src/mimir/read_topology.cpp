#include "weir/models/mimir/read_topology.h"

#include <fmt/format.h>

namespace weir::models::mimir {

void ReadTopology::add_ingester(PartitionId partition, std::string zone, sim::NodeId node) {
  ingesters[partition][std::move(zone)] = node;
}

void ReadTopology::add_store_gateway(std::string zone, sim::NodeId node) {
  store_gateways.push_back(ZonedNode{std::move(zone), node});
}

std::vector<PartitionId> ReadTopology::partitions() const {
  std::vector<PartitionId> ids;
  for (const auto& [partition, zones] : ingesters) {
    if (!zones.empty()) ids.push_back(partition);
  }
  return ids;
}

std::vector<sim::NodeId> ReadTopology::ingesters_for(PartitionId partition, std::string_view zone) const {
  std::vector<sim::NodeId> ordered;
  const auto it = ingesters.find(partition);
  if (it == ingesters.end()) return ordered;
  if (const auto own = it->second.find(zone); own != it->second.end()) ordered.push_back(own->second);
  for (const auto& [other_zone, node] : it->second) {
    if (other_zone != zone) ordered.push_back(node);
  }
  return ordered;
}

std::vector<sim::NodeId> ReadTopology::store_gateways_for(std::string_view zone) const {
  std::vector<sim::NodeId> ordered;
  for (const ZonedNode& g : store_gateways) {
    if (g.zone == zone) ordered.push_back(g.node);
  }
  for (const ZonedNode& g : store_gateways) {
    if (g.zone != zone) ordered.push_back(g.node);
  }
  return ordered;
}

std::vector<sim::NodeId> ReadTopology::ingesters_in(PartitionId partition, std::string_view zone) const {
  const auto it = ingesters.find(partition);
  if (it == ingesters.end()) return {};
  const auto own = it->second.find(zone);
  if (own == it->second.end()) return {};
  return {own->second};
}

std::vector<sim::NodeId> ReadTopology::store_gateways_in(std::string_view zone) const {
  std::vector<sim::NodeId> nodes;
  for (const ZonedNode& g : store_gateways) {
    if (g.zone == zone) nodes.push_back(g.node);
  }
  return nodes;
}

std::string ingester_name(std::string_view zone, PartitionId partition) {
  return fmt::format("ingester-{}-{}", zone, partition);
}

}  // namespace weir::models::mimir
