// PartitionFetcher: how an ingester reads its partition through a Kafka
// Consumer (Mimir's PartitionReader fetchers, pkg/storage/ingest/reader.go
// and fetcher.go), handing out records in offset order.
//
// Ongoing, it issues one long-poll Fetch at a time from the next offset.
// While `concurrent` (at startup, until the ingester has caught up; the
// backlog is first learnt with ListOffsets) and the backlog known from the
// last high watermark exceeds records_per_fetch, it
// splits the next stretch into up to `concurrency` consecutive offset
// ranges of records_per_fetch records and fetches them in parallel, each
// from a fiber of its own (Mimir's concurrentFetchers). Results are consumed
// in range order: a range that failed or came back short is fetched again
// (the records after it are discarded and re-fetched), so nothing is
// skipped. With the drop_whole_fetch_on_partial_error knob (Mimir #9963),
// one failed range instead drops the records of every range of that fetch
// while the fetcher moves past all of them: a gap.
//
// Like Mimir's PollFetches, the fetcher remembers the last offset it returned
// (the start offset - 1 at first) and drops records at or below it. Planted
// bugs in that bookkeeping, all off by default:
// - ignore_record_at_offset_zero (Mimir #8968): the last returned offset
//   starts at 0 (Go's zero value), so the record at offset 0 is never returned.
// - return_overlapping_records_twice (Mimir #9389): each range hands out its
//   records from its own start to the end of its answer, past the range (a
//   Fetch is bounded by bytes, not records), so the overlap with the next
//   ranges is returned twice.
// - resume_from_unset_last_returned_offset (Mimir #9447): stop_concurrency()
//   restarts fetching at the last returned offset, which stays -1 until a
//   record is returned; fetching -1 is out of range, so the fetcher jumps to
//   the log start and returns the partition again.
//
// Errors: OFFSET_OUT_OF_RANGE below the log start jumps to the log start
// (those records are gone from the log); any other error is retried from the
// same offset after a backoff (250 ms doubling to 2 s).
//
// Contract: next() blocks the calling fiber, which must run on the
// consumer's node; the Consumer and the Simulation outlive the fetcher.
// Sub-fetch fibers share state through a shared_ptr, so a crash unwinding
// them in any order is safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "weir/models/kafka/client/consumer.h"
#include "weir/models/kafka/client/retry_backoff.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

struct PartitionFetcherOptions {
  int concurrency = 12;                 // concurrent ranges; <= 1 disables
  std::int64_t records_per_fetch = 100;
  kafka::RetryBackoff backoff{sim::Duration::milliseconds(250), sim::Duration::seconds(2), 0.2};
  bool drop_whole_fetch_on_partial_error = false;       // planted bug (Mimir #9963)
  bool ignore_record_at_offset_zero = false;            // planted bug (Mimir #8968)
  bool return_overlapping_records_twice = false;        // planted bug (Mimir #9389)
  bool resume_from_unset_last_returned_offset = false;  // planted bug (Mimir #9447)
};

struct PartitionFetcherStats {
  std::uint64_t fetches = 0;             // Fetch requests, sub-fetches included
  std::uint64_t fetch_errors = 0;
  std::uint64_t concurrent_fetches = 0;  // split fetches
  std::uint64_t ranges_refetched = 0;    // ranges (and those after them) fetched again
  std::uint64_t fetches_dropped = 0;     // whole fetches dropped by the knob
  std::uint64_t records_skipped = 0;     // offsets moved past without consuming them
};

class PartitionFetcher {
 public:
  PartitionFetcher(sim::Simulation& sim, kafka::Consumer& consumer, kafka::TopicPartition tp, std::int64_t start_offset,
                   PartitionFetcherOptions options);

  // The next records in offset order (at least one).
  std::vector<kafka::FetchedRecord> next();
  // Switches to one Fetch at a time (Mimir's ongoing fetcher).
  void stop_concurrency();
  std::int64_t next_offset() const { return next_; }
  std::int64_t high_watermark() const { return high_watermark_; }
  const PartitionFetcherStats& stats() const { return stats_; }

 private:
  struct Range {
    std::int64_t start = 0;
    std::int64_t end = 0;  // exclusive
    kafka::FetchResult result;
  };

  std::vector<kafka::FetchedRecord> fetch_single();
  std::vector<kafka::FetchedRecord> fetch_concurrently();
  std::vector<std::shared_ptr<Range>> plan_ranges() const;
  void run_ranges(const std::vector<std::shared_ptr<Range>>& ranges);
  std::vector<kafka::FetchedRecord> consume_ranges(const std::vector<std::shared_ptr<Range>>& ranges);
  std::vector<kafka::FetchedRecord> drop_returned(std::vector<kafka::FetchedRecord> records);
  void on_error(const kafka::FetchResult& result);
  void skip_to(std::int64_t offset);

  sim::Simulation& sim_;
  kafka::Consumer& consumer_;
  kafka::TopicPartition tp_;
  PartitionFetcherOptions options_;
  sim::Random random_;
  std::int64_t next_;
  std::int64_t last_returned_;
  std::int64_t high_watermark_ = -1;
  bool concurrent_ = true;
  int failures_ = 0;
  PartitionFetcherStats stats_;
};

}  // namespace weir::models::mimir
