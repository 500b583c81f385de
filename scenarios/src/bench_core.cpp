#include "weir/scenarios/bench_core.h"

#include <chrono>

#include <boost/context/fiber.hpp>

#include "weir/sim/simulation.h"

namespace weir::scenarios {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t xorshift64(std::uint64_t& x) {
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

// Nanoseconds per resume-and-return between the caller and one fiber.
double measure_raw_round_trip_ns(int round_trips) {
  namespace ctx = boost::context;
  ctx::fiber fiber([](ctx::fiber&& caller) {
    for (;;) caller = std::move(caller).resume();
    return std::move(caller);
  });
  fiber = std::move(fiber).resume();  // warm up
  const auto start = Clock::now();
  for (int i = 0; i < round_trips; ++i) fiber = std::move(fiber).resume();
  return seconds_since(start) * 1e9 / round_trips;
}

// Nanoseconds per yield of a lone fiber through the scheduler.
double measure_yield_ns(int yields) {
  sim::Simulation sim({});
  sim.spawn(sim::kNoNode, [&] {
    for (int i = 0; i < yields; ++i) sim.yield();
  });
  sim.step();  // start the fiber outside the timed loop
  const auto start = Clock::now();
  sim.run();
  return seconds_since(start) * 1e9 / yields;
}

}  // namespace

SleepersReport run_sleepers(const SleepersOptions& options) {
  SleepersReport report;
  sim::Simulation sim({.max_events = 0});
  for (int i = 0; i < options.actors; ++i) {
    sim.spawn(sim::kNoNode, [&sim, i, sleeps = options.sleeps] {
      std::uint64_t x = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(i + 1);
      for (int s = 0; s < sleeps; ++s) sim.sleep(sim::Duration::microseconds(static_cast<std::int64_t>(1 + xorshift64(x) % 1000)));
    });
  }
  // Every actor's first resume (a fresh stack's page faults) happens at time
  // zero, before its first sleep: starting is not waking, so it is not timed.
  sim.run_until(sim::Time::zero());
  const auto start = Clock::now();
  sim.run();
  report.wall_seconds = seconds_since(start);
  report.wakeups = static_cast<std::uint64_t>(options.actors) * static_cast<std::uint64_t>(options.sleeps);
  report.wakeups_per_second = static_cast<double>(report.wakeups) / report.wall_seconds;
  report.ns_per_wakeup = report.wall_seconds * 1e9 / static_cast<double>(report.wakeups);
  report.trace_hash = sim.trace_hash();
  report.raw_round_trip_ns = measure_raw_round_trip_ns(2'000'000);
  report.yield_ns = measure_yield_ns(2'000'000);
  report.wakeup_vs_raw = report.ns_per_wakeup / report.raw_round_trip_ns;
  report.yield_vs_raw = report.yield_ns / report.raw_round_trip_ns;
  return report;
}

}  // namespace weir::scenarios
