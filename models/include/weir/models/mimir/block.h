// Block: an immutable TSDB block within one block range (2 h, aligned), cut from
// a Head and uploaded to object storage, and compact(): the compactor's merge
// of several blocks of the same range (e.g. one per zone) into one.
//
// A block covers [min_time_ms, max_time_ms) (Prometheus block meta: maxt
// exclusive) and holds series sorted by SeriesId, each with samples sorted by
// timestamp, one per timestamp. serialize() gives weir's own deterministic
// format (not Prometheus' on-disk layout): "WEIRBLK1", the range, then per
// series its id, labels and samples (first timestamp, then varint deltas;
// values as IEEE-754 bits), all little-endian, closed by a CRC-32C of
// everything before it. parse() checks all of it and never throws.
//
// compact(): the union of the blocks' series; per series, one sample per
// timestamp. The blocks start at the same time (their range's start); they
// may end earlier than the range (a head compacted whole when idle ends at
// its max time + 1), and the result ends where the latest of them does. When blocks disagree on a timestamp's value the sample of the
// block that comes first in the argument order wins (as a chain merge that
// keeps the first sample at each timestamp), and the disagreement is counted
// in CompactStats::conflicts; equal duplicates count in duplicates_dropped.
//
// Contract: a value type. Construction sorts series by id and checks the
// invariants (throws std::invalid_argument on a violation: a programming
// error, unlike parse()).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/decode_result.h"
#include "weir/models/mimir/types.h"

namespace weir::models::mimir {

struct BlockSeries {
  SeriesId id = 0;
  Labels labels;
  std::vector<Sample> samples;
  bool operator==(const BlockSeries&) const = default;
};

class Block {
 public:
  Block(TimestampMs min_time_ms, TimestampMs max_time_ms, std::vector<BlockSeries> series);

  TimestampMs min_time_ms() const { return min_time_ms_; }
  TimestampMs max_time_ms() const { return max_time_ms_; }
  const std::vector<BlockSeries>& series() const { return series_; }
  const BlockSeries* find(SeriesId id) const;
  // Samples with mint <= t <= maxt, ascending; empty if the series is absent.
  std::span<const Sample> query(SeriesId id, TimestampMs mint, TimestampMs maxt) const;
  std::uint64_t sample_count() const;

  std::string serialize() const;
  static DecodeResult<Block> parse(std::string_view bytes);
  // A digest of the serialized form.
  std::uint64_t digest() const;

  bool operator==(const Block&) const = default;

 private:
  TimestampMs min_time_ms_;
  TimestampMs max_time_ms_;
  std::vector<BlockSeries> series_;
};

struct CompactStats {
  std::uint64_t duplicates_dropped = 0;  // same timestamp, same value, in several blocks
  std::uint64_t conflicts = 0;           // same timestamp, different values: first block's kept
};

// Throws std::invalid_argument if `blocks` is empty or their start times differ.
Block compact(std::span<const Block> blocks, CompactStats* stats = nullptr);

}  // namespace weir::models::mimir
