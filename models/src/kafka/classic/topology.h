// Topology: the static layout of a classic cluster: which node is which
// broker, where it lives, the topics (the user topics plus the internal
// __consumer_offsets), and which brokers host each partition.
//
// Partitions are numbered by a dense "partition index" over all topics, in
// topic order, which the controller and brokers use for their tables. The
// layout never changes once built (no reassignment), so every node holds the
// same immutable Topology through a shared_ptr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/kafka/classic/classic_cluster_options.h"
#include "weir/sim/trace.h"

namespace weir::models::kafka::classic {

inline constexpr std::string_view kOffsetsTopic = "__consumer_offsets";

class Topology {
 public:
  // `brokers[i]` is the node of broker i; `controller` the controller's node.
  Topology(const ClassicClusterOptions& options, std::vector<sim::NodeId> brokers, sim::NodeId controller);

  // ---- Nodes.
  std::size_t broker_count() const { return brokers_.size(); }
  sim::NodeId broker_node(std::size_t index) const { return brokers_[index]; }
  // The broker index of `node`, if it is a broker.
  std::optional<std::size_t> broker_index(sim::NodeId node) const;
  const std::string& broker_zone(std::size_t index) const { return broker_zones_[index]; }
  sim::NodeId controller() const { return controller_; }

  // ---- Topics.
  std::size_t topic_count() const { return topics_.size(); }
  const std::string& topic_name(std::size_t topic) const { return topics_[topic].name; }
  std::int32_t topic_partitions(std::size_t topic) const { return topics_[topic].partitions; }
  std::optional<std::size_t> topic_index(std::string_view name) const;
  std::size_t offsets_topic() const { return topics_.size() - 1; }
  bool is_internal(std::size_t topic) const { return topic == offsets_topic(); }

  // ---- Partitions.
  std::size_t partition_count() const { return topic_of_.size(); }
  std::optional<std::uint32_t> partition_index(std::string_view topic, std::int32_t partition) const;
  std::uint32_t partition_index(std::size_t topic, std::int32_t partition) const {
    return first_index_[topic] + static_cast<std::uint32_t>(partition);
  }
  std::size_t topic_of(std::uint32_t index) const { return topic_of_[index]; }
  std::int32_t partition_of(std::uint32_t index) const {
    return static_cast<std::int32_t>(index - first_index_[topic_of_[index]]);
  }
  const std::vector<sim::NodeId>& assigned_replicas(std::uint32_t index) const { return replicas_[index]; }
  // The __consumer_offsets partition that stores `group`'s offsets; its
  // leader is the group's coordinator.
  std::int32_t offsets_partition_for(std::string_view group) const;

 private:
  std::vector<sim::NodeId> brokers_;
  std::vector<std::string> broker_zones_;
  sim::NodeId controller_;
  std::vector<TopicSpec> topics_;
  std::vector<std::uint32_t> first_index_;
  std::vector<std::size_t> topic_of_;
  std::vector<std::vector<sim::NodeId>> replicas_;
};

}  // namespace weir::models::kafka::classic
