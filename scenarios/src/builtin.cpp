#include "weir/scenarios/builtin.h"

#include <algorithm>

#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/rpc_chaos.h"

namespace weir::scenarios {

namespace {

PipelineOptions baseline(LogFlavour flavour) {
  PipelineOptions o;
  o.name = std::string("baseline-") + to_string(flavour);
  o.log.flavour = flavour;
  return o;
}

}  // namespace

const std::vector<BuiltinScenario>& builtin_scenarios() {
  static const std::vector<BuiltinScenario> scenarios = [] {
    std::vector<BuiltinScenario> list = {
        {"baseline-classic", "the ingest pipeline on a classic Kafka (RF=3), 16 partitions, 2 ingester zones, no faults",
         [](std::uint64_t seed) { return run_pipeline(baseline(LogFlavour::classic), seed); }},
        {"baseline-diskless", "the ingest pipeline on a diskless Kafka over object storage, no faults",
         [](std::uint64_t seed) { return run_pipeline(baseline(LogFlavour::diskless), seed); }},
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
