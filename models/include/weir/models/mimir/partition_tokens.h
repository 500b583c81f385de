// The tokens of each partition on Mimir's partition ring.
//
// Mimir does not draw partition tokens at random: dskit's
// PartitionRingDesc.AddPartition (ring/partition_ring_model.go) and the newer
// derived-token scheme (ring/partition_ring_derived_tokens.go) both take them
// from the spread-minimizing token generator (ring/
// spread_minimizing_token_generator.go) with zone id 0: 512 tokens per
// partition, a pure function of the partition id. Partition 0 gets 512
// evenly spaced tokens (multiples of 2^23); partition i then takes, one token
// at a time, the largest remaining range of the partition with the largest
// ownership among 0..i-1, cutting it so that every partition ends up owning
// about 2^32/(i+1) of the ring. Ties break toward the larger token / larger
// partition id (ring/ownership_priority_queue.go), a total order, so the
// result does not depend on heap internals. This file reproduces that
// algorithm, including its integer rounding (token ownerships are multiples
// of 8, the maximum zone count).
//
// Contract: pure and deterministic; generating the tokens of partition N
// costs O(N * 512 * log) because it replays partitions 0..N-1, so callers
// generate a table once for the highest id they need and share it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace weir::models::mimir {

inline constexpr int kTokensPerPartition = 512;

// Distance from token `from` (exclusive) to token `to` (inclusive) clockwise;
// a token's distance to itself is the whole ring, 2^32.
constexpr std::int64_t token_distance(std::uint32_t from, std::uint32_t to) {
  if (from < to) return static_cast<std::int64_t>(to - from);
  return (std::int64_t{1} << 32) - static_cast<std::int64_t>(from) + static_cast<std::int64_t>(to);
}

// The tokens of partitions 0..max_partition_id (index = partition id), each
// sorted ascending. Throws std::invalid_argument if max_partition_id < 0.
std::vector<std::vector<std::uint32_t>> spread_minimizing_tokens(std::int32_t max_partition_id);

// An immutable table of partition tokens, shared by rings and sub-rings.
using PartitionTokenTable = std::shared_ptr<const std::vector<std::vector<std::uint32_t>>>;
PartitionTokenTable make_partition_token_table(std::int32_t max_partition_id);

}  // namespace weir::models::mimir
