#include "weir/models/kafka/classic/classic_cluster.h"

#include <stdexcept>

#include <fmt/format.h>

#include "broker.h"
#include "controller.h"
#include "topology.h"

namespace weir::models::kafka::classic {

ClassicCluster::ClassicCluster(sim::Simulation& sim, ClassicClusterOptions options) : sim_(sim) {
  if (auto error = options.validate()) throw std::invalid_argument(fmt::format("ClassicClusterOptions: {}", *error));
  options_ = std::make_shared<const ClassicClusterOptions>(std::move(options));
  // Node ids are handed out in order, so the layout can name them up front.
  const auto first = static_cast<sim::NodeId>(sim_.node_count());
  std::vector<sim::NodeId> brokers;
  for (std::size_t i = 0; i < options_->brokers; ++i) brokers.push_back(first + static_cast<sim::NodeId>(i));
  const auto controller_id = first + static_cast<sim::NodeId>(options_->brokers);
  topology_ = std::make_shared<const Topology>(*options_, brokers, controller_id);

  for (std::size_t i = 0; i < options_->brokers; ++i) {
    sim::BootFn boot = [topology = topology_, opts = options_](sim::Simulation& s, sim::NodeId id) {
      return std::unique_ptr<sim::Process>(std::make_unique<Broker>(s, id, topology, opts));
    };
    const sim::NodeId id = sim_.add_node(sim::NodeSpec{fmt::format("{}-broker-{}", options_->name_prefix, i),
                                                       topology_->broker_zone(i), std::move(boot),
                                                       options_->broker_disk});
    if (id != brokers[i]) throw std::logic_error("ClassicCluster: unexpected node id");
  }
  sim::BootFn boot = [topology = topology_, opts = options_](sim::Simulation& s, sim::NodeId id) {
    return std::unique_ptr<sim::Process>(std::make_unique<Controller>(s, id, topology, opts));
  };
  const sim::NodeId id = sim_.add_node(sim::NodeSpec{fmt::format("{}-controller", options_->name_prefix),
                                                     options_->zones.front(), std::move(boot),
                                                     options_->controller_disk});
  if (id != controller_id) throw std::logic_error("ClassicCluster: unexpected node id");
  sim_.start(controller_id);
  for (sim::NodeId b : brokers) sim_.start(b);
}

// ---------------------------------------------------------------- LogCluster

std::vector<sim::NodeId> ClassicCluster::bootstrap(std::string_view client_zone) const {
  std::vector<sim::NodeId> nodes;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < topology_->broker_count(); ++i) {
      if ((topology_->broker_zone(i) == client_zone) == (pass == 0)) nodes.push_back(topology_->broker_node(i));
    }
  }
  return nodes;
}

std::vector<sim::NodeId> ClassicCluster::serving_nodes() const {
  std::vector<sim::NodeId> nodes;
  for (std::size_t i = 0; i < topology_->broker_count(); ++i) nodes.push_back(topology_->broker_node(i));
  return nodes;
}

std::vector<sim::NodeId> ClassicCluster::all_nodes() const {
  std::vector<sim::NodeId> nodes = serving_nodes();
  nodes.push_back(topology_->controller());
  return nodes;
}

std::size_t ClassicCluster::broker_count() const { return topology_->broker_count(); }
sim::NodeId ClassicCluster::broker(std::size_t index) const { return topology_->broker_node(index); }
sim::NodeId ClassicCluster::controller() const { return topology_->controller(); }

// ---------------------------------------------------------------- faults

void ClassicCluster::crash_broker(std::size_t index) { sim_.crash(broker(index)); }
void ClassicCluster::start_broker(std::size_t index) { sim_.start(broker(index)); }
void ClassicCluster::restart_broker(std::size_t index) { sim_.restart(broker(index)); }

void ClassicCluster::lose_broker_disk(std::size_t index) {
  const sim::NodeId id = broker(index);
  sim_.crash(id);
  sim_.node(id).disk().wipe();
  sim_.start(id);
}

void ClassicCluster::before_process_kill(sim::NodeId node) {
  auto* broker = dynamic_cast<Broker*>(sim_.node(node).process());
  if (broker != nullptr) broker->write_page_cache();
}

void ClassicCluster::crash_controller() { sim_.crash(controller()); }
void ClassicCluster::start_controller() { sim_.start(controller()); }

// ---------------------------------------------------------------- introspection

std::optional<PartitionState> ClassicCluster::partition_state(std::string_view topic, std::int32_t partition) const {
  const auto index = topology_->partition_index(topic, partition);
  sim::Node& node = sim_.node(controller());
  if (!index || !node.up() || node.process() == nullptr) return std::nullopt;
  const MetadataImage* image = node.process_as<Controller>().image();
  if (image == nullptr) return std::nullopt;
  return image->partitions[*index];
}

namespace {

const Replica* find_replica(sim::Simulation& sim, const Topology& topology, std::size_t broker, std::string_view topic,
                            std::int32_t partition) {
  const auto index = topology.partition_index(topic, partition);
  if (!index || broker >= topology.broker_count()) return nullptr;
  sim::Node& node = sim.node(topology.broker_node(broker));
  if (!node.up() || node.process() == nullptr) return nullptr;
  const Broker& b = node.process_as<Broker>();
  return b.serving() ? b.replica(*index) : nullptr;
}

}  // namespace

std::optional<ReplicaStatus> ClassicCluster::replica_status(std::size_t broker, std::string_view topic,
                                                            std::int32_t partition) const {
  const Replica* r = find_replica(sim_, *topology_, broker, topic, partition);
  if (r == nullptr) return std::nullopt;
  return ReplicaStatus{r->log.end_offset(),
                       r->high_watermark,
                       r->log.latest_epoch(),
                       r->leads(topology_->broker_node(broker)),
                       r->state,
                       r->log.start_offset(),
                       r->log.segments().size()};
}

std::vector<std::uint64_t> ClassicCluster::record_digests(std::size_t broker, std::string_view topic,
                                                          std::int32_t partition) const {
  std::vector<std::uint64_t> digests;
  const Replica* r = find_replica(sim_, *topology_, broker, topic, partition);
  if (r == nullptr) return digests;
  digests.reserve(static_cast<std::size_t>(r->log.end_offset()));
  for (std::int64_t o = r->log.start_offset(); o < r->log.end_offset(); ++o) digests.push_back(r->log.at(o).record.digest());
  return digests;
}

}  // namespace weir::models::kafka::classic
