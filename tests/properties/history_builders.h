// Test helpers: small builders for hand-made histories, and matchers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/properties.h"

namespace weir::properties::testing {

constexpr SimTime secs(std::int64_t n) { return n * kNanosPerSecond; }
constexpr SimTime millis(std::int64_t n) { return n * kNanosPerMilli; }

// What a correct system returns for these runs: one result per series, sorted.
std::vector<SeriesResult> results_of(const std::vector<SampleRun>& runs);

ReadSelector select(std::vector<SeriesId> series, TimestampMs start_ms, TimestampMs end_ms);

WriteId add_write(History& history, SimTime invoked, SimTime completed, WriteOutcome outcome,
                  std::vector<SampleRun> runs);
WriteId add_acked_write(History& history, SimTime invoked, SimTime acked,
                        std::vector<SampleRun> runs);

ReadId add_read(History& history, ReadConsistency consistency, ReadSelector selector,
                SimTime invoked, SimTime completed, std::string zone,
                std::vector<SeriesResult> result, bool final_drain = false);
ReadId add_final_read(History& history, std::string zone, ReadSelector selector, SimTime at,
                      std::vector<SeriesResult> result);

// Removes the sample at (series, ts) from a result list.
void erase_sample(std::vector<SeriesResult>& result, SeriesId series, TimestampMs ts);

// The violations of one property.
std::vector<Violation> of_property(const std::vector<Violation>& violations, std::string_view id);

// "a; b; c" for failure output.
std::string describe(const std::vector<Violation>& violations);

}  // namespace weir::properties::testing
