#include "weir/models/mimir/partition_fetcher.h"

#include <algorithm>

#include "weir/sim/channel.h"

namespace weir::models::mimir {
namespace {

// The last offset returned before the first fetch: the one before the start,
// or what a planted bug leaves there.
std::int64_t initial_last_returned(std::int64_t start_offset, const PartitionFetcherOptions& options) {
  if (options.ignore_record_at_offset_zero) return 0;              // Go's zero value (Mimir #8968)
  if (options.resume_from_unset_last_returned_offset) return -1;  // unset (Mimir #9447)
  return start_offset - 1;
}

// Moves to `out` the consecutive records of `from` from offset `first` on,
// stopping before `end` or at a gap; returns the offset after the last moved.
std::int64_t take_in_order(std::vector<kafka::FetchedRecord>& from, std::int64_t first, std::int64_t end,
                           std::vector<kafka::FetchedRecord>& out) {
  std::int64_t expected = first;
  for (kafka::FetchedRecord& r : from) {
    if (r.offset < expected) continue;
    if (r.offset != expected || r.offset >= end) break;
    out.push_back(std::move(r));
    ++expected;
  }
  return expected;
}

}  // namespace

PartitionFetcher::PartitionFetcher(sim::Simulation& sim, kafka::Consumer& consumer, kafka::TopicPartition tp,
                                   std::int64_t start_offset, PartitionFetcherOptions options)
    : sim_(sim),
      consumer_(consumer),
      tp_(std::move(tp)),
      options_(options),
      random_(sim.random("mimir.partition_fetcher").fork(sim.node(consumer.node()).name())),
      next_(start_offset),
      last_returned_(initial_last_returned(start_offset, options_)) {}

std::vector<kafka::FetchedRecord> PartitionFetcher::next() {
  for (;;) {
    // The backlog must be known before the first fetch, to split it.
    if (concurrent_ && options_.concurrency > 1 && high_watermark_ < 0) {
      const kafka::OffsetResult end = consumer_.list_offsets(tp_, kafka::kLatestTimestamp);
      if (!end.ok()) {
        sim_.sleep(options_.backoff.delay(++failures_, random_));
        continue;
      }
      failures_ = 0;
      high_watermark_ = end.offset;
    }
    const bool split = concurrent_ && options_.concurrency > 1 && high_watermark_ - next_ > options_.records_per_fetch;
    std::vector<kafka::FetchedRecord> records = drop_returned(split ? fetch_concurrently() : fetch_single());
    if (!records.empty()) return records;
  }
}

// Mimir's Update() restarts the fetchers at the last returned offset; the
// records at or below it are dropped when fetched again. Only the planted
// bug restarts there: otherwise fetching goes on from next_.
void PartitionFetcher::stop_concurrency() {
  concurrent_ = false;
  if (options_.resume_from_unset_last_returned_offset) next_ = last_returned_;
}

// Mimir's PollFetches: records at or below the last returned offset were
// returned already (a fetch may answer from before the offset asked for).
std::vector<kafka::FetchedRecord> PartitionFetcher::drop_returned(std::vector<kafka::FetchedRecord> records) {
  const auto fresh = std::find_if(records.begin(), records.end(),
                                  [this](const kafka::FetchedRecord& r) { return r.offset > last_returned_; });
  records.erase(records.begin(), fresh);
  if (!records.empty()) last_returned_ = records.back().offset;
  return records;
}

std::vector<kafka::FetchedRecord> PartitionFetcher::fetch_single() {
  ++stats_.fetches;
  kafka::FetchResult result = consumer_.fetch(tp_, next_);
  if (!result.ok()) {
    on_error(result);
    return {};
  }
  failures_ = 0;
  high_watermark_ = result.high_watermark;
  std::vector<kafka::FetchedRecord> records;
  for (kafka::FetchedRecord& r : result.records) {
    if (r.offset >= next_) records.push_back(std::move(r));
  }
  if (!records.empty()) next_ = records.back().offset + 1;
  return records;
}

std::vector<kafka::FetchedRecord> PartitionFetcher::fetch_concurrently() {
  ++stats_.concurrent_fetches;
  const std::vector<std::shared_ptr<Range>> ranges = plan_ranges();
  run_ranges(ranges);
  return consume_ranges(ranges);
}

std::vector<std::shared_ptr<PartitionFetcher::Range>> PartitionFetcher::plan_ranges() const {
  std::vector<std::shared_ptr<Range>> ranges;
  for (std::int64_t start = next_;
       start < high_watermark_ && static_cast<int>(ranges.size()) < options_.concurrency;
       start += options_.records_per_fetch) {
    auto range = std::make_shared<Range>();
    range->start = start;
    range->end = std::min(start + options_.records_per_fetch, high_watermark_);
    ranges.push_back(std::move(range));
  }
  return ranges;
}

// One fiber per range; waits until every one has its result.
void PartitionFetcher::run_ranges(const std::vector<std::shared_ptr<Range>>& ranges) {
  sim::Channel<int> done(sim_);
  for (const std::shared_ptr<Range>& range : ranges) {
    ++stats_.fetches;
    sim_.spawn(consumer_.node(), [&consumer = consumer_, tp = tp_, range, done]() mutable {
      range->result = consumer.fetch(tp, range->start);
      done.send(1);
    });
  }
  for (std::size_t i = 0; i < ranges.size(); ++i) done.recv();
}

std::vector<kafka::FetchedRecord> PartitionFetcher::consume_ranges(const std::vector<std::shared_ptr<Range>>& ranges) {
  std::vector<kafka::FetchedRecord> records;
  std::int64_t expected = next_;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    Range& range = *ranges[i];
    if (!range.result.ok()) {
      if (options_.drop_whole_fetch_on_partial_error) {
        ++stats_.fetch_errors;
        ++stats_.fetches_dropped;
        skip_to(ranges.back()->end);
        return {};
      }
      ++stats_.ranges_refetched;
      next_ = expected;
      if (records.empty()) {
        on_error(range.result);
      } else {
        ++stats_.fetch_errors;
      }
      return records;
    }
    high_watermark_ = std::max(high_watermark_, range.result.high_watermark);
    if (options_.return_overlapping_records_twice) {
      // Mimir #9389: the whole answer, from the range's own start.
      const std::int64_t taken = take_in_order(range.result.records, range.start, high_watermark_, records);
      expected = std::max(expected, taken);
    } else {
      expected = take_in_order(range.result.records, expected, range.end, records);
    }
    if (expected < range.end) {
      if (i + 1 < ranges.size()) ++stats_.ranges_refetched;
      break;
    }
  }
  failures_ = 0;
  next_ = expected;
  return records;
}

void PartitionFetcher::on_error(const kafka::FetchResult& result) {
  ++stats_.fetch_errors;
  if (result.error == kafka::ErrorCode::offset_out_of_range && result.log_start_offset > next_) {
    skip_to(result.log_start_offset);
    return;
  }
  if (result.high_watermark >= 0) high_watermark_ = result.high_watermark;
  sim_.sleep(options_.backoff.delay(++failures_, random_));
}

void PartitionFetcher::skip_to(std::int64_t offset) {
  if (offset <= next_) return;
  stats_.records_skipped += static_cast<std::uint64_t>(offset - next_);
  next_ = offset;
}

}  // namespace weir::models::mimir
