// TraceFile: a recorded run in memory, as TraceReader returns it and the
// replay compares against.
//
// On disk (replay/proto/trace.proto for the messages):
//   magic "WEIRTRC\0" (8 bytes) | format version, u32 little-endian |
//   records: type byte ('H' header, 'E' event batch, 'F' footer), varint
//            length, that many bytes of the message |
//   trailer: FNV-1a 64 of every preceding byte, u64 little-endian.
// Exactly one header first, any number of event batches, one footer last.
// The trailer covers every byte, so any one-byte edit is detected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir::replay {

inline constexpr std::string_view kTraceMagic{"WEIRTRC\0", 8};
inline constexpr std::uint32_t kTraceFormatVersion = 1;

// How the run was started: enough to run it again.
struct TraceHeader {
  std::uint32_t format_version = kTraceFormatVersion;
  std::string weir_version;
  std::string scenario;                // the name or path as given
  std::string scenario_spec_text;      // the resolved spec, text format
  std::uint64_t seed = 0;
  std::vector<std::string> overrides;  // "PATH=VALUE", already in the spec text
};

// One event; `kind` indexes TraceFile::kinds.
struct RecordedEvent {
  std::int64_t time_ns = 0;
  std::uint32_t node = 0;
  std::uint32_t kind = 0;
  std::uint64_t digest = 0;
};

struct TraceFile {
  TraceHeader header;
  std::vector<std::string> kinds;  // kind names, in order of first use
  std::vector<RecordedEvent> events;
  std::uint64_t trace_hash = 0;
  std::string history;                  // properties::save_history bytes
  std::vector<std::string> node_names;  // by node id
  std::vector<std::string> node_zones;  // by node id; empty in files older than the field

  const std::string& kind_name(const RecordedEvent& event) const { return kinds[event.kind]; }
};

}  // namespace weir::replay
