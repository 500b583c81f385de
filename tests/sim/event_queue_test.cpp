#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "weir/sim/event_queue.h"

using weir::sim::Event;
using weir::sim::EventQueue;

TEST_CASE("the event queue pops in (time, order) order", "[event_queue]") {
  CHECK(rc::check("pop order equals sorted order", [](const std::vector<std::pair<std::uint8_t, std::uint32_t>>& input) {
    EventQueue q;
    std::vector<Event> expected;
    std::uint64_t order = 0;
    for (auto [time, target] : input) {
      const Event e{time, ++order, target, 0};
      q.push(e);
      expected.push_back(e);
    }
    std::sort(expected.begin(), expected.end(), [](const Event& a, const Event& b) { return a.before(b); });
    for (const Event& e : expected) {
      RC_ASSERT(!q.empty());
      const Event got = q.pop();
      RC_ASSERT(got.time_ns == e.time_ns);
      RC_ASSERT(got.order == e.order);
    }
    RC_ASSERT(q.empty());
  }));
}

TEST_CASE("interleaved pushes and pops keep the heap ordered", "[event_queue]") {
  EventQueue q;
  std::uint64_t order = 0;
  std::int64_t last = -1;
  for (int round = 0; round < 1000; ++round) {
    q.push(Event{last + 1 + (round * 7919) % 97, ++order, 0, 0});
    q.push(Event{last + 1 + (round * 104729) % 89, ++order, 0, 0});
    const Event e = q.pop();
    CHECK(e.time_ns >= last);
    last = e.time_ns;
  }
}
