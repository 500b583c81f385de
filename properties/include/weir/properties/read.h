// A client read (a range query) as the client saw it.
//
// Contract: a read selects a set of series over an inclusive millisecond
// range; its result lists, per series, the (timestamp, value) samples the
// querier returned, in the order returned. A read is `final_drain` when it
// is one of the reads made after the liveness phase and the drain, one per
// zone, that check_no_lost_acked_samples compares with acknowledged writes
// (and check_liveness requires to succeed and reach every acked sample).
// The zone and querier that answered are known once it completes. A client
// that retries a failed read issues a new read with the same consistency and
// selector whose `retry_of` names the first attempt: together they are one
// client request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/series_set.h"
#include "weir/properties/types.h"

namespace weir::properties {

enum class ReadConsistency : std::uint8_t { eventual = 0, strong = 1 };
enum class ReadOutcome : std::uint8_t { pending = 0, ok = 1, error = 2 };

std::string_view to_string(ReadConsistency consistency);
std::string_view to_string(ReadOutcome outcome);

struct ReadSelector {
  SeriesSet series;         // sorted, no duplicates (make_selector and History normalize)
  TimestampMs start_ms = 0;  // inclusive
  TimestampMs end_ms = 0;    // inclusive

  bool selects(SeriesId id) const;
  bool covers(SeriesId id, TimestampMs ts) const;
  bool operator==(const ReadSelector&) const = default;
};

// A selector with its series sorted and unique.
ReadSelector make_selector(std::vector<SeriesId> series, TimestampMs start_ms, TimestampMs end_ms);

struct Sample {
  TimestampMs ts_ms = 0;
  double value = 0;
  bool operator==(const Sample&) const = default;
};

struct SeriesResult {
  SeriesId series = 0;
  std::vector<Sample> samples;
  bool operator==(const SeriesResult&) const = default;
};

struct Read {
  ReadId id = 0;
  ReadConsistency consistency = ReadConsistency::eventual;
  ReadSelector selector;
  bool final_drain = false;
  std::optional<ReadId> retry_of;  // the first attempt, when this read is a client's retry
  SimTime invoked_at = 0;
  std::optional<SimTime> completed_at;
  ReadOutcome outcome = ReadOutcome::pending;
  std::string zone;     // zone that answered
  std::string querier;  // querier that answered
  std::string error;    // when outcome == error
  std::vector<SeriesResult> result;

  bool ok() const { return outcome == ReadOutcome::ok; }
  bool strong() const { return consistency == ReadConsistency::strong; }
  bool operator==(const Read&) const = default;
};

}  // namespace weir::properties
