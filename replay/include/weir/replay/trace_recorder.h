// TraceRecorder: a sim::TraceSink that keeps a run's events in memory as a
// TraceFile, the same one TraceReader would return for the run's file (its
// header, node names and footer are the caller's to fill). For tools that
// explain a run just made, without writing a file. Attach it with
// Simulation::trace().set_sink; it must outlive that simulation's run.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "weir/replay/trace_file.h"
#include "weir/sim/trace.h"

namespace weir::replay {

class TraceRecorder final : public sim::TraceSink {
 public:
  void on_event(const sim::TraceEvent& event) override;

  TraceFile& file() { return file_; }

 private:
  std::uint32_t kind_index(const sim::TraceKind& kind);

  TraceFile file_;
  std::unordered_map<std::uint64_t, std::uint32_t> kind_by_id_;  // looked up, never iterated
};

}  // namespace weir::replay
