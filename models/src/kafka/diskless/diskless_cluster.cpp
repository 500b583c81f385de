#include "weir/models/kafka/diskless/diskless_cluster.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "agent.h"
#include "metadata_service.h"

namespace weir::models::kafka::diskless {

DisklessCluster::DisklessCluster(sim::Simulation& sim, objstore::ObjectStore& store, DisklessOptions options)
    : sim_(sim), store_(store), options_(std::move(options)), state_(options_.topics) {
  if (auto error = options_.validate()) throw std::invalid_argument(fmt::format("diskless options: {}", *error));
  for (const std::string& zone : options_.zones) {
    if (store.endpoint_in_zone(zone) == sim::kNoNode) {
      throw std::invalid_argument(fmt::format("diskless: the object store has no endpoint in {}", zone));
    }
  }
  const std::string& metadata_zone = options_.metadata_zone.empty() ? options_.zones.front() : options_.metadata_zone;
  metadata_node_ = sim.add_node({"diskless-metadata", metadata_zone,
                                 [this](sim::Simulation& s, sim::NodeId id) {
                                   return std::make_unique<MetadataService>(s, id, state_, options_);
                                 },
                                 {}});
  context_ = std::make_unique<AgentContext>(AgentContext{options_, store_, metadata_node_, {}});
  for (const std::string& zone : options_.zones) {
    for (std::uint32_t i = 0; i < options_.agents_per_zone; ++i) {
      const sim::NodeId id = sim.add_node({fmt::format("agent-{}-{}", zone, i), zone,
                                           [this](sim::Simulation& s, sim::NodeId node) {
                                             return std::make_unique<Agent>(s, node, *context_);
                                           },
                                           options_.agent_disk});
      context_->agents.push_back(AgentInfo{id, zone});
    }
  }
  sim.start(metadata_node_);
  for (const AgentInfo& agent : context_->agents) sim.start(agent.node);
}

DisklessCluster::~DisklessCluster() = default;

const std::vector<AgentInfo>& DisklessCluster::agents() const { return context_->agents; }

std::vector<sim::NodeId> DisklessCluster::agents_in_zone(std::string_view zone) const {
  std::vector<sim::NodeId> out;
  for (const AgentInfo& a : context_->agents) {
    if (a.zone == zone) out.push_back(a.node);
  }
  return out;
}

std::vector<sim::NodeId> DisklessCluster::bootstrap(std::string_view client_zone) const {
  std::vector<sim::NodeId> local = agents_in_zone(client_zone);
  return local.empty() ? serving_nodes() : local;
}

std::vector<sim::NodeId> DisklessCluster::serving_nodes() const {
  std::vector<sim::NodeId> out;
  for (const AgentInfo& a : context_->agents) out.push_back(a.node);
  return out;
}

std::vector<sim::NodeId> DisklessCluster::all_nodes() const {
  std::vector<sim::NodeId> out{metadata_node_};
  for (const AgentInfo& a : context_->agents) out.push_back(a.node);
  return out;
}

void DisklessCluster::check_agent(sim::NodeId node) const {
  const bool known = std::any_of(context_->agents.begin(), context_->agents.end(),
                                 [node](const AgentInfo& a) { return a.node == node; });
  if (!known) throw std::invalid_argument(fmt::format("diskless: node {} is not an agent", node));
}

void DisklessCluster::crash_agent(sim::NodeId agent) {
  check_agent(agent);
  sim_.crash(agent);
}

void DisklessCluster::restart_agent(sim::NodeId agent) {
  check_agent(agent);
  sim_.restart(agent);
}

void DisklessCluster::crash_metadata() { sim_.crash(metadata_node_); }

void DisklessCluster::restart_metadata() { sim_.restart(metadata_node_); }

sim::PartitionId DisklessCluster::partition_zone(std::string_view zone) { return sim_.network().isolate_zone(zone); }

void DisklessCluster::heal(sim::PartitionId partition) { sim_.network().repair(partition); }

}  // namespace weir::models::kafka::diskless
