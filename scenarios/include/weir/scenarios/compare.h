// Compare: design validation. The same seeds run against two scenarios (two
// designs, or one scenario with and without a change: fewer ingester zones,
// a diskless log, a shorter strong-read timeout) and are reported side by
// side: verdicts, failures by property, each measure (measures.h) across
// seeds, and the seeds whose verdict differs between the two.
//
// compare_results is the pure part (tested on hand-made results);
// run_compare runs both sides through run_sweep (worker processes, crash
// isolation, determinism rechecks) and aggregates. Plain values throughout.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weir/scenarios/run_result.h"
#include "weir/scenarios/sweep.h"

namespace weir::scenarios {

// One side of a comparison.
struct CompareSide {
  std::string name;  // the scenario's name, as its results report it
  RunSeed run;
  // How the scenario was given on the command line (a built-in's name or a
  // spec file, and --set overrides), for the reproduction lines.
  std::string source;
  std::vector<std::string> overrides;
};

// One measure across the seeds that reported it.
struct MeasureStats {
  std::uint64_t seeds = 0;
  double mean = 0;
  double median = 0;  // nearest rank: the lower middle value for an even count
  double max = 0;
};

struct CompareSideReport {
  std::string name;
  std::string source;
  std::vector<std::string> overrides;
  // Seeds run and failed, failures by property, the worst exit code.
  SweepSummary summary;
  std::map<std::string, MeasureStats> measures;
};

// One seed's verdict on one side.
struct SeedVerdict {
  int exit_code = 0;
  std::vector<std::string> properties;  // violated, sorted, unique; "simulator"/"determinism" too
  std::string reproduce;                // the `weir run` line of this seed on this side

  // "PASS", "FAIL (safety: no_lost_acked_samples)", "FAIL (simulator)"...
  std::string text() const;
  bool operator==(const SeedVerdict& other) const {
    return exit_code == other.exit_code && properties == other.properties;
  }
};

// A seed whose exit code or violated properties differ between A and B.
struct VerdictDifference {
  std::uint64_t seed = 0;
  SeedVerdict a;
  SeedVerdict b;
};

struct CompareReport {
  SeedRange seeds;  // as asked (compare_results leaves it empty)
  CompareSideReport a;
  CompareSideReport b;
  std::vector<VerdictDifference> differences;  // by seed

  // The worse of the two sides' exit codes (as a sweep ranks them).
  int exit_code() const;
  // Every measure either side reported, in name order.
  std::vector<std::string> measure_names() const;
  // B's mean over A's mean; nothing when a side lacks the measure or A's mean is 0.
  std::optional<double> ratio(const std::string& measure) const;
};

// The report of two sides' results. Results pair by seed; a seed only one
// side ran counts on that side but is not compared. Each side's name,
// source and overrides come from its first result.
CompareReport compare_results(const std::vector<RunResult>& a, const std::vector<RunResult>& b);

// Runs `a` then `b` over `options`' seeds with run_sweep and compares them.
// `on_result` (may be empty) sees each result as it comes, with its side
// ("A" or "B"), its source and overrides set.
CompareReport run_compare(const CompareSide& a, const CompareSide& b, const SweepOptions& options,
                          const std::function<void(const std::string& side, const RunResult&)>& on_result = {});

// A readable side-by-side table: verdicts, measures with B/A, differing seeds.
std::string to_text(const CompareReport& report);
// One JSON object (one line): "a" and "b" (name, source, overrides,
// seeds_run, seeds_failed, failures_by_property, exit_code, measures of
// {seeds, mean, median, max}), "ratios" (B/A of the means, null when
// undefined), "differences" ({seed, a, b} with exit_code, verdict,
// properties, reproduce), "seeds" ("A:B") and "exit_code".
std::string to_json(const CompareReport& report);

}  // namespace weir::scenarios
