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

// Times from the same instant to seconds ahead, so that events land in the
// near calendar, in a full bucket, and in the heap, across many turns of the
// calendar; pops must come out exactly as a sorted list would give them.
TEST_CASE("the event queue orders near, crowded and far events alike", "[event_queue]") {
  CHECK(rc::check("pops match a reference model", [](const std::vector<std::pair<std::uint8_t, std::uint32_t>>& steps) {
    EventQueue q;
    std::vector<Event> model;  // kept unsorted; the earliest is searched
    std::uint64_t order = 0;
    std::int64_t floor = 0;
    const auto earliest = [&] {
      return std::min_element(model.begin(), model.end(), [](const Event& a, const Event& b) { return a.before(b); });
    };
    for (auto [action, value] : steps) {
      if (action % 3 == 0 && !model.empty()) {
        const auto want = earliest();
        RC_ASSERT(q.top().order == want->order);
        const Event got = q.pop();
        RC_ASSERT(got.time_ns == want->time_ns);
        RC_ASSERT(got.order == want->order);
        floor = got.time_ns;
        model.erase(want);
        continue;
      }
      // Same instant, within a bucket, within the calendar, or far beyond it.
      const std::int64_t scales[] = {0, 300, 2'000'000, 5'000'000'000};
      const std::int64_t ahead = scales[action % 4] == 0 ? 0 : static_cast<std::int64_t>(value) % scales[action % 4];
      const Event e{floor + ahead, ++order, value, 0};
      q.push(e);
      model.push_back(e);
    }
    while (!model.empty()) {
      const auto want = earliest();
      RC_ASSERT(q.pop().order == want->order);
      model.erase(want);
    }
    RC_ASSERT(q.empty());
  }));
}

TEST_CASE("same-instant bursts beyond a bucket's room keep their order", "[event_queue]") {
  EventQueue q;
  for (std::uint64_t order = 1; order <= 100; ++order) q.push(Event{1000, 101 - order, 0, 0});
  for (std::uint64_t want = 1; want <= 100; ++want) CHECK(q.pop().order == want);
  CHECK(q.empty());
}
