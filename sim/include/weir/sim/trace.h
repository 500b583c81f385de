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
  void record(Time time, NodeId node, TraceKind kind, std::uint64_t digest) {
    hash_ = hash_combine(hash_, static_cast<std::uint64_t>(time.ns()));
    hash_ = hash_combine(hash_, (static_cast<std::uint64_t>(node) << 32) ^ kind.id());
    hash_ = hash_combine(hash_, digest);
    ++events_;
    if (sink_ != nullptr) sink_->on_event(TraceEvent{time, node, kind, digest});
  }

  std::uint64_t hash() const { return hash_; }
  std::uint64_t events() const { return events_; }
  void set_sink(TraceSink* sink) { sink_ = sink; }

 private:
  std::uint64_t hash_ = 0x77656972'74726163ULL;  // "weirtrac"
  std::uint64_t events_ = 0;
  TraceSink* sink_ = nullptr;
};

}  // namespace weir::sim
