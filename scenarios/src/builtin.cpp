#include "weir/scenarios/builtin.h"

#include <algorithm>

#include "weir/scenarios/rpc_chaos.h"

namespace weir::scenarios {

const std::vector<BuiltinScenario>& builtin_scenarios() {
  static const std::vector<BuiltinScenario> scenarios = [] {
    std::vector<BuiltinScenario> list = {
        {"rpc-chaos", "durable key-value stores in 3 zones under crashes and partitions (runtime self-test)",
         [](std::uint64_t seed) { return run_rpc_chaos(RpcChaosOptions{}, seed); }},
    };
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
