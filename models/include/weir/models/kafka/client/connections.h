// Connections: the connections a Kafka client holds to brokers, one per
// broker and kind of request, as franz-go keeps separate produce, fetch,
// group and other connections to each broker.
//
// A connection is dialed on first use. A request that gets no answer closes
// its connection (franz-go kills a connection whose request hit its
// deadline), so the next request to that broker dials again. A dial reaches
// a broker that is up and reachable both ways at once (a handshake takes a
// round trip, negligible here); to one that is down or cut off it fails after
// the dial timeout (kgo.DialTimeout; Mimir -ingest-storage.kafka.dial-timeout,
// 2 s), with nothing sent. Without this, every request to such a broker
// would wait out its whole request timeout (12 s for a Produce, 15 s for a
// Fetch) before the client could try again.
//
// Ownership: a member of one client (Producer core, Consumer, MetadataCache);
// `call` blocks the calling fiber, which runs on the client's node.
#pragma once

#include <set>
#include <string>
#include <utility>

#include "weir/sim/network.h"
#include "weir/sim/simulation.h"
#include "weir/sim/time.h"

namespace weir::models::kafka {

class Connections {
 public:
  Connections(sim::Simulation& sim, sim::NodeId self, sim::Duration dial_timeout)
      : sim_(sim), self_(self), dial_timeout_(dial_timeout) {}

  // Sends `request` to `to`'s `service` over its connection, dialing first
  // when none is open; a failed dial or an unanswered request is a timeout.
  template <sim::RpcRequest Request>
  sim::RpcResult<sim::ReplyOf<Request>> call(sim::NodeId to, sim::Payload<Request> request, sim::Duration timeout) {
    const Key key{to, Request::kService};
    if (!open_.contains(key) && !dial(to)) return sim::RpcResult<sim::ReplyOf<Request>>::timed_out();
    auto reply = sim_.network().call(self_, to, std::move(request), timeout);
    if (reply.ok()) {
      open_.insert(key);
    } else {
      open_.erase(key);
    }
    return reply;
  }

 private:
  using Key = std::pair<sim::NodeId, std::string_view>;  // a request type's kService
  bool dial(sim::NodeId to);

  sim::Simulation& sim_;
  sim::NodeId self_;
  sim::Duration dial_timeout_;
  std::set<Key> open_;
};

}  // namespace weir::models::kafka
