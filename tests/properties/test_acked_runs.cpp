// AckedRuns: a read's tallies from the per-series index equal those of
// walking every write acked before it (tally_covered_samples), write by
// write in completion order, on random histories: writes with several runs of
// one series, runs partly inside the read's range, reads that miss samples
// or return other values.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "history_builders.h"
#include "sample_lookup.h"

namespace props = weir::properties;
using props::History;
using props::ReadConsistency;
using props::SampleRun;
using props::SeriesId;
using props::testing::secs;
using namespace props::detail;

namespace {

struct Tallied {
  props::WriteId write = 0;
  std::size_t checked = 0;
  std::size_t missing = 0;
  std::size_t wrong_value = 0;
  SeriesId first_missing_series = 0;
  props::TimestampMs first_missing_ts = 0;
  SeriesId first_wrong_series = 0;
  props::TimestampMs first_wrong_ts = 0;
  bool operator==(const Tallied&) const = default;
};

Tallied tallied(const props::Write& write, const SampleTally& t) {
  return Tallied{write.id,  t.checked, t.missing, t.wrong_value, t.first_missing_series, t.first_missing_ts,
                 t.first_wrong_series, t.first_wrong_ts};
}

History random_history() {
  History history;
  const int writes = *rc::gen::inRange(1, 30);
  for (int w = 0; w < writes; ++w) {
    std::vector<SampleRun> runs;
    const int run_count = *rc::gen::inRange(1, 6);
    for (int r = 0; r < run_count; ++r) {
      const auto series = static_cast<SeriesId>(*rc::gen::inRange(1, 6));  // few series: repeats in a write
      runs.push_back(props::make_run(series, *rc::gen::inRange(0, 200), *rc::gen::inRange(1, 20),
                                     static_cast<std::uint32_t>(*rc::gen::inRange(1, 8))));
    }
    const auto invoked = secs(*rc::gen::inRange(0, 100));
    const auto acked = invoked + secs(*rc::gen::inRange(0, 20));
    if (*rc::gen::inRange(0, 5) == 0) {
      props::testing::add_write(history, invoked, acked, props::WriteOutcome::failed, std::move(runs));
    } else {
      props::testing::add_acked_write(history, invoked, acked, std::move(runs));
    }
  }
  const int reads = *rc::gen::inRange(1, 6);
  for (int r = 0; r < reads; ++r) {
    std::vector<SeriesId> selected = *rc::gen::container<std::vector<SeriesId>>(rc::gen::inRange<SeriesId>(1, 7));
    const auto start = *rc::gen::inRange(0, 150);
    const auto selector = props::testing::select(selected, start, start + *rc::gen::inRange(0, 200));
    // What every write returned, less some samples, some values changed.
    std::vector<SampleRun> all;
    for (const auto& write : history.writes()) all.insert(all.end(), write.samples.begin(), write.samples.end());
    std::vector<props::SeriesResult> result = props::testing::results_of(all);
    for (auto& series : result) {
      std::erase_if(series.samples, [](const props::Sample&) { return *rc::gen::inRange(0, 4) == 0; });
      for (auto& sample : series.samples) {
        if (*rc::gen::inRange(0, 8) == 0) sample.value += 1;
      }
    }
    props::testing::add_read(history, ReadConsistency::strong, selector, secs(*rc::gen::inRange(0, 130)),
                             secs(140), "zone-a", std::move(result));
  }
  return history;
}

}  // namespace

TEST_CASE("acked runs: a read's tallies equal walking every write acked before it", "[properties][acked_runs]") {
  CHECK(rc::check("same tallies, same order", [] {
    const History history = random_history();
    const AckedRuns index(history, [](const props::Read&) { return true; });
    const auto acked = acked_by_completion(history);
    for (const auto& read : history.reads()) {
      const props::Read* reads[] = {&read};
      const ReturnedSamples returned(reads);
      std::vector<Tallied> walked;
      for (const props::Write* write : acked_before(acked, read.invoked_at)) {
        const SampleTally t = tally_covered_samples(*write, read.selector, returned);
        const bool holds_selected = std::any_of(write->samples.begin(), write->samples.end(),
                                                [&](const SampleRun& run) { return read.selector.selects(run.series); });
        if (holds_selected) walked.push_back(tallied(*write, t));
      }
      std::vector<Tallied> indexed;
      index.tally_covered_before(read.invoked_at, read.selector, returned,
                                 [&](const props::Write& write, const SampleTally& t) {
                                   indexed.push_back(tallied(write, t));
                                 });
      RC_ASSERT(indexed == walked);
    }
  }));
}
