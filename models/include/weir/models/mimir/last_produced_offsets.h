// LastProducedOffsets: the query-frontend's poller of every partition's last
// produced offset (Mimir's TopicOffsetsReader on a GenericOffsetReader,
// pkg/storage/ingest/partition_offset_reader.go).
//
// run() polls every `poll_interval` (if a poll takes longer, the next starts
// at once): ListOffsets(latest) for each partition, concurrently; the last
// produced offset is that answer - 1 (-1 for an empty partition). A failed
// partition (after the consumer's own retries, 10 s) fails the whole poll.
// wait_next() returns the result of the NEXT poll to be issued after the
// call, never the one in flight (Mimir's nextResultPromise is swapped when
// a poll starts), so its offsets were taken after the caller arrived.
// last() is the latest completed poll (Mimir's CachedOffset).
//
// Contract: run() and wait_next() block fibers of the owning node; the
// Consumer is the owner's and outlives this object.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/client/consumer.h"
#include "weir/properties/types.h"
#include "weir/sim/future.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

struct PartitionOffsets {
  std::string error;  // empty when every partition answered
  std::map<properties::PartitionId, std::int64_t> last_produced;
  sim::Time requested_at;
  bool ok() const { return error.empty(); }
};

class LastProducedOffsets {
 public:
  LastProducedOffsets(sim::Simulation& sim, kafka::Consumer& consumer, std::string topic,
                      std::vector<properties::PartitionId> partitions, sim::Duration poll_interval);

  // The poll loop; runs forever in a fiber of the consumer's node.
  void run();
  // The result of the next poll issued after now, or nothing at the deadline.
  std::optional<PartitionOffsets> wait_next(sim::Time deadline);
  const std::optional<PartitionOffsets>& last() const { return last_; }
  std::uint64_t polls() const { return polls_; }

 private:
  PartitionOffsets poll();

  sim::Simulation& sim_;
  kafka::Consumer& consumer_;
  std::string topic_;
  std::vector<properties::PartitionId> partitions_;
  sim::Duration poll_interval_;
  sim::Promise<PartitionOffsets> next_;
  std::optional<PartitionOffsets> last_;
  std::uint64_t polls_ = 0;
};

}  // namespace weir::models::mimir
