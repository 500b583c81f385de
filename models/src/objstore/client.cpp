#include "weir/models/objstore/client.h"

#include <stdexcept>

#include <fmt/format.h>

#include "weir/sim/hash.h"
#include "weir/sim/network.h"

namespace weir::models::objstore {

std::optional<std::string> ObjectStoreClientOptions::validate() const {
  if (request_timeout <= sim::Duration()) return "request_timeout must be positive";
  return std::nullopt;
}

ObjectStoreClient::ObjectStoreClient(sim::Simulation& sim, sim::NodeId owner, const ObjectStore& store,
                                     ObjectStoreClientOptions options)
    : sim_(sim), owner_(owner), options_(options) {
  if (auto error = options_.validate()) throw std::invalid_argument(fmt::format("objstore client: {}", *error));
  const sim::NodeId local = store.endpoint_in_zone(sim.node(owner).zone());
  if (local != sim::kNoNode) endpoints_.push_back(local);
  for (sim::NodeId e : store.endpoints()) {
    if (e != local) endpoints_.push_back(e);
  }
}

template <class Request>
sim::ReplyOf<Request> ObjectStoreClient::call(const Request& request, std::uint64_t request_bytes,
                                              std::uint64_t digest) {
  using Result = sim::ReplyOf<Request>;
  const std::size_t tries = options_.fail_over_to_other_zones ? endpoints_.size() : 1;
  Result result;
  for (std::size_t i = 0; i < tries; ++i) {
    auto reply = sim_.network().call(
        owner_, endpoints_[i],
        sim::Payload{request, kHttpOverheadBytes + request_bytes, digest, kTrafficObjectStore},
        options_.request_timeout);
    if (!reply.ok()) {
      result = Result{};
      result.status = ObjectStatus::timeout;
      return result;
    }
    result = std::move(reply.value());
    if (result.status != ObjectStatus::unavailable) return result;
  }
  return result;
}

PutResult ObjectStoreClient::put(const std::string& key, std::string data) {
  return put_shared(key, std::make_shared<const std::string>(std::move(data)));
}

PutResult ObjectStoreClient::put_shared(const std::string& key, std::shared_ptr<const std::string> data) {
  const std::uint64_t bytes = key.size() + data->size();
  const std::uint64_t digest = sim::hash_combine(sim::fnv1a64(key), data->size());
  return call(PutRequest{key, std::move(data)}, bytes, digest);
}

GetResult ObjectStoreClient::get(const std::string& key) {
  return call(GetRequest{key}, key.size(), sim::fnv1a64(key));
}

GetResult ObjectStoreClient::get_range(const std::string& key, std::uint64_t offset, std::uint64_t length) {
  const std::uint64_t digest = sim::hash_combine(sim::hash_combine(sim::fnv1a64(key), offset), length);
  return call(RangeGetRequest{key, offset, length}, key.size(), digest);
}

ListResult ObjectStoreClient::list(const std::string& prefix) {
  ListResult all;
  ListRequest page{prefix, "", 1000};
  for (;;) {
    ListResult result = call(page, prefix.size(), sim::fnv1a64(prefix));
    if (!result.ok()) return result;
    for (auto& object : result.objects) all.objects.push_back(std::move(object));
    if (!result.truncated || all.objects.empty()) return all;
    page.start_after = all.objects.back().key;
  }
}

DeleteResult ObjectStoreClient::remove(const std::string& key) {
  return call(DeleteRequest{key}, key.size(), sim::fnv1a64(key));
}

}  // namespace weir::models::objstore
