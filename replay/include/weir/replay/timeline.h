// The timeline of a trace file: its events as readable lines, one per event,
// optionally filtered by node, zone, partition and time window. Reads only
// the TraceFile (nothing is re-run); the file must outlive the Timeline.
//
// By default it shows the domain events, what the modelled systems did:
//   "5.012345 kafka-broker-1 zone-b kafka.classic.appended: leader appended offsets 3..5 of partition 0 at epoch 2"
// ("SECONDS NODE ZONE KIND: SENTENCE"). With `runtime` it adds the runtime's
// own events (fibers woken, messages delivered), shown by their digest:
//   "5.012345 distributor-zone-a zone-a fiber.wake 00ab34cd00ab34cd"
// A file with no domain events (format version 1) shows every event.
// Seconds to 6 decimals, "system" for events of no node, "-" for an unknown
// zone, the digest as 16 hex digits.
//
// Filters: AND across kinds of filter, OR within one kind; an empty kind of
// filter matches everything.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/replay/event_text.h"
#include "weir/replay/trace_file.h"

namespace weir::replay {

struct TimelineFilter {
  std::vector<std::string> nodes;       // exact node names ("system" for no node)
  std::vector<std::string> zones;       // exact zones, e.g. "zone-a"
  // Partition numbers as text: "P" matches the domain events about
  // partition P and every event of its ingesters, i.e. nodes whose name
  // starts with "ingester-" and ends in "-P" ("ingester-zone-a-13" is P 13).
  std::vector<std::string> partitions;
  bool runtime = false;  // also the runtime events
  std::optional<double> from_seconds;  // inclusive; default: the start
  std::optional<double> to_seconds;    // exclusive; default: the end

  // An error message if a bound is negative, not finite, or from > to.
  std::optional<std::string> validate() const;
};

// The zone recorded for `node` in the footer, else the "zone-X" segment of its
// name ("ingester-zone-a-13" -> "zone-a"), else "" (unknown).
std::string node_zone(const TraceFile& file, std::uint32_t node);
std::string zone_from_name(std::string_view name);
// The node's name, "system" for sim::kNoNode, "node#N" if the footer lacks it.
std::string node_label(const TraceFile& file, std::uint32_t node);

class Timeline {
 public:
  Timeline(const TraceFile& file, TimelineFilter filter);

  bool matches(const RecordedEvent& event) const;
  std::string line(const RecordedEvent& event) const;
  // Writes the matching events' lines to `out`; returns how many.
  std::uint64_t print(std::FILE* out) const;
  const EventText& text() const { return text_; }

 private:
  bool matches_partition(const RecordedEvent& event, const std::string& name) const;

  const TraceFile& file_;
  TimelineFilter filter_;
  EventText text_;
  bool show_runtime_;
};

}  // namespace weir::replay
