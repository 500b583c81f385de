// Notifier: "something changed" for fibers waiting on several things at once.
//
// A waiter takes one token (sim.prepare_park()), subscribes it to every
// notifier it cares about, then parks with a deadline; notify_all() wakes
// every subscribed token. Waiters re-check their condition after waking
// (wakes may be spurious), so the Notifier carries no state but the tokens.
// Must not outlive the Simulation.
#pragma once

#include <vector>

#include "weir/sim/simulation.h"

namespace weir::models::kafka::classic {

class Notifier {
 public:
  explicit Notifier(sim::Simulation& sim) : sim_(&sim) {}

  void subscribe(sim::WakeToken token) {
    // Forget tokens whose wait ended, so the list stays as long as the number of waiters.
    if (tokens_.size() >= 16) std::erase_if(tokens_, [this](sim::WakeToken t) { return !sim_->token_pending(t); });
    tokens_.push_back(token);
  }

  void notify_all() {
    for (sim::WakeToken t : tokens_) sim_->wake(t);
    tokens_.clear();
  }

 private:
  sim::Simulation* sim_;
  std::vector<sim::WakeToken> tokens_;
};

}  // namespace weir::models::kafka::classic
