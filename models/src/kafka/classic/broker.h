// Broker: the process of one classic Kafka broker node.
//
// At boot it rebuilds its replicas' logs from its disk, registers with the
// controller (a new incarnation fences the old one), learns the metadata,
// then serves the Kafka protocol: Produce and consumer Fetch at partition
// leaders, follower Fetch (replica_id >= 0) and OffsetsForLeaderEpoch for
// replication, ListOffsets, Metadata, and the group-coordinator APIs backed by
// the replicated __consumer_offsets partitions. Its fibers: heartbeats, a
// page-cache flusher, the log-retention check (when retention is on), the
// ISR-expiration check, and one replica fetcher per
// (leader broker, topic), like Kafka's fetcher threads.
//
// Owned by its node (sim::Process): destroyed when the node crashes, after
// all its fibers were unwound. Shares the immutable topology and options.
// The member functions are spread over broker*.cpp and replica_fetcher.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "internal_messages.h"
#include "metadata_image.h"
#include "notifier.h"
#include "replica.h"
#include "topology.h"
#include "weir/models/kafka/classic/trace_kinds.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::classic {

class Broker final : public sim::Process {
 public:
  Broker(sim::Simulation& sim, sim::NodeId self, std::shared_ptr<const Topology> topology,
         std::shared_ptr<const ClassicClusterOptions> options);

  // True once the logs are recovered and the first metadata is known.
  bool serving() const { return serving_; }
  // Nothing when this broker does not host the partition.
  const Replica* replica(std::uint32_t index) const { return replicas_[index].get(); }
  // Makes every log durable at once, as it stands now (no simulated time
  // passes): what the operating system writes back of the page cache after
  // this process dies while its machine lives. Call it just before the kill.
  void write_page_cache();

 private:
  // A wait for a leader replica's high watermark to pass `end_offset`.
  struct HighWatermarkWait {
    Replica* replica;
    std::int64_t end_offset;
    std::int32_t leader_epoch;
  };
  // One partition of a Fetch request, resolved against this broker.
  struct FetchSlot {
    std::int32_t partition = 0;
    ErrorCode error = ErrorCode::none;
    Replica* replica = nullptr;  // set once the leader is found, even with an offset error
    std::int64_t offset = 0;
    std::int32_t leader_epoch = -1;
  };
  // The group coordinator's view of one __consumer_offsets partition it leads.
  struct OffsetsCache {
    std::int32_t leader_epoch = -1;  // -1: not leading
    std::int64_t ready_at = 0;       // serves once the high watermark reaches it
    std::int64_t applied = 0;        // records [0, applied) are in `committed`
    std::map<std::string, std::int64_t, std::less<>> committed;
  };

  // ---- broker.cpp: lifecycle and metadata.
  void main();
  void register_with_controller();
  void heartbeat_loop();
  void serve();
  void start_fetchers();
  void apply_delta(const MetadataDelta& delta);
  void learn_partition(std::uint32_t index, const PartitionState& state);
  void apply_partition(Replica& r, const PartitionState& next);
  void become_leader(Replica& r);
  void become_follower(Replica& r);
  sim::Duration controller_timeout() const { return options_->controller_request_timeout; }

  // ---- broker_disk.cpp: the page cache and the disk.
  void recover_logs();
  void flush_loop();
  void flush(Replica& r);
  void retention_loop();
  // A partition's directory ("log/<topic>-<partition>/") and its segment files.
  std::string log_dir(std::uint32_t index) const;
  std::string segment_path(std::uint32_t index, std::int64_t base_offset) const;
  // Whether the trace shows this replica's partition: a user topic's, not
  // __consumer_offsets' (whose partition numbers would collide with them).
  bool traced(const Replica& r) const { return !topology_->is_internal(topology_->topic_of(r.index)); }
  std::int32_t partition_number(const Replica& r) const { return topology_->partition_of(r.index); }

