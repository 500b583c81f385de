#include "weir/models/kafka/protocol.h"

#include "weir/sim/hash.h"

namespace weir::models::kafka {
namespace {

// Per-record and per-request framing, roughly Kafka's record-batch v2 sizes.
constexpr std::uint64_t kRecordOverheadBytes = 20;
constexpr std::uint64_t kRequestOverheadBytes = 64;

}  // namespace

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::none: return "NONE";
    case ErrorCode::not_leader_or_follower: return "NOT_LEADER_OR_FOLLOWER";
    case ErrorCode::leader_not_available: return "LEADER_NOT_AVAILABLE";
    case ErrorCode::not_enough_replicas: return "NOT_ENOUGH_REPLICAS";
    case ErrorCode::not_enough_replicas_after_append: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
    case ErrorCode::request_timed_out: return "REQUEST_TIMED_OUT";
    case ErrorCode::offset_out_of_range: return "OFFSET_OUT_OF_RANGE";
    case ErrorCode::unknown_topic_or_partition: return "UNKNOWN_TOPIC_OR_PARTITION";
    case ErrorCode::fenced_leader_epoch: return "FENCED_LEADER_EPOCH";
    case ErrorCode::coordinator_not_available: return "COORDINATOR_NOT_AVAILABLE";
    case ErrorCode::kafka_storage_error: return "KAFKA_STORAGE_ERROR";
  }
  return "UNKNOWN";
}

bool is_retriable(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_leader_or_follower:
    case ErrorCode::leader_not_available:
    case ErrorCode::not_enough_replicas:
    case ErrorCode::not_enough_replicas_after_append:
    case ErrorCode::request_timed_out:
    case ErrorCode::fenced_leader_epoch:
    case ErrorCode::coordinator_not_available:
    case ErrorCode::kafka_storage_error:
      return true;
    case ErrorCode::none:
    case ErrorCode::offset_out_of_range:
    case ErrorCode::unknown_topic_or_partition:
      return false;
  }
  return false;
}

std::uint64_t Record::digest() const {
  std::uint64_t h = sim::fnv1a64(key);
  h = sim::hash_combine(h, value.digest());
  for (const auto& header : headers) {
    h = sim::hash_combine(h, sim::fnv1a64(header.key));
    h = sim::hash_combine(h, sim::fnv1a64(header.value));
  }
  return sim::hash_combine(h, static_cast<std::uint64_t>(timestamp_ms));
}

std::uint64_t Record::wire_bytes() const {
  std::uint64_t total = key.size() + value.size() + kRecordOverheadBytes;
  for (const auto& header : headers) total += header.key.size() + header.value.size() + 2;
  return total;
}

std::uint64_t ProduceRequest::wire_bytes() const {
  std::uint64_t total = kRequestOverheadBytes + topic.size();
  for (const auto& p : partitions) {
    for (const auto& r : p.records) total += r.wire_bytes();
  }
  return total;
}

std::uint64_t FetchResponse::wire_bytes() const {
  std::uint64_t total = kRequestOverheadBytes;
  for (const auto& p : partitions) {
    for (const auto& r : p.records) total += r.record.wire_bytes() + 8;
  }
  return total;
}

}  // namespace weir::models::kafka
