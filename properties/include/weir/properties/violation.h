// A property violation and the stable ids of the properties.
//
// Contract: `property` is one of the stable ids below (used in JSON output,
// CI and tests); `message` names the evidence: the sample (series, ts), the
// write or read, the offsets, the zones and the times.
#pragma once

#include <string>
#include <string_view>

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

struct Violation {
  std::string property;
  std::string message;
  bool operator==(const Violation&) const = default;
};

}  // namespace weir::properties
