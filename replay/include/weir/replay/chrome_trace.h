// Chrome trace export: a trace file's recorded events as Chrome Trace Event
// Format JSON (the object form, {"traceEvents": [...]}), which
// ui.perfetto.dev and chrome://tracing open. Reads only the TraceFile (the
// file must outlive the call); nothing is re-run.
//
// Layout: one process per zone ("pid", a process_name metadata event naming
// the zone; zones sorted by name), then "no zone" for nodes of an unknown
// zone, then "system" (events of no node). One thread per node ("tid",
// unique across processes, a thread_name naming the node, e.g.
// ingester-zone-a-1; no tid equals a pid). Metadata names every node, zone
// and track that can hold an event passing the filter's node, zone and
// partition parts.
//
// Events: every recorded event that passes the filter (the timeline's:
// timeline_matches) is exactly one trace event, in the file's order, at its
// simulated time: "ts" in microseconds with the nanoseconds as three
// decimals, named by its kind, args {digest: 16 hex digits, index: its
// position in the file, and for a domain event text: its sentence}. Most are instant events ("ph":"i", "s":"t") on
// their node's thread. A fault that FaultPairing pairs, with both events
// passing the filter, is a slice instead, named by its label (options), else
// by the fault and target its domain event names, else "fault": "B" at its application (args {digest, index, node}), "E" at its
// heal (args {healed_index}), on a track of its own per (node, digest) in
// the node's process (system's for faults of no node), so its slices never
// overlap, which the format requires of one thread's slices. Every other
// fault.applied / fault.healed event is an instant on the "faults" thread
// of the system process, with the node's name (and the label) in its args.
//
// Deterministic: the same file and options give the same bytes. Output is
// streamed through a fixed buffer, so memory does not grow with the trace.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <variant>

#include "weir/replay/timeline.h"
#include "weir/replay/trace_file.h"

namespace weir::replay {

struct ChromeTraceOptions {
  TimelineFilter filter;  // which events; validate() it first
  // Names for faults by the digest of their events, e.g. "broker_crash
  // kafka-b1" (scenarios::fault_trace_labels). Default: none; a fault slice
  // is then named "fault" and its track by the digest.
  std::map<std::uint64_t, std::string> fault_labels;
};

struct ChromeTraceStats {
  std::uint64_t events = 0;        // recorded events written (metadata not counted)
  std::uint64_t fault_slices = 0;  // B/E pairs among them
  std::uint64_t bytes = 0;         // of the JSON
};

// Writes the JSON to `out`. The caller checks `out` for write errors.
ChromeTraceStats write_chrome_trace(const TraceFile& file, const ChromeTraceOptions& options, std::FILE* out);

// Writes the JSON to PATH.tmp, then renames it to PATH. On any failure
// PATH.tmp is removed, PATH is left as it was, and the result is a one-line
// error naming the path and the problem.
std::variant<ChromeTraceStats, std::string> export_chrome_trace(const TraceFile& file,
                                                                const ChromeTraceOptions& options,
                                                                const std::string& path);

}  // namespace weir::replay
