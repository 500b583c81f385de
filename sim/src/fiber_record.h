// FiberRecord: the runtime's bookkeeping for one fiber (private to sim/).
//
// Slots are reused; `generation` changes at every park and at release, so a
// queued wake-up for an old wait or an old occupant of the slot is ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include <boost/context/fiber.hpp>

#include "weir/sim/trace.h"

namespace weir::sim::detail {

// Thrown at a fiber's suspension point when its node crashes. Not derived from
// std::exception, so model code catching std::exception does not swallow it.
struct FiberKilled {};

struct StackBounds {
  const void* bottom = nullptr;
  std::size_t size = 0;
};

// What a wake-up touches comes first, in one cache line: with a thousand
// fibers parked, the record of the one being woken is rarely in L1.
struct alignas(64) FiberRecord {
  boost::context::fiber context;  // the fiber itself, while it is suspended
  boost::context::fiber caller;   // whoever resumed it, while it runs
  FiberRecord* resumer = nullptr;  // the fiber that resumed it, if any
  std::uint64_t serial = 0;
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  NodeId node = kNoNode;
  bool live = false;
  bool killed = false;
  bool running = false;  // on the stack of resumed contexts right now

  std::function<void()> body;
  // Stack-switch annotations for AddressSanitizer.
  StackBounds own_stack;
  StackBounds caller_stack;
  void* fake_stack = nullptr;
};

}  // namespace weir::sim::detail
