// EventQueue: the pending events of a simulation, ordered by (time, order).
//
// A 4-ary min-heap of small POD entries; the payload (`target`, `tag`) is
// interpreted by the Simulation (a fiber to resume or a callback to run).
// `order` is a sequence number, or a seeded random key when same-instant
// events are shuffled; ties never depend on pointers.
#pragma once

#include <cstdint>
#include <vector>

#include "weir/sim/time.h"

namespace weir::sim {

struct Event {
  std::int64_t time_ns;
  std::uint64_t order;
  std::uint32_t target;
  std::uint32_t tag;

  bool before(const Event& o) const {
    return time_ns < o.time_ns || (time_ns == o.time_ns && order < o.order);
  }
};

class EventQueue {
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

  // Places `e` starting from the root, moving smaller children up.
  void sift_down(const Event& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (heap_[c].before(heap_[best])) best = c;
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
