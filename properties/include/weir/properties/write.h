// A client write (one remote-write request) as the client saw it.
//
// Contract: a write's samples are SampleRuns, one or more per series. A run
// holds `count` samples at first_ms, first_ms + step_ms, ...; its values are
// sample_value(series, ts) unless `values` lists them explicitly (then
// values.size() == count). Irregular timestamps are several runs.
// Outcomes: acked (2xx), rejected (4xx), failed (5xx), timed_out (ambiguous)
// and pending (never completed: ambiguous too). Only acked writes must be
// durable; a write of any outcome may have been persisted, at least in part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/types.h"

namespace weir::properties {

struct SampleRun {
  SeriesId series = 0;
  TimestampMs first_ms = 0;
  std::int64_t step_ms = 0;  // milliseconds between samples; > 0 when count > 1
  std::uint32_t count = 0;
  std::vector<double> values;  // empty: sample_value(series, ts) for every sample

  TimestampMs last_ms() const;
  TimestampMs timestamp(std::uint32_t index) const;
  double value(std::uint32_t index) const;
  // The index of the sample at `ts`, if the run has one.
  std::optional<std::uint32_t> index_of(TimestampMs ts) const;

  bool operator==(const SampleRun&) const = default;
};

// A run of samples with implied values: first_ms, first_ms + step_ms, ... (count of them).
SampleRun make_run(SeriesId series, TimestampMs first_ms, std::int64_t step_ms, std::uint32_t count);

enum class WriteOutcome : std::uint8_t {
  pending = 0,    // invoked, never completed: ambiguous
  acked = 1,      // 2xx: every sample must be durable
  rejected = 2,   // 4xx: invalid input, dropped (valid parts may persist)
  failed = 3,     // 5xx: the client may retry; parts may persist
  timed_out = 4,  // no answer in time: ambiguous
};

std::string_view to_string(WriteOutcome outcome);

struct Write {
  WriteId id = 0;
  std::string tenant;
  std::string client;
  SimTime invoked_at = 0;
  std::optional<SimTime> completed_at;
  WriteOutcome outcome = WriteOutcome::pending;
  std::string detail;  // status code or error text, for messages
  std::vector<SampleRun> samples;

  bool acked() const { return outcome == WriteOutcome::acked; }
  bool operator==(const Write&) const = default;
};

}  // namespace weir::properties
