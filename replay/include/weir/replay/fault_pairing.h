// FaultPairing: which fault.applied and fault.healed events of a trace file
// are one fault's start and end, from the trace alone.
//
// What the events carry: the fault injector (scenarios/fault_injector.h)
// records both at the fault's first target node (sim::kNoNode for network,
// zone and object-store faults), with one digest for both,
// fault_trace_digest(kind, target name). An application and its heal share that
// key (node, digest); the fault's duration is not in the trace.
//
// Per key, the events fall into groups: from an application made while no
// fault of the key was active, to the heal that leaves none active. A group
// of one application and one heal is that fault's span: a pair. In a group
// where faults of one key overlapped (the same kind and target, e.g. two
// network_drop faults of a swarm), each heal could end either application
// and the trace does not say which, so its events stay unpaired. So do an
// application that no heal of its own ends (fault.healed_all healed it, or
// the trace ends first) and a heal with no application.
//
// A pure function of the file; the result holds event indices only.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "weir/replay/trace_file.h"

namespace weir::replay {

// The kinds' names as scenarios::kTraceFaultApplied and friends spell them.
inline constexpr std::string_view kFaultAppliedKind{"fault.applied"};
inline constexpr std::string_view kFaultHealedKind{"fault.healed"};
inline constexpr std::string_view kFaultsHealedAllKind{"fault.healed_all"};

struct FaultPairing {
  // Event index -> the other event of its pair (applied -> healed and back).
  std::map<std::uint64_t, std::uint64_t> partner;
  // fault.applied and fault.healed events in no pair, ascending.
  std::vector<std::uint64_t> unpaired;

  std::uint64_t pairs() const { return partner.size() / 2; }
};

FaultPairing pair_faults(const TraceFile& file);

}  // namespace weir::replay
