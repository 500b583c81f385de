#include "weir/scenarios/builtin.h"

#include <algorithm>

#include <stdexcept>

#include "weir/scenarios/builtin_specs.h"
#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/rpc_chaos.h"
#include "weir/scenarios/scenario_spec.h"

namespace weir::scenarios {

const std::vector<BuiltinScenario>& builtin_scenarios() {
  static const std::vector<BuiltinScenario> scenarios = [] {
    std::vector<BuiltinScenario> list = {
        {"rpc-chaos", "durable key-value stores in 3 zones under crashes and partitions (runtime self-test)",
         [](std::uint64_t seed) { return run_rpc_chaos(RpcChaosOptions{}, seed); }},
    };
    for (const BuiltinSpecText& spec : builtin_spec_texts()) {
      ScenarioLoader loader;
      // The built-in specs are part of the binary: one that does not load
      // is a build defect, caught by the tests that load every built-in.
      if (auto error = loader.parse(spec.text, spec.name)) throw std::logic_error(*error);
      LoadedScenario loaded = loader.options();
      list.push_back({std::string(spec.name), loaded.description,
                      [pipeline = std::move(loaded.pipeline)](std::uint64_t seed) { return run_pipeline(pipeline, seed); }});
    }
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return list;
  }();
  return scenarios;
}

const BuiltinScenario* find_builtin(std::string_view name) {
  for (const auto& s : builtin_scenarios()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace weir::scenarios
