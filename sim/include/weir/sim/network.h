// Network: messages and RPCs between nodes, with zones, latency and faults.
//
// Every message is delivered by a scheduled event after a latency drawn from
// the link's distribution (same zone or cross zone); links are FIFO by
// default, like a TCP connection. A message is lost when the link is
// partitioned at send or at arrival, when the drop fault fires, or when the
// receiver crashed since it was sent (the connection was reset). Bytes are
// counted per (source zone, destination zone) so scenarios can price
// cross-zone traffic. Owned by the Simulation; handlers are volatile state of
// their node and are forgotten when it crashes.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

#include "weir/sim/latency.h"
#include "weir/sim/random.h"
#include "weir/sim/rpc.h"
#include "weir/sim/simulation.h"
#include "weir/sim/time.h"
#include "weir/sim/trace.h"

namespace weir::sim {

struct NetworkOptions {
  Latency same_zone = Latency::lognormal(Duration::microseconds(100), Duration::microseconds(800));
  Latency cross_zone = Latency::lognormal(Duration::microseconds(700), Duration::milliseconds(4));
  bool fifo_links = true;  // false lets a later message overtake an earlier one
  // Fault knobs (default off); may be changed while the simulation runs.
  double drop_probability = 0.0;
  double duplicate_probability = 0.0;
  double delay_probability = 0.0;  // a message gets an extra delay...
  Latency extra_delay = Latency::uniform(Duration(), Duration::milliseconds(200));  // ...drawn from here
};

using PartitionId = std::uint64_t;

inline constexpr TraceKind kTraceNetDeliver{"net.deliver"};
inline constexpr TraceKind kTraceNetDrop{"net.drop"};
inline constexpr TraceKind kTraceNetPartition{"net.partition"};
inline constexpr TraceKind kTraceNetRepair{"net.repair"};

class Network {
 public:
  Network(Simulation& sim, NetworkOptions options);

  // ---- Endpoints (registered by a node's process; cleared when it crashes).
  // A message handler runs as a callback when a message arrives: it must not
  // block. An RPC handler runs in a fresh fiber on the serving node for each
  // request; it may block. One handler per (node, port or service).
  template <OneWayMessage Message>
  void listen(NodeId node, std::function<void(NodeId from, Message message)> handler) {
    listen_erased(node, Message::kPort, [handler = std::move(handler)](NodeId from, AnyPayload payload) {
      handler(from, std::any_cast<Message>(std::move(payload.body)));
    });
  }
  template <RpcRequest Request>
  void serve(NodeId node, std::function<Payload<ReplyOf<Request>>(NodeId from, const Request& request)> handler) {
    serve_erased(node, Request::kService, [handler = std::move(handler)](NodeId from, const std::any& body) {
      return erase(handler(from, *std::any_cast<Request>(&body)));
    });
  }
  // Serves Request with a member function of `server`, which must outlive
  // the registration (a node's process, forgotten when the node crashes):
  //   net.serve(node, this, &Broker::handle_produce);
  template <class Server, RpcRequest Request>
  void serve(NodeId node, Server* server, Payload<ReplyOf<Request>> (Server::*method)(const Request&)) {
    serve<Request>(node, [server, method](NodeId, const Request& request) { return (server->*method)(request); });
  }

  // ---- Sending.
  template <OneWayMessage Message>
  void send(NodeId from, NodeId to, Payload<Message> message) {
    send_erased(from, to, Message::kPort, erase(std::move(message)));
  }
  // Blocks the calling fiber until the reply or the timeout.
  template <RpcRequest Request>
  RpcResult<ReplyOf<Request>> call(NodeId from, NodeId to, Payload<Request> request, Duration timeout) {
    std::optional<AnyPayload> reply = call_erased(from, to, Request::kService, erase(std::move(request)), timeout);
    if (!reply) return RpcResult<ReplyOf<Request>>::timed_out();
    return RpcResult<ReplyOf<Request>>(std::any_cast<ReplyOf<Request>>(std::move(reply->body)));
  }

  // ---- Faults.
  // Blocks traffic from group `a` to group `b`, and from b to a unless one_way.
  PartitionId partition(const std::vector<NodeId>& a, const std::vector<NodeId>& b, bool one_way = false);
  PartitionId isolate(NodeId node);                // from and to every other node
  PartitionId isolate_zone(std::string_view zone); // the zone from the others
  void repair(PartitionId id);
  void repair_all();
  bool reachable(NodeId from, NodeId to) const;
  std::size_t active_partitions() const { return partitions_.size(); }
  NetworkOptions& options() { return options_; }

