// The Kafka protocol as weir's logs speak it: the requests and responses of
// the APIs the modelled pipeline uses, carried as sim::Network RPC payloads.
//
// Both log flavours, classic (brokers with replicas) and diskless (stateless
// agents over object storage), serve exactly these services, so clients and
// everything above them cannot tell which log they talk to. Field meanings
// follow the Kafka protocol; only the fields the models need are kept.
// Offsets are int64 and dense per partition; -1 means "none".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weir/sim/shared_bytes.h"
#include "weir/sim/time.h"
#include "weir/sim/trace.h"

namespace weir::models::kafka {

using sim::NodeId;
using sim::SharedBytes;

// RPC service names, one per Kafka API.
inline constexpr std::string_view kProduceService = "kafka.produce";
inline constexpr std::string_view kFetchService = "kafka.fetch";
inline constexpr std::string_view kListOffsetsService = "kafka.list_offsets";
inline constexpr std::string_view kMetadataService = "kafka.metadata";
inline constexpr std::string_view kFindCoordinatorService = "kafka.find_coordinator";
inline constexpr std::string_view kOffsetCommitService = "kafka.offset_commit";
inline constexpr std::string_view kOffsetFetchService = "kafka.offset_fetch";

// Replies, named by their requests below.
struct FetchResponse;
struct FindCoordinatorResponse;
struct ListOffsetsResponse;
struct MetadataResponse;
struct OffsetCommitResponse;
struct OffsetFetchResponse;
struct ProduceResponse;

// Traffic classes for the network's cross-zone accounting.
inline constexpr std::string_view kTrafficProduce = "produce";
inline constexpr std::string_view kTrafficReplication = "replication";
inline constexpr std::string_view kTrafficFetch = "fetch";
inline constexpr std::string_view kTrafficMetadata = "metadata";

enum class ErrorCode {
  none,
  not_leader_or_follower,           // retriable: refresh metadata
  leader_not_available,             // retriable: an election is under way
  not_enough_replicas,              // retriable: ISR below min.insync.replicas, nothing written
  not_enough_replicas_after_append, // retriable: written, but the ISR shrank before the ack
  request_timed_out,                // retriable and ambiguous: the records may be written
  offset_out_of_range,
  unknown_topic_or_partition,
  fenced_leader_epoch,
  coordinator_not_available,
  kafka_storage_error,              // retriable
};
const char* to_string(ErrorCode code);
bool is_retriable(ErrorCode code);

inline constexpr std::int64_t kLatestTimestamp = -1;    // ListOffsets: the log end offset
inline constexpr std::int64_t kEarliestTimestamp = -2;  // ListOffsets: the log start offset

struct RecordHeader {
  std::string key;
  std::string value;
  bool operator==(const RecordHeader&) const = default;
};

struct Record {
  std::string key;
  SharedBytes value;  // shared by every copy of the record
  std::int64_t timestamp_ms = 0;
  std::vector<RecordHeader> headers;  // e.g. Mimir's "Version"
  std::uint64_t digest() const;       // of key and value, for the trace and the checkers
  std::uint64_t wire_bytes() const;   // key + value + per-record overhead
};

struct TopicPartition {
  std::string topic;
  std::int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// ---- Produce
struct ProducePartitionData {
  std::int32_t partition = 0;
  std::vector<Record> records;
};
struct ProduceRequest {
  using Reply = ProduceResponse;
  static constexpr std::string_view kService = kProduceService;
  std::string topic;
  std::vector<ProducePartitionData> partitions;
  std::int16_t acks = -1;  // -1 = all
  sim::Duration timeout = sim::Duration::seconds(30);
  std::uint64_t wire_bytes() const;
};
struct ProducePartitionResponse {
  std::int32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::int64_t base_offset = -1;  // offset of the first record when error == none
};
struct ProduceResponse {
  std::vector<ProducePartitionResponse> partitions;
};

// ---- Fetch
struct FetchPartition {
  std::int32_t partition = 0;
  std::int64_t fetch_offset = 0;
  std::int32_t current_leader_epoch = -1;  // -1: not checked
};
struct FetchRequest {
  using Reply = FetchResponse;
  static constexpr std::string_view kService = kFetchService;
  std::string topic;
  std::vector<FetchPartition> partitions;
  sim::Duration max_wait = sim::Duration::milliseconds(500);
  std::uint64_t min_bytes = 1;
  std::uint64_t max_bytes = 50 * 1024 * 1024;
  std::string client_zone;  // lets a diskless log answer from a zone-local agent
  std::int32_t replica_id = -1;  // >= 0: a follower broker fetching (classic only)
};
struct FetchedRecord {
  std::int64_t offset = 0;
  Record record;
  // The leader epoch the record was appended in (a batch's partitionLeaderEpoch);
  // followers rebuild their leader-epoch cache from it. -1: not reported.
  std::int32_t leader_epoch = -1;
};
struct FetchPartitionResponse {
  std::int32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::int64_t high_watermark = 0;  // consumers see offsets below it only
  std::int64_t log_start_offset = 0;
  std::vector<FetchedRecord> records;
};
struct FetchResponse {
  std::vector<FetchPartitionResponse> partitions;
  std::uint64_t wire_bytes() const;
};

// ---- ListOffsets
struct ListOffsetsPartition {
  std::int32_t partition = 0;
  std::int64_t timestamp = kLatestTimestamp;
};
struct ListOffsetsRequest {
  using Reply = ListOffsetsResponse;
  static constexpr std::string_view kService = kListOffsetsService;
  std::string topic;
  std::vector<ListOffsetsPartition> partitions;
};
struct ListOffsetsPartitionResponse {
  std::int32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::int64_t offset = -1;
};
struct ListOffsetsResponse {
  std::vector<ListOffsetsPartitionResponse> partitions;
};

// ---- Metadata
struct BrokerInfo {
  NodeId node = sim::kNoNode;
  std::string zone;
};
struct PartitionMetadata {
  std::int32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  NodeId leader = sim::kNoNode;  // where to produce and fetch
  std::int32_t leader_epoch = 0;
  std::vector<NodeId> replicas;
  std::vector<NodeId> isr;
};
struct TopicMetadata {
  std::string name;
  ErrorCode error = ErrorCode::none;
  std::vector<PartitionMetadata> partitions;
};
struct MetadataRequest {
  using Reply = MetadataResponse;
  static constexpr std::string_view kService = kMetadataService;
  std::vector<std::string> topics;  // empty: all
  std::string client_zone;
};
struct MetadataResponse {
  std::vector<BrokerInfo> brokers;
  std::vector<TopicMetadata> topics;
};

// ---- Consumer-group offsets
struct FindCoordinatorRequest {
  using Reply = FindCoordinatorResponse;
  static constexpr std::string_view kService = kFindCoordinatorService;
  std::string group;
  std::string client_zone;
};
struct FindCoordinatorResponse {
  ErrorCode error = ErrorCode::none;
  NodeId coordinator = sim::kNoNode;
};
struct OffsetCommitRequest {
  using Reply = OffsetCommitResponse;
  static constexpr std::string_view kService = kOffsetCommitService;
  std::string group;
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;  // the next offset to consume, as Kafka clients commit
};
struct OffsetCommitResponse {
  ErrorCode error = ErrorCode::none;
};
struct OffsetFetchRequest {
  using Reply = OffsetFetchResponse;
  static constexpr std::string_view kService = kOffsetFetchService;
  std::string group;
  std::string topic;
  std::int32_t partition = 0;
};
struct OffsetFetchResponse {
  ErrorCode error = ErrorCode::none;
  std::int64_t offset = -1;  // -1: nothing committed
};

}  // namespace weir::models::kafka
