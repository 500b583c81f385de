// Client requests answered by partition leaders: Produce (with acks=all
// waiting for the ISR), ListOffsets, and Metadata from the broker's cache.
#include "broker.h"

namespace weir::models::kafka::classic {
namespace {

constexpr std::uint64_t kSmallResponseBytes = 64;
constexpr std::uint64_t kPerPartitionBytes = 16;

std::uint64_t produce_digest(const ProduceResponse& response) {
  std::uint64_t h = 0;
  for (const auto& p : response.partitions) {
    h = sim::hash_combine(h, static_cast<std::uint64_t>(p.partition));
    h = sim::hash_combine(h, static_cast<std::uint64_t>(p.error));
    h = sim::hash_combine(h, static_cast<std::uint64_t>(p.base_offset));
  }
  return h;
}

}  // namespace

ErrorCode Broker::find_leader(std::string_view topic, std::int32_t partition, Replica** out) {
  const auto index = topology_->partition_index(topic, partition);
  if (!index) return ErrorCode::unknown_topic_or_partition;
  Replica* r = replicas_[*index].get();
  if (r == nullptr || !r->leads(self_)) return ErrorCode::not_leader_or_follower;
  *out = r;
  return ErrorCode::none;
}

sim::Payload<ProduceResponse> Broker::handle_produce(const ProduceRequest& request) {
  ProduceResponse response;
  std::vector<HighWatermarkWait> waits;
  std::vector<std::size_t> waiting_slots;
  const auto topic = topology_->topic_index(request.topic);
  const bool internal = topic && topology_->is_internal(*topic);
  for (const ProducePartitionData& data : request.partitions) {
    ProducePartitionResponse& out = response.partitions.emplace_back();
    out.partition = data.partition;
    Replica* r = nullptr;
    out.error = internal ? ErrorCode::unknown_topic_or_partition : find_leader(request.topic, data.partition, &r);
    if (out.error == ErrorCode::none && disk_full_) out.error = ErrorCode::kafka_storage_error;
    if (out.error == ErrorCode::none && request.acks == -1 &&
        r->state.isr.size() < static_cast<std::size_t>(options_->min_insync_replicas)) {
      out.error = ErrorCode::not_enough_replicas;  // checked before appending: nothing is written
    }
    if (out.error != ErrorCode::none) continue;
    out.base_offset = r->log.end_offset();
    for (const Record& record : data.records) r->log.append(record, r->state.leader_epoch, sim_.now());
    if (!data.records.empty()) {
      sim_.event(self_, kTraceAppended,
                 {out.base_offset, r->log.end_offset() - 1, data.partition, r->state.leader_epoch});
    }
    r->progress.notify_all();
    maybe_advance_high_watermark(*r);
    if (request.acks == -1) {
      waits.push_back({r, r->log.end_offset(), r->state.leader_epoch});
      waiting_slots.push_back(response.partitions.size() - 1);
    }
  }
  if (!waits.empty()) {
    const std::vector<ErrorCode> errors = await_high_watermark(waits, sim_.now() + request.timeout);
    for (std::size_t i = 0; i < waits.size(); ++i) response.partitions[waiting_slots[i]].error = errors[i];
  }
  const std::uint64_t bytes = kSmallResponseBytes + kPerPartitionBytes * response.partitions.size();
  const std::uint64_t digest = produce_digest(response);
  return sim::Payload{std::move(response), bytes, digest, kTrafficProduce};
}

std::vector<ErrorCode> Broker::await_high_watermark(const std::vector<HighWatermarkWait>& waits, sim::Time deadline) {
  std::vector<ErrorCode> result(waits.size(), ErrorCode::request_timed_out);
  std::vector<bool> done(waits.size(), false);
  for (;;) {
    bool pending = false;
    for (std::size_t i = 0; i < waits.size(); ++i) {
      if (done[i]) continue;
      const Replica& r = *waits[i].replica;
      if (!r.leads(self_) || r.state.leader_epoch != waits[i].leader_epoch) {
        result[i] = ErrorCode::not_leader_or_follower;
        done[i] = true;
      } else if (r.high_watermark >= waits[i].end_offset) {
        const bool enough = r.state.isr.size() >= static_cast<std::size_t>(options_->min_insync_replicas);
        result[i] = enough ? ErrorCode::none : ErrorCode::not_enough_replicas_after_append;
        done[i] = true;
      } else {
        pending = true;
      }
    }
    if (!pending || sim_.now() >= deadline) return result;  // the rest timed out: ambiguous
    const sim::WakeToken token = sim_.prepare_park();
    for (std::size_t i = 0; i < waits.size(); ++i) {
      if (!done[i]) waits[i].replica->progress.subscribe(token);
    }
    sim_.park_until(deadline);
  }
}

sim::Payload<ListOffsetsResponse> Broker::handle_list_offsets(const ListOffsetsRequest& request) {
  ListOffsetsResponse response;
  std::uint64_t digest = 0;
  for (const ListOffsetsPartition& p : request.partitions) {
    ListOffsetsPartitionResponse& out = response.partitions.emplace_back();
    out.partition = p.partition;
    Replica* r = nullptr;
    out.error = find_leader(request.topic, p.partition, &r);
    if (out.error == ErrorCode::none) {
      // Consumers (read_uncommitted) see up to the high watermark.
      out.offset = p.timestamp == kEarliestTimestamp ? r->log.start_offset() : r->high_watermark;
    }
    digest = sim::hash_combine(digest, sim::hash_combine(static_cast<std::uint64_t>(out.error),
                                                         static_cast<std::uint64_t>(out.offset)));
  }
  const std::uint64_t bytes = kSmallResponseBytes + kPerPartitionBytes * response.partitions.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficMetadata};
}

sim::Payload<MetadataResponse> Broker::handle_metadata(const MetadataRequest& request) {
  MetadataResponse response;
  for (std::size_t b = 0; b < topology_->broker_count(); ++b) {
    if (image_.brokers[b].incarnation != 0 && image_.live(b)) {
      response.brokers.push_back(BrokerInfo{topology_->broker_node(b), topology_->broker_zone(b)});
    }
  }
  std::vector<std::string> names = request.topics;
  if (names.empty()) {
    for (std::size_t t = 0; t < topology_->topic_count(); ++t) {
      if (!topology_->is_internal(t)) names.push_back(topology_->topic_name(t));
    }
  }
  std::uint64_t bytes = kSmallResponseBytes + kPerPartitionBytes * response.brokers.size();
  std::uint64_t digest = image_.version;
  for (const std::string& name : names) {
    TopicMetadata& topic = response.topics.emplace_back();
    topic.name = name;
    const auto t = topology_->topic_index(name);
    if (!t) {
      topic.error = ErrorCode::unknown_topic_or_partition;
      continue;
    }
    for (std::int32_t p = 0; p < topology_->topic_partitions(*t); ++p) {
      const PartitionState& s = image_.partitions[topology_->partition_index(*t, p)];
      topic.partitions.push_back(PartitionMetadata{
          p, s.has_leader() ? ErrorCode::none : ErrorCode::leader_not_available, s.leader, s.leader_epoch,
          s.replicas, s.isr});
      bytes += 2 * kPerPartitionBytes;
      digest = sim::hash_combine(digest, sim::hash_combine(s.leader, static_cast<std::uint64_t>(s.leader_epoch)));
    }
  }
  return sim::Payload{std::move(response), bytes, digest, kTrafficMetadata};
}

}  // namespace weir::models::kafka::classic
