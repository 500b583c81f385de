// Private: sample indexes for the checkers.
#include "sample_lookup.h"

#include <algorithm>

namespace weir::properties::detail {

ReturnedSamples::ReturnedSamples(std::span<const Read* const> reads) {
  for (const Read* read : reads) {
    for (const auto& series : read->result) {
      auto& samples = by_series_[series.series];
      samples.insert(samples.end(), series.samples.begin(), series.samples.end());
    }
  }
  for (auto& [series, samples] : by_series_) {
    std::stable_sort(samples.begin(), samples.end(),
                     [](const Sample& a, const Sample& b) { return a.ts_ms < b.ts_ms; });
  }
}

std::span<const Sample> ReturnedSamples::at(SeriesId series, TimestampMs ts) const {
  const auto it = by_series_.find(series);
  if (it == by_series_.end()) return {};
  const auto& samples = it->second;
  const auto [lo, hi] = std::equal_range(
      samples.begin(), samples.end(), Sample{ts, 0},
      [](const Sample& a, const Sample& b) { return a.ts_ms < b.ts_ms; });
  return {lo, hi};
}

std::span<const Sample> ReturnedSamples::of(SeriesId series) const {
  const auto it = by_series_.find(series);
  if (it == by_series_.end()) return {};
  return it->second;
}

std::span<const Sample> ReturnedCursor::at(TimestampMs ts) {
  // Gallop past the samples before ts, then binary search the last stride.
  std::size_t bound = 1;
  while (bound < rest_.size() && rest_[bound - 1].ts_ms < ts) bound *= 2;
  const auto end = rest_.begin() + static_cast<std::ptrdiff_t>(std::min(bound, rest_.size()));
  const auto before_ts = [](const Sample& s, TimestampMs t) { return s.ts_ms < t; };
  const auto lo = std::lower_bound(rest_.begin(), end, ts, before_ts);
  rest_ = rest_.subspan(static_cast<std::size_t>(lo - rest_.begin()));
  std::size_t n = 0;
  while (n < rest_.size() && rest_[n].ts_ms == ts) ++n;
  return rest_.first(n);
}

bool ReturnedSamples::has(SeriesId series, TimestampMs ts, double value) const {
  const auto found = at(series, ts);
  return std::any_of(found.begin(), found.end(),
                     [&](const Sample& sample) { return same_value(sample.value, value); });
}

SentSamples::SentSamples(const std::vector<Write>& writes,
                         const std::function<bool(const Write&)>& include) {
  for (const auto& write : writes) {
    if (!include(write)) continue;
    for (const auto& run : write.samples) {
      by_series_[run.series].push_back(Entry{run.first_ms, run.last_ms(), SentRun{&write, &run}});
    }
  }
  for (auto& [series, entries] : by_series_) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.first < b.first; });
    TimestampMs max_last = entries.front().max_last;
    for (auto& entry : entries) {
      max_last = std::max(max_last, entry.max_last);
      entry.max_last = max_last;
    }
  }
}

void SentSamples::for_each_at(SeriesId series, TimestampMs ts,
                              const std::function<void(const SentRun&, std::uint32_t)>& visit) const {
  const auto it = by_series_.find(series);
  if (it == by_series_.end()) return;
  const auto& entries = it->second;
  // Entries starting at or before ts, walked back while some may still reach ts.
  auto end = std::upper_bound(entries.begin(), entries.end(), ts,
                              [](TimestampMs t, const Entry& e) { return t < e.first; });
  std::vector<const Entry*> holding;
  for (auto e = end; e != entries.begin();) {
    --e;
    if (e->max_last < ts) break;
    if (e->sent.run->index_of(ts)) holding.push_back(&*e);
  }
  std::sort(holding.begin(), holding.end(), [](const Entry* a, const Entry* b) {
    return a->sent.write->id != b->sent.write->id ? a->sent.write->id < b->sent.write->id
                                                  : a->sent.run < b->sent.run;  // same array: index order
  });
  for (const Entry* entry : holding) visit(entry->sent, *entry->sent.run->index_of(ts));
}

