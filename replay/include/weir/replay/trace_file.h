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

#include "weir/properties/violation.h"

namespace weir::replay {

inline constexpr std::string_view kTraceMagic{"WEIRTRC\0", 8};
// Version 2 added domain events' sentences and values; version 1 files
// (runtime digests only) are still read.
inline constexpr std::uint32_t kTraceFormatVersion = 2;
inline constexpr std::uint32_t kOldestTraceFormatVersion = 1;
// At most this many values per event (a bit mask marks the texts).
inline constexpr std::uint32_t kMaxEventFields = 64;

// How the run was started: enough to run it again.
struct TraceHeader {
  std::uint32_t format_version = kTraceFormatVersion;
  std::string weir_version;
  std::string scenario;                // the name or path as given
  std::string scenario_spec_text;      // the resolved spec, text format
  std::uint64_t seed = 0;
  std::vector<std::string> overrides;  // "PATH=VALUE", already in the spec text
};

// One event; `kind` indexes TraceFile::kinds. A domain event's values are
// TraceFile::values[first_value, first_value + value_count).
struct RecordedEvent {
  std::int64_t time_ns = 0;
  std::uint32_t node = 0;
  std::uint32_t kind = 0;
  std::uint64_t digest = 0;
  std::uint32_t first_value = 0;
  std::uint32_t value_count = 0;
};

// One value of a domain event: a number, or the text at TraceFile::texts[text].
struct RecordedValue {
  std::int64_t number = 0;
  std::int32_t text = -1;  // -1: a number
  bool is_text() const { return text >= 0; }
};

struct TraceFile {
  TraceHeader header;
  std::vector<std::string> kinds;       // kind names, in order of first use
  std::vector<std::string> kind_texts;  // their sentences; "" for runtime kinds
  std::vector<RecordedEvent> events;
  std::vector<RecordedValue> values;
  std::vector<std::string> texts;
  std::uint64_t trace_hash = 0;
  std::string history;                  // properties::save_history bytes
  std::vector<std::string> node_names;  // by node id
  std::vector<std::string> node_zones;  // by node id; empty in files older than the field
  std::vector<properties::Violation> violations;  // as the run reported them; none in version 1 files

  const std::string& kind_name(const RecordedEvent& event) const { return kinds[event.kind]; }
  // A file older than version 2 (or made by hand) may have no sentences.
  bool is_domain(const RecordedEvent& event) const {
    return event.kind < kind_texts.size() && !kind_texts[event.kind].empty();
  }
};

}  // namespace weir::replay
