// Resolving a command line's scenario: --scenario NAME|FILE and its --set
// overrides, as something that runs a seed. Shared by the commands that run
// scenarios (run, sweep, compare); internal to the weir executable.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "weir/scenarios/run_result.h"
#include "weir/scenarios/scenario_spec.h"
#include "weir/scenarios/sweep.h"

namespace weir::cli {

// A scenario ready to run: its name, how to run a seed, and how it was given.
struct Resolved {
  std::string name;
  scenarios::RunSeed run;
  std::string source;
  std::vector<std::string> overrides;
  std::shared_ptr<const scenarios::ScenarioLoader> loader;  // null: a built-in without a spec
};

// The scenario of --scenario and --set, or the exit code of a one-line error
// already printed on stderr: 64 for an unknown name or a bad --set, 65 for a
// spec that does not load.
std::variant<Resolved, int> resolve(const std::string& scenario, const std::vector<std::string>& overrides);

// Names how the run was given, for its reproduction line.
scenarios::RunResult with_source(scenarios::RunResult result, const Resolved& scenario);

// Prints a result or report (anything with scenarios::to_json and to_text)
// as one JSON line or as text, and flushes, so output keeps its order with
// a sweep's worker processes.
template <typename Report>
void print_report(const Report& report, bool json) {
  if (json) {
    fmt::print("{}\n", to_json(report));  // found by argument-dependent lookup
  } else {
    fmt::print("{}", to_text(report));
  }
  std::fflush(stdout);
}

}  // namespace weir::cli
