// The classic model's internal RPCs: broker <-> controller (KRaft-like
// registration, heartbeats, AlterPartition, metadata pushes) and follower ->
// leader (OffsetsForLeaderEpoch). Clients never see these; they are carried
// as sim::Network payloads like the public Kafka protocol.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata_image.h"
#include "weir/models/kafka/protocol.h"

namespace weir::models::kafka::classic {

inline constexpr std::string_view kRegisterBrokerService = "kraft.register_broker";
inline constexpr std::string_view kBrokerHeartbeatService = "kraft.broker_heartbeat";
inline constexpr std::string_view kAlterPartitionService = "kraft.alter_partition";
inline constexpr std::string_view kMetadataPort = "kraft.metadata";  // controller -> broker pushes (MetadataDelta)
inline constexpr std::string_view kOffsetsForLeaderEpochService = "kafka.offsets_for_leader_epoch";

// Replies, named by their requests below.
struct AlterPartitionResponse;
struct BrokerHeartbeatResponse;
struct OffsetsForLeaderEpochResponse;
struct RegisterBrokerResponse;

// Controller -> broker: the metadata changes since the broker's version.
struct MetadataPush {
  static constexpr std::string_view kPort = kMetadataPort;
  MetadataDelta delta;
};

// A broker (re)registers once per incarnation; a new incarnation fences the
// old one, so a restarted broker never keeps leaderships its memory lost.
struct RegisterBrokerRequest {
  using Reply = RegisterBrokerResponse;
  static constexpr std::string_view kService = kRegisterBrokerService;
  std::uint32_t broker = 0;
  std::uint64_t incarnation = 0;
};
struct RegisterBrokerResponse {
  MetadataDelta snapshot;
};

struct BrokerHeartbeatRequest {
  using Reply = BrokerHeartbeatResponse;
  static constexpr std::string_view kService = kBrokerHeartbeatService;
  std::uint32_t broker = 0;
  std::uint64_t incarnation = 0;
  std::uint64_t metadata_version = 0;  // how far the broker's cache is complete
};
struct BrokerHeartbeatResponse {
  bool registered = true;                 // false: register again
  std::optional<MetadataDelta> snapshot;  // when the broker's cache is behind
};

// The leader asks to change the ISR; refused unless the leader and partition
// epochs it saw are still current (Kafka's AlterPartition).
struct AlterPartitionRequest {
  using Reply = AlterPartitionResponse;
  static constexpr std::string_view kService = kAlterPartitionService;
  std::uint32_t partition = 0;  // partition index
  sim::NodeId leader = sim::kNoNode;
  std::int32_t leader_epoch = 0;
  std::int32_t partition_epoch = 0;
  std::vector<sim::NodeId> isr;
};
struct AlterPartitionResponse {
  bool accepted = false;
  PartitionState state;  // the current state, accepted or not
};

// Follower -> leader: where does `leader_epoch` end in your log (KIP-101/279)?
struct EpochQuery {
  std::int32_t partition = 0;
  std::int32_t current_leader_epoch = -1;  // fences a stale leader
  std::int32_t leader_epoch = -1;          // the follower's latest epoch
};
struct OffsetsForLeaderEpochRequest {
  using Reply = OffsetsForLeaderEpochResponse;
  static constexpr std::string_view kService = kOffsetsForLeaderEpochService;
  std::string topic;
  std::vector<EpochQuery> partitions;
};
struct EpochAnswer {
  std::int32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::int32_t leader_epoch = -1;
  std::int64_t end_offset = -1;
};
struct OffsetsForLeaderEpochResponse {
  std::vector<EpochAnswer> partitions;
};

}  // namespace weir::models::kafka::classic
