// MetadataState: the durable state of the diskless log's metadata service,
// as a plain state machine (no simulated time, no I/O).
//
// Per partition it keeps the committed batch index (dense offset ranges ->
// where the bytes are) and the next offset to assign; per consumer group the
// committed offsets; and the agent registry with zones and heartbeats.
// Offsets are assigned at commit, in commit order, so every reader sees the
// same record at the same offset. Commits are idempotent by commit id: a
// retried commit returns the offsets of the first. Owned by DisklessCluster,
// outside the metadata node's process, because it models a replicated
// service whose state no single crash loses.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "weir/models/kafka/diskless/options.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/time.h"

namespace weir::models::kafka::diskless {

// Where a batch's encoded records are: a byte range of an object, or, in
// AutoMQ WAL mode before upload, of a WAL entry kept by `wal_agent`.
struct BatchLocation {
  std::string object_key;  // object key, or WAL entry id when wal_agent is set
  std::uint64_t byte_offset = 0;
  std::uint64_t byte_length = 0;
  sim::NodeId wal_agent = sim::kNoNode;
  bool in_wal() const { return wal_agent != sim::kNoNode; }
};

struct BatchRef {
  std::int64_t base_offset = 0;
  std::int32_t record_count = 0;
  BatchLocation location;
};

struct CommitBatch {
  std::string topic;
  std::int32_t partition = 0;
  std::int32_t record_count = 0;
  BatchLocation location;
};

// A WAL entry now in object storage: its bytes start at `byte_base` of `object_key`.
struct Relocation {
  std::string wal_entry_id;
  std::string object_key;
  std::uint64_t byte_base = 0;
};

struct AgentInfo {
  sim::NodeId node = sim::kNoNode;
  std::string zone;
};

class MetadataState {
 public:
  explicit MetadataState(const std::vector<TopicSpec>& topics);

  bool has_partition(const TopicPartition& tp) const { return partitions_.count(tp) != 0; }

  // ---- The log.
  // Appends the batches in order; returns each one's base offset. Repeating a
  // commit id returns the first answer and changes nothing. Every batch must
  // name an existing partition (checked by the caller).
  std::vector<std::int64_t> commit(const std::string& commit_id, const std::vector<CommitBatch>& batches);
  bool is_committed(const std::string& commit_id) const { return commits_.count(commit_id) != 0; }
  // Points the batches of WAL entries at their uploaded objects (idempotent).
  void relocate(const std::vector<Relocation>& moves);
  std::int64_t next_offset(const TopicPartition& tp) const;  // the high watermark
  // The batches holding `offset` and after, up to about `max_bytes` (at least one).
  std::vector<BatchRef> batches_from(const TopicPartition& tp, std::int64_t offset, std::uint64_t max_bytes) const;
  const std::vector<BatchRef>& log(const TopicPartition& tp) const;
  // Bumped by every commit: long polls wait for it to change.
  std::uint64_t commit_count() const { return commit_count_; }

  // ---- Consumer groups.
  void commit_group_offset(const std::string& group, const TopicPartition& tp, std::int64_t offset);
  std::int64_t group_offset(const std::string& group, const TopicPartition& tp) const;  // -1: none

  // ---- Agent registry.
  void heartbeat(sim::NodeId agent, const std::string& zone, sim::Time now);
  // Agents heard from within `timeout`, in node order.
  std::vector<AgentInfo> live_agents(sim::Time now, sim::Duration timeout) const;

 private:
  struct Registered {
    std::string zone;
    sim::Time last_heartbeat;
  };
  struct PartitionLog {
    std::vector<BatchRef> batches;  // by base offset, dense
    std::int64_t next_offset = 0;
  };

  std::map<TopicPartition, PartitionLog> partitions_;
  std::map<std::string, std::vector<std::int64_t>> commits_;
  std::map<std::string, std::vector<std::pair<TopicPartition, std::size_t>>> wal_refs_;
  std::map<std::pair<std::string, TopicPartition>, std::int64_t> group_offsets_;
  std::map<sim::NodeId, Registered> agents_;
  std::uint64_t commit_count_ = 0;
};

}  // namespace weir::models::kafka::diskless
