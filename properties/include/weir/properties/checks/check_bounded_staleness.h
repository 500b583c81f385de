// Property 8: staleness of eventual reads ("bounded_staleness").
//
// Contract: the staleness of a successful eventual read R is how far behind
// acknowledged writes it was: the largest R.invoked_at - W.completed_at over
// acked writes W completed before R was invoked of which R's selector covers
// a sample that R did not return (with W's value); 0 when R missed nothing.
// staleness_distribution() summarises it over all such reads;
// check_bounded_staleness() reports every read staler than
// options.staleness_bound, and nothing when no bound is set.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "weir/properties/check_options.h"
#include "weir/properties/check_report.h"
#include "weir/properties/history.h"
#include "weir/properties/violation.h"

namespace weir::properties {

struct ReadStaleness {
  ReadId read = 0;
  SimDuration staleness = 0;
  std::optional<WriteId> oldest_missed_write;  // set when staleness > 0
  SeriesId missed_series = 0;
  TimestampMs missed_ts = 0;
};

struct StalenessDistribution {
  std::size_t reads = 0;  // successful eventual reads measured
  SimDuration min = 0;
  SimDuration p50 = 0;  // nearest-rank percentiles
  SimDuration p99 = 0;
  SimDuration max = 0;
  bool operator==(const StalenessDistribution&) const = default;
};

// One entry per successful eventual read, in read id order.
std::vector<ReadStaleness> eventual_read_staleness(const History& history);

StalenessDistribution staleness_distribution(const History& history);

PropertyResult check_bounded_staleness(const History& history, const CheckOptions& options);

}  // namespace weir::properties
