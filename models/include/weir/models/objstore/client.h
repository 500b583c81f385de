// ObjectStoreClient: how a node's process talks to the object store.
//
// Owned by the caller's process (it dies with it). Each call blocks the
// calling fiber, which must run on the owning node, until the endpoint
// answers or the request timeout passes. Requests go to the endpoint of the
// owner's zone (no cross-zone bytes); only with `fail_over_to_other_zones`
// does a refused request try the other zones' endpoints. The client never
// retries a SlowDown or a timeout by itself: callers choose their policy.
// Copies the endpoint list at construction, so the ObjectStore need not
// outlive the client (only the Simulation's run).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/objstore/messages.h"
#include "weir/models/objstore/object_store.h"
#include "weir/models/objstore/results.h"
#include "weir/sim/rpc.h"
#include "weir/sim/simulation.h"

namespace weir::models::objstore {

struct ObjectStoreClientOptions {
  // A request with no answer by then is a timeout (ambiguous for writes).
  sim::Duration request_timeout = sim::Duration::seconds(10);
  // On ObjectStatus::unavailable, try the endpoints of the other zones in turn.
  bool fail_over_to_other_zones = false;

  std::optional<std::string> validate() const;
};

class ObjectStoreClient {
 public:
  // Throws std::invalid_argument when the options are invalid.
  ObjectStoreClient(sim::Simulation& sim, sim::NodeId owner, const ObjectStore& store,
                    ObjectStoreClientOptions options = {});

  PutResult put(const std::string& key, std::string data);
  PutResult put_shared(const std::string& key, std::shared_ptr<const std::string> data);
  GetResult get(const std::string& key);
  GetResult get_range(const std::string& key, std::uint64_t offset, std::uint64_t length);
  // Every key with `prefix`, following LIST pages (one request per page).
  ListResult list(const std::string& prefix);
  DeleteResult remove(const std::string& key);

  sim::NodeId local_endpoint() const { return endpoints_.front(); }

 private:
  template <class Request>
  sim::ReplyOf<Request> call(const Request& request, std::uint64_t request_bytes, std::uint64_t digest);

  sim::Simulation& sim_;
  sim::NodeId owner_;
  std::vector<sim::NodeId> endpoints_;  // the zone-local one first
  ObjectStoreClientOptions options_;
};

}  // namespace weir::models::objstore
