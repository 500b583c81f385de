// Property 8: how far behind acknowledged writes eventual reads were.
#include "weir/properties/checks/check_bounded_staleness.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "format.h"
#include "sample_lookup.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_sample;
using detail::format_time;

// Walks acked writes oldest first; the first one the read missed sets its
// staleness (the later ones are tallied too, and ignored).
ReadStaleness measure(const Read& read, const detail::AckedRuns& acked) {
  ReadStaleness result{read.id, 0, std::nullopt, 0, 0};
  const Read* reads[] = {&read};
  const detail::ReturnedSamples returned(reads);
  acked.tally_covered_before(read.invoked_at, read.selector, returned,
                             [&](const Write& write, const detail::SampleTally& tally) {
                               if (result.oldest_missed_write || (tally.missing == 0 && tally.wrong_value == 0)) return;
                               result.staleness = read.invoked_at - *write.completed_at;
                               result.oldest_missed_write = write.id;
                               result.missed_series =
                                   tally.missing > 0 ? tally.first_missing_series : tally.first_wrong_series;
                               result.missed_ts = tally.missing > 0 ? tally.first_missing_ts : tally.first_wrong_ts;
                             });
  return result;
}

SimDuration nearest_rank(const std::vector<SimDuration>& sorted, double quantile) {
  const auto rank = static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

std::vector<ReadStaleness> eventual_read_staleness(const History& history) {
  const auto measured = [](const Read& read) { return !read.strong() && read.ok(); };
  const detail::AckedRuns acked(history, measured);
  std::vector<ReadStaleness> staleness;
  for (const auto& read : history.reads()) {
    if (measured(read)) staleness.push_back(measure(read, acked));
  }
  return staleness;
}

StalenessDistribution staleness_distribution(const History& history) {
  std::vector<SimDuration> values;
  for (const auto& read : eventual_read_staleness(history)) values.push_back(read.staleness);
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  return StalenessDistribution{values.size(), values.front(), nearest_rank(values, 0.50),
                               nearest_rank(values, 0.99), values.back()};
}

PropertyResult check_bounded_staleness(const History& history, const CheckOptions& options) {
  detail::ViolationSink sink(property_id::bounded_staleness, options.max_violations_per_property);
  if (!options.staleness_bound) return std::move(sink).finish();
  for (const auto& measured : eventual_read_staleness(history)) {
    sink.judged();
    if (measured.staleness <= *options.staleness_bound) continue;
    const Read& read = history.read(measured.read);
    const Write& write = history.write(*measured.oldest_missed_write);
    sink.add(fmt::format("eventual read #{} (invoked {}, answered by zone {} querier {}) was {} stale, over the bound {}: it missed {} of write #{} acked {}",
                         read.id, format_time(read.invoked_at), read.zone, read.querier,
                         format_time(measured.staleness), format_time(*options.staleness_bound),
                         format_sample(measured.missed_series, measured.missed_ts), write.id,
                         format_time(*write.completed_at)),
             Evidence{.write = write.id,
                      .read = read.id,
                      .series = measured.missed_series,
                      .sample_ts_ms = measured.missed_ts,
                      .zones = {read.zone},
                      .from_ns = write.invoked_at,
                      .to_ns = read.completed_at});
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
