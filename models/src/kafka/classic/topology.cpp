#include "topology.h"

#include <algorithm>

#include "weir/sim/hash.h"

namespace weir::models::kafka::classic {

Topology::Topology(const ClassicClusterOptions& options, std::vector<sim::NodeId> brokers, sim::NodeId controller)
    : brokers_(std::move(brokers)), controller_(controller), topics_(options.topics) {
  for (std::size_t i = 0; i < brokers_.size(); ++i) broker_zones_.push_back(options.zones[i % options.zones.size()]);
  topics_.push_back(TopicSpec{std::string(kOffsetsTopic), options.offsets_topic_partitions});
  const auto rf = static_cast<std::size_t>(options.replication_factor);
  for (std::size_t t = 0; t < topics_.size(); ++t) {
    first_index_.push_back(static_cast<std::uint32_t>(topic_of_.size()));
    for (std::int32_t p = 0; p < topics_[t].partitions; ++p) {
      const std::size_t index = topic_of_.size();
      topic_of_.push_back(t);
      std::vector<sim::NodeId> replicas;
      for (std::size_t r = 0; r < rf; ++r) replicas.push_back(brokers_[(index + r) % brokers_.size()]);
      replicas_.push_back(std::move(replicas));
    }
  }
}

std::optional<std::size_t> Topology::broker_index(sim::NodeId node) const {
  const auto it = std::find(brokers_.begin(), brokers_.end(), node);
  if (it == brokers_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - brokers_.begin());
}

std::optional<std::size_t> Topology::topic_index(std::string_view name) const {
  for (std::size_t t = 0; t < topics_.size(); ++t) {
    if (topics_[t].name == name) return t;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> Topology::partition_index(std::string_view topic, std::int32_t partition) const {
  const auto t = topic_index(topic);
  if (!t || partition < 0 || partition >= topics_[*t].partitions) return std::nullopt;
  return partition_index(*t, partition);
}

std::int32_t Topology::offsets_partition_for(std::string_view group) const {
  const auto partitions = static_cast<std::uint64_t>(topics_.back().partitions);
  return static_cast<std::int32_t>(sim::fnv1a64(group) % partitions);
}

}  // namespace weir::models::kafka::classic
