// A model that breaks one of its invariants mid-run (here a fiber on an
// ingester's node, as broken model code would run there) ends the run as a
// simulator failure: exit 3, the node and simulated time in the error, and
// the line that reproduces the seed.
#include <catch2/catch.hpp>

#include <string>

#include "weir/scenarios/pipeline_world.h"
#include "weir/scenarios/scenario.h"
#include "weir/sim/assert.h"
#include "weir/sim/simulation.h"

using namespace weir;
using namespace weir::sim::literals;

TEST_CASE("a broken invariant ends the run with exit 3 and the seed's reproduction line", "[scenario][assert]") {
  const scenarios::Scenario scenario = scenarios::Scenario::builtin("baseline-classic");
  scenarios::RunHooks hooks;
  hooks.on_start = [](sim::Simulation& sim, scenarios::PipelineWorld& world) {
    sim.spawn(world.ingesters().front(), [&sim] {
      sim.sleep(2_s);
      const std::int64_t consumed = 4;
      const std::int64_t committed = 9;  // the deliberate defect
      WEIR_ASSERT(committed <= consumed, "commit of offset {} past the last consumed {}", committed, consumed);
    });
  };
  const scenarios::RunResult result = scenario.run(11, hooks);
  CHECK(result.exit_code() == 3);
  CHECK(result.simulator_error.find("commit of offset 9 past the last consumed 4") != std::string::npos);
  CHECK(result.simulator_error.find("at t=2.000000s") != std::string::npos);
  CHECK(result.simulator_error.find("on node ingester") != std::string::npos);
  CHECK(scenarios::to_text(result).find("weir run --scenario baseline-classic --seed 11") != std::string::npos);
}

TEST_CASE("the same run without the defect passes", "[scenario][assert]") {
  const scenarios::RunResult result = scenarios::Scenario::builtin("baseline-classic").run(11);
  CHECK(result.exit_code() == 0);
  CHECK(result.simulator_error.empty());
}
