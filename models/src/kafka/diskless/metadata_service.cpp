#include "metadata_service.h"

#include "weir/sim/hash.h"

namespace weir::models::kafka::diskless {
namespace {

// An object's (or WAL entry's) batches got their offsets: one per batch.
inline constexpr sim::TraceKind kTraceCommit{"diskless.meta.commit",
                                             "committed object {object:text}: partition {partition} offsets {first}..{last}"};

template <class Body>
sim::Payload<Body> control(Body body, std::uint64_t bytes, std::uint64_t digest) {
  return sim::Payload{std::move(body), bytes, digest, kTrafficMetadata};
}

}  // namespace

MetadataService::MetadataService(sim::Simulation& sim, sim::NodeId node, MetadataState& state,
                                 const DisklessOptions& options)
    : sim_(sim),
      node_(node),
      state_(state),
      options_(options),
      random_(sim.random("diskless.metadata").fork(std::to_string(sim.node(node).incarnation()))),
      committed_(sim) {
  sim::Network& net = sim.network();
  net.serve(node, this, &MetadataService::heartbeat);
  net.serve(node, this, &MetadataService::commit);
  net.serve(node, this, &MetadataService::relocate);
  net.serve(node, this, &MetadataService::lookup);
  net.serve(node, this, &MetadataService::list_offsets);
  net.serve(node, this, &MetadataService::offset_commit);
  net.serve(node, this, &MetadataService::offset_fetch);
}

void MetadataService::wait(const sim::Latency& latency) { sim_.sleep(latency.sample(random_)); }

void MetadataService::announce_commit() {
  sim::Promise<bool> fired = committed_;
  committed_ = sim::Promise<bool>(sim_);
  fired.set(true);
}

sim::Payload<HeartbeatResponse> MetadataService::heartbeat(const HeartbeatRequest& request) {
  wait(options_.metadata_write_latency);
  state_.heartbeat(request.agent, request.zone, sim_.now());
  HeartbeatResponse response{state_.live_agents(sim_.now(), options_.agent_liveness_timeout)};
  const std::uint64_t bytes = kControlBytes + 16 * response.live_agents.size();
  return control(std::move(response), bytes, request.agent);
}

sim::Payload<CommitResponse> MetadataService::commit(const CommitRequest& request) {
  wait(options_.metadata_write_latency);
  CommitResponse response;
  for (const CommitBatch& batch : request.batches) {
    if (!state_.has_partition({batch.topic, batch.partition})) {
      response.error = ErrorCode::unknown_topic_or_partition;
      return control(std::move(response), kControlBytes, 0);
    }
  }
  const bool repeated = state_.is_committed(request.commit_id);
  response.base_offsets = state_.commit(request.commit_id, request.batches);
  std::uint64_t digest = sim::fnv1a64(request.commit_id);
  for (std::int64_t base : response.base_offsets) digest = sim::hash_combine(digest, static_cast<std::uint64_t>(base));
  if (!repeated) {
    for (std::size_t i = 0; i < request.batches.size() && i < response.base_offsets.size(); ++i) {
      const std::int64_t base = response.base_offsets[i];
      sim_.event(node_, kTraceCommit, {std::string_view(request.commit_id), request.batches[i].partition, base,
                                       base + request.batches[i].record_count - 1});
    }
    announce_commit();
  }
  const std::uint64_t bytes = kControlBytes + 8 * response.base_offsets.size();
  return control(std::move(response), bytes, digest);
}

sim::Payload<RelocateResponse> MetadataService::relocate(const RelocateRequest& request) {
  wait(options_.metadata_write_latency);
  state_.relocate(request.moves);
  return control(RelocateResponse{}, kControlBytes, request.moves.size());
}

LookupResponse MetadataService::answer_lookup(const LookupRequest& request) const {
  LookupResponse response;
  for (const LookupPartition& p : request.partitions) {
    LookupPartitionResponse answer;
    answer.partition = p.partition;
    const TopicPartition tp{request.topic, p.partition};
    if (!state_.has_partition(tp)) {
      answer.error = ErrorCode::unknown_topic_or_partition;
    } else {
      answer.high_watermark = state_.next_offset(tp);
      if (p.offset < 0 || p.offset > answer.high_watermark) {
        answer.error = ErrorCode::offset_out_of_range;
      } else {
        answer.batches = state_.batches_from(tp, p.offset, request.max_bytes);
      }
    }
    response.partitions.push_back(std::move(answer));
  }
  return response;
}

sim::Payload<LookupResponse> MetadataService::lookup(const LookupRequest& request) {
  wait(options_.metadata_read_latency);
  const sim::Time deadline = sim_.now() + request.max_wait;
  for (;;) {
    LookupResponse response = answer_lookup(request);
    bool ready = sim_.now() >= deadline;
    std::uint64_t refs = 0;
    for (const auto& p : response.partitions) {
      ready = ready || p.error != ErrorCode::none || !p.batches.empty();
      refs += p.batches.size();
    }
    if (ready) return control(std::move(response), kControlBytes + kBatchRefBytes * refs, refs);
    sim::Future<bool> next = committed_.future();
    next.get_until(deadline);
  }
}

sim::Payload<ListOffsetsResponse> MetadataService::list_offsets(const MetaListOffsetsRequest& request) {
  wait(options_.metadata_read_latency);
  ListOffsetsResponse response;
  for (const ListOffsetsPartition& p : request.partitions) {
    ListOffsetsPartitionResponse answer;
    answer.partition = p.partition;
    const TopicPartition tp{request.topic, p.partition};
    if (!state_.has_partition(tp)) {
      answer.error = ErrorCode::unknown_topic_or_partition;
    } else {
      answer.offset = p.timestamp == kEarliestTimestamp ? 0 : state_.next_offset(tp);
    }
    response.partitions.push_back(answer);
  }
  const std::uint64_t bytes = kControlBytes + 16 * response.partitions.size();
  return control(std::move(response), bytes, 0);
}

sim::Payload<OffsetCommitResponse> MetadataService::offset_commit(const MetaOffsetCommitRequest& request) {
  wait(options_.metadata_write_latency);
  OffsetCommitResponse response;
  const TopicPartition tp{request.topic, request.partition};
  if (!state_.has_partition(tp)) {
    response.error = ErrorCode::unknown_topic_or_partition;
  } else {
    state_.commit_group_offset(request.group, tp, request.offset);
  }
  return control(response, kControlBytes, static_cast<std::uint64_t>(request.offset));
}

sim::Payload<OffsetFetchResponse> MetadataService::offset_fetch(const MetaOffsetFetchRequest& request) {
  wait(options_.metadata_read_latency);
  OffsetFetchResponse response;
  const TopicPartition tp{request.topic, request.partition};
  if (!state_.has_partition(tp)) {
    response.error = ErrorCode::unknown_topic_or_partition;
  } else {
    response.offset = state_.group_offset(request.group, tp);
  }
  return control(response, kControlBytes, static_cast<std::uint64_t>(response.offset));
}

}  // namespace weir::models::kafka::diskless
