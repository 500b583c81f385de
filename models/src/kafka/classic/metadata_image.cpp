#include "metadata_image.h"

#include "byte_codec.h"
#include "weir/sim/hash.h"

namespace weir::models::kafka::classic {
namespace {

constexpr std::uint64_t kPartitionStateBytes = 24;
constexpr std::uint64_t kBrokerRegistrationBytes = 20;

std::uint64_t digest_of(const PartitionState& s) {
  std::uint64_t h = sim::hash_combine(s.leader, static_cast<std::uint64_t>(s.leader_epoch));
  h = sim::hash_combine(h, static_cast<std::uint64_t>(s.partition_epoch));
  for (sim::NodeId n : s.isr) h = sim::hash_combine(h, n);
  return h;
}

void encode_nodes(ByteWriter& w, const std::vector<sim::NodeId>& nodes) {
  w.u32(static_cast<std::uint32_t>(nodes.size()));
  for (sim::NodeId n : nodes) w.u32(n);
}

bool decode_nodes(ByteReader& r, std::vector<sim::NodeId>& nodes) {
  std::uint32_t count = 0;
  if (!r.u32(count) || count > r.remaining() / 4) return false;
  nodes.resize(count);
  for (auto& n : nodes) {
    if (!r.u32(n)) return false;
  }
  return true;
}

void encode_body(const MetadataDelta& d, ByteWriter& w) {
  w.u64(d.base_version);
  w.u64(d.version);
  w.u32(static_cast<std::uint32_t>(d.partitions.size()));
  for (const auto& [index, s] : d.partitions) {
    w.u32(index);
    w.u32(s.leader);
    w.i32(s.leader_epoch);
    w.i32(s.partition_epoch);
    encode_nodes(w, s.replicas);
    encode_nodes(w, s.isr);
  }
  w.u32(static_cast<std::uint32_t>(d.brokers.size()));
  for (const auto& [index, b] : d.brokers) {
    w.u32(index);
    w.u64(b.incarnation);
    w.u32(b.fenced ? 1 : 0);
    w.u64(b.changed_at);
  }
}

bool decode_body(ByteReader& r, MetadataDelta& d) {
  std::uint32_t count = 0;
  if (!r.u64(d.base_version) || !r.u64(d.version) || !r.u32(count)) return false;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t index = 0;
    PartitionState s;
    if (!r.u32(index) || !r.u32(s.leader) || !r.i32(s.leader_epoch) || !r.i32(s.partition_epoch) ||
        !decode_nodes(r, s.replicas) || !decode_nodes(r, s.isr)) {
      return false;
    }
    d.partitions.emplace_back(index, std::move(s));
  }
  if (!r.u32(count)) return false;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t index = 0;
    std::uint32_t fenced = 0;
    BrokerRegistration b;
    if (!r.u32(index) || !r.u64(b.incarnation) || !r.u32(fenced) || !r.u64(b.changed_at)) return false;
    b.fenced = fenced != 0;
    d.brokers.emplace_back(index, b);
  }
  return r.remaining() == 0;
}

}  // namespace

std::uint64_t MetadataDelta::wire_bytes() const {
  std::uint64_t total = 16;
  for (const auto& [index, s] : partitions) total += kPartitionStateBytes + 4 * (s.replicas.size() + s.isr.size());
  return total + kBrokerRegistrationBytes * brokers.size();
}

std::uint64_t MetadataDelta::digest() const {
  std::uint64_t h = sim::hash_combine(base_version, version);
  for (const auto& [index, s] : partitions) h = sim::hash_combine(sim::hash_combine(h, index), digest_of(s));
  for (const auto& [index, b] : brokers) {
    h = sim::hash_combine(h, (static_cast<std::uint64_t>(index) << 1) | (b.fenced ? 1 : 0));
    h = sim::hash_combine(h, b.incarnation);
  }
  return h;
}

MetadataDelta MetadataImage::snapshot() const {
  MetadataDelta d;
  d.version = version;
  for (std::uint32_t i = 0; i < partitions.size(); ++i) d.partitions.emplace_back(i, partitions[i]);
  for (std::uint32_t i = 0; i < brokers.size(); ++i) d.brokers.emplace_back(i, brokers[i]);
  return d;
}

bool MetadataImage::accept(std::uint32_t partition, const PartitionState& state) {
  if (partition >= partitions.size() || state.partition_epoch <= partitions[partition].partition_epoch) return false;
  partitions[partition] = state;
  return true;
}

bool MetadataImage::accept(std::uint32_t broker, const BrokerRegistration& registration) {
  if (broker >= brokers.size() || registration.changed_at <= brokers[broker].changed_at) return false;
  brokers[broker] = registration;
  return true;
}

void MetadataImage::advance_version(const MetadataDelta& delta) {
  if (delta.base_version <= version && delta.version > version) version = delta.version;
}

void encode_delta(const MetadataDelta& delta, std::string& out) {
  std::string body;
  ByteWriter b(body);
  encode_body(delta, b);
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(body.size()));
  w.u64(sim::fnv1a64(body));
  out.append(body);
}

std::optional<MetadataDelta> decode_delta(std::string_view log, std::size_t* position) {
  ByteReader r(log.substr(*position));
  std::uint32_t length = 0;
  std::uint64_t sum = 0;
  if (!r.u32(length) || !r.u64(sum) || length > r.remaining()) return std::nullopt;
  const std::string_view body = log.substr(*position + r.position(), length);
  if (sim::fnv1a64(body) != sum) return std::nullopt;
  ByteReader b(body);
  MetadataDelta d;
  if (!decode_body(b, d)) return std::nullopt;
  *position += r.position() + length;
  return d;
}

}  // namespace weir::models::kafka::classic
