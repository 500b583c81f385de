// `weir shrink`: a failing seed's fault schedule cut down to the faults that
// matter, with the line that reproduces it.
#include <cstdio>

#include <fmt/format.h>

#include "commands.h"
#include "resolve.h"
#include "weir/scenarios/shrink.h"

namespace weir::cli {

int shrink(const ShrinkCommand& command) {
  const scenarios::ShrinkOptions options{command.runs_max};
  if (auto error = options.validate()) {
    fmt::print(stderr, "weir: --runs-max {}: {}\n", command.runs_max, *error);
    return scenarios::exit_code::bad_usage;
  }
  auto resolved = resolve(command.scenario, command.overrides);
  if (const int* code = std::get_if<int>(&resolved)) return *code;
  const Resolved& scenario = std::get<Resolved>(resolved);
  if (scenario.loader == nullptr) {
    fmt::print(stderr, "weir: shrink: scenario '{}' has no spec whose faults could be shrunk\n", command.scenario);
    return scenarios::exit_code::bad_usage;
  }
  const scenarios::ShrinkReport report = scenarios::shrink_failure(*scenario.loader, command.seed, options);
  print_report(report, command.json);
  return report.exit_code();
}

}  // namespace weir::cli
