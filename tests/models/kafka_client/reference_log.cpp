#include "reference_log.h"

#include <algorithm>

#include "weir/sim/hash.h"

namespace weir::models::kafka::testing {
namespace {

constexpr std::uint64_t kSmallReplyBytes = 64;

template <class Body>
sim::Payload<Body> reply(Body body, std::uint64_t digest, std::uint64_t bytes = kSmallReplyBytes,
                   std::string_view traffic = kTrafficMetadata) {
  return sim::Payload{std::move(body), bytes, digest, traffic};
}

}  // namespace

ReferenceLog::ReferenceLog(sim::Simulation& sim, ReferenceLogOptions options)
    : sim_(sim),
      options_(std::move(options)),
      produce_requests_(options_.zones.size(), 0),
      active_produces_(options_.zones.size(), 0) {
  partitions_.reserve(static_cast<std::size_t>(options_.partitions));
  for (std::int32_t p = 0; p < options_.partitions; ++p) partitions_.emplace_back(sim_);
  for (std::size_t i = 0; i < options_.zones.size(); ++i) {
    std::string name = "ref-";
    name += std::to_string(i);
    const sim::NodeId id = sim_.add_node(sim::NodeSpec{
        std::move(name), options_.zones[i],
        [this, i](sim::Simulation&, sim::NodeId self) {
          serve(self, i);
          return std::unique_ptr<sim::Process>();
        },
        {}});
    nodes_.push_back(id);
  }
  for (sim::NodeId id : nodes_) sim_.start(id);
}

std::vector<sim::NodeId> ReferenceLog::bootstrap(std::string_view client_zone) const {
  std::vector<sim::NodeId> ordered;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (options_.zones[i] == client_zone) ordered.push_back(nodes_[i]);
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (options_.zones[i] != client_zone) ordered.push_back(nodes_[i]);
  }
  return ordered;
}

void ReferenceLog::serve(sim::NodeId id, std::size_t index) {
  sim::Network& net = sim_.network();
  net.serve<ProduceRequest>(id, [this, index](sim::NodeId, const ProduceRequest& body) {
    return produce(index, body);
  });
  net.serve<FetchRequest>(id, [this, index](sim::NodeId, const FetchRequest& body) {
    return fetch(index, body);
  });
  net.serve<ListOffsetsRequest>(id, [this, index](sim::NodeId, const ListOffsetsRequest& body) {
    return list_offsets(index, body);
  });
  net.serve<MetadataRequest>(id, [this](sim::NodeId, const MetadataRequest&) { return metadata(); });
  net.serve<FindCoordinatorRequest>(id, [this](sim::NodeId, const FindCoordinatorRequest&) { return find_coordinator(); });
  net.serve<OffsetCommitRequest>(id, [this, index](sim::NodeId, const OffsetCommitRequest& body) {
    return offset_commit(index, body);
  });
  net.serve<OffsetFetchRequest>(id, [this, index](sim::NodeId, const OffsetFetchRequest& body) {
    return offset_fetch(index, body);
  });
}

// ---------------------------------------------------------------- control

void ReferenceLog::move_leader(std::int32_t partition, std::size_t node_index) {
  Partition& p = partitions_.at(static_cast<std::size_t>(partition));
  p.leader = node_index;
  ++p.epoch;
}

void ReferenceLog::truncate_before(std::int32_t partition, std::int64_t offset) {
  Partition& p = partitions_.at(static_cast<std::size_t>(partition));
  const std::int64_t drop = std::clamp<std::int64_t>(offset - p.start, 0, static_cast<std::int64_t>(p.records.size()));
  p.records.erase(p.records.begin(), p.records.begin() + drop);
  p.start += drop;
}

std::vector<FetchedRecord> ReferenceLog::records(std::int32_t partition) const {
  const Partition& p = partitions_.at(static_cast<std::size_t>(partition));
  std::vector<FetchedRecord> out;
  for (std::size_t i = 0; i < p.records.size(); ++i) {
    out.push_back(FetchedRecord{p.start + static_cast<std::int64_t>(i), p.records[i]});
  }
  return out;
}

