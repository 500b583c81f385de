// Basic vocabulary of a recorded history.
//
// Contract: plain aliases only. Times are simulated-clock nanoseconds (the
// sim's integer clock); sample timestamps are Prometheus milliseconds. A
// SeriesId is a 64-bit digest of the series' labels that identifies the
// series across tenants (models fold the tenant into the digest).
#pragma once

#include <cstdint>

namespace weir::properties {

using SimTime = std::int64_t;      // simulated time, nanoseconds since the run began
using SimDuration = std::int64_t;  // simulated duration, nanoseconds
using SeriesId = std::uint64_t;    // digest of (tenant, labels)
using TimestampMs = std::int64_t;  // Prometheus sample timestamp, milliseconds
using WriteId = std::uint64_t;     // index of the write in History::writes()
using ReadId = std::uint64_t;      // index of the read in History::reads()
using PartitionId = std::int32_t;  // Kafka partition number
using Offset = std::int64_t;       // Kafka record offset
using RecordDigest = std::uint64_t;  // digest of a Kafka record's key and value

inline constexpr SimDuration kNanosPerMilli = 1'000'000;
inline constexpr SimDuration kNanosPerSecond = 1'000'000'000;

}  // namespace weir::properties
