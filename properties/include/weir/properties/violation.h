// A property violation and the stable ids of the properties.
//
// Contract: `property` is one of the stable ids below (used in JSON output,
// CI and tests); `message` names the evidence: the sample (series, ts), the
// write or read, the offsets, the zones and the times; `evidence` holds the
// same ids as data, for tools (`weir explain`, --json, trace files), each
// field set only when the violation is about it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/types.h"

namespace weir::properties {

namespace property_id {
inline constexpr std::string_view no_lost_acked_samples = "no_lost_acked_samples";  // 1
inline constexpr std::string_view gapless_replay = "gapless_replay";                // 2
inline constexpr std::string_view identical_ordering = "identical_ordering";        // 3
inline constexpr std::string_view read_after_write = "read_after_write";            // 4
inline constexpr std::string_view no_phantom_samples = "no_phantom_samples";        // 5
inline constexpr std::string_view no_duplicate_samples = "no_duplicate_samples";    // 6
inline constexpr std::string_view liveness = "liveness";                            // 7
inline constexpr std::string_view bounded_staleness = "bounded_staleness";          // 8
inline constexpr std::string_view exact_resume = "exact_resume";                    // 9
// Not a property of the system: the run judged fewer observations of some
// property than the scenario requires (CheckOptions::min_observations).
inline constexpr std::string_view min_observations = "min_observations";
}  // namespace property_id

enum class PropertyKind { safety, liveness };

// liveness for "liveness" and "min_observations" (exit code 2), safety for
// every other id (exit code 1).
PropertyKind property_kind(std::string_view property);
// True for the ids above, min_observations included.
bool is_property(std::string_view name);

// Every member has a default (`{}`), so a designated initializer names just
// the fields it sets.
struct Evidence {
  std::optional<WriteId> write{};
  std::optional<ReadId> read{};
  std::optional<SeriesId> series{};
  std::optional<TimestampMs> sample_ts_ms{};
  std::optional<PartitionId> partition{};
  std::optional<Offset> offset{};
  std::vector<RecordDigest> records{};  // the records it is about, e.g. two at one offset
  std::vector<std::string> zones{};
  std::optional<SimTime> from_ns{};  // when its story starts: the write invoked, the fault healed, ...
  std::optional<SimTime> to_ns{};    // when it showed: the read answered, the drain, ...

  bool empty() const;
  bool operator==(const Evidence&) const = default;
};

struct Violation {
  std::string property;
  std::string message;
  Evidence evidence = {};
  bool operator==(const Violation&) const = default;
};

}  // namespace weir::properties
