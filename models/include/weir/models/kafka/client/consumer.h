// Consumer: the reading side of a Kafka client, as Mimir's ingester (Fetch,
// group offsets) and query-frontend (ListOffsets) use it.
//
// Every call blocks the calling fiber, which should run on the consumer's
// node, and talks to the log only through the protocol: Fetch and ListOffsets
// go to the partition's leader from the metadata cache; group offsets go to
// the group's coordinator found with FindCoordinator. `fetch` makes one
// attempt and returns the log's error (the caller decides how to go on, as
// Mimir's reader does); errors that mean stale metadata force a refresh so
// the next attempt reaches the new leader. `list_offsets`, `commit` and
// `fetch_committed` retry retriable errors with backoff (re-discovering the
// coordinator) until their retry timeout.
//
// Ownership: belongs to a Process of `node`; its metadata refresher runs on
// that node. Destroying the Consumer stops the refresher; a crash of the node
// unwinds every call in progress.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/client/connections.h"
#include "weir/models/kafka/client/consumer_options.h"
#include "weir/models/kafka/client/metadata_cache.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka {

// A fetch returned records.
inline constexpr sim::TraceKind kTraceConsumerFetch{"kafka.consumer.fetch",
                                                    "fetched partition {partition} offsets {first}..{last} from {broker:node}"};
// A fetch that returned no records (empty, or an error); digest of request and outcome.
inline constexpr sim::TraceKind kTraceConsumerFetchEmpty{"kafka.consumer.fetch_empty"};
// The group coordinator stored a committed offset (the next offset to consume).
inline constexpr sim::TraceKind kTraceConsumerCommit{"kafka.consumer.commit", "committed partition {partition} offset {offset}"};

struct FetchResult {
  // none, or the log's error (OFFSET_OUT_OF_RANGE, NOT_LEADER_OR_FOLLOWER...);
  // REQUEST_TIMED_OUT when no answer came; LEADER_NOT_AVAILABLE when no
  // leader is known.
  ErrorCode error = ErrorCode::none;
  std::vector<FetchedRecord> records;  // offsets from the one asked for, below high_watermark
  std::int64_t high_watermark = -1;
  std::int64_t log_start_offset = -1;
  bool ok() const { return error == ErrorCode::none; }
};

struct OffsetResult {
  ErrorCode error = ErrorCode::none;
  std::int64_t offset = -1;  // fetch_committed: -1 when nothing is committed
  bool ok() const { return error == ErrorCode::none; }
};

struct ConsumerStats {
  std::uint64_t fetches = 0;
  std::uint64_t fetch_errors = 0;
  std::uint64_t records_fetched = 0;
  std::uint64_t coordinator_lookups = 0;
};

class Consumer {
 public:
  Consumer(sim::Simulation& sim, sim::NodeId node, std::vector<sim::NodeId> bootstrap, ConsumerOptions options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // One Fetch of `tp` from `offset`; the log may hold it up to `max_wait`
  // (default: fetch_max_wait) when nothing is there yet.
  FetchResult fetch(const TopicPartition& tp, std::int64_t offset, std::optional<sim::Duration> max_wait = {});
  // The log start (kEarliestTimestamp) or end (kLatestTimestamp) offset.
  OffsetResult list_offsets(const TopicPartition& tp, std::int64_t timestamp);
  // Stores `next_offset` (the next offset to consume) for the group.
  ErrorCode commit(const std::string& group, const TopicPartition& tp, std::int64_t next_offset);
  OffsetResult fetch_committed(const std::string& group, const TopicPartition& tp);

  const ConsumerStats& stats() const { return stats_; }
  sim::NodeId node() const { return node_; }

 private:
  std::optional<PartitionRoute> route_or_refresh(const TopicPartition& tp);
  OffsetResult list_offsets_once(const TopicPartition& tp, std::int64_t timestamp);
  std::optional<sim::NodeId> coordinator(const std::string& group);
  void forget_coordinator(const std::string& group) { coordinators_.erase(group); }
  bool backoff(int failures, sim::Time deadline);
  sim::Duration request_timeout() const { return options_.request_timeout_overhead; }

  sim::Simulation& sim_;
  sim::NodeId node_;
  ConsumerOptions options_;
  sim::Random random_;
  Connections connections_;
  std::shared_ptr<MetadataCache> metadata_;
  std::map<std::string, sim::NodeId> coordinators_;
  std::size_t next_contact_ = 0;
  ConsumerStats stats_;
};

}  // namespace weir::models::kafka
