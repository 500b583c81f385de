#include "weir/sim/simulation.h"

#include <algorithm>
#include <mutex>

#include <boost/context/fiber.hpp>
#include <boost/context/preallocated.hpp>
#include <fmt/format.h>

#include "asan_switch.h"
#include "fiber_record.h"
#include "stack_pool.h"
#include "weir/sim/errors.h"
#include "weir/sim/network.h"

// The hot path of every wake-up. A fiber switch jumps between stacks without
// the matching call/return pairs, so each `ret` right after a switch misses
// the CPU's return-address prediction; inlining the scheduler loop and the
// sleep path into one frame on each side keeps those misses to one or two.
#define WEIR_HOT_INLINE __attribute__((always_inline)) inline

namespace weir::sim {

using detail::FiberRecord;

Simulation::Simulation(const SimulationOptions& options) : Simulation(options, NetworkOptions{}) {}

Simulation::Simulation(const SimulationOptions& options, const NetworkOptions& network)
    : options_(options),
      root_random_(options.seed),
      order_random_(root_random_.fork("sim.order")),
      event_limit_(options.max_events == 0 ? UINT64_MAX : options.max_events),
      time_limit_ns_(options.max_sim_time.ns()),
      stacks_(std::make_unique<detail::StackPool>(options.fiber_stack_bytes)),
      network_(std::make_unique<Network>(*this, network)) {}

Simulation::~Simulation() { shutdown(); }

void Simulation::shutdown() {
  // Unwind every fiber while everything it may reference is still alive.
  std::vector<FiberRecord*> live;
  for (auto& fiber : fibers_) {
    if (fiber->live) live.push_back(fiber.get());
  }
  for (FiberRecord* fiber : live) {
    if (fiber->live) kill(*fiber);
  }
  // Then the processes, newest node first, while what they use still exists.
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) (*it)->process_.reset();
}

// ---------------------------------------------------------------- nodes

NodeId Simulation::add_node(NodeSpec spec) {
  const auto id = static_cast<NodeId>(nodes_.size());
  nodes_.push_back(std::make_unique<Node>(id, std::move(spec), *this));
  network_->add_node(id);
  return id;
}

NodeId Simulation::find_node(std::string_view name) const {
  for (const auto& node : nodes_) {
    if (node->name() == name) return node->id();
  }
  return kNoNode;
}

void Simulation::start(NodeId id) {
  Node& n = node(id);
  if (n.up_) return;
  n.up_ = true;
  event(id, kTraceNodeStart, {n.incarnation_});
  if (n.spec_.boot) n.process_ = n.spec_.boot(*this, id);
}

void Simulation::crash(NodeId id) {
  Node& n = node(id);
  if (!n.up_) return;
  // A node cannot be torn down under a fiber of its own that is running; the
  // crash then happens as the next event, and the current fiber waits for it.
  for (FiberRecord* f = current_; f != nullptr; f = f->resumer) {
    if (f->node == id) {
      schedule(now(), kNoNode, kTraceNodeCrash, id, [this, id] { crash(id); });
      if (current_->node == id) {
        prepare_park();
        park();
      }
      return;
    }
  }
  n.up_ = false;
  ++n.incarnation_;
  event(id, kTraceNodeCrash, {n.incarnation_});
  kill_fibers_of(id);
  network_->node_crashed(id);
  n.process_.reset();
  n.disk_.lose_unsynced();
}

void Simulation::restart(NodeId id) {
  crash(id);
  start(id);
}

// ---------------------------------------------------------------- fibers

std::uint64_t Simulation::spawn(NodeId node_id, std::function<void()> body) {
  if (node_id != kNoNode && !node(node_id).up()) {
    throw SimulatorError(fmt::format("spawn on node {} which is down", node(node_id).name()));
  }
  std::uint32_t slot;
  if (free_fiber_slots_.empty()) {
    slot = static_cast<std::uint32_t>(fibers_.size());
    fibers_.push_back(std::make_unique<FiberRecord>());
    fibers_.back()->slot = slot;
  } else {
    slot = free_fiber_slots_.back();
    free_fiber_slots_.pop_back();
  }
  FiberRecord& f = *fibers_[slot];
  f.body = std::move(body);
  f.node = node_id;
  f.serial = ++fiber_serial_;
  f.live = true;
  f.killed = false;
  f.fake_stack = nullptr;
  const boost::context::stack_context stack = stacks_->take();
  f.own_stack = {static_cast<char*>(stack.sp) - stack.size, stack.size};
  f.context = boost::context::fiber(
      std::allocator_arg, boost::context::preallocated(stack.sp, stack.size, stack),
      detail::StackPool::Allocator(*stacks_), [this, &f](boost::context::fiber&& caller) {
        f.caller = std::move(caller);
        fiber_main(f);
        detail::asan_start_switch(nullptr, f.caller_stack.bottom, f.caller_stack.size);
        return std::move(f.caller);
      });
  ++live_fibers_;
  push_wake(now(), slot, f.generation);
  return f.serial;
}

