// What the log and the ingesters did, per partition and per (zone, partition).
//
// Contract: IngesterEvents are kept in the order recorded, which is simulated
// time order. `applied` means the ingester consumed the record at `offset`
// (even if TSDB rejected some of its samples); `committed` means it committed
// `offset` as the last record consumed; `restarted` means it (re)started and
// resumed consuming at `offset` (the first start of an ingester may be
// recorded as a restart too). Offsets follow Kafka: a partition's log holds
// offsets [start_offset, end_offset), end_offset being the log end offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "weir/properties/types.h"

namespace weir::properties {

// commit_attempted: a commit request sent; until a `committed` event at or
// past it confirms it, it is ambiguous like a timed-out write (the log may
// have stored it), so a restart may resume right after it.
enum class IngesterEventKind : std::uint8_t { applied = 0, committed = 1, restarted = 2, commit_attempted = 3 };

std::string_view to_string(IngesterEventKind kind);

struct IngesterEvent {
  std::string zone;
  PartitionId partition = 0;
  IngesterEventKind kind = IngesterEventKind::applied;
  SimTime at = 0;
  Offset offset = 0;        // applied / committed offset, or the offset resumed at
  RecordDigest digest = 0;  // applied only
  bool operator==(const IngesterEvent&) const = default;
};

// The log acknowledged a produce: the record with `digest` is at `offset`.
struct LogAck {
  PartitionId partition = 0;
  Offset offset = 0;
  RecordDigest digest = 0;
  SimTime acked_at = 0;
  bool operator==(const LogAck&) const = default;
};

// A partition's log at the end of the run.
struct LogBounds {
  PartitionId partition = 0;
  Offset start_offset = 0;  // first offset still in the log
  Offset end_offset = 0;    // log end offset: one past the last record
  bool operator==(const LogBounds&) const = default;
};

}  // namespace weir::properties
