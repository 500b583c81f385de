// TraceWriter: a sim::TraceSink that writes a trace file (trace_file.h).
//
// Writes go to PATH.tmp; finish() writes the footer and renames the file to
// PATH. A run that never finishes (a crash, an exception) leaves no file at
// PATH, so a file at PATH is always whole. Destroying an unfinished writer
// removes PATH.tmp. I/O errors are remembered and reported by finish(); the
// sink never throws into the simulation. Attach it with
// Simulation::trace().set_sink; it must outlive that simulation's run.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "weir/replay/trace_file.h"
#include "weir/sim/trace.h"

namespace weir::replay {

// What finish() appends after the events.
struct TraceEnding {
  std::uint64_t trace_hash = 0;
  std::string history;                  // properties::save_history bytes
  std::vector<std::string> node_names;  // by node id
  std::vector<std::string> node_zones;  // by node id
  std::vector<properties::Violation> violations;
};

class TraceWriter final : public sim::TraceSink {
 public:
  // Opens PATH.tmp and writes the header; header.weir_version and
  // header.format_version are filled in here.
  TraceWriter(std::string path, TraceHeader header);
  ~TraceWriter() override;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void on_event(const sim::TraceEvent& event) override;

  // Writes the footer and trailer, closes, renames PATH.tmp to PATH.
  // Returns a one-line error (and removes PATH.tmp) if any write failed.
  std::optional<std::string> finish(const TraceEnding& ending);

  std::uint64_t events() const { return events_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  static constexpr std::size_t kBatchEvents = 4096;

  void write_record(char type, const std::string& message);
  void write_raw(std::string_view bytes);
  void flush_batch();
  void append_values(std::span<const sim::TraceField> fields);
  std::uint32_t kind_index(const sim::TraceKind& kind);

  std::string path_;
  std::string temp_path_;
  std::ofstream out_;
  std::optional<std::string> error_;
  bool finished_ = false;
  std::uint64_t checksum_;
  std::uint64_t events_ = 0;
  std::int64_t last_time_ns_ = 0;
  std::unordered_map<std::uint64_t, std::uint32_t> kind_by_id_;  // looked up, never iterated
  std::uint32_t kinds_ = 0;
  // The current batch, column by column.
  std::vector<std::int64_t> time_delta_ns_;
  std::vector<std::uint32_t> node_;
  std::vector<std::uint32_t> kind_;
  std::vector<std::uint64_t> digest_;
  std::vector<std::string> new_kinds_;
  std::vector<std::string> new_kind_texts_;
  std::vector<std::uint32_t> field_count_;
  std::vector<std::uint64_t> text_mask_;
  std::vector<std::int64_t> numbers_;
  std::vector<std::string> texts_;
};

}  // namespace weir::replay
