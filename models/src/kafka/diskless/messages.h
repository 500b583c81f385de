// The diskless log's internal RPCs: agents <-> metadata service, and agent ->
// agent reads of a WAL (AutoMQ mode). Carried as sim::Network payloads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/kafka/diskless/metadata_state.h"
#include "weir/models/kafka/protocol.h"

namespace weir::models::kafka::diskless {

inline constexpr std::string_view kHeartbeatService = "diskless.meta.heartbeat";
inline constexpr std::string_view kCommitService = "diskless.meta.commit";
inline constexpr std::string_view kRelocateService = "diskless.meta.relocate";
inline constexpr std::string_view kLookupService = "diskless.meta.lookup";
inline constexpr std::string_view kMetaListOffsetsService = "diskless.meta.list_offsets";
inline constexpr std::string_view kMetaOffsetCommitService = "diskless.meta.offset_commit";
inline constexpr std::string_view kMetaOffsetFetchService = "diskless.meta.offset_fetch";
inline constexpr std::string_view kWalReadService = "diskless.wal_read";

// Replies, named by their requests below.
struct CommitResponse;
struct HeartbeatResponse;
struct LookupResponse;
struct RelocateResponse;
struct WalReadResponse;

// Framing of a small control message, and of one batch reference in it.
inline constexpr std::uint64_t kControlBytes = 64;
inline constexpr std::uint64_t kBatchRefBytes = 48;

struct HeartbeatRequest {
  using Reply = HeartbeatResponse;
  static constexpr std::string_view kService = kHeartbeatService;
  sim::NodeId agent = sim::kNoNode;
  std::string zone;
};
struct HeartbeatResponse {
  std::vector<AgentInfo> live_agents;
};

struct CommitRequest {
  using Reply = CommitResponse;
  static constexpr std::string_view kService = kCommitService;
  std::string commit_id;
  std::vector<CommitBatch> batches;
};
struct CommitResponse {
  ErrorCode error = ErrorCode::none;
  std::vector<std::int64_t> base_offsets;  // one per batch, in order
};

struct RelocateRequest {
  using Reply = RelocateResponse;
  static constexpr std::string_view kService = kRelocateService;
  std::vector<Relocation> moves;
};
struct RelocateResponse {};

struct LookupPartition {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
};
struct LookupRequest {
  using Reply = LookupResponse;
  static constexpr std::string_view kService = kLookupService;
  std::string topic;
  std::vector<LookupPartition> partitions;
  std::uint64_t max_bytes = 0;
  sim::Duration max_wait;  // long poll while no partition has data
};
struct LookupPartitionResponse {
  std::int32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::int64_t high_watermark = 0;
  std::vector<BatchRef> batches;
};
struct LookupResponse {
  std::vector<LookupPartitionResponse> partitions;
};

// The consumer-group and offset APIs an agent forwards to the metadata
// service, which keeps the offsets: the Kafka requests, under the metadata
// service's names.
struct MetaListOffsetsRequest : ListOffsetsRequest {
  using Reply = ListOffsetsResponse;
  static constexpr std::string_view kService = kMetaListOffsetsService;
};
struct MetaOffsetCommitRequest : OffsetCommitRequest {
  using Reply = OffsetCommitResponse;
  static constexpr std::string_view kService = kMetaOffsetCommitService;
};
struct MetaOffsetFetchRequest : OffsetFetchRequest {
  using Reply = OffsetFetchResponse;
  static constexpr std::string_view kService = kMetaOffsetFetchService;
};

struct WalReadRequest {
  using Reply = WalReadResponse;
  static constexpr std::string_view kService = kWalReadService;
  std::string entry_id;
  std::uint64_t byte_offset = 0;
  std::uint64_t byte_length = 0;
};
struct WalReadResponse {
  bool found = false;
  std::string data;
};

}  // namespace weir::models::kafka::diskless
