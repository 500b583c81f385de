#include "weir/sim/network.h"

#include <algorithm>

#include "weir/sim/errors.h"
#include "weir/sim/simulation.h"

namespace weir::sim {
namespace {

bool member(const std::vector<bool>& group, NodeId node) { return node < group.size() && group[node]; }

std::vector<bool> membership(const std::vector<NodeId>& nodes, std::size_t node_count) {
  std::vector<bool> group(node_count, false);
  for (NodeId n : nodes) {
    if (n < node_count) group[n] = true;
  }
  return group;
}

}  // namespace

Network::Network(Simulation& sim, NetworkOptions options)
    : sim_(sim), options_(std::move(options)), random_(sim.random("network")) {}

void Network::add_node(NodeId node) {
  zone_of_.resize(std::max<std::size_t>(zone_of_.size(), node + 1));
  zone_of_[node] = zone_index(sim_.node(node).zone());
}

std::uint32_t Network::zone_index(const std::string& zone) {
  const auto it = std::find(zones_.begin(), zones_.end(), zone);
  if (it != zones_.end()) return static_cast<std::uint32_t>(it - zones_.begin());
  zones_.push_back(zone);
  for (auto& row : zone_bytes_) row.push_back(0);
  zone_bytes_.emplace_back(zones_.size(), 0);
  return static_cast<std::uint32_t>(zones_.size() - 1);
}

// ---------------------------------------------------------------- endpoints

void Network::listen_erased(NodeId node, std::string_view port, MessageHandler handler) {
  listeners_.set(node, port, std::make_shared<const MessageHandler>(std::move(handler)));
}

void Network::serve_erased(NodeId node, std::string_view service, RpcHandler handler) {
  services_.set(node, service, std::make_shared<const RpcHandler>(std::move(handler)));
}

void Network::node_crashed(NodeId node) {
  listeners_.clear(node);
  services_.clear(node);
  std::erase_if(pending_calls_, [node](const auto& entry) { return entry.second.caller == node; });
}

// ---------------------------------------------------------------- sending

void Network::send_erased(NodeId from, NodeId to, std::string_view port, AnyPayload payload) {
  transmit(Envelope{Kind::message, from, to, 0, port, 0, std::move(payload)});
}

std::optional<Network::AnyPayload> Network::call_erased(NodeId from, NodeId to, std::string_view service,
                                                        AnyPayload request, Duration timeout) {
  const std::uint64_t call_id = next_call_id_++;
  transmit(Envelope{Kind::request, from, to, 0, service, call_id, std::move(request)});
  const WakeToken waiter = sim_.prepare_park();
  pending_calls_[call_id] = PendingCall{from, waiter, std::nullopt};
  sim_.park_until(sim_.now() + timeout);
  const auto it = pending_calls_.find(call_id);
  if (it == pending_calls_.end()) return std::nullopt;
  std::optional<AnyPayload> reply = std::move(it->second.reply);
  pending_calls_.erase(it);
  return reply;
}

void Network::transmit(Envelope envelope) {
  ++messages_sent_;
  const NodeId from = envelope.from;
  const NodeId to = envelope.to;
  const std::uint64_t digest = hash_combine(envelope.payload.digest, envelope.call_id);
  count_bytes(from, to, envelope.payload);
  if (!reachable(from, to) || random_.bernoulli(options_.drop_probability)) {
    ++messages_dropped_;
    sim_.record(from, kTraceNetDrop, digest);
    return;
  }
  envelope.to_incarnation = sim_.node(to).incarnation();
  const bool duplicate = random_.bernoulli(options_.duplicate_probability);
  const int copies = duplicate ? 2 : 1;
  for (int copy = 0; copy < copies; ++copy) {
    const Time arrival = sim_.now() + link_delay(from, to);
    Envelope e = copy + 1 < copies ? envelope : std::move(envelope);
    sim_.schedule(arrival, kNoNode, kTraceNetDeliver, digest, [this, e = std::move(e)]() mutable {
      deliver(std::move(e));
    });
  }
}

Duration Network::link_delay(NodeId from, NodeId to) {
  const bool same_zone = zone_of_[from] == zone_of_[to];
  Duration delay = (same_zone ? options_.same_zone : options_.cross_zone).sample(random_);
  if (random_.bernoulli(options_.delay_probability)) delay += options_.extra_delay.sample(random_);
  if (!options_.fifo_links) return delay;
  // FIFO: never arrive before an earlier message on the same link.
  std::int64_t& last = last_arrival_ns_[(std::uint64_t{from} << 32) | to];
  const std::int64_t arrival = std::max(sim_.now().ns() + delay.ns(), last);
  last = arrival;
  return Duration::nanoseconds(arrival - sim_.now().ns());
}

void Network::count_bytes(NodeId from, NodeId to, const AnyPayload& payload) {
  zone_bytes_[zone_of_[from]][zone_of_[to]] += payload.bytes;
  if (zone_of_[from] == zone_of_[to] || payload.bytes == 0) return;
  const auto it = cross_by_traffic_.find(payload.traffic);
  if (it != cross_by_traffic_.end()) {
    it->second += payload.bytes;
  } else {
    cross_by_traffic_.emplace(std::string(payload.traffic), payload.bytes);
  }
}

void Network::deliver(Envelope envelope) {
  const Node& receiver = sim_.node(envelope.to);
  const bool receiver_gone = !receiver.up() || receiver.incarnation() != envelope.to_incarnation;
  if (receiver_gone || !reachable(envelope.from, envelope.to)) {
    ++messages_dropped_;
    sim_.record(envelope.to, kTraceNetDrop, envelope.call_id);
    return;
  }
  switch (envelope.kind) {
    case Kind::message: {
      if (const auto* found = listeners_.find(envelope.to, envelope.port)) {
        const std::shared_ptr<const MessageHandler> handler = *found;
        (*handler)(envelope.from, std::move(envelope.payload));
      }
      break;
    }
    case Kind::request:
      dispatch_request(std::move(envelope));
      break;
    case Kind::reply:
      dispatch_reply(std::move(envelope));
      break;
  }
}

void Network::dispatch_request(Envelope envelope) {
  const auto* found = services_.find(envelope.to, envelope.port);
  if (found == nullptr) return;  // nothing listens: the caller times out
  std::shared_ptr<const RpcHandler> handler = *found;
  const NodeId server = envelope.to;
  sim_.spawn(server, [this, handler = std::move(handler), e = std::move(envelope)]() mutable {
    AnyPayload response = (*handler)(e.from, e.payload.body);
    transmit(Envelope{Kind::reply, e.to, e.from, 0, e.port, e.call_id, std::move(response)});
  });
}

void Network::dispatch_reply(Envelope envelope) {
  const auto it = pending_calls_.find(envelope.call_id);
  if (it == pending_calls_.end() || it->second.reply) return;  // late or duplicate
  it->second.reply = std::move(envelope.payload);
  sim_.wake(it->second.waiter);
}

// ---------------------------------------------------------------- faults

PartitionId Network::partition(const std::vector<NodeId>& a, const std::vector<NodeId>& b, bool one_way) {
  const PartitionId id = next_partition_id_++;
  partitions_.push_back(Partition{id, membership(a, zone_of_.size()), membership(b, zone_of_.size()), one_way});
  sim_.record(kNoNode, kTraceNetPartition, id);
  return id;
}

PartitionId Network::isolate(NodeId node) {
  std::vector<NodeId> others;
  for (NodeId n = 0; n < zone_of_.size(); ++n) {
    if (n != node) others.push_back(n);
  }
  return partition({node}, others);
}

PartitionId Network::isolate_zone(std::string_view zone) {
  std::vector<NodeId> inside;
  std::vector<NodeId> outside;
  for (NodeId n = 0; n < zone_of_.size(); ++n) {
    (zones_[zone_of_[n]] == zone ? inside : outside).push_back(n);
  }
  return partition(inside, outside);
}

void Network::repair(PartitionId id) {
  std::erase_if(partitions_, [id](const Partition& p) { return p.id == id; });
  sim_.record(kNoNode, kTraceNetRepair, id);
}

void Network::repair_all() {
  partitions_.clear();
  sim_.record(kNoNode, kTraceNetRepair, 0);
}

bool Network::reachable(NodeId from, NodeId to) const {
  for (const Partition& p : partitions_) {
    if (member(p.a, from) && member(p.b, to)) return false;
    if (!p.one_way && member(p.b, from) && member(p.a, to)) return false;
  }
  return true;
}

// ---------------------------------------------------------------- accounting

std::uint64_t Network::bytes_between(std::string_view from_zone, std::string_view to_zone) const {
  const auto from = std::find(zones_.begin(), zones_.end(), from_zone);
  const auto to = std::find(zones_.begin(), zones_.end(), to_zone);
  if (from == zones_.end() || to == zones_.end()) return 0;
  return zone_bytes_[from - zones_.begin()][to - zones_.begin()];
}

std::uint64_t Network::cross_zone_bytes() const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < zones_.size(); ++i) {
    for (std::size_t j = 0; j < zones_.size(); ++j) {
      if (i != j) total += zone_bytes_[i][j];
    }
  }
  return total;
}

}  // namespace weir::sim
