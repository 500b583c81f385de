#include "history_builders.h"

#include <algorithm>
#include <map>

namespace weir::properties::testing {

std::vector<SeriesResult> results_of(const std::vector<SampleRun>& runs) {
  std::map<SeriesId, std::map<TimestampMs, double>> by_series;
  for (const auto& run : runs) {
    for (std::uint32_t i = 0; i < run.count; ++i) {
      by_series[run.series].emplace(run.timestamp(i), run.value(i));
    }
  }
  std::vector<SeriesResult> result;
  for (const auto& [series, samples] : by_series) {
    SeriesResult entry{series, {}};
    for (const auto& [ts, value] : samples) entry.samples.push_back(Sample{ts, value});
    result.push_back(std::move(entry));
  }
  return result;
}

ReadSelector select(std::vector<SeriesId> series, TimestampMs start_ms, TimestampMs end_ms) {
  return make_selector(std::move(series), start_ms, end_ms);
}

WriteId add_write(History& history, SimTime invoked, SimTime completed, WriteOutcome outcome,
                  std::vector<SampleRun> runs) {
  const WriteId id = history.record_write_invoke("tenant-1", "client-1", invoked, std::move(runs));
  if (outcome != WriteOutcome::pending) history.record_write_complete(id, completed, outcome);
  return id;
}

WriteId add_acked_write(History& history, SimTime invoked, SimTime acked,
                        std::vector<SampleRun> runs) {
  return add_write(history, invoked, acked, WriteOutcome::acked, std::move(runs));
}

ReadId add_read(History& history, ReadConsistency consistency, ReadSelector selector,
                SimTime invoked, SimTime completed, std::string zone,
                std::vector<SeriesResult> result, bool final_drain) {
  const ReadId id = history.record_read_invoke(consistency, std::move(selector), invoked, final_drain);
  const std::string querier = "querier-" + zone;
  history.record_read_complete(id, completed, std::move(zone), querier, std::move(result));
  return id;
}

ReadId add_final_read(History& history, std::string zone, ReadSelector selector, SimTime at,
                      std::vector<SeriesResult> result) {
  return add_read(history, ReadConsistency::eventual, std::move(selector), at, at + millis(10),
                  std::move(zone), std::move(result), true);
}

void erase_sample(std::vector<SeriesResult>& result, SeriesId series, TimestampMs ts) {
  for (auto& entry : result) {
    if (entry.series != series) continue;
    std::erase_if(entry.samples, [ts](const Sample& s) { return s.ts_ms == ts; });
  }
}

std::vector<Violation> of_property(const std::vector<Violation>& violations, std::string_view id) {
  std::vector<Violation> matching;
  std::copy_if(violations.begin(), violations.end(), std::back_inserter(matching),
               [id](const Violation& v) { return v.property == id; });
  return matching;
}

std::string describe(const std::vector<Violation>& violations) {
  std::string text;
  for (const auto& v : violations) text += v.property + ": " + v.message + "\n";
  return text;
}

}  // namespace weir::properties::testing
