// Simulation: one deterministic world: the virtual clock, the event queue,
// the fibers, the nodes and the network.
//
// Everything happens in `step()`: pop the earliest event (time, then order),
// advance the clock, fold the event into the trace hash, and either resume a
// fiber or run a callback. Fibers are Boost.Context fibers on pooled,
// guard-paged stacks; they block only through this class (sleep, park), so
// a run is a pure function of its seed and options. One Simulation = one
// thread; there is no global state, so many may run side by side.
//
// Failure handling: an exception escaping a fiber or callback stops the run
// with SimulatorError; exceeding `max_events` or `max_sim_time` stops it with
// LivelockError. Crashing a node unwinds its fibers with an internal exception
// that user code must never swallow (never `catch (...)` without rethrowing).
// Code blocking in a destructor during that unwind is a bug.
//
// The Simulation owns its nodes, network and fibers; destroying it unwinds
// every fiber still alive before anything else is torn down.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "weir/sim/assert.h"
#include "weir/sim/event_queue.h"
#include "weir/sim/node.h"
#include "weir/sim/random.h"
#include "weir/sim/time.h"
#include "weir/sim/trace.h"

namespace weir::sim {

class Network;
struct NetworkOptions;

namespace detail {
class StackPool;
struct FiberRecord;
}  // namespace detail

struct SimulationOptions {
  std::uint64_t seed = 0;
  // Run same-instant events in a seeded random order instead of FIFO.
  bool shuffle_same_instant = false;
  // Bounds that stop a livelocked run (LivelockError). 0 = no bound.
  std::uint64_t max_events = 2'000'000'000;
  Duration max_sim_time = Duration::seconds(7 * 24 * 3600);
  std::size_t fiber_stack_bytes = 256 * 1024;
};

// Names one particular wait of one fiber; waking a stale token is harmless.
struct WakeToken {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
};

inline constexpr TraceKind kTraceFiberWake{"fiber.wake"};
inline constexpr TraceKind kTraceNodeCrash{"node.crash", "crashed (incarnation {incarnation})"};
inline constexpr TraceKind kTraceNodeStart{"node.start", "started (incarnation {incarnation})"};

class Simulation {
 public:
  explicit Simulation(const SimulationOptions& options);
  Simulation(const SimulationOptions& options, const NetworkOptions& network);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // ---- Clock, randomness, trace.
  Time now() const { return Time::from_ns(now_ns_); }
  const SimulationOptions& options() const { return options_; }
  // An independent stream named `name`, derived from the seed and the name.
  Random random(std::string_view name) const { return root_random_.fork(name); }
  Trace& trace() { return trace_; }
  std::uint64_t trace_hash() const { return trace_.hash(); }
  std::uint64_t events_processed() const { return events_processed_; }
  // Records a model-level event in the trace (time and node are filled in).
  void record(NodeId node, TraceKind kind, std::uint64_t digest) { trace_.record(now(), node, kind, digest); }
  // Records a domain event: `kind` has a sentence, `fields` its values in
  // order, e.g. sim.event(node, kTraceProduceAcked, {batch, partition, first, last}).
  void event(NodeId node, TraceKind kind, std::initializer_list<TraceField> fields) {
    event(node, kind, std::span<const TraceField>(fields.begin(), fields.size()));
  }
  void event(NodeId node, TraceKind kind, std::span<const TraceField> fields) {
    WEIR_ASSERT(kind.is_domain() && kind.accepts(fields.size()), "event {} given {} values for \"{}\"", kind.name(),
                fields.size(), kind.text());
    trace_.record(now(), node, kind, fields);
  }

  // ---- Nodes.
  NodeId add_node(NodeSpec spec);
  Node& node(NodeId id) { return *nodes_[id]; }
  const Node& node(NodeId id) const { return *nodes_[id]; }
  std::size_t node_count() const { return nodes_.size(); }
  NodeId find_node(std::string_view name) const;  // kNoNode if absent
  void start(NodeId id);    // boots a node that is down
  void crash(NodeId id);    // kills it now; no-op if already down
  void restart(NodeId id);  // crash (if up), then start
  Network& network() { return *network_; }

