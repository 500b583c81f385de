// The built-in scenarios, by name: what `weir scenarios` lists and
// `weir run --scenario NAME` runs: rpc-chaos, and every spec of
// scenarios/builtin/ (see builtin_specs.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/scenarios/run_result.h"

namespace weir::scenarios {

struct BuiltinScenario {
  std::string name;
  std::string description;
  std::function<RunResult(std::uint64_t seed)> run;
};

// In name order.
const std::vector<BuiltinScenario>& builtin_scenarios();
// nullptr when no built-in has this name.
const BuiltinScenario* find_builtin(std::string_view name);

}  // namespace weir::scenarios
