// ProducerCore: the machinery behind Producer (accumulators, per-broker
// senders, retries), shared by the Producer and the fibers and timers it
// starts, so that in-flight requests can finish after the Producer is gone.
// All its fibers and timers belong to the producing node; a crash of that
// node unwinds them and, with the Producer, drops the core.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "weir/models/kafka/client/connections.h"
#include "weir/models/kafka/client/metadata_cache.h"
#include "weir/models/kafka/client/producer.h"
#include "weir/sim/future.h"
#include "weir/sim/network.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka {

// A batch went out in a produce request (one event per batch of the request).
inline constexpr sim::TraceKind kTraceProduceSend{
    "kafka.produce.sent", "sent batch {batch} of {records} records for partition {partition} to {broker:node}"};
// The broker acknowledged a batch: its records hold offsets first..last.
inline constexpr sim::TraceKind kTraceProduceAck{
    "kafka.produce.acked", "batch {batch} for partition {partition} acked at offsets {first}..{last}"};
// A batch goes back to its partition's queue after a retriable error.
inline constexpr sim::TraceKind kTraceProduceRetry{
    "kafka.produce.retried", "batch {batch} for partition {partition} will be retried: {error:text}"};
// A batch failed for good (rejected, or past its delivery timeout).
inline constexpr sim::TraceKind kTraceProduceFail{
    "kafka.produce.failed", "batch {batch} for partition {partition} failed: {error:text}"};
inline constexpr sim::TraceKind kTraceProducerTimer{"kafka.producer.timer"};
inline constexpr sim::TraceKind kTraceProducerExpiry{"kafka.producer.expiry"};

class ProducerCore : public std::enable_shared_from_this<ProducerCore> {
 public:
  ProducerCore(sim::Simulation& sim, sim::NodeId node, ProducerOptions options);
  // Creates the metadata cache and subscribes to it; call once, after
  // construction through a shared_ptr.
  void start(std::vector<sim::NodeId> bootstrap);
  void close();

  sim::Future<ProduceResult> produce(const TopicPartition& tp, Record record);
  void flush();
  const ProducerStats& stats() const { return stats_; }
  sim::NodeId node() const { return node_; }

 private:
  struct PendingRecord {
    Record record;
    sim::Promise<ProduceResult> promise;
  };
  // Records of one partition sent and retried together. Its deadline is its
  // first record's, as in franz-go.
  struct Batch {
    std::uint64_t seq = 0;
    TopicPartition tp;
    std::vector<PendingRecord> records;
    std::uint64_t bytes = 0;
    sim::Time created;
    sim::Time deadline;
    int attempts = 0;
    bool sealed = false;  // takes no more records (full, or being retried)
    ErrorCode last_error = ErrorCode::none;
  };
  struct PartitionQueue {
    std::deque<Batch> batches;  // by seq; only the last may be unsealed
    bool failing = false;       // a retriable error: wait for a metadata refresh
    sim::Time backoff_until;
    sim::Time timer_at = sim::Time::max();
  };

  void append(const TopicPartition& tp, PendingRecord pending);
  Batch& open_batch(const TopicPartition& tp, PartitionQueue& queue, std::uint64_t bytes);
  sim::Time ready_at(const PartitionQueue& queue) const;
  bool ready(const PartitionQueue& queue) const;
  void arm_timer(const TopicPartition& tp, PartitionQueue& queue);
  void drain();
  void drain_to(sim::NodeId broker, const std::string& topic, std::vector<TopicPartition> ready);
  bool take_batch(PartitionQueue& queue, std::vector<Batch>& out);
  void send(sim::NodeId broker, const std::string& topic, std::vector<Batch> batches);
  void run_request(sim::NodeId broker, sim::Payload<ProduceRequest> payload, std::vector<Batch> batches);
  void handle_response(const ProduceResponse& response, std::vector<Batch> batches);
  void retry(Batch batch, ErrorCode error);
  void succeed(Batch& batch, std::int64_t base_offset);
  void fail(Batch& batch, ProduceStatus status, ErrorCode error);
  void fail_buffered(PartitionQueue& queue);
  void expire(const TopicPartition& tp, std::uint64_t seq);
  void finish_records(std::size_t count);
  void on_metadata();

  sim::Simulation& sim_;
  sim::NodeId node_;
  ProducerOptions options_;
  sim::Random random_;
  Connections connections_;
  std::shared_ptr<MetadataCache> metadata_;
  std::map<TopicPartition, PartitionQueue> partitions_;
  std::map<sim::NodeId, int> in_flight_;
  std::uint64_t next_batch_seq_ = 1;
  std::uint64_t outstanding_ = 0;  // records produced and not yet resolved
  int flushing_ = 0;
  sim::Promise<bool> idle_;        // set when outstanding_ drops to zero
  bool closed_ = false;
  ProducerStats stats_;
};

}  // namespace weir::models::kafka
