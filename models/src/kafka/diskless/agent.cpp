#include "agent.h"

#include <fmt/format.h>

#include "weir/sim/hash.h"

namespace weir::models::kafka::diskless {
namespace {

std::uint64_t partition_key(std::string_view topic, std::int32_t partition) {
  return sim::hash_combine(sim::fnv1a64(topic), static_cast<std::uint64_t>(partition));
}

}  // namespace

Agent::Agent(sim::Simulation& sim, sim::NodeId node, const AgentContext& context)
    : sim_(sim),
      node_(node),
      context_(context),
      options_(context.options),
      store_(sim, node, context.store, {.request_timeout = context.options.object_store_timeout}),
      live_agents_(context.agents),
      cache_(context.options.cache_max_bytes) {
  serve_all();
  sim.spawn(node, [this] { heartbeat_loop(); });
  if (options_.automq_wal_mode) {
    if (!options_.skip_wal_recovery_on_restart) sim.spawn(node, [this] { recover_wal(); });
    sim.spawn(node, [this] { upload_loop(); });
  }
}

void Agent::serve_all() {
  sim::Network& net = sim_.network();
  net.serve(node_, this, &Agent::handle_produce);
  net.serve(node_, this, &Agent::handle_fetch);
  net.serve(node_, this, &Agent::handle_list_offsets);
  net.serve(node_, this, &Agent::handle_metadata);
  net.serve(node_, this, &Agent::handle_find_coordinator);
  net.serve(node_, this, &Agent::handle_offset_commit);
  net.serve(node_, this, &Agent::handle_offset_fetch);
  net.serve(node_, this, &Agent::handle_wal_read);
}

std::string Agent::next_name(std::string_view kind) {
  const sim::Node& node = sim_.node(node_);
  return fmt::format("diskless/{}/{}/{:06}-{:08}", kind, node.name(), node.incarnation(), next_name_++);
}

void Agent::backoff(std::uint32_t attempt) { sim_.sleep(options_.retry_backoff * attempt); }

bool Agent::knows(const TopicPartition& tp) const {
  for (const TopicSpec& topic : options_.topics) {
    if (topic.name == tp.topic) return tp.partition >= 0 && tp.partition < topic.partitions;
  }
  return false;
}

void Agent::heartbeat_loop() {
  const std::string& zone = sim_.node(node_).zone();
  for (;;) {
    auto reply = call_metadata(HeartbeatRequest{node_, zone}, kControlBytes,
                                                  options_.metadata_timeout);
    if (reply && !reply->live_agents.empty()) live_agents_ = std::move(reply->live_agents);
    sim_.sleep(options_.heartbeat_interval);
  }
}

// Zone-aware routing, as WarpStream does it: a client is told that every
// partition's leader is a live agent of its own zone (picked by hashing the
// key over them), or of any zone when its own has none.
sim::NodeId Agent::choose_agent(std::string_view client_zone, std::uint64_t key) const {
  const std::string_view zone = client_zone.empty() ? std::string_view(sim_.node(node_).zone()) : client_zone;
  std::vector<sim::NodeId> candidates;
  for (const AgentInfo& a : live_agents_) {
    if (a.zone == zone) candidates.push_back(a.node);
  }
  if (candidates.empty()) {
    for (const AgentInfo& a : live_agents_) candidates.push_back(a.node);
  }
  if (candidates.empty()) return node_;
  return candidates[key % candidates.size()];
}

sim::Payload<MetadataResponse> Agent::handle_metadata(const MetadataRequest& request) {
  MetadataResponse response;
  for (const AgentInfo& a : live_agents_) response.brokers.push_back(BrokerInfo{a.node, a.zone});
  for (const TopicSpec& topic : options_.topics) {
    const bool wanted = request.topics.empty() ||
                        std::find(request.topics.begin(), request.topics.end(), topic.name) != request.topics.end();
    if (!wanted) continue;
    TopicMetadata meta{topic.name, ErrorCode::none, {}};
    for (std::int32_t p = 0; p < topic.partitions; ++p) {
      const sim::NodeId leader = choose_agent(request.client_zone, partition_key(topic.name, p));
      meta.partitions.push_back(PartitionMetadata{p, ErrorCode::none, leader, 0, {leader}, {leader}});
    }
    response.topics.push_back(std::move(meta));
  }
  for (const std::string& name : request.topics) {
    const bool known = std::any_of(options_.topics.begin(), options_.topics.end(),
                                   [&](const TopicSpec& t) { return t.name == name; });
    if (!known) response.topics.push_back(TopicMetadata{name, ErrorCode::unknown_topic_or_partition, {}});
  }
  const std::uint64_t bytes = kControlBytes + 32 * (response.brokers.size() + 4 * response.topics.size());
  return sim::Payload{std::move(response), bytes, 0, kTrafficMetadata};
}

sim::Payload<FindCoordinatorResponse> Agent::handle_find_coordinator(const FindCoordinatorRequest& request) {
  const FindCoordinatorResponse response{ErrorCode::none, choose_agent(request.client_zone, sim::fnv1a64(request.group))};
  return sim::Payload{response, kControlBytes, response.coordinator, kTrafficMetadata};
}

sim::Payload<ListOffsetsResponse> Agent::handle_list_offsets(const ListOffsetsRequest& request) {
  auto reply = call_metadata(MetaListOffsetsRequest{request}, kControlBytes,
                                                  options_.metadata_timeout);
  if (!reply) {
    reply.emplace();
    for (const auto& p : request.partitions) {
      reply->partitions.push_back(ListOffsetsPartitionResponse{p.partition, ErrorCode::leader_not_available, -1});
    }
  }
  const std::uint64_t bytes = kControlBytes + 16 * reply->partitions.size();
  return sim::Payload{std::move(*reply), bytes, 0, kTrafficMetadata};
}

sim::Payload<OffsetCommitResponse> Agent::handle_offset_commit(const OffsetCommitRequest& request) {
  auto reply = call_metadata(MetaOffsetCommitRequest{request}, kControlBytes,
                                                   options_.metadata_timeout);
  const OffsetCommitResponse response = reply.value_or(OffsetCommitResponse{ErrorCode::coordinator_not_available});
  return sim::Payload{response, kControlBytes, static_cast<std::uint64_t>(request.offset), kTrafficMetadata};
}

sim::Payload<OffsetFetchResponse> Agent::handle_offset_fetch(const OffsetFetchRequest& request) {
  auto reply = call_metadata(MetaOffsetFetchRequest{request}, kControlBytes,
                                                  options_.metadata_timeout);
  const OffsetFetchResponse response = reply.value_or(OffsetFetchResponse{ErrorCode::coordinator_not_available, -1});
  return sim::Payload{response, kControlBytes, static_cast<std::uint64_t>(response.offset), kTrafficMetadata};
}

}  // namespace weir::models::kafka::diskless
