// Property 6: no read returns the same (series, timestamp) twice.
#include "weir/properties/checks/check_no_duplicate_samples.h"

#include <algorithm>
#include <map>
#include <string>

#include <fmt/format.h>

#include "format.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_sample;
using detail::format_time;

// Every timestamp a read returned per series, sorted (ties keep result order).
std::map<SeriesId, std::vector<Sample>> samples_by_series(const Read& read) {
  std::map<SeriesId, std::vector<Sample>> by_series;
  for (const auto& series : read.result) {
    auto& samples = by_series[series.series];
    samples.insert(samples.end(), series.samples.begin(), series.samples.end());
  }
  for (auto& [series, samples] : by_series) {
    std::stable_sort(samples.begin(), samples.end(),
                     [](const Sample& a, const Sample& b) { return a.ts_ms < b.ts_ms; });
  }
  return by_series;
}

void check_read(const Read& read, detail::ViolationSink& sink) {
  std::size_t duplicates = 0;
  std::string first;
  Evidence evidence{.read = read.id, .zones = {read.zone}, .from_ns = read.invoked_at, .to_ns = read.completed_at};
  for (const auto& [series, samples] : samples_by_series(read)) {
    for (std::size_t i = 1; i < samples.size(); ++i) {
      if (samples[i].ts_ms != samples[i - 1].ts_ms) continue;
      if (duplicates++ == 0) {
        first = fmt::format("{} returned twice (values {} and {})",
                            format_sample(series, samples[i].ts_ms), samples[i - 1].value,
                            samples[i].value);
        evidence.series = series;
        evidence.sample_ts_ms = samples[i].ts_ms;
      }
    }
  }
  if (duplicates == 0) return;
  sink.add(fmt::format("{} read #{} (invoked {}, answered by zone {} querier {} at {}) returned {} duplicate samples; first: {}",
                       to_string(read.consistency), read.id, format_time(read.invoked_at),
                       read.zone, read.querier, format_time(read.completed_at.value_or(0)),
                       duplicates, first),
           evidence);
}

}  // namespace

PropertyResult check_no_duplicate_samples(const History& history,
                                                  const CheckOptions& options) {
  detail::ViolationSink sink(property_id::no_duplicate_samples,
                             options.max_violations_per_property);
  for (const auto& read : history.reads()) {
    if (!read.ok()) continue;
    for (const auto& series : read.result) sink.judged(series.samples.size());
    check_read(read, sink);
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