std::int64_t ReferenceLog::end_offset(std::int32_t partition) const {
  return partitions_.at(static_cast<std::size_t>(partition)).end();
}

std::uint64_t ReferenceLog::produce_requests() const {
  std::uint64_t total = 0;
  for (std::uint64_t n : produce_requests_) total += n;
  return total;
}

ReferenceLog::Partition* ReferenceLog::find(const std::string& topic, std::int32_t partition) {
  if (topic != options_.topic || partition < 0 || partition >= options_.partitions) return nullptr;
  return &partitions_[static_cast<std::size_t>(partition)];
}

std::int64_t ReferenceLog::append(Partition& partition, const std::vector<Record>& records) {
  const std::int64_t base = partition.end();
  partition.records.insert(partition.records.end(), records.begin(), records.end());
  sim::Promise<bool> appended = partition.appended;
  partition.appended = sim::Promise<bool>(sim_);
  appended.set(true);
  return base;
}

// ---------------------------------------------------------------- produce

sim::Payload<ProduceResponse> ReferenceLog::produce(std::size_t index, const ProduceRequest& request) {
  ++produce_requests_[index];
  const int active = ++active_produces_[index];
  max_concurrent_produces_ = std::max(max_concurrent_produces_, active);
  std::size_t records = 0;
  ProduceResponse response;
  std::uint64_t digest = 0;
  for (const auto& data : request.partitions) {
    records += data.records.size();
    response.partitions.push_back(produce_partition(index, request.topic, data));
    digest = sim::hash_combine(digest, static_cast<std::uint64_t>(response.partitions.back().base_offset));
  }
  records_per_request_.push_back(records);
  if (faults_.withhold_produce_replies > 0) {
    --faults_.withhold_produce_replies;
    sim::Promise<bool> never(sim_);
    never.future().get();  // parks this handler for good: the answer is never sent
  }
  if (faults_.produce_reply_delay.ns() > 0) sim_.sleep(faults_.produce_reply_delay);
  --active_produces_[index];
  return reply(std::move(response), digest, kSmallReplyBytes, kTrafficProduce);
}

ProducePartitionResponse ReferenceLog::produce_partition(std::size_t index, const std::string& topic,
                                                         const ProducePartitionData& data) {
  ProducePartitionResponse out;
  out.partition = data.partition;
  Partition* partition = find(topic, data.partition);
  if (partition == nullptr) {
    out.error = ErrorCode::unknown_topic_or_partition;
  } else if (!leads(index, *partition)) {
    out.error = ErrorCode::not_leader_or_follower;
  } else if (faults_.fail_produce_partitions > 0) {
    --faults_.fail_produce_partitions;
    out.error = faults_.fail_produce_error;
  } else {
    out.base_offset = append(*partition, data.records);
  }
  return out;
}

// ---------------------------------------------------------------- fetch

sim::Payload<FetchResponse> ReferenceLog::fetch(std::size_t index, const FetchRequest& request) {
  FetchResponse response;
  std::uint64_t digest = 0;
  for (const auto& wanted : request.partitions) {
    response.partitions.push_back(fetch_partition(index, request, wanted));
    const auto& got = response.partitions.back();
    digest = sim::hash_combine(digest, (got.records.size() << 8) ^ static_cast<std::uint64_t>(got.error));
  }
  const std::uint64_t bytes = response.wire_bytes();
  return reply(std::move(response), digest, bytes, kTrafficFetch);
}

