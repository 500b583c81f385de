#include "resolve.h"

#include <filesystem>

#include <fmt/format.h>

#include "weir/scenarios/builtin.h"
#include "weir/scenarios/builtin_specs.h"
#include "weir/scenarios/pipeline.h"

namespace weir::cli {
namespace {

bool names_a_file(const std::string& scenario) {
  return scenario.find('/') != std::string::npos || scenario.ends_with(".textproto") ||
         scenario.ends_with(".txtpb") || std::filesystem::exists(scenario);
}

}  // namespace

std::variant<Resolved, int> resolve(const std::string& scenario, const std::vector<std::string>& overrides) {
  const scenarios::BuiltinScenario* builtin = scenarios::find_builtin(scenario);
  if (builtin != nullptr && scenarios::find_builtin_spec(scenario) == nullptr) {
    if (!overrides.empty()) {
      fmt::print(stderr, "weir: --set {}: scenario '{}' has no spec to set fields of\n", overrides.front(), scenario);
      return scenarios::exit_code::bad_usage;
    }
    return Resolved{builtin->name, builtin->run, builtin->name, {}, nullptr};
  }
  if (builtin == nullptr && !names_a_file(scenario)) {
    fmt::print(stderr, "weir: unknown scenario '{}' (`weir scenarios` lists the built-ins)\n", scenario);
    return scenarios::exit_code::bad_usage;
  }
  auto loaded = std::make_shared<scenarios::ScenarioLoader>();
  scenarios::ScenarioLoader& loader = *loaded;
  if (auto error = loader.load(scenario)) {
    fmt::print(stderr, "weir: {}\n", *error);
    return scenarios::exit_code::bad_input;
  }
  for (const auto& assignment : overrides) {
    if (auto error = loader.set(assignment)) {
      fmt::print(stderr, "weir: {}\n", *error);
      return scenarios::exit_code::bad_usage;
    }
  }
  scenarios::PipelineOptions options = loader.options().pipeline;
  std::string name = options.name;
  return Resolved{std::move(name),
                  [options = std::move(options)](std::uint64_t seed) { return scenarios::run_pipeline(options, seed); },
                  scenario, overrides, std::move(loaded)};
}

scenarios::RunResult with_source(scenarios::RunResult result, const Resolved& scenario) {
  result.scenario_source = scenario.source;
  result.overrides = scenario.overrides;
  return result;
}

}  // namespace weir::cli
