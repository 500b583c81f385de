// Head: an ingester's in-memory TSDB head, with the Prometheus append rules
// (prometheus tsdb/head_append.go: headAppender.Append, memSeries.appendable,
// Head.appendableMinValidTime).
//
// Rules, per sample (t, v), given the head's max time H and min valid time M
// = max(H - block_range/2, the end of the last cut block):
// - OOO window 0 and t < M: out_of_bounds (ErrOutOfBounds).
// - t >= M and (the series has no in-order sample, or t is past its newest):
//   appended.
// - t >= M and t == the series' newest in-order timestamp: `duplicate` (no
//   error, nothing stored) if v has the same bits, else duplicate_timestamp
//   (ErrDuplicateSampleForTimestamp). Only the newest sample is compared.
// - Otherwise, with an OOO window W > 0 and t >= H - W: stored out of order
//   (appended_out_of_order). A timestamp the series already holds is not
//   stored again: `duplicate` if the value is the same, else
//   ooo_collision_dropped, not an error (Prometheus' OOO head chunk refuses a
//   timestamp it holds without an error; weir extends this to every stored
//   sample, keeping one sample per timestamp).
// - Otherwise too_old (ErrTooOldSample) when W > 0, out_of_bounds when t < M,
//   else out_of_order (ErrOutOfOrderSample): re-consumed older samples are
//   rejected, not duplicated.
// H and the per-series newest sample move with in-order appends only. A head
// with no sample yet has no H, so only the cut boundary bounds it (Prometheus'
// initAppender). Prometheus evaluates a whole appender (one push request)
// against one snapshot of H and M: take bounds() once per request and pass it
// to append() to do the same.
//
// cut_blocks(boundary) moves every sample older than `boundary` (a multiple of
// the block range) into immutable Blocks, one per 2 h range that has samples,
// raises M to `boundary` and drops series left empty (Prometheus' head
// truncation). compactable_boundary() says when Prometheus would cut: once
// the head spans more than 1.5 block ranges (Head.compactable), at the end of
// the range holding the head's min time. cut_all() is Mimir's forced
// compaction of an idle head (compactHead up to the head's max time): every
// sample goes into blocks aligned on the block range, the last one ending at
// H + 1 (block max times are exclusive), and M becomes H + 1.
// raise_min_valid(t) is what Prometheus does at start-up with the newest
// block on disk: M becomes at least its max time, so older samples in the WAL
// are refused (they are in the block).
//
// Contract: series are keyed by a SeriesId (shard.h series_id folds the
// tenant in, so one Head may hold several tenants); samples live in one sorted
// vector per series, so in-order appends allocate only when a vector grows.
// A SeriesRef is valid until the next cut_blocks(). Spans returned by queries
// are valid until the next mutation. Deterministic; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "weir/models/mimir/block.h"
#include "weir/models/mimir/series_index.h"
#include "weir/models/mimir/types.h"

namespace weir::models::mimir {

inline constexpr std::int64_t kBlockRangeMs = 2 * 60 * 60 * 1000;

struct HeadOptions {
  std::int64_t block_range_ms = kBlockRangeMs;  // Prometheus' chunkRange; Mimir's block range
  std::int64_t out_of_order_window_ms = 0;      // Mimir's out_of_order_time_window: 0 = off

  std::optional<std::string> validate() const;
};

enum class AppendOutcome : std::uint8_t {
  appended,
  appended_out_of_order,
  duplicate,              // identical to a stored sample: accepted, nothing stored
  ooo_collision_dropped,  // out-of-order, timestamp already held with another value: no error, not stored
  duplicate_timestamp,    // rejected: ErrDuplicateSampleForTimestamp
  out_of_order,           // rejected: ErrOutOfOrderSample
  too_old,                // rejected: ErrTooOldSample (OOO window on, sample outside it)
  out_of_bounds,          // rejected: ErrOutOfBounds
};
inline constexpr std::size_t kAppendOutcomeCount = 8;
const char* to_string(AppendOutcome outcome);
// True for the outcomes Prometheus reports as errors (Mimir: client errors, sample skipped).
bool is_rejected(AppendOutcome outcome);

struct AppendBounds {
  static constexpr TimestampMs kNone = std::numeric_limits<TimestampMs>::min();
  TimestampMs head_max_ms = kNone;   // H, or kNone for an empty head
  TimestampMs min_valid_ms = kNone;  // M
};

class Head {
 public:
  using SeriesRef = SeriesIndex::Position;

  explicit Head(HeadOptions options = {});

  std::optional<SeriesRef> find(SeriesId id) const;
  SeriesRef get_or_create(SeriesId id, Labels labels);
  // Builds the labels only if the series is new.
  template <class MakeLabels>
  SeriesRef get_or_create_with(SeriesId id, MakeLabels&& make_labels) {
    if (auto ref = find(id)) return *ref;
    return get_or_create(id, std::forward<MakeLabels>(make_labels)());
  }

  AppendBounds bounds() const;
  AppendOutcome append(SeriesRef ref, Sample sample, const AppendBounds& bounds);
  AppendOutcome append(SeriesRef ref, Sample sample) { return append(ref, sample, bounds()); }

  // The samples of a series with mint <= t <= maxt, ascending; empty if unknown.
  std::span<const Sample> query(SeriesId id, TimestampMs mint, TimestampMs maxt) const;
  std::span<const Sample> samples(SeriesRef ref) const { return series_[ref].samples; }
  SeriesId series_id(SeriesRef ref) const { return series_[ref].id; }
  const Labels& labels(SeriesRef ref) const { return series_[ref].labels; }
  std::size_t series_count() const { return series_.size(); }
  std::uint64_t sample_count() const { return sample_count_; }
  // In-order min and max time (AppendBounds::kNone when empty).
  TimestampMs min_time_ms() const { return min_time_ms_; }
  TimestampMs max_time_ms() const { return max_time_ms_; }

  std::uint64_t count(AppendOutcome outcome) const { return counts_[static_cast<std::size_t>(outcome)]; }

  std::optional<TimestampMs> compactable_boundary() const;
  // Throws std::invalid_argument unless boundary is a multiple of block_range_ms.
  std::vector<Block> cut_blocks(TimestampMs boundary);
  // Every sample into blocks (none for an empty head); M becomes H + 1.
  std::vector<Block> cut_all();
  void raise_min_valid(TimestampMs min_valid_ms);
  TimestampMs min_valid_ms() const { return min_valid_ms_; }

 private:
  struct Series {
    SeriesId id = 0;
    Labels labels;
    std::vector<Sample> samples;  // ascending timestamps, one sample per timestamp
    bool has_in_order = false;
    Sample newest_in_order;
  };

  AppendOutcome append_in_order(Series& s, Sample sample);
  AppendOutcome insert_out_of_order(Series& s, Sample sample);
  AppendOutcome record(AppendOutcome outcome);
  // Moves the samples below `boundary` into blocks ending at most at `boundary`.
  std::vector<Block> cut(TimestampMs boundary);
  void drop_empty_series();

  HeadOptions options_;
  std::vector<Series> series_;                          // creation order
  SeriesIndex index_;
  std::array<std::uint64_t, kAppendOutcomeCount> counts_{};
  std::uint64_t sample_count_ = 0;
  TimestampMs min_time_ms_ = AppendBounds::kNone;
  TimestampMs max_time_ms_ = AppendBounds::kNone;
  TimestampMs min_valid_ms_ = AppendBounds::kNone;
};

}  // namespace weir::models::mimir
