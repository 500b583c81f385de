#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "weir/sim/errors.h"
#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

namespace {

// A process that counts ticks in volatile memory and logs them on disk.
struct Ticker : Process {
  Ticker(Simulation& sim, NodeId id, std::vector<std::string>& events) : log(events) {
    log.push_back("boot");
    sim.spawn(id, [this, &sim, id] {
      struct Guard {
        std::vector<std::string>& log;
        ~Guard() { log.push_back("unwound"); }
      } guard{this->log};
      for (;;) {
        sim.sleep(1_s);
        ++ticks;
        sim.node(id).disk().append("ticks", "x");
        if (ticks % 2 == 0) sim.node(id).disk().fsync("ticks");
      }
    });
  }
  ~Ticker() override { log.push_back("process destroyed"); }
  std::vector<std::string>& log;
  int ticks = 0;
};

NodeId add_ticker(Simulation& sim, std::vector<std::string>& log) {
  return sim.add_node({"ticker", "zone-a",
                       [&log](Simulation& s, NodeId id) { return std::make_unique<Ticker>(s, id, log); }, {}});
}

}  // namespace

TEST_CASE("a crash unwinds the node's fibers before destroying its process", "[node]") {
  std::vector<std::string> log;  // outlives the simulation, whose teardown unwinds into it
  Simulation sim({});
  const NodeId id = add_ticker(sim, log);
  sim.start(id);
  sim.run_until(Time::zero() + 3500_ms);
  CHECK(sim.node(id).process_as<Ticker>().ticks == 3);
  sim.crash(id);
  CHECK(log == std::vector<std::string>{"boot", "unwound", "process destroyed"});
  CHECK_FALSE(sim.node(id).up());
  CHECK(sim.node(id).process() == nullptr);
  CHECK(sim.live_fibers() == 0);
}

TEST_CASE("a restart boots again on what the disk kept", "[node]") {
  std::vector<std::string> log;  // outlives the simulation, whose teardown unwinds into it
  Simulation sim({});
  const NodeId id = add_ticker(sim, log);
  sim.start(id);
  sim.run_until(Time::zero() + 3500_ms);  // 3 appends, 2 of them synced
  sim.restart(id);
  CHECK(sim.node(id).disk().size("ticks") == 2);
  CHECK(sim.node(id).process_as<Ticker>().ticks == 0);  // volatile state is new
  CHECK(sim.node(id).incarnation() == 1);
  sim.run_until(Time::zero() + 5600_ms);
  CHECK(sim.node(id).process_as<Ticker>().ticks == 2);
  CHECK(log.front() == "boot");
  CHECK(log.back() == "boot");
}

TEST_CASE("callbacks owned by a crashed node are dropped", "[node]") {
  Simulation sim({});
  const NodeId id = sim.add_node({"n", "z", nullptr, {}});
  sim.start(id);
  static constexpr TraceKind kTimer{"test.timer"};
  int fired = 0;
  sim.schedule(Time::zero() + 1_s, id, kTimer, 0, [&] { ++fired; });
  sim.schedule(Time::zero() + 1_s, kNoNode, kTimer, 0, [&] { ++fired; });
  sim.crash(id);
  sim.start(id);
  sim.run();
  CHECK(fired == 1);
}

TEST_CASE("a fiber may crash its own node: the crash happens as the next event", "[node]") {
  Simulation sim({});
  const NodeId id = sim.add_node({"n", "z", nullptr, {}});
  sim.start(id);
  bool after_crash_call = false;
  sim.spawn(id, [&] {
    sim.crash(id);
    after_crash_call = true;
  });
  sim.run();
  CHECK_FALSE(sim.node(id).up());
  CHECK_FALSE(after_crash_call);
  CHECK(sim.live_fibers() == 0);
}

TEST_CASE("a fiber that swallows its unwind is reported", "[node]") {
  Simulation sim({});
  const NodeId id = sim.add_node({"n", "z", nullptr, {}});
  sim.start(id);
  sim.spawn(id, [&] {
    for (;;) {
      try {
        sim.sleep(1_s);
      } catch (...) {  // the bug this test is about
      }
    }
  });
  sim.run_until(Time::zero() + 2_s);
  sim.crash(id);
  CHECK_THROWS_WITH(sim.step(), Catch::Contains("swallowed its unwind"));
}

TEST_CASE("spawning on a node that is down is an error", "[node]") {
  Simulation sim({});
  const NodeId id = sim.add_node({"n", "z", nullptr, {}});
  CHECK_THROWS_AS(sim.spawn(id, [] {}), SimulatorError);
}