  // ---- broker_produce.cpp: client requests at the leader.
  sim::Payload<ProduceResponse> handle_produce(const ProduceRequest& request);
  sim::Payload<ListOffsetsResponse> handle_list_offsets(const ListOffsetsRequest& request);
  sim::Payload<MetadataResponse> handle_metadata(const MetadataRequest& request);
  // The leader replica of (topic, partition) here, or why not.
  ErrorCode find_leader(std::string_view topic, std::int32_t partition, Replica** out);
  // Per wait: none, not_leader_or_follower, not_enough_replicas_after_append
  // or request_timed_out (at `deadline`).
  std::vector<ErrorCode> await_high_watermark(const std::vector<HighWatermarkWait>& waits, sim::Time deadline);

  // ---- broker_fetch.cpp: the leader's side of fetching and the ISR.
  sim::Payload<FetchResponse> handle_fetch(const FetchRequest& request);
  std::vector<FetchSlot> resolve_fetch(const FetchRequest& request, sim::NodeId follower);
  void await_fetchable(const std::vector<FetchSlot>& slots, bool from_follower, sim::Time deadline);
  FetchResponse read_fetch(const std::vector<FetchSlot>& slots, bool from_follower, std::uint64_t max_bytes);
  sim::Payload<OffsetsForLeaderEpochResponse> handle_offsets_for_leader_epoch(const OffsetsForLeaderEpochRequest& request);
  void record_follower_fetch(Replica& r, sim::NodeId follower, std::int64_t fetch_offset);
  void maybe_advance_high_watermark(Replica& r);
  void on_high_watermark(Replica& r);
  void maybe_expand_isr(Replica& r, const FollowerState& f);
  void isr_expiration_loop();
  void request_isr_change(Replica& r, std::vector<sim::NodeId> isr);
  void send_alter_partition(Replica& r, std::uint64_t serial, const AlterPartitionRequest& request);

  // ---- replica_fetcher.cpp: the follower's side.
  void fetch_loop(sim::NodeId source, std::size_t topic);
  std::vector<Replica*> following(sim::NodeId source, std::size_t topic);
  bool truncate_diverged(sim::NodeId source, std::size_t topic, const std::vector<Replica*>& replicas);
  void apply_epoch_answer(Replica& r, const EpochAnswer& answer);
  void fetch_from(sim::NodeId source, std::size_t topic, const std::vector<Replica*>& replicas);
  void append_fetched(Replica& r, FetchPartitionResponse& fetched);
  void truncate(Replica& r, std::int64_t offset);
  // Empties the log and starts it again at `offset`, the leader's log start.
  void restart_log_at(Replica& r, std::int64_t offset);

  // ---- broker_groups.cpp: the group coordinator.
  sim::Payload<FindCoordinatorResponse> handle_find_coordinator(const FindCoordinatorRequest& request);
  sim::Payload<OffsetCommitResponse> handle_offset_commit(const OffsetCommitRequest& request);
  sim::Payload<OffsetFetchResponse> handle_offset_fetch(const OffsetFetchRequest& request);
  // The offsets partition of `group` if this broker coordinates it and has loaded it.
  Replica* coordinator_replica(std::string_view group);
  void reset_offsets_cache(Replica& r);
  void materialize_offsets(Replica& r);

  sim::Simulation& sim_;
  const sim::NodeId self_;
  const std::uint32_t broker_index_;
  const std::uint64_t incarnation_;
  std::shared_ptr<const Topology> topology_;
  std::shared_ptr<const ClassicClusterOptions> options_;
  std::vector<std::unique_ptr<Replica>> replicas_;  // by partition index
  MetadataImage image_;
  Notifier metadata_changed_;
  std::vector<OffsetsCache> offsets_;  // by __consumer_offsets partition
  bool serving_ = false;
  bool logs_recovered_ = false;  // the logs in memory were rebuilt from the disk
  bool disk_full_ = false;
};

}  // namespace weir::models::kafka::classic
