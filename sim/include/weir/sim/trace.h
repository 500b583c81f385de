// Trace: folds every simulation event into one 64-bit hash, and optionally
// hands each event to a sink (replay/ persists them).
//
// An event is (time, node, kind, digest of its payload). Two runs with the
// same seed must produce the same sequence, hence the same hash; comparing
// hashes is how determinism is checked. The sink is borrowed: it must outlive
// the Trace (the Simulation) it is attached to.
//
// Two sorts of kind. A runtime kind (fiber woken, message delivered) carries
// only a digest. A domain kind is what a model did, in the modelled system's
// own terms: it carries a sentence with named fields,
//   {"kafka.produce.acked", "batch {batch} to partition {partition} acked at offsets {first}..{last}"}
// and each event of it carries the fields' values, in the sentence's order,
// which the trace keeps; its digest is the hash of those values. A field is
// a number unless its placeholder names a type: {leader:node} (a node id,
// shown as the node's name), {at:time} (nanoseconds, shown in seconds),
// {record:hex}, {why:text} (a string), {clean:bool}. A last placeholder
// ending in '*' ({isr:node*}) takes every remaining value, zero or more.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>

#include "weir/sim/hash.h"
#include "weir/sim/time.h"

namespace weir::sim {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

// A named event kind. Declare as `inline constexpr TraceKind kFoo{"foo"};`
// (runtime) or `{"foo", "sentence with {fields}"}` (domain); the name is
// hashed and the fields counted at compile time, so tracing costs no string
// work.
class TraceKind {
 public:
  constexpr explicit TraceKind(std::string_view name) : name_(name), id_(fnv1a64(name)) {}
  constexpr TraceKind(std::string_view name, std::string_view text)
      : name_(name), text_(text), id_(fnv1a64(name)), fields_(count_fields(text)), open_ended_(ends_with_list(text)) {}
  constexpr std::string_view name() const { return name_; }
  // The sentence of a domain kind; empty for a runtime kind.
  constexpr std::string_view text() const { return text_; }
  constexpr bool is_domain() const { return !text_.empty(); }
  constexpr std::uint64_t id() const { return id_; }
  // Whether an event may carry `n` values.
  constexpr bool accepts(std::size_t n) const { return open_ended_ ? n + 1 >= fields_ : n == fields_; }

 private:
  static constexpr std::size_t count_fields(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += c == '{' ? 1 : 0;
    return n;
  }
  static constexpr bool ends_with_list(std::string_view text) {
    const std::size_t close = text.rfind('}');
    return close != std::string_view::npos && close > 0 && text[close - 1] == '*';
  }

  std::string_view name_;
  std::string_view text_;
  std::uint64_t id_;
  std::size_t fields_ = 0;
  bool open_ended_ = false;
};

// One value of a domain event: a number (ids, offsets, epochs, counts, node
// ids, times) or a text that must outlive only the record() call.
class TraceField {
 public:
  template <typename Integer>
    requires std::is_integral_v<Integer>
  constexpr TraceField(Integer number) : number_(static_cast<std::int64_t>(number)) {}  // NOLINT: implicit by design
  constexpr TraceField(std::string_view text) : text_(text), is_text_(true) {}      // NOLINT
  constexpr TraceField(const char* text) : TraceField(std::string_view(text)) {}    // NOLINT

  constexpr bool is_text() const { return is_text_; }
  constexpr std::int64_t number() const { return number_; }
  constexpr std::string_view text() const { return text_; }
  // What the trace hash folds in for this value.
  constexpr std::uint64_t digest() const { return is_text_ ? fnv1a64(text_) : static_cast<std::uint64_t>(number_); }

 private:
  std::int64_t number_ = 0;
  std::string_view text_;
  bool is_text_ = false;
};

struct TraceEvent {
  Time time;
  NodeId node;
  TraceKind kind;
  std::uint64_t digest;
  std::span<const TraceField> fields = {};  // a domain event's values; empty for a runtime event
};

// The digest a domain event's values hash to.
constexpr std::uint64_t fields_digest(std::span<const TraceField> fields) {
  std::uint64_t h = 0x646f6d61696e0000ULL ^ fields.size();  // "domain"
  for (const TraceField& f : fields) h = hash_combine(h, f.digest());
  return h;
}

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void on_event(const TraceEvent& event) = 0;
};

class Trace {
 public:
  // A runtime event.
  void record(Time time, NodeId node, TraceKind kind, std::uint64_t digest) { fold(time, node, kind, digest, {}); }
  // A domain event: its digest is the hash of its values, and a sink sees
  // the values themselves.
  void record(Time time, NodeId node, TraceKind kind, std::span<const TraceField> fields) {
    fold(time, node, kind, fields_digest(fields), fields);
  }

  // The running state, finalized so that every bit depends on every event.
  std::uint64_t hash() const { return mix64(state_ ^ events_); }
  std::uint64_t events() const { return events_; }
  void set_sink(TraceSink* sink) { sink_ = sink; }

 private:
  // On the hot path of every event: two multiplies on the running state; the
  // event's own fields are mixed off that dependency chain.
  void fold(Time time, NodeId node, TraceKind kind, std::uint64_t digest, std::span<const TraceField> fields) {
    const std::uint64_t mixed = kind.id() ^ (static_cast<std::uint64_t>(node) * 0x9e3779b97f4a7c15ULL) ^
                                (digest * 0xc2b2ae3d27d4eb4fULL);
    state_ = (rotl(state_, 23) ^ static_cast<std::uint64_t>(time.ns())) * 0xff51afd7ed558ccdULL;
    state_ = (state_ ^ mixed ^ (state_ >> 29)) * 0xc4ceb9fe1a85ec53ULL;
    ++events_;
    if (sink_ != nullptr) sink_->on_event(TraceEvent{time, node, kind, digest, fields});
  }

  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_ = 0x77656972'74726163ULL;  // "weirtrac"
  std::uint64_t events_ = 0;
  TraceSink* sink_ = nullptr;
};

}  // namespace weir::sim
