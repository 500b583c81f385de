// MetadataImage: the cluster metadata the controller decides and the brokers
// cache: every partition's state and every broker's registration, at a
// version (the number of deltas the controller has committed).
//
// The controller changes it only by committing MetadataDeltas, which it also
// persists (encode_delta) and pushes to brokers. A broker accepts each part of
// a delta only if it is newer than what it holds (partition_epoch for a
// partition, changed_at for a broker), so deltas and snapshots may arrive
// late, twice or out of order. A value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "weir/models/kafka/classic/partition_state.h"

namespace weir::models::kafka::classic {

struct BrokerRegistration {
  std::uint64_t incarnation = 0;  // 0: has not registered yet
  bool fenced = false;            // fenced brokers lead nothing and join no ISR
  std::uint64_t changed_at = 0;   // metadata version of the last change
};

struct MetadataDelta {
  std::uint64_t base_version = 0;  // the version it follows; 0 for a full snapshot
  std::uint64_t version = 0;
  std::vector<std::pair<std::uint32_t, PartitionState>> partitions;  // by partition index
  std::vector<std::pair<std::uint32_t, BrokerRegistration>> brokers; // by broker index

  bool empty() const { return partitions.empty() && brokers.empty(); }
  std::uint64_t wire_bytes() const;
  std::uint64_t digest() const;
};

struct MetadataImage {
  std::vector<PartitionState> partitions;
  std::vector<BrokerRegistration> brokers;
  std::uint64_t version = 0;

  bool live(std::size_t broker) const { return !brokers[broker].fenced; }
  MetadataDelta snapshot() const;
  // Each returns whether it changed anything.
  bool accept(std::uint32_t partition, const PartitionState& state);
  bool accept(std::uint32_t broker, const BrokerRegistration& registration);
  // After accepting a delta's parts: the image is complete up to the delta's
  // version only if nothing between was missed.
  void advance_version(const MetadataDelta& delta);
};

// The controller's metadata log: one framed, checksummed delta per commit.
void encode_delta(const MetadataDelta& delta, std::string& out);
// Decodes the delta at `*position` and advances it; nothing if torn or corrupt.
std::optional<MetadataDelta> decode_delta(std::string_view log, std::size_t* position);

}  // namespace weir::models::kafka::classic
