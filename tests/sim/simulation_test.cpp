#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "weir/sim/errors.h"
#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

TEST_CASE("sleeping fibers wake in time order and the clock follows", "[simulation]") {
  Simulation sim({.seed = 1});
  std::vector<std::pair<int, std::int64_t>> wakes;
  for (int i : {3, 1, 2}) {
    sim.spawn(kNoNode, [&, i] {
      sim.sleep(Duration::milliseconds(i));
      wakes.emplace_back(i, sim.now().ns());
    });
  }
  sim.run();
  REQUIRE(wakes.size() == 3);
  CHECK(wakes[0] == std::make_pair(1, std::int64_t{1'000'000}));
  CHECK(wakes[1] == std::make_pair(2, std::int64_t{2'000'000}));
  CHECK(wakes[2] == std::make_pair(3, std::int64_t{3'000'000}));
  CHECK(sim.live_fibers() == 0);
}

TEST_CASE("same-instant events run in FIFO order unless shuffled", "[simulation]") {
  auto order_of = [](SimulationOptions options) {
    Simulation sim(options);
    std::string order;
    for (char c = 'a'; c <= 'h'; ++c) {
      sim.spawn(kNoNode, [&, c] {
        sim.sleep(5_ms);
        order += c;
      });
    }
    sim.run();
    return order;
  };
  CHECK(order_of({.seed = 1}) == "abcdefgh");
  CHECK(order_of({.seed = 2}) == "abcdefgh");
  const std::string shuffled = order_of({.seed = 1, .shuffle_same_instant = true});
  CHECK(shuffled != "abcdefgh");
  CHECK(order_of({.seed = 1, .shuffle_same_instant = true}) == shuffled);  // and deterministic
}

TEST_CASE("yield lets the other events of the instant run first", "[simulation]") {
  Simulation sim({});
  std::string order;
  sim.spawn(kNoNode, [&] {
    order += "a1";
    sim.yield();
    order += "a2";
  });
  sim.spawn(kNoNode, [&] { order += "b"; });
  sim.run();
  CHECK(order == "a1ba2");
}

TEST_CASE("callbacks run at their time and are traced", "[simulation]") {
  Simulation sim({});
  std::vector<std::int64_t> at;
  static constexpr TraceKind kTick{"test.tick"};
  sim.schedule(Time::zero() + 7_ms, kNoNode, kTick, 1, [&] { at.push_back(sim.now().ns()); });
  sim.schedule(Time::zero() + 2_ms, kNoNode, kTick, 2, [&] { at.push_back(sim.now().ns()); });
  const auto before = sim.trace().events();
  sim.run();
  CHECK(at == std::vector<std::int64_t>{2'000'000, 7'000'000});
  CHECK(sim.trace().events() == before + 2);
}

TEST_CASE("run_until stops at the given time and leaves later events queued", "[simulation]") {
  Simulation sim({});
  int woke = 0;
  sim.spawn(kNoNode, [&] {
    for (;;) {
      sim.sleep(1_s);
      ++woke;
    }
  });
  sim.run_until(Time::zero() + 10_s);
  CHECK(woke == 10);
  CHECK(sim.now() == Time::zero() + 10_s);
  CHECK(sim.pending_events() == 1);
}

TEST_CASE("a livelocked run stops with LivelockError", "[simulation]") {
  SECTION("too many events") {
    Simulation sim({.max_events = 1000});
    sim.spawn(kNoNode, [&] {
      for (;;) sim.yield();  // never advances time
    });
    CHECK_THROWS_AS(sim.run(), LivelockError);
  }
  SECTION("too much simulated time") {
    Simulation sim({.max_sim_time = Duration::seconds(60)});
    sim.spawn(kNoNode, [&] {
      for (;;) sim.sleep(1_s);
    });
    CHECK_THROWS_AS(sim.run(), LivelockError);
    CHECK(sim.now() <= Time::zero() + 61_s);
  }
}

TEST_CASE("an exception in a fiber stops the run as a simulator failure", "[simulation]") {
  Simulation sim({});
  bool later_ran = false;
  sim.spawn(kNoNode, [&] {
    sim.sleep(1_ms);
    throw std::runtime_error("model bug");
  });
  sim.spawn(kNoNode, [&] {
    sim.sleep(1_s);
    later_ran = true;
  });
  try {
    sim.run();
    FAIL("run() should have thrown");
  } catch (const SimulatorError& e) {
    CHECK(std::string(e.what()).find("model bug") != std::string::npos);
  }
  CHECK_FALSE(later_ran);
}

TEST_CASE("blocking outside a fiber is refused", "[simulation]") {
  Simulation sim({});
  CHECK_THROWS_AS(sim.sleep(1_ms), SimulatorError);
}

TEST_CASE("fibers and stacks are reused across many short-lived fibers", "[simulation]") {
  Simulation sim({});
  int done = 0;
  sim.spawn(kNoNode, [&] {
    for (int i = 0; i < 10000; ++i) {
      sim.spawn(kNoNode, [&] {
        sim.sleep(1_us);
        ++done;
      });
      sim.sleep(2_us);
    }
  });
  sim.run();
  CHECK(done == 10000);
  CHECK(sim.live_fibers() == 0);
}

TEST_CASE("a trace sink receives every traced event, identically for the same seed", "[simulation][trace]") {
  struct Recorder : TraceSink {
    std::vector<std::tuple<std::int64_t, NodeId, std::string, std::uint64_t>> events;
    void on_event(const TraceEvent& e) override {
      events.emplace_back(e.time.ns(), e.node, std::string(e.kind.name()), e.digest);
    }
  };
  auto record_run = [](std::uint64_t seed) {
    Recorder recorder;
    Simulation sim({.seed = seed});
    sim.trace().set_sink(&recorder);
    const NodeId id = sim.add_node({"n", "z", nullptr, {}});
    sim.start(id);
    sim.spawn(id, [&] {
      Random r = sim.random("sleeps");
      for (int i = 0; i < 5; ++i) sim.sleep(Duration::microseconds(r.uniform_int(1, 100)));
    });
    sim.run_until(Time::zero() + 1_ms);
    sim.crash(id);
    CHECK(recorder.events.size() == sim.trace().events());
    return recorder.events;
  };
  const auto a = record_run(1);
  CHECK(a == record_run(1));
  CHECK(a != record_run(2));
  CHECK(std::get<2>(a.front()) == "node.start");
  CHECK(std::get<2>(a[1]) == "fiber.wake");
  CHECK(std::get<2>(a.back()) == "node.crash");
}