// Answers at once when records are there; at the log end, waits for an
// append until max_wait (a long poll).
FetchPartitionResponse ReferenceLog::fetch_partition(std::size_t index, const FetchRequest& request,
                                                     const FetchPartition& wanted) {
  FetchPartitionResponse out;
  out.partition = wanted.partition;
  const sim::Time deadline = sim_.now() + request.max_wait;
  for (;;) {
    Partition* partition = find(request.topic, wanted.partition);
    if (partition == nullptr) {
      out.error = ErrorCode::unknown_topic_or_partition;
      return out;
    }
    if (!leads(index, *partition)) {
      out.error = ErrorCode::not_leader_or_follower;
      return out;
    }
    out.high_watermark = partition->end();
    out.log_start_offset = partition->start;
    if (wanted.fetch_offset < partition->start || wanted.fetch_offset > partition->end()) {
      out.error = ErrorCode::offset_out_of_range;
      return out;
    }
    if (wanted.fetch_offset < partition->end() || sim_.now() >= deadline) break;
    sim::Future<bool> appended = partition->appended.future();
    appended.get_until(deadline);
  }
  const Partition& partition = partitions_[static_cast<std::size_t>(wanted.partition)];
  std::uint64_t bytes = 0;
  for (std::int64_t offset = wanted.fetch_offset; offset < partition.end(); ++offset) {
    const Record& record = partition.records[static_cast<std::size_t>(offset - partition.start)];
    if (!out.records.empty() && bytes + record.wire_bytes() > request.max_bytes) break;
    bytes += record.wire_bytes();
    out.records.push_back(FetchedRecord{offset, record});
  }
  return out;
}

sim::Payload<ListOffsetsResponse> ReferenceLog::list_offsets(std::size_t index, const ListOffsetsRequest& request) {
  ListOffsetsResponse response;
  std::uint64_t digest = 0;
  for (const auto& wanted : request.partitions) {
    ListOffsetsPartitionResponse out;
    out.partition = wanted.partition;
    Partition* partition = find(request.topic, wanted.partition);
    if (partition == nullptr) {
      out.error = ErrorCode::unknown_topic_or_partition;
    } else if (!leads(index, *partition)) {
      out.error = ErrorCode::not_leader_or_follower;
    } else {
      out.offset = wanted.timestamp == kEarliestTimestamp ? partition->start : partition->end();
    }
    digest = sim::hash_combine(digest, static_cast<std::uint64_t>(out.offset));
    response.partitions.push_back(out);
  }
  return reply(std::move(response), digest);
}

// ---------------------------------------------------------------- metadata and groups

sim::Payload<MetadataResponse> ReferenceLog::metadata() {
  ++metadata_requests_;
  MetadataResponse response;
  for (std::size_t i = 0; i < nodes_.size(); ++i) response.brokers.push_back(BrokerInfo{nodes_[i], options_.zones[i]});
  TopicMetadata topic;
  topic.name = options_.topic;
  std::uint64_t digest = 0;
  for (std::int32_t p = 0; p < options_.partitions; ++p) {
    const Partition& partition = partitions_[static_cast<std::size_t>(p)];
    const sim::NodeId leader = nodes_[partition.leader];
    topic.partitions.push_back(PartitionMetadata{p, ErrorCode::none, leader, partition.epoch, {leader}, {leader}});
    digest = sim::hash_combine(digest, leader);
  }
  response.topics.push_back(std::move(topic));
  return reply(std::move(response), digest);
}

sim::Payload<FindCoordinatorResponse> ReferenceLog::find_coordinator() const {
  return reply(FindCoordinatorResponse{ErrorCode::none, nodes_[coordinator_]}, coordinator_);
}

sim::Payload<OffsetCommitResponse> ReferenceLog::offset_commit(std::size_t index, const OffsetCommitRequest& request) {
  if (index != coordinator_) return reply(OffsetCommitResponse{ErrorCode::coordinator_not_available}, 1);
  committed_[OffsetKey{request.group, request.topic, request.partition}] = request.offset;
  return reply(OffsetCommitResponse{ErrorCode::none}, static_cast<std::uint64_t>(request.offset));
}

sim::Payload<OffsetFetchResponse> ReferenceLog::offset_fetch(std::size_t index, const OffsetFetchRequest& request) const {
  if (index != coordinator_) return reply(OffsetFetchResponse{ErrorCode::coordinator_not_available, -1}, 1);
  const auto it = committed_.find(OffsetKey{request.group, request.topic, request.partition});
  const std::int64_t offset = it == committed_.end() ? -1 : it->second;
  return reply(OffsetFetchResponse{ErrorCode::none, offset}, static_cast<std::uint64_t>(offset));
}

}  // namespace weir::models::kafka::testing