void Simulation::fiber_main(FiberRecord& f) {
  detail::asan_finish_switch(nullptr, &f.caller_stack.bottom, &f.caller_stack.size);
  if (f.killed) return;
  try {
    f.body();
  } catch (const detail::FiberKilled&) {
    // The node crashed: the unwind is complete.
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // Boost.Context's own unwind must reach its entry point.
  } catch (const std::exception& e) {
    fail(fmt::format("exception in fiber {} on node {} at t={:.6f}s: {}", f.serial,
                     f.node == kNoNode ? std::string("(system)") : node(f.node).name(), now().seconds_f(), e.what()));
  } catch (...) {
    fail(fmt::format("unknown exception in fiber {}", f.serial));
  }
}

NodeId Simulation::current_node() const { return current_ != nullptr ? current_->node : kNoNode; }

WEIR_HOT_INLINE void Simulation::resume(FiberRecord& f) {
  f.resumer = current_;
  f.running = true;
  current_ = &f;
  void* fake_stack = nullptr;
  detail::asan_start_switch(&fake_stack, f.own_stack.bottom, f.own_stack.size);
  f.context = std::move(f.context).resume();
  detail::asan_finish_switch(fake_stack, nullptr, nullptr);
  current_ = f.resumer;
  f.running = false;
  f.resumer = nullptr;
  if (!f.context) release(f);
}

WEIR_HOT_INLINE void Simulation::suspend_current() {
  FiberRecord& f = *current_;
  detail::asan_start_switch(&f.fake_stack, f.caller_stack.bottom, f.caller_stack.size);
  f.caller = std::move(f.caller).resume();
  detail::asan_finish_switch(f.fake_stack, &f.caller_stack.bottom, &f.caller_stack.size);
  if (f.killed) throw detail::FiberKilled{};
}

void Simulation::release(FiberRecord& f) {
  f.body = nullptr;
  f.live = false;
  ++f.generation;
  --live_fibers_;
  free_fiber_slots_.push_back(f.slot);
}

void Simulation::kill(FiberRecord& f) {
  f.killed = true;
  ++f.generation;  // any queued wake-up is now stale
  resume(f);
  if (f.live) {
    fail(fmt::format("fiber {} swallowed its unwind (catch (...) without rethrow?)", f.serial));
    bury(f);
  }
}

void Simulation::bury(FiberRecord& f) {
  // Destroying the context would resume the fiber to unwind it, and it would
  // swallow that unwind too, perhaps forever. So the context is parked where
  // nothing destroys it; its stack is reclaimed when the pool is. This only
  // follows a reported failure, so the run is over anyway.
  static std::mutex graveyard_mutex;
  static auto* graveyard = new std::vector<boost::context::fiber>();
  {
    const std::lock_guard lock(graveyard_mutex);
    graveyard->push_back(std::move(f.context));
  }
  release(f);
}

void Simulation::kill_fibers_of(NodeId id) {
  std::vector<FiberRecord*> victims;
  for (auto& fiber : fibers_) {
    if (fiber->live && fiber->node == id) victims.push_back(fiber.get());
  }
  std::sort(victims.begin(), victims.end(),
            [](const FiberRecord* a, const FiberRecord* b) { return a->serial < b->serial; });
  for (FiberRecord* fiber : victims) {
    if (fiber->live) kill(*fiber);
  }
}

WEIR_HOT_INLINE void Simulation::park_current_until(Time t) {
  const WakeToken token = next_wait();
  push_wake(std::max(t, now()), token.slot, token.generation);
  suspend_current();
}

void Simulation::sleep(Duration d) { park_current_until(now() + std::max(d, Duration())); }

void Simulation::sleep_until(Time t) { park_current_until(t); }

void Simulation::yield() { sleep_until(now()); }

WEIR_HOT_INLINE WakeToken Simulation::next_wait() {
  if (current_ == nullptr) throw SimulatorError("blocking call outside a fiber");
  ++current_->generation;
  if (current_->generation == kCallbackTag) current_->generation = 0;
  return {current_->slot, current_->generation};
}

WakeToken Simulation::prepare_park() { return next_wait(); }