  // ---- Fibers.
  // Starts `body` as a fiber on `node` (kNoNode: a system fiber no crash kills)
  // at the current instant. Returns the fiber's serial number.
  std::uint64_t spawn(NodeId node, std::function<void()> body);
  bool in_fiber() const { return current_ != nullptr; }
  NodeId current_node() const;
  void sleep(Duration d);
  void sleep_until(Time t);
  void yield();  // lets the other events of this instant run first
  std::size_t live_fibers() const { return live_fibers_; }

  // Parking, the building block of futures, channels and select: take a
  // token, hand it to whoever will wake you, then park.
  WakeToken prepare_park();
  void park();                     // until woken
  void park_until(Time deadline);  // until woken or the deadline
  void wake(WakeToken token);      // resumes the waiter at this instant
  bool token_pending(WakeToken token) const;

  // ---- Callbacks: run at `at` outside any fiber (they must not block).
  // Dropped if `owner` crashes before they run.
  void schedule(Time at, NodeId owner, TraceKind kind, std::uint64_t digest, std::function<void()> fn);

  // ---- Running.
  bool step();                // runs one event; false when none is left
  void run();                 // until no event is left
  void run_until(Time t);     // events up to and including time t; clock ends at t
  void run_for(Duration d) { run_until(now() + d); }
  std::size_t pending_events() const { return queue_.size(); }
  // Unwinds every fiber still alive and destroys every node's process. Call
  // it before destroying objects that fibers or processes reference but the
  // Simulation does not own (a topology built around it); the destructor
  // does it too. No run may follow.
  void shutdown();

 private:
  struct Callback {
    std::function<void()> fn;
    NodeId owner;
    std::uint32_t incarnation;
    TraceKind kind;
    std::uint64_t digest;
  };
  static constexpr std::uint32_t kCallbackTag = UINT32_MAX;

  std::uint64_t next_order();
  WakeToken next_wait();
  void park_current_until(Time t);
  void step_event();
  void check_not_in_fiber() const;
  void push_wake(Time at, std::uint32_t slot, std::uint32_t generation);
  void run_callback(std::uint32_t index);
  void resume_if_waiting(std::uint32_t slot, std::uint32_t generation);
  void resume(detail::FiberRecord& fiber);
  void suspend_current();
  void fiber_main(detail::FiberRecord& fiber);
  void release(detail::FiberRecord& fiber);
  void kill(detail::FiberRecord& fiber);
  void bury(detail::FiberRecord& fiber);
  void kill_fibers_of(NodeId node);
  void fail(std::string message);
  void check_limits() {
    if (events_processed_ > event_limit_ || now_ns_ > time_limit_ns_) throw_limit_exceeded();
  }
  [[noreturn]] void throw_limit_exceeded();

  SimulationOptions options_;
  Random root_random_;
  Random order_random_;
  std::int64_t now_ns_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t events_processed_ = 0;
  std::uint64_t event_limit_;    // from options, UINT64_MAX when unbounded
  std::int64_t time_limit_ns_;
  std::uint64_t fiber_serial_ = 0;
  EventQueue queue_;
  Trace trace_;
  std::string failure_;
  bool failed_ = false;

  std::unique_ptr<detail::StackPool> stacks_;
  std::vector<std::unique_ptr<detail::FiberRecord>> fibers_;
  std::vector<std::uint32_t> free_fiber_slots_;
  std::size_t live_fibers_ = 0;
  detail::FiberRecord* current_ = nullptr;

  std::vector<Callback> callbacks_;
  std::vector<std::uint32_t> free_callbacks_;

  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<Network> network_;
};

}  // namespace weir::sim
