// Event, and EventHeap: a 4-ary min-heap of events ordered by (time, order).
//
// Events are small PODs; the payload (`target`, `tag`) is interpreted by the
// Simulation (a fiber to resume or a callback to run). `order` is a sequence
// number, or a seeded random key when same-instant events are shuffled; ties
// never depend on pointers. The heap takes any event in any order; the
// EventQueue puts it behind a calendar of the near future.
#pragma once

#include <cstdint>
#include <vector>

#include "weir/sim/time.h"

namespace weir::sim {

struct Event {
  std::int64_t time_ns;  // never negative
  std::uint64_t order;
  std::uint32_t target;
  std::uint32_t tag;

  // One 128-bit comparison of (time, order): compiles without branches.
  bool before(const Event& o) const { return key() < o.key(); }

 private:
  __extension__ typedef unsigned __int128 Key;
  Key key() const { return (static_cast<Key>(static_cast<std::uint64_t>(time_ns)) << 64) | order; }
};

class EventHeap {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }

  void push(const Event& e) {
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }

  Event pop() {
    Event top = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    return top;
  }

 private:
  static constexpr std::size_t kArity = 4;

  void sift_up(std::size_t i) {
    const Event e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!e.before(heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  // Index of the earlier of two entries, without a data-dependent branch:
  // heap comparisons are unpredictable, and mispredictions dominate the cost.
  std::size_t earlier(std::size_t a, std::size_t b) const {
    const bool b_first = heap_[b].before(heap_[a]);
    return a + ((b - a) & (std::size_t{0} - static_cast<std::size_t>(b_first)));
  }

  // Places `e` starting from the root, moving smaller children up.
  void sift_down(const Event& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      std::size_t best;
      if (first + kArity <= n) {
        best = earlier(earlier(first, first + 1), earlier(first + 2, first + 3));
      } else if (first < n) {
        best = first;
        for (std::size_t c = first + 1; c < n; ++c) best = earlier(best, c);
      } else {
        break;
      }
      if (!heap_[best].before(e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<Event> heap_;
};

}  // namespace weir::sim
