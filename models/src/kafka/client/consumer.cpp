#include "weir/models/kafka/client/consumer.h"

#include <algorithm>

#include "weir/sim/hash.h"
#include "weir/sim/network.h"

namespace weir::models::kafka {
namespace {

constexpr std::uint64_t kRequestOverheadBytes = 64;

// Errors after which the client's view of leadership is suspect; Mimir's
// reader forces a metadata refresh on them (HandleKafkaError).
bool needs_metadata(ErrorCode error) {
  switch (error) {
    case ErrorCode::not_leader_or_follower:
    case ErrorCode::leader_not_available:
    case ErrorCode::unknown_topic_or_partition:
    case ErrorCode::fenced_leader_epoch:
    case ErrorCode::kafka_storage_error:
    case ErrorCode::request_timed_out:
      return true;
    case ErrorCode::none:
    case ErrorCode::not_enough_replicas:
    case ErrorCode::not_enough_replicas_after_append:
    case ErrorCode::offset_out_of_range:
    case ErrorCode::coordinator_not_available:
      return false;
  }
  return false;
}

// franz-go also retries UNKNOWN_TOPIC_OR_PARTITION: metadata may be behind.
bool retriable(ErrorCode error) { return is_retriable(error) || error == ErrorCode::unknown_topic_or_partition; }

std::uint64_t partition_digest(const TopicPartition& tp) {
  return sim::hash_combine(sim::fnv1a64(tp.topic), static_cast<std::uint64_t>(tp.partition));
}

template <class Request>
sim::RpcResult<sim::ReplyOf<Request>> call(Connections& connections, sim::NodeId to, Request request,
                                           std::uint64_t digest, std::string_view traffic, sim::Duration timeout) {
  sim::Payload payload{std::move(request), kRequestOverheadBytes, digest, traffic};
  return connections.call(to, std::move(payload), timeout);
}

}  // namespace

Consumer::Consumer(sim::Simulation& sim, sim::NodeId node, std::vector<sim::NodeId> bootstrap,
                   ConsumerOptions options)
    : sim_(sim),
      node_(node),
      options_(std::move(options)),
      random_(sim.random("kafka.client.consumer").fork(sim.node(node).name())),
      connections_(sim, node, options_.dial_timeout) {
  MetadataCacheOptions metadata;
  metadata.client_zone = options_.client_zone;
  metadata.min_age = options_.metadata_min_age;
  metadata.max_age = options_.metadata_max_age;
  metadata.request_timeout = options_.request_timeout_overhead;
  metadata.dial_timeout = options_.dial_timeout;
  metadata.retry_backoff = options_.retry_backoff;
  metadata_ = MetadataCache::create(sim_, node_, std::move(bootstrap), metadata);
}

Consumer::~Consumer() { metadata_->close(); }

// ---------------------------------------------------------------- partitions

std::optional<PartitionRoute> Consumer::route_or_refresh(const TopicPartition& tp) {
  if (auto route = metadata_->route(tp)) return route;
  metadata_->trigger_now();
  metadata_->wait_for_refresh(sim_.now() + request_timeout());
  return metadata_->route(tp);
}

FetchResult Consumer::fetch(const TopicPartition& tp, std::int64_t offset, std::optional<sim::Duration> max_wait) {
  ++stats_.fetches;
  FetchResult result;
  const std::optional<PartitionRoute> route = route_or_refresh(tp);
  if (!route) {
    ++stats_.fetch_errors;
    result.error = ErrorCode::leader_not_available;
    return result;
  }
  FetchRequest request;
  request.topic = tp.topic;
  request.partitions.push_back(FetchPartition{tp.partition, offset, route->leader_epoch});
  request.max_wait = max_wait.value_or(options_.fetch_max_wait);
  request.min_bytes = options_.fetch_min_bytes;
  request.max_bytes = options_.fetch_max_bytes;
  request.client_zone = options_.client_zone;
  const sim::Duration timeout = request.max_wait + options_.request_timeout_overhead;
  const std::uint64_t digest = sim::hash_combine(partition_digest(tp), static_cast<std::uint64_t>(offset));
  auto reply = call(connections_, route->leader, std::move(request), digest,
                                   kTrafficFetch, timeout);
  if (!reply.ok()) {
    result.error = ErrorCode::request_timed_out;
  } else {
    auto& partitions = reply.value().partitions;  // the reply is this call's own copy: its records move out
    const auto it = std::find_if(partitions.begin(), partitions.end(),
                                 [&](const FetchPartitionResponse& p) { return p.partition == tp.partition; });
    if (it == partitions.end()) {
      result.error = ErrorCode::unknown_topic_or_partition;
    } else {
      result.error = it->error;
      result.high_watermark = it->high_watermark;
      result.log_start_offset = it->log_start_offset;
      result.records = std::move(it->records);
    }
  }
  if (!result.ok()) {
    ++stats_.fetch_errors;
    if (needs_metadata(result.error)) metadata_->trigger_now();
  }
  stats_.records_fetched += result.records.size();
  if (result.records.empty()) {
    sim_.record(node_, kTraceConsumerFetchEmpty, sim::hash_combine(digest, static_cast<std::uint64_t>(result.error)));
  } else {
    sim_.event(node_, kTraceConsumerFetch,
               {tp.partition, result.records.front().offset, result.records.back().offset, route->leader});
  }
  return result;
}

OffsetResult Consumer::list_offsets(const TopicPartition& tp, std::int64_t timestamp) {
  const sim::Time deadline = sim_.now() + options_.list_offsets_retry_timeout;
  for (int failures = 1;; ++failures) {
    OffsetResult result = list_offsets_once(tp, timestamp);
    if (result.ok() || !retriable(result.error)) return result;
    if (!backoff(failures, deadline)) return result;
  }
}

OffsetResult Consumer::list_offsets_once(const TopicPartition& tp, std::int64_t timestamp) {
  const std::optional<PartitionRoute> route = route_or_refresh(tp);
  if (!route) return OffsetResult{ErrorCode::leader_not_available, -1};
  ListOffsetsRequest request{tp.topic, {ListOffsetsPartition{tp.partition, timestamp}}};
  const std::uint64_t digest = sim::hash_combine(partition_digest(tp), static_cast<std::uint64_t>(timestamp));
  auto reply = call(connections_, route->leader, std::move(request), digest,
                                         kTrafficMetadata, request_timeout());
  OffsetResult result{ErrorCode::request_timed_out, -1};
  if (reply.ok()) {
    auto& partitions = reply.value().partitions;  // the reply is this call's own copy: its records move out
    const auto it = std::find_if(partitions.begin(), partitions.end(),
                                 [&](const ListOffsetsPartitionResponse& p) { return p.partition == tp.partition; });
    result = it == partitions.end() ? OffsetResult{ErrorCode::unknown_topic_or_partition, -1}
                                    : OffsetResult{it->error, it->offset};
  }
  if (needs_metadata(result.error)) metadata_->trigger_now();
  return result;
}

bool Consumer::backoff(int failures, sim::Time deadline) {
  const sim::Duration wait = options_.retry_backoff.delay(failures, random_);
  if (sim_.now() + wait >= deadline) return false;
  sim_.sleep(wait);
  return true;
}

// ---------------------------------------------------------------- groups

std::optional<sim::NodeId> Consumer::coordinator(const std::string& group) {
  if (const auto it = coordinators_.find(group); it != coordinators_.end()) return it->second;
  const std::vector<sim::NodeId> contacts = metadata_->contact_points();
  if (contacts.empty()) return std::nullopt;
  const sim::NodeId to = contacts[next_contact_ % contacts.size()];
  ++stats_.coordinator_lookups;
  auto reply = call(connections_, to, FindCoordinatorRequest{group, options_.client_zone},
                                             sim::fnv1a64(group), kTrafficMetadata, request_timeout());
  if (!reply.ok()) {
    ++next_contact_;
    return std::nullopt;
  }
  const FindCoordinatorResponse& answer = reply.value();
  if (answer.error != ErrorCode::none || answer.coordinator == sim::kNoNode) return std::nullopt;
  coordinators_[group] = answer.coordinator;
  return answer.coordinator;
}

ErrorCode Consumer::commit(const std::string& group, const TopicPartition& tp, std::int64_t next_offset) {
  const sim::Time deadline = sim_.now() + options_.group_retry_timeout;
  const std::uint64_t digest = sim::hash_combine(sim::fnv1a64(group), static_cast<std::uint64_t>(next_offset));
  ErrorCode last = ErrorCode::coordinator_not_available;
  for (int failures = 1;; ++failures) {
    if (const std::optional<sim::NodeId> to = coordinator(group)) {
      auto reply = call(connections_, *to, OffsetCommitRequest{group, tp.topic, tp.partition, next_offset}, digest,
                                              kTrafficMetadata, request_timeout());
      last = reply.ok() ? reply.value().error : ErrorCode::request_timed_out;
      if (last == ErrorCode::none) {
        sim_.event(node_, kTraceConsumerCommit, {tp.partition, next_offset});
        return last;
      }
      if (!retriable(last)) return last;
      forget_coordinator(group);
    }
    if (!backoff(failures, deadline)) return last;
  }
}

OffsetResult Consumer::fetch_committed(const std::string& group, const TopicPartition& tp) {
  const sim::Time deadline = sim_.now() + options_.group_retry_timeout;
  OffsetResult last{ErrorCode::coordinator_not_available, -1};
  for (int failures = 1;; ++failures) {
    if (const std::optional<sim::NodeId> to = coordinator(group)) {
      auto reply = call(connections_, *to, OffsetFetchRequest{group, tp.topic, tp.partition}, sim::fnv1a64(group),
                                             kTrafficMetadata, request_timeout());
      last = reply.ok() ? OffsetResult{reply.value().error, reply.value().offset}
                        : OffsetResult{ErrorCode::request_timed_out, -1};
      if (last.ok() || !retriable(last.error)) return last;
      forget_coordinator(group);
    }
    if (!backoff(failures, deadline)) return last;
  }
}

}  // namespace weir::models::kafka
