// `weir compare`: the same seeds against two scenarios, side by side.
#include <cstdio>

#include <fmt/format.h>

#include "commands.h"
#include "resolve.h"
#include "weir/scenarios/compare.h"

namespace weir::cli {
namespace {

scenarios::CompareSide side_of(const Resolved& scenario) {
  return {scenario.name, scenario.run, scenario.source, scenario.overrides};
}

}  // namespace

int compare(const CompareCommand& command) {
  if (command.scenarios.size() != 2) {
    fmt::print(stderr, "weir: compare needs exactly two --scenario (A then B), got {} (see weir compare --help)\n",
               command.scenarios.size());
    return scenarios::exit_code::bad_usage;
  }
  const auto seeds = scenarios::parse_seed_range(command.seeds);
  if (!seeds) {
    fmt::print(stderr, "weir: --seeds '{}' is not a range A:B with A < B\n", command.seeds);
    return scenarios::exit_code::bad_usage;
  }
  auto resolved_a = resolve(command.scenarios[0], command.overrides_a);
  if (const int* code = std::get_if<int>(&resolved_a)) return *code;
  auto resolved_b = resolve(command.scenarios[1], command.overrides_b);
  if (const int* code = std::get_if<int>(&resolved_b)) return *code;
  const scenarios::SweepOptions options{*seeds, {}, command.jobs, command.recheck_ratio};
  // In text, every failing seed as a sweep prints it (with the line that
  // reproduces it) as it comes, then the table.
  auto print_failure = [&](const std::string& side, const scenarios::RunResult& r) {
    if (command.json || r.exit_code() == scenarios::exit_code::ok) return;
    fmt::print("[{}] {}", side, scenarios::to_text(r));
    std::fflush(stdout);
  };
  const scenarios::CompareReport report = scenarios::run_compare(
      side_of(std::get<Resolved>(resolved_a)), side_of(std::get<Resolved>(resolved_b)), options, print_failure);
  print_report(report, command.json);
  return report.exit_code();
}

}  // namespace weir::cli
