// select: wait until any of several futures or channels is ready.
//
// Returns the index of the first ready argument (in argument order, so the
// choice is deterministic), or nothing at the deadline. Each argument needs
// `bool ready() const` and `void subscribe(WakeToken) const`.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "weir/sim/simulation.h"

namespace weir::sim {

template <class... Waitables>
std::optional<std::size_t> select_until(Simulation& sim, Time deadline, const Waitables&... waitables) {
  for (;;) {
    const std::array<bool, sizeof...(Waitables)> ready{waitables.ready()...};
    for (std::size_t i = 0; i < ready.size(); ++i) {
      if (ready[i]) return i;
    }
    if (sim.now() >= deadline) return std::nullopt;
    const WakeToken token = sim.prepare_park();
    (waitables.subscribe(token), ...);
    sim.park_until(deadline);
  }
}

template <class... Waitables>
std::optional<std::size_t> select_for(Simulation& sim, Duration timeout, const Waitables&... waitables) {
  return select_until(sim, sim.now() + timeout, waitables...);
}

}  // namespace weir::sim
