// Producer: a Kafka producer modelled on franz-go as Mimir's distributor
// uses it (see ProducerOptions for the settings and their sources).
//
// `produce` buffers a record in its partition's accumulator and returns a
// future. A partition's batch is ready when it is full, when it has lingered
// `linger`, or during `flush`. Whenever a broker has fewer than
// `max_in_flight_requests_per_broker` requests outstanding, the ready
// partitions it leads are drained into one Produce request (one batch per
// partition), sent from a fiber of its own. A retriable error or a missing
// answer puts the batch back at the head of its partition, which then waits
// for a metadata refresh and a backoff before being sent again, to whatever
// leader the refresh names. Because idempotence is off, this can write a
// record twice (the first answer was lost) and can reorder batches of one
// partition (a later batch in flight succeeds before a retried one).
//
// Ownership and crashes: a Producer belongs to a Process of node `node`, and
// all its fibers and timers run on that node. A crash of the node unwinds
// them and destroys the Producer: futures still pending then never complete.
// Destroying the Producer without a crash stops it from sending anything new
// and from resolving futures; requests already in flight finish in their
// fibers, which keep the internals alive until then.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "weir/models/kafka/client/producer_options.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/future.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka {

class ProducerCore;

enum class ProduceStatus {
  ok,
  // The record waited delivery_timeout without an ack. Ambiguous when it was
  // sent at least once: it may be in the log.
  delivery_timeout,
  // The record alone is bigger than batch_max_bytes; never sent.
  record_too_large,
  // The log answered with a non-retriable error (in `error`); not written.
  rejected,
};
const char* to_string(ProduceStatus status);

struct ProduceResult {
  ProduceStatus status = ProduceStatus::ok;
  std::int64_t offset = -1;           // when ok
  ErrorCode error = ErrorCode::none;  // rejected: the log's error; timeout: the last one seen
  int attempts = 0;                   // Produce requests that carried the record
  bool ok() const { return status == ProduceStatus::ok; }
  // True when nothing can be said about whether the record is in the log.
  bool ambiguous() const { return status == ProduceStatus::delivery_timeout && attempts > 0; }
};

struct ProducerStats {
  std::uint64_t records_produced = 0;
  std::uint64_t records_acked = 0;
  std::uint64_t records_failed = 0;
  std::uint64_t requests_sent = 0;
  std::uint64_t batches_retried = 0;
  int max_in_flight_observed = 0;  // most requests outstanding to one broker at once
};

class Producer {
 public:
  // `bootstrap`: the nodes to ask for metadata first (LogCluster::bootstrap).
  Producer(sim::Simulation& sim, sim::NodeId node, std::vector<sim::NodeId> bootstrap, ProducerOptions options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Buffers `record` for (topic, partition). Never blocks; may be called
  // from any fiber or callback.
  sim::Future<ProduceResult> produce(std::string topic, std::int32_t partition, Record record);
  // Sends everything buffered without waiting for linger, and blocks the
  // calling fiber until no record is buffered or in flight (every future
  // produced so far, and during the flush, has its result).
  void flush();

  ProducerStats stats() const;
  sim::NodeId node() const;

 private:
  std::shared_ptr<ProducerCore> core_;
};

}  // namespace weir::models::kafka
