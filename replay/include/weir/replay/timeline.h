// The timeline of a trace file: its events as readable lines, one per event,
// optionally filtered by node, zone, partition and time window. Reads only
// the TraceFile (nothing is re-run); the file must outlive the calls.
//
// A line: "SECONDS NODE ZONE KIND DIGEST", e.g.
//   "5.012345 distributor-zone-a zone-a kafka.produce 00ab34cd00ab34cd"
// with seconds to 6 decimals, "system" for events of no node, "-" for an
// unknown zone, and the digest as 16 hex digits.
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

#include "weir/replay/trace_file.h"

namespace weir::replay {

struct TimelineFilter {
  std::vector<std::string> nodes;       // exact node names ("system" for no node)
  std::vector<std::string> zones;       // exact zones, e.g. "zone-a"
  // Partition numbers as text: "P" matches ingesters, i.e. nodes whose name
  // starts with "ingester-" and ends in "-P" ("ingester-zone-a-13" is P 13).
  std::vector<std::string> partitions;
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

bool timeline_matches(const TraceFile& file, const TimelineFilter& filter, const RecordedEvent& event);
std::string timeline_line(const TraceFile& file, const RecordedEvent& event);

// Writes the matching events' lines to `out`; returns how many.
std::uint64_t print_timeline(const TraceFile& file, const TimelineFilter& filter, std::FILE* out);

}  // namespace weir::replay
