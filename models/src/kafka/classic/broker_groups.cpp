// The group coordinator: committed offsets are records in the replicated
// __consumer_offsets partitions; a group's coordinator is the leader of its
// partition. A commit is acknowledged only when the high watermark passes it
// (acks=all), and the coordinator's cache holds only records below the high
// watermark, so whatever it acknowledged survives the loss of any broker the
// ISR can spare.
//
// Error mapping follows Kafka's GroupMetadataManager: NOT_ENOUGH_REPLICAS and
// REQUEST_TIMED_OUT of the append become COORDINATOR_NOT_AVAILABLE, and so do
// "not the coordinator" and "still loading" (this protocol has no
// NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS).
#include <charconv>

#include <fmt/format.h>

#include "broker.h"

namespace weir::models::kafka::classic {
namespace {

constexpr std::uint64_t kSmallBytes = 48;

std::string offsets_key(std::string_view group, std::string_view topic, std::int32_t partition) {
  return fmt::format("{}\x1f{}\x1f{}", group, topic, partition);
}

}  // namespace

sim::Payload<FindCoordinatorResponse> Broker::handle_find_coordinator(const FindCoordinatorRequest& request) {
  FindCoordinatorResponse response;
  const std::uint32_t index =
      topology_->partition_index(topology_->offsets_topic(), topology_->offsets_partition_for(request.group));
  const PartitionState& s = image_.partitions[index];
  if (s.has_leader()) {
    response.coordinator = s.leader;
  } else {
    response.error = ErrorCode::coordinator_not_available;
  }
  const std::uint64_t digest = sim::hash_combine(response.coordinator, static_cast<std::uint64_t>(response.error));
  return sim::Payload{response, kSmallBytes, digest, kTrafficMetadata};
}

Replica* Broker::coordinator_replica(std::string_view group) {
  const std::int32_t partition = topology_->offsets_partition_for(group);
  Replica* r = replicas_[topology_->partition_index(topology_->offsets_topic(), partition)].get();
  if (r == nullptr || !r->leads(self_)) return nullptr;
  const OffsetsCache& cache = offsets_[static_cast<std::size_t>(partition)];
  if (cache.leader_epoch != r->state.leader_epoch || r->high_watermark < cache.ready_at) return nullptr;
  return r;
}

sim::Payload<OffsetCommitResponse> Broker::handle_offset_commit(const OffsetCommitRequest& request) {
  OffsetCommitResponse response;
  Replica* r = coordinator_replica(request.group);
  if (r == nullptr || r->state.isr.size() < static_cast<std::size_t>(options_->min_insync_replicas) || disk_full_) {
    response.error = ErrorCode::coordinator_not_available;
  } else {
    Record record{offsets_key(request.group, request.topic, request.partition), std::to_string(request.offset),
                  sim_.now().ms(), {}};
    r->log.append(std::move(record), r->state.leader_epoch, sim_.now());
    r->progress.notify_all();
    maybe_advance_high_watermark(*r);
    const std::vector<ErrorCode> errors = await_high_watermark(
        {{r, r->log.end_offset(), r->state.leader_epoch}}, sim_.now() + options_->offset_commit_timeout);
    if (errors[0] != ErrorCode::none) response.error = ErrorCode::coordinator_not_available;
  }
  const std::uint64_t digest = sim::hash_combine(static_cast<std::uint64_t>(request.offset),
                                                 static_cast<std::uint64_t>(response.error));
  return sim::Payload{response, kSmallBytes, digest, kTrafficMetadata};
}

sim::Payload<OffsetFetchResponse> Broker::handle_offset_fetch(const OffsetFetchRequest& request) {
  OffsetFetchResponse response;
  Replica* r = coordinator_replica(request.group);
  if (r == nullptr) {
    response.error = ErrorCode::coordinator_not_available;
  } else {
    const OffsetsCache& cache = offsets_[static_cast<std::size_t>(topology_->partition_of(r->index))];
    const auto it = cache.committed.find(offsets_key(request.group, request.topic, request.partition));
    if (it != cache.committed.end()) response.offset = it->second;
  }
  const std::uint64_t digest = sim::hash_combine(static_cast<std::uint64_t>(response.offset),
                                                 static_cast<std::uint64_t>(response.error));
  return sim::Payload{response, kSmallBytes, digest, kTrafficMetadata};
}

void Broker::reset_offsets_cache(Replica& r) {
  // Everything in the new leader's log will stay (followers truncate to it),
  // so it serves once all of it is committed.
  OffsetsCache& cache = offsets_[static_cast<std::size_t>(topology_->partition_of(r.index))];
  cache = OffsetsCache{};
  cache.leader_epoch = r.state.leader_epoch;
  cache.ready_at = r.log.end_offset();
  materialize_offsets(r);
}

void Broker::materialize_offsets(Replica& r) {
  OffsetsCache& cache = offsets_[static_cast<std::size_t>(topology_->partition_of(r.index))];
  if (cache.leader_epoch != r.state.leader_epoch || !r.leads(self_)) return;
  for (; cache.applied < r.high_watermark; ++cache.applied) {
    const Record& record = r.log.at(cache.applied).record;
    std::int64_t offset = -1;
    std::from_chars(record.value.data(), record.value.data() + record.value.size(), offset);
    cache.committed.insert_or_assign(record.key, offset);
  }
}

}  // namespace weir::models::kafka::classic
