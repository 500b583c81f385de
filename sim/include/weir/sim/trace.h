// Trace: folds every simulation event into one 64-bit hash, and optionally
// hands each event to a sink (replay/ persists them).
//
// An event is (time, node, kind, digest of its payload). Two runs with the
// same seed must produce the same sequence, hence the same hash; comparing
// hashes is how determinism is checked. The sink is borrowed: it must outlive
// the Trace (the Simulation) it is attached to.
#pragma once

#include <cstdint>
#include <string_view>

#include "weir/sim/hash.h"
#include "weir/sim/time.h"

namespace weir::sim {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

// A named event kind. Declare as `inline constexpr TraceKind kFoo{"foo"};`
// the name is hashed at compile time, so tracing costs no string work.
class TraceKind {
 public:
  constexpr explicit TraceKind(std::string_view name) : name_(name), id_(fnv1a64(name)) {}
  constexpr std::string_view name() const { return name_; }
  constexpr std::uint64_t id() const { return id_; }

 private:
  std::string_view name_;
  std::uint64_t id_;
};

struct TraceEvent {
  Time time;
  NodeId node;
  TraceKind kind;
  std::uint64_t digest;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void on_event(const TraceEvent& event) = 0;
};

class Trace {
 public:
  // On the hot path of every event: two multiplies on the running state; the
  // event's own fields are mixed off that dependency chain.
  void record(Time time, NodeId node, TraceKind kind, std::uint64_t digest) {
    const std::uint64_t fields = kind.id() ^ (static_cast<std::uint64_t>(node) * 0x9e3779b97f4a7c15ULL) ^
                                 (digest * 0xc2b2ae3d27d4eb4fULL);
    state_ = (rotl(state_, 23) ^ static_cast<std::uint64_t>(time.ns())) * 0xff51afd7ed558ccdULL;
    state_ = (state_ ^ fields ^ (state_ >> 29)) * 0xc4ceb9fe1a85ec53ULL;
    ++events_;
    if (sink_ != nullptr) sink_->on_event(TraceEvent{time, node, kind, digest});
  }

  // The running state, finalized so that every bit depends on every event.
  std::uint64_t hash() const { return mix64(state_ ^ events_); }
  std::uint64_t events() const { return events_; }
  void set_sink(TraceSink* sink) { sink_ = sink; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_ = 0x77656972'74726163ULL;  // "weirtrac"
  std::uint64_t events_ = 0;
  TraceSink* sink_ = nullptr;
};

}  // namespace weir::sim