  // ---- Accounting.
  std::uint64_t bytes_between(std::string_view from_zone, std::string_view to_zone) const;
  std::uint64_t cross_zone_bytes() const;
  // Cross-zone bytes by the payloads' traffic class, in name order.
  std::map<std::string, std::uint64_t, std::less<>> cross_zone_bytes_by_traffic() const { return cross_by_traffic_; }
  std::uint64_t messages_sent() const { return messages_sent_; }
  std::uint64_t messages_dropped() const { return messages_dropped_; }

  // ---- Called by the Simulation.
  void add_node(NodeId node);
  void node_crashed(NodeId node);

 private:
  // What travels inside the network: a payload with its type erased. The
  // typed templates above are the only place a body is cast back, each to the
  // type its port or service names.
  struct AnyPayload {
    std::any body;
    std::uint64_t bytes = 0;
    std::uint64_t digest = 0;
    std::string_view traffic = "other";
  };
  using MessageHandler = std::function<void(NodeId from, AnyPayload payload)>;
  using RpcHandler = std::function<AnyPayload(NodeId from, const std::any& request)>;

  template <class T>
  static AnyPayload erase(Payload<T> payload) {
    return AnyPayload{std::move(payload.body), payload.bytes, payload.digest, payload.traffic};
  }
  void listen_erased(NodeId node, std::string_view port, MessageHandler handler);
  void serve_erased(NodeId node, std::string_view service, RpcHandler handler);
  void send_erased(NodeId from, NodeId to, std::string_view port, AnyPayload payload);
  std::optional<AnyPayload> call_erased(NodeId from, NodeId to, std::string_view service, AnyPayload request,
                                        Duration timeout);

  enum class Kind : std::uint8_t { message, request, reply };
  struct Envelope {
    Kind kind;
    NodeId from;
    NodeId to;
    std::uint32_t to_incarnation;
    std::string_view port;  // a request type's kService or a message's kPort: static storage
    std::uint64_t call_id;
    AnyPayload payload;
  };
  struct Partition {
    PartitionId id;
    std::vector<bool> a;
    std::vector<bool> b;
    bool one_way;
  };
  struct PendingCall {
    NodeId caller;
    WakeToken waiter;
    std::optional<AnyPayload> reply;
  };

  void transmit(Envelope envelope);
  void deliver(Envelope envelope);
  void dispatch_request(Envelope envelope);
  void dispatch_reply(Envelope envelope);
  Duration link_delay(NodeId from, NodeId to);
  std::uint32_t zone_index(const std::string& zone);
  void count_bytes(NodeId from, NodeId to, const AnyPayload& payload);

  Simulation& sim_;
  NetworkOptions options_;
  Random random_;
  std::vector<std::uint32_t> zone_of_;
  std::vector<std::string> zones_;
  std::vector<std::vector<std::uint64_t>> zone_bytes_;
  std::map<std::string, std::uint64_t, std::less<>> cross_by_traffic_;
  // Handlers by node, then port name. A node has a few ports, and every
  // message looks one up: a short list per node, scanned, beats a tree
  // keyed by (node, name). Never iterated across nodes.
  template <class Handler>
  class PortTable {
   public:
    void set(NodeId node, std::string_view port, Handler handler) {
      if (by_node_.size() <= node) by_node_.resize(node + 1);
      for (auto& [name, h] : by_node_[node]) {
        if (name == port) {
          h = std::move(handler);
          return;
        }
      }
      by_node_[node].emplace_back(port, std::move(handler));
    }
    const Handler* find(NodeId node, std::string_view port) const {
      if (node >= by_node_.size()) return nullptr;
      for (const auto& [name, h] : by_node_[node]) {
        if (name == port) return &h;
      }
      return nullptr;
    }
    void clear(NodeId node) {
      if (node < by_node_.size()) by_node_[node].clear();
    }

   private:
    std::vector<std::vector<std::pair<std::string_view, Handler>>> by_node_;
  };

  std::unordered_map<std::uint64_t, std::int64_t> last_arrival_ns_;  // by (from << 32 | to); looked up only
  // Shared: a handler running, or a request in flight, keeps its handler
  // though the node crashes or its table grows meanwhile.
  PortTable<std::shared_ptr<const MessageHandler>> listeners_;
  PortTable<std::shared_ptr<const RpcHandler>> services_;
  std::map<std::uint64_t, PendingCall> pending_calls_;
  std::vector<Partition> partitions_;
  PartitionId next_partition_id_ = 1;
  std::uint64_t next_call_id_ = 1;
  std::uint64_t messages_sent_ = 0;
  std::uint64_t messages_dropped_ = 0;
};

}  // namespace weir::sim
