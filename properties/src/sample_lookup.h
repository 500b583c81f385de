// Private: indexes that let checkers find samples quickly.
//
// Contract:
// - ReturnedSamples: the samples some successful reads returned, per series,
//   sorted by timestamp (ties keep read order); `at(series, ts)` lists every
//   value returned for that (series, ts).
// - SentSamples: the sample runs of a set of writes, per series, answering
//   "which runs hold (series, ts)" by interval stabbing (sorted by first
//   timestamp, with a running maximum of last timestamps).
// - AckedRuns: the acked writes in completion order and, for the series some
//   read selects, the runs of those writes that hold them, so a read is
//   judged against the runs of the series it selected, not every run of
//   every write acked before it (which grows with the square of the run).
// - same_value compares doubles bit for bit (NaN stale markers included).
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "weir/properties/history.h"

namespace weir::properties::detail {

inline bool same_value(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

class ReturnedSamples {
 public:
  explicit ReturnedSamples(std::span<const Read* const> reads);
  std::span<const Sample> at(SeriesId series, TimestampMs ts) const;
  bool has(SeriesId series, TimestampMs ts, double value) const;
  // Everything returned for `series`, sorted by timestamp.
  std::span<const Sample> of(SeriesId series) const;

 private:
  // Only looked up, never iterated, so hash order cannot leak into results.
  std::unordered_map<SeriesId, std::vector<Sample>> by_series_;
};

// Answers at(ts) over one series' returned samples for timestamps that never
// decrease (a sample run's), searching on from the last answer: a run costs
// one lookup of its series, not one per sample.
class ReturnedCursor {
 public:
  explicit ReturnedCursor(std::span<const Sample> samples) : rest_(samples) {}
  std::span<const Sample> at(TimestampMs ts);

 private:
  std::span<const Sample> rest_;  // the samples at or after the last ts asked
};

struct SentRun {
  const Write* write = nullptr;
  const SampleRun* run = nullptr;
};

class SentSamples {
 public:
  // Indexes the runs of every write for which `include(write)` holds.
  SentSamples(const std::vector<Write>& writes, const std::function<bool(const Write&)>& include);
  // Calls visit(sent_run, index_in_run) for every run holding (series, ts), in write order.
  void for_each_at(SeriesId series, TimestampMs ts,
                   const std::function<void(const SentRun&, std::uint32_t)>& visit) const;

 private:
  struct Entry {
    TimestampMs first = 0;
    TimestampMs max_last = 0;  // max of last_ms over this entry and all before it
    SentRun sent;
  };
  std::unordered_map<SeriesId, std::vector<Entry>> by_series_;  // looked up only, like ReturnedSamples'

};

// Counts of a sample set compared with what reads returned, with a first example.
struct SampleTally {
  std::size_t checked = 0;
  std::size_t missing = 0;
  std::size_t wrong_value = 0;
  SeriesId first_missing_series = 0;
  TimestampMs first_missing_ts = 0;
  double first_missing_value = 0;
  SeriesId first_wrong_series = 0;
  TimestampMs first_wrong_ts = 0;
  double first_wrong_expected = 0;
  double first_wrong_returned = 0;
};

// Classifies one expected sample, given what was returned at (series, ts).
void tally_found(SampleTally& tally, std::span<const Sample> found, SeriesId series, TimestampMs ts,
                 double expected);

// Tallies the samples of `write` that `selector` covers against `returned`
// (uncovered samples are not counted).
SampleTally tally_covered_samples(const Write& write, const ReadSelector& selector,
                                  const ReturnedSamples& returned);

// Acked writes sorted by (completion time, id).
std::vector<const Write*> acked_by_completion(const History& history);

// The acked writes completed strictly before `at`: a prefix of acked_by_completion.
std::span<const Write* const> acked_before(const std::vector<const Write*>& acked, SimTime at);

class AckedRuns {
 public:
  // Indexes the acked writes of `history`, and their runs of the series that
  // the reads `indexed(read)` holds for select. The history must outlive this.
  AckedRuns(const History& history, const std::function<bool(const Read&)>& indexed);

  // For each write acked strictly before `at` that holds a series `selector`
  // selects, oldest first: visit(write, its tally of the samples `selector`
  // covers against `returned`), the same tally as tally_covered_samples.
  // Writes holding none of the series are skipped (their tally is empty).
  // `selector` must be the selector of a read this index was built for.
  void tally_covered_before(SimTime at, const ReadSelector& selector, const ReturnedSamples& returned,
                            const std::function<void(const Write&, const SampleTally&)>& visit) const;

 private:
  struct RunRef {
    std::uint32_t rank = 0;       // the write's place in completion order
    std::uint32_t run_index = 0;  // the run's place in its write
  };

  std::vector<const Write*> acked_;
  std::unordered_map<SeriesId, std::vector<RunRef>> runs_by_series_;  // looked up only; refs in (rank, run) order
};

}  // namespace weir::properties::detail
