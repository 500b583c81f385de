// Channel: a FIFO queue between fibers, bounded or not, that can be closed.
//
// `send` blocks while a bounded channel is full; `recv` blocks while it is
// empty and returns nothing once it is closed and drained (or at a deadline).
// Values are delivered in the order sent. Shared by copying the handle: all
// copies are the same channel. Blocking calls must run inside a fiber.
#pragma once

#include <deque>
#include <memory>
#include <optional>

#include "weir/sim/future.h"
#include "weir/sim/simulation.h"

namespace weir::sim {

template <class T>
class Channel {
 public:
  // capacity 0 = unbounded.
  explicit Channel(Simulation& sim, std::size_t capacity = 0) : state_(std::make_shared<State>(sim, capacity)) {}

  // Blocks while full; returns false if the channel is closed.
  bool send(T value) {
    while (!state_->closed && full()) {
      state_->senders.add(state_->sim, state_->sim.prepare_park());
      state_->sim.park();
    }
    return try_send(std::move(value));
  }

  // Never blocks; false when full or closed.
  bool try_send(T value) {
    if (state_->closed || full()) return false;
    state_->items.push_back(std::move(value));
    state_->receivers.wake_all(state_->sim);
    return true;
  }

  std::optional<T> recv() { return recv_until(Time::max()); }
  std::optional<T> recv_for(Duration timeout) { return recv_until(state_->sim.now() + timeout); }
  std::optional<T> recv_until(Time deadline) {
    while (state_->items.empty() && !state_->closed && state_->sim.now() < deadline) {
      subscribe(state_->sim.prepare_park());
      state_->sim.park_until(deadline);
    }
    return try_recv();
  }

  std::optional<T> try_recv() {
    if (state_->items.empty()) return std::nullopt;
    T value = std::move(state_->items.front());
    state_->items.pop_front();
    state_->senders.wake_all(state_->sim);
    return value;
  }

  void close() {
    state_->closed = true;
    state_->receivers.wake_all(state_->sim);
    state_->senders.wake_all(state_->sim);
  }

  bool closed() const { return state_->closed; }
  std::size_t size() const { return state_->items.size(); }
  // For select: ready when a recv would not block.
  bool ready() const { return !state_->items.empty() || state_->closed; }
  void subscribe(WakeToken token) const { state_->receivers.add(state_->sim, token); }

 private:
  struct State {
    State(Simulation& s, std::size_t c) : sim(s), capacity(c) {}
    Simulation& sim;
    std::size_t capacity;
    std::deque<T> items;
    bool closed = false;
    detail::WaiterList receivers;
    detail::WaiterList senders;
  };
  bool full() const { return state_->capacity != 0 && state_->items.size() >= state_->capacity; }
  std::shared_ptr<State> state_;
};

}  // namespace weir::sim
