#include "weir/scenarios/compare.h"

#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "weir/scenarios/measures.h"

namespace weir::scenarios {
namespace {

SeedVerdict verdict_of(const RunResult& r) {
  std::set<std::string> properties;
  for (const auto& v : r.violations) properties.insert(v.property);
  if (!r.simulator_error.empty()) properties.insert("simulator");
  if (!r.nondeterminism.empty()) properties.insert("determinism");
  return {r.exit_code(), {properties.begin(), properties.end()}, r.reproduce_command()};
}

MeasureStats stats_of(const std::vector<double>& values) {
  MeasureStats s;
  s.seeds = values.size();
  double sum = 0;
  for (double v : values) sum += v;  // in seed order: the same sum every time
  s.mean = sum / static_cast<double>(values.size());
  s.median = nearest_rank_percentile(values, 50);
  s.max = *std::max_element(values.begin(), values.end());
  return s;
}

CompareSideReport side_of(const std::vector<RunResult>& results) {
  CompareSideReport side;
  if (!results.empty()) {
    side.name = results.front().scenario;
    side.source = results.front().scenario_source;
    side.overrides = results.front().overrides;
  }
  std::map<std::string, std::vector<double>> values;
  for (const auto& r : results) {
    tally(side.summary, r);
    for (const auto& [name, value] : r.measures) values[name].push_back(value);
  }
  for (const auto& [name, list] : values) side.measures[name] = stats_of(list);
  return side;
}

std::vector<VerdictDifference> differences_of(const std::vector<RunResult>& a, const std::vector<RunResult>& b) {
  std::map<std::uint64_t, SeedVerdict> verdicts_a;
  for (const auto& r : a) verdicts_a[r.seed] = verdict_of(r);
  std::map<std::uint64_t, VerdictDifference> differences;  // by seed
  for (const auto& r : b) {
    const auto it = verdicts_a.find(r.seed);
    if (it == verdicts_a.end()) continue;
    SeedVerdict verdict_b = verdict_of(r);
    if (it->second == verdict_b) continue;
    differences[r.seed] = {r.seed, it->second, std::move(verdict_b)};
  }
  std::vector<VerdictDifference> out;
  for (auto& [seed, difference] : differences) out.push_back(std::move(difference));
  return out;
}

// What only the sweep knows (its timing, its rechecks), and the side as
// given even when it ran no seed.
void finish_side(CompareSideReport& report, const CompareSide& side, const SweepSummary& sweep) {
  report.name = side.name;
  report.source = side.source;
  report.overrides = side.overrides;
  report.summary.wall_seconds = sweep.wall_seconds;
  report.summary.seeds_per_minute = sweep.seeds_per_minute;
  report.summary.seeds_rechecked = sweep.seeds_rechecked;
}

}  // namespace

std::string SeedVerdict::text() const {
  static constexpr const char* kKinds[] = {"pass", "safety", "liveness", "simulator"};
  if (exit_code == exit_code::ok) return "PASS";
  const std::string kind = exit_code >= 1 && exit_code <= 3 ? kKinds[exit_code] : "unknown";
  std::vector<std::string> named;  // "simulator" says it already
  std::copy_if(properties.begin(), properties.end(), std::back_inserter(named),
               [&](const std::string& property) { return property != kind; });
  if (named.empty()) return fmt::format("FAIL ({})", kind);
  return fmt::format("FAIL ({}: {})", kind, fmt::join(named, ", "));
}

int CompareReport::exit_code() const { return worse_exit_code(a.summary.exit_code, b.summary.exit_code); }

std::vector<std::string> CompareReport::measure_names() const {
  std::set<std::string> names;
  for (const auto& [name, stats] : a.measures) names.insert(name);
  for (const auto& [name, stats] : b.measures) names.insert(name);
  return {names.begin(), names.end()};
}

std::optional<double> CompareReport::ratio(const std::string& measure) const {
  const auto in_a = a.measures.find(measure);
  const auto in_b = b.measures.find(measure);
  if (in_a == a.measures.end() || in_b == b.measures.end() || in_a->second.mean == 0) return std::nullopt;
  return in_b->second.mean / in_a->second.mean;
}

CompareReport compare_results(const std::vector<RunResult>& a, const std::vector<RunResult>& b) {
  CompareReport report;
  report.a = side_of(a);
  report.b = side_of(b);
  report.differences = differences_of(a, b);
  return report;
}

CompareReport run_compare(const CompareSide& a, const CompareSide& b, const SweepOptions& options,
                          const std::function<void(const std::string& side, const RunResult&)>& on_result) {
  auto run_side = [&](const CompareSide& side, const std::string& label, std::vector<RunResult>& results) {
    return run_sweep(side.name, side.run, options, [&](const RunResult& run) {
      RunResult r = run;
      r.scenario_source = side.source;
      r.overrides = side.overrides;
      if (on_result) on_result(label, r);
      results.push_back(std::move(r));
    });
  };
  std::vector<RunResult> results_a;
  std::vector<RunResult> results_b;
  const SweepSummary sweep_a = run_side(a, "A", results_a);
  const SweepSummary sweep_b = run_side(b, "B", results_b);
  CompareReport report = compare_results(results_a, results_b);
  report.seeds = options.seeds;
  finish_side(report.a, a, sweep_a);
  finish_side(report.b, b, sweep_b);
  return report;
}

}  // namespace weir::scenarios
