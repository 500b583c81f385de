// WEIR_ASSERT: a broken invariant stops the run at its cause, naming where
// (file and line), what (condition and message), when (simulated time) and
// on which node.
#include <catch2/catch.hpp>

#include <string>

#include "weir/sim/assert.h"
#include "weir/sim/errors.h"
#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a failed assertion throws an invariant error naming its place, condition and message", "[sim][assert]") {
  const int offset = 7;
  try {
    WEIR_ASSERT(offset < 5, "offset {} past the end {}", offset, 5);
    FAIL("the assertion should have thrown");
  } catch (const InvariantError& e) {
    const std::string what = e.what();
    CHECK(contains(what, "invariant failed at assert_test.cpp:"));
    CHECK(contains(what, "offset 7 past the end 5"));
    CHECK(contains(what, "(offset < 5)"));
  }
}

TEST_CASE("a holding assertion does not format its message", "[sim][assert]") {
  int formatted = 0;
  const auto counted = [&] { return ++formatted; };
  WEIR_ASSERT(1 + 1 == 2, "never shown {}", counted());
  CHECK(formatted == 0);
}

TEST_CASE("an assertion failing in a fiber ends the run with the node and the simulated time", "[sim][assert]") {
  Simulation sim({.seed = 3});
  const NodeId node = sim.add_node({"ingester-zone-a-0", "zone-a", nullptr, {}});
  sim.start(node);
  bool later_ran = false;
  sim.spawn(node, [&] {
    sim.sleep(1500_ms);
    WEIR_ASSERT(later_ran, "commit of offset {} past the last consumed {}", 12, 9);
  });
  sim.spawn(node, [&] {
    sim.sleep(2_s);
    later_ran = true;
  });
  try {
    sim.run();
    FAIL("run() should have thrown");
  } catch (const SimulatorError& e) {
    const std::string what = e.what();
    CHECK(contains(what, "on node ingester-zone-a-0"));
    CHECK(contains(what, "at t=1.500000s"));
    CHECK(contains(what, "commit of offset 12 past the last consumed 9"));
  }
  CHECK_FALSE(later_ran);
}