void tally_found(SampleTally& tally, std::span<const Sample> found, SeriesId series, TimestampMs ts,
                 double expected) {
  ++tally.checked;
  if (found.empty()) {
    if (tally.missing++ == 0) {
      tally.first_missing_series = series;
      tally.first_missing_ts = ts;
      tally.first_missing_value = expected;
    }
    return;
  }
  const bool match = std::any_of(found.begin(), found.end(), [&](const Sample& sample) {
    return same_value(sample.value, expected);
  });
  if (!match && tally.wrong_value++ == 0) {
    tally.first_wrong_series = series;
    tally.first_wrong_ts = ts;
    tally.first_wrong_expected = expected;
    tally.first_wrong_returned = found.front().value;
  }
}

namespace {

// Tallies the samples of a run of a selected series inside the selector's range.
void tally_run(SampleTally& tally, const SampleRun& run, const ReadSelector& selector,
               const ReturnedSamples& returned) {
  if (run.last_ms() < selector.start_ms || run.first_ms > selector.end_ms) return;
  ReturnedCursor cursor(returned.of(run.series));
  for (std::uint32_t i = 0; i < run.count; ++i) {
    const TimestampMs ts = run.timestamp(i);
    if (ts >= selector.start_ms && ts <= selector.end_ms) tally_found(tally, cursor.at(ts), run.series, ts, run.value(i));
  }
}

}  // namespace

SampleTally tally_covered_samples(const Write& write, const ReadSelector& selector,
                                  const ReturnedSamples& returned) {
  SampleTally tally;
  for (const auto& run : write.samples) {
    if (selector.selects(run.series)) tally_run(tally, run, selector, returned);  // once per run, not per sample
  }
  return tally;
}

AckedRuns::AckedRuns(const History& history, const std::function<bool(const Read&)>& indexed)
    : acked_(acked_by_completion(history)) {
  for (const Read& read : history.reads()) {
    if (!indexed(read)) continue;
    for (SeriesId id : read.selector.series) runs_by_series_.try_emplace(id);
  }
  for (std::size_t rank = 0; rank < acked_.size(); ++rank) {
    const std::vector<SampleRun>& runs = acked_[rank]->samples;
    for (std::size_t run = 0; run < runs.size(); ++run) {
      const auto it = runs_by_series_.find(runs[run].series);
      if (it != runs_by_series_.end()) {
        it->second.push_back(RunRef{static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(run)});
      }
    }
  }
}

void AckedRuns::tally_covered_before(SimTime at, const ReadSelector& selector, const ReturnedSamples& returned,
                                     const std::function<void(const Write&, const SampleTally&)>& visit) const {
  const auto before = static_cast<std::uint32_t>(acked_before(acked_, at).size());
  // The selected series' runs in writes acked before `at`, in (write, run)
  // order: the order tally_covered_samples walks each write's runs in.
  std::vector<RunRef> refs;
  for (SeriesId id : selector.series) {
    const auto it = runs_by_series_.find(id);
    if (it == runs_by_series_.end()) continue;
    for (const RunRef& ref : it->second) {
      if (ref.rank >= before) break;
      refs.push_back(ref);
    }
  }
  std::sort(refs.begin(), refs.end(), [](const RunRef& a, const RunRef& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.run_index < b.run_index;
  });
  for (std::size_t i = 0; i < refs.size();) {
    const Write& write = *acked_[refs[i].rank];
    SampleTally tally;
    for (; i < refs.size() && &write == acked_[refs[i].rank]; ++i) {
      tally_run(tally, write.samples[refs[i].run_index], selector, returned);
    }
    visit(write, tally);
  }
}

std::vector<const Write*> acked_by_completion(const History& history) {
  std::vector<const Write*> acked;
  for (const auto& write : history.writes()) {
    if (write.acked()) acked.push_back(&write);
  }
  std::sort(acked.begin(), acked.end(), [](const Write* a, const Write* b) {
    return a->completed_at != b->completed_at ? a->completed_at < b->completed_at : a->id < b->id;
  });
  return acked;
}

std::span<const Write* const> acked_before(const std::vector<const Write*>& acked, SimTime at) {
  const auto end = std::partition_point(acked.begin(), acked.end(),
                                        [at](const Write* w) { return *w->completed_at < at; });
  return {acked.begin(), end};
}

}  // namespace weir::properties::detail
