// ComparingSink: a sim::TraceSink that checks a live run, event by event,
// against a recorded trace and keeps the first divergence.
//
// Borrows the TraceFile, which must outlive the sink. After the run, call
// finish(): a live run that stopped before the recording ends diverges there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/replay/trace_file.h"
#include "weir/sim/trace.h"

namespace weir::replay {

// An event described for people; `present` is false past the end of a run.
struct EventView {
  bool present = false;
  std::int64_t time_ns = 0;
  std::uint32_t node = 0;
  std::string kind;
  std::uint64_t digest = 0;
};

struct Divergence {
  std::uint64_t index = 0;  // of the first event that differs
  EventView recorded;
  EventView replayed;
};

class ComparingSink final : public sim::TraceSink {
 public:
  explicit ComparingSink(const TraceFile& recorded);

  void on_event(const sim::TraceEvent& event) override;
  // Call once the live run is over.
  void finish();

  const std::optional<Divergence>& divergence() const { return divergence_; }
  std::uint64_t events() const { return seen_; }

 private:
  EventView recorded_view(std::uint64_t index) const;

  const TraceFile& recorded_;
  std::vector<std::uint64_t> kind_ids_;  // fnv1a64 of each recorded kind name
  std::uint64_t seen_ = 0;
  std::optional<Divergence> divergence_;
};

// "event 12 t=1.500000000s node kafka-broker-1 kind rpc.deliver digest 00ab..",
// or "event 12: none (the run ended)"; names from `node_names` (by id).
std::string describe(std::uint64_t index, const EventView& event, const std::vector<std::string>& node_names);

}  // namespace weir::replay