void Simulation::park() { suspend_current(); }

void Simulation::park_until(Time deadline) {
  if (deadline >= Time::max()) return suspend_current();  // no timer for "never"
  push_wake(std::max(deadline, now()), current_->slot, current_->generation);
  suspend_current();
}

void Simulation::wake(WakeToken token) {
  if (token_pending(token)) push_wake(now(), token.slot, token.generation);
}

bool Simulation::token_pending(WakeToken token) const {
  if (token.slot >= fibers_.size()) return false;
  const FiberRecord& f = *fibers_[token.slot];
  return f.live && f.generation == token.generation;
}

// ---------------------------------------------------------------- events

std::uint64_t Simulation::next_order() {
  ++sequence_;
  if (!options_.shuffle_same_instant) return sequence_;
  // A random high half shuffles same-instant events; the sequence breaks ties.
  return (order_random_.next_u64() << 32) | (sequence_ & 0xffffffffULL);
}

void Simulation::push_wake(Time at, std::uint32_t slot, std::uint32_t generation) {
  queue_.push(Event{at.ns(), next_order(), slot, generation});
}

void Simulation::schedule(Time at, NodeId owner, TraceKind kind, std::uint64_t digest,
                          std::function<void()> fn) {
  std::uint32_t index;
  if (free_callbacks_.empty()) {
    index = static_cast<std::uint32_t>(callbacks_.size());
    callbacks_.emplace_back(Callback{nullptr, kNoNode, 0, kind, 0});
  } else {
    index = free_callbacks_.back();
    free_callbacks_.pop_back();
  }
  const std::uint32_t incarnation = owner == kNoNode ? 0 : node(owner).incarnation();
  callbacks_[index] = Callback{std::move(fn), owner, incarnation, kind, digest};
  queue_.push(Event{std::max(at, now()).ns(), next_order(), index, kCallbackTag});
}

void Simulation::run_callback(std::uint32_t index) {
  Callback cb = std::move(callbacks_[index]);
  callbacks_[index].fn = nullptr;
  free_callbacks_.push_back(index);
  if (cb.owner != kNoNode) {
    const Node& n = node(cb.owner);
    if (!n.up() || n.incarnation() != cb.incarnation) return;  // its node crashed
  }
  ++events_processed_;
  trace_.record(now(), cb.owner, cb.kind, cb.digest);
  try {
    cb.fn();
  } catch (const std::exception& e) {
    fail(fmt::format("exception in callback {} on node {} at t={:.6f}s: {}", cb.kind.name(),
                     cb.owner == kNoNode ? std::string("(system)") : node(cb.owner).name(), now().seconds_f(), e.what()));
  }
}

WEIR_HOT_INLINE void Simulation::resume_if_waiting(std::uint32_t slot, std::uint32_t generation) {
  FiberRecord& f = *fibers_[slot];
  if (!f.live || f.generation != generation) return;  // a stale wake-up
  ++events_processed_;
  trace_.record(now(), f.node, kTraceFiberWake, f.serial);
  resume(f);
}

void Simulation::fail(std::string message) {
  if (failed_) return;  // keep the first failure: it is the cause
  failed_ = true;
  failure_ = std::move(message);
}

void Simulation::throw_limit_exceeded() {
  if (events_processed_ > event_limit_) {
    throw LivelockError(fmt::format("run exceeded max_events={} at t={:.6f}s", options_.max_events,
                                    now().seconds_f()));
  }
  throw LivelockError(fmt::format("run exceeded max_sim_time={:.3f}s", options_.max_sim_time.seconds_f()));
}

WEIR_HOT_INLINE void Simulation::step_event() {
  const Event e = queue_.pop();
  now_ns_ = e.time_ns;
  if (e.tag == kCallbackTag) {
    run_callback(e.target);
  } else {
    resume_if_waiting(e.target, e.tag);
  }
  if (failed_) throw SimulatorError(failure_);
  check_limits();
}

void Simulation::check_not_in_fiber() const {
  if (in_fiber()) throw SimulatorError("the simulation was stepped from inside a fiber");
}

bool Simulation::step() {
  check_not_in_fiber();
  if (queue_.empty()) return false;
  step_event();
  return true;
}

void Simulation::run() {
  check_not_in_fiber();
  while (!queue_.empty()) step_event();
}

void Simulation::run_until(Time t) {
  check_not_in_fiber();
  while (!queue_.empty() && queue_.top().time_ns <= t.ns()) step_event();
  now_ns_ = std::max(now_ns_, t.ns());
}

}  // namespace weir::sim
