// A test-local Kafka speaker: sends protocol requests from one client node
// with network().call, with no retries and no batching, so a test sees
// exactly what the log answered. Calls block the calling fiber, which must
// run on the speaker's node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/diskless/diskless_cluster.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::diskless::testing {

using namespace weir::sim::literals;

struct Ack {
  ErrorCode error = ErrorCode::request_timed_out;
  std::int64_t offset = -1;
  sim::Duration latency;
};

class Speaker {
 public:
  Speaker(sim::Simulation& sim, sim::NodeId node, const DisklessCluster& cluster)
      : sim_(sim), node_(node), zone_(sim.node(node).zone()), cluster_(cluster) {}

  // Asks the zone's agents first, then any agent; caches the answer.
  std::optional<MetadataResponse> metadata() {
    std::vector<sim::NodeId> targets = cluster_.bootstrap(zone_);
    for (sim::NodeId n : cluster_.serving_nodes()) targets.push_back(n);
    for (sim::NodeId target : targets) {
      auto reply = call(target, MetadataRequest{{}, zone_}, 1_s);
      if (reply) {
        metadata_ = *reply;
        return reply;
      }
    }
    return std::nullopt;
  }

  sim::NodeId leader(const std::string& topic, std::int32_t partition) {
    if (!metadata_) metadata();
    if (!metadata_) return sim::kNoNode;
    for (const TopicMetadata& t : metadata_->topics) {
      if (t.name != topic) continue;
      for (const PartitionMetadata& p : t.partitions) {
        if (p.partition == partition) return p.leader;
      }
    }
    return sim::kNoNode;
  }

  Ack produce(const std::string& topic, std::int32_t partition, std::vector<Record> records,
              sim::Duration timeout = 10_s) {
    const sim::Time start = sim_.now();
    const sim::NodeId to = leader(topic, partition);
    if (to == sim::kNoNode) return Ack{ErrorCode::unknown_topic_or_partition, -1, {}};
    ProduceRequest request{topic, {{partition, std::move(records)}}, -1, timeout};
    const std::uint64_t bytes = request.wire_bytes();
    auto reply = sim_.network().call(node_, to,
                                                       sim::Payload{request, bytes, 0, kTrafficProduce},
                                                       timeout + 1_s);
    Ack ack;
    ack.latency = sim_.now() - start;
    if (reply.ok()) {
      ack.error = reply.value().partitions.at(0).error;
      ack.offset = reply.value().partitions.at(0).base_offset;
    }
    return ack;
  }

  std::optional<FetchPartitionResponse> fetch(const std::string& topic, std::int32_t partition, std::int64_t offset,
                                              sim::Duration max_wait = sim::Duration()) {
    FetchRequest request;
    request.topic = topic;
    request.partitions = {{partition, offset, -1}};
    request.max_wait = max_wait;
    request.client_zone = zone_;
    auto reply = call(leader(topic, partition), request, max_wait + 10_s, kTrafficFetch);
    if (!reply) return std::nullopt;
    return reply->partitions.at(0);
  }

  // Every record of the partition below its high watermark, or nothing on an error.
  std::optional<std::vector<FetchedRecord>> read_all(const std::string& topic, std::int32_t partition) {
    std::vector<FetchedRecord> out;
    for (std::int64_t next = 0;;) {
      auto got = fetch(topic, partition, next);
      if (!got || got->error != ErrorCode::none) return std::nullopt;
      for (auto& r : got->records) out.push_back(std::move(r));
      if (!out.empty()) next = out.back().offset + 1;
      if (next >= got->high_watermark) return out;
      if (got->records.empty()) return std::nullopt;
    }
  }

  std::optional<std::int64_t> list_offset(const std::string& topic, std::int32_t partition,
                                          std::int64_t timestamp = kLatestTimestamp) {
    auto reply = call(leader(topic, partition),
                                           ListOffsetsRequest{topic, {{partition, timestamp}}}, 5_s);
    if (!reply || reply->partitions.at(0).error != ErrorCode::none) return std::nullopt;
    return reply->partitions.at(0).offset;
  }

  sim::NodeId coordinator(const std::string& group) {
    for (sim::NodeId target : cluster_.serving_nodes()) {
      auto reply = call(target, FindCoordinatorRequest{group, zone_}, 1_s);
      if (reply && reply->error == ErrorCode::none) return reply->coordinator;
    }
    return sim::kNoNode;
  }

  ErrorCode commit_offset(sim::NodeId coordinator, const std::string& group, const std::string& topic,
                          std::int32_t partition, std::int64_t offset) {
    auto reply = call(coordinator, OffsetCommitRequest{group, topic, partition, offset}, 5_s);
    return reply ? reply->error : ErrorCode::request_timed_out;
  }

  std::optional<std::int64_t> committed_offset(sim::NodeId coordinator, const std::string& group,
                                               const std::string& topic, std::int32_t partition) {
    auto reply = call(coordinator, OffsetFetchRequest{group, topic, partition}, 5_s);
    if (!reply || reply->error != ErrorCode::none) return std::nullopt;
    return reply->offset;
  }

  const std::string& zone() const { return zone_; }

 private:
  template <class Request>
  std::optional<sim::ReplyOf<Request>> call(sim::NodeId to, Request request, sim::Duration timeout,
                                            std::string_view traffic = kTrafficMetadata) {
    if (to == sim::kNoNode) return std::nullopt;
    auto reply = sim_.network().call(node_, to, sim::Payload{request, 64, 0, traffic}, timeout);
    if (!reply.ok()) return std::nullopt;
    return reply.value();
  }

  sim::Simulation& sim_;
  sim::NodeId node_;
  std::string zone_;
  const DisklessCluster& cluster_;
  std::optional<MetadataResponse> metadata_;
};

inline Record make_record(std::string key, std::string value, std::int64_t ts = 0) {
  return Record{std::move(key), std::move(value), ts, {}};
}

}  // namespace weir::models::kafka::diskless::testing
