// Promise / Future: a value handed from one fiber (or callback) to another.
//
// A Promise is set at most once; every fiber waiting on its Future is woken
// at that instant. Waiting with a deadline returns nothing on timeout. Both
// ends share the state, so either may outlive the other; a Future whose
// Promise is dropped unset simply never becomes ready (use a deadline).
// Waiting must happen inside a fiber of the same Simulation.
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "weir/sim/simulation.h"

namespace weir::sim {

namespace detail {

// Fibers parked on something; waking them all is how a state change is announced.
class WaiterList {
 public:
  void add(Simulation& sim, WakeToken token) {
    // Forget waits that ended (timed out, or their fiber died) so the list
    // stays as short as the number of fibers really waiting.
    if (tokens_.size() >= 8) std::erase_if(tokens_, [&](WakeToken t) { return !sim.token_pending(t); });
    tokens_.push_back(token);
  }
  void wake_all(Simulation& sim) {
    for (WakeToken t : tokens_) sim.wake(t);
    tokens_.clear();
  }

 private:
  std::vector<WakeToken> tokens_;
};

template <class T>
struct SharedState {
  explicit SharedState(Simulation& s) : sim(s) {}
  Simulation& sim;
  std::optional<T> value;
  WaiterList waiters;
};

}  // namespace detail

template <class T>
class Future {
 public:
  Future() = default;
  bool valid() const { return state_ != nullptr; }
  bool ready() const { return state_->value.has_value(); }
  void subscribe(WakeToken token) const { state_->waiters.add(state_->sim, token); }

  // Blocks until the value is set, then returns it.
  T& get() {
    while (!ready()) {
      subscribe(state_->sim.prepare_park());
      state_->sim.park();
    }
    return *state_->value;
  }

  // Blocks until the value is set or the deadline passes.
  std::optional<T> get_until(Time deadline) {
    while (!ready() && state_->sim.now() < deadline) {
      subscribe(state_->sim.prepare_park());
      state_->sim.park_until(deadline);
    }
    if (!ready()) return std::nullopt;
    return *state_->value;
  }
  std::optional<T> get_for(Duration timeout) { return get_until(state_->sim.now() + timeout); }

 private:
  template <class>
  friend class Promise;
  explicit Future(std::shared_ptr<detail::SharedState<T>> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::SharedState<T>> state_;
};

template <class T>
class Promise {
 public:
  explicit Promise(Simulation& sim) : state_(std::make_shared<detail::SharedState<T>>(sim)) {}
  Future<T> future() const { return Future<T>(state_); }
  bool is_set() const { return state_->value.has_value(); }

  // Sets the value and wakes the waiters; later calls are ignored.
  void set(T value) {
    if (is_set()) return;
    state_->value = std::move(value);
    state_->waiters.wake_all(state_->sim);
  }

 private:
  std::shared_ptr<detail::SharedState<T>> state_;
};

}  // namespace weir::sim
