#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "weir/sim/channel.h"
#include "weir/sim/future.h"
#include "weir/sim/select.h"
#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

TEST_CASE("a future wakes its waiters when the promise is set", "[sync]") {
  Simulation sim({});
  Promise<int> promise(sim);
  std::vector<std::pair<int, std::int64_t>> got;
  for (int i = 0; i < 3; ++i) {
    sim.spawn(kNoNode, [&, f = promise.future()]() mutable {
      const int value = f.get();
      got.emplace_back(value, sim.now().ns());
    });
  }
  sim.spawn(kNoNode, [&] {
    sim.sleep(4_ms);
    promise.set(42);
    promise.set(7);  // ignored: a promise is set once
  });
  sim.run();
  REQUIRE(got.size() == 3);
  for (auto [value, at] : got) {
    CHECK(value == 42);
    CHECK(at == 4'000'000);
  }
}

TEST_CASE("waiting on a future with a deadline times out", "[sync]") {
  Simulation sim({});
  Promise<int> promise(sim);
  std::optional<int> early, late;
  std::int64_t timed_out_at = 0;
  sim.spawn(kNoNode, [&, f = promise.future()]() mutable {
    early = f.get_for(5_ms);
    timed_out_at = sim.now().ns();
    late = f.get_for(50_ms);
  });
  sim.spawn(kNoNode, [&] {
    sim.sleep(20_ms);
    promise.set(1);
  });
  sim.run();
  CHECK_FALSE(early.has_value());
  CHECK(timed_out_at == 5'000'000);
  CHECK(late == 1);
}

TEST_CASE("a bounded channel blocks the sender while full and keeps FIFO order", "[sync]") {
  Simulation sim({});
  Channel<int> ch(sim, 2);
  std::vector<std::int64_t> send_done;
  std::vector<int> received;
  sim.spawn(kNoNode, [&] {
    for (int i = 0; i < 4; ++i) {
      ch.send(i);
      send_done.push_back(sim.now().ns());
    }
    ch.close();
  });
  sim.spawn(kNoNode, [&] {
    sim.sleep(10_ms);
    while (auto v = ch.recv()) {
      received.push_back(*v);
      sim.sleep(1_ms);
    }
  });
  sim.run();
  CHECK(received == std::vector<int>{0, 1, 2, 3});
  REQUIRE(send_done.size() == 4);
  CHECK(send_done[1] == 0);           // fits in the buffer
  CHECK(send_done[2] == 10'000'000);  // waited for the first recv
}

TEST_CASE("recv with a deadline returns nothing when nothing arrives", "[sync]") {
  Simulation sim({});
  Channel<std::string> ch(sim);
  std::optional<std::string> got = std::string("unset");
  sim.spawn(kNoNode, [&] { got = ch.recv_for(3_ms); });
  sim.run();
  CHECK_FALSE(got.has_value());
  CHECK(sim.now() == Time::zero() + 3_ms);
}

TEST_CASE("select returns the first ready waitable, or nothing at the deadline", "[sync]") {
  Simulation sim({});
  Promise<int> slow(sim);
  Channel<int> ch(sim);
  std::vector<std::optional<std::size_t>> picks;
  sim.spawn(kNoNode, [&] {
    picks.push_back(select_for(sim, 1_ms, slow.future(), ch));  // nothing yet
    picks.push_back(select_for(sim, 1_s, slow.future(), ch));   // the channel at 5 ms
    ch.try_recv();
    picks.push_back(select_for(sim, 1_s, slow.future(), ch));   // the promise at 8 ms
  });
  sim.spawn(kNoNode, [&] {
    sim.sleep(5_ms);
    ch.send(1);
    sim.sleep(3_ms);
    slow.set(2);
  });
  sim.run();
  REQUIRE(picks.size() == 3);
  CHECK_FALSE(picks[0].has_value());
  CHECK(picks[1] == 1u);
  CHECK(picks[2] == 0u);
}
