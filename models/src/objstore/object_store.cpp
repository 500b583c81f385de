#include "weir/models/objstore/object_store.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "weir/sim/hash.h"

namespace weir::models::objstore {
namespace {

sim::Duration scaled(sim::Duration d, double multiplier) {
  return sim::Duration::nanoseconds(std::llround(static_cast<double>(d.ns()) * multiplier));
}

// A digest of the contents. Large objects are sampled (head, tail and a
// stride), which tells versions apart in a simulation at a fraction of the cost.
std::uint64_t etag_of(const std::string& data) {
  constexpr std::size_t kWhole = 64 * 1024;
  const std::string_view view(data);
  if (view.size() <= kWhole) return sim::hash_combine(sim::fnv1a64(view), view.size());
  std::uint64_t h = sim::hash_combine(sim::fnv1a64(view.substr(0, kWhole / 2)), view.size());
  h = sim::hash_combine(h, sim::fnv1a64(view.substr(view.size() - kWhole / 2)));
  for (std::size_t i = kWhole / 2; i < view.size(); i += 4099) h = sim::hash_combine(h, static_cast<unsigned char>(view[i]));
  return h;
}

std::uint64_t key_digest(std::string_view key, std::uint64_t value) {
  return sim::hash_combine(sim::fnv1a64(key), value);
}

template <class Result>
sim::Payload<Result> reply(Result result, std::uint64_t body_bytes, std::uint64_t digest) {
  return sim::Payload{std::move(result), kHttpOverheadBytes + body_bytes, digest, kTrafficObjectStore};
}

// A reply carrying only a failure status.
template <class Result>
sim::Payload<Result> failed(ObjectStatus status) {
  Result result;
  result.status = status;
  return reply(std::move(result), 0, static_cast<std::uint64_t>(status));
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

ObjectStore::ObjectStore(sim::Simulation& sim, const std::vector<std::string>& zones, ObjectStoreOptions options)
    : sim_(sim), options_(std::move(options)), zones_(zones), storage_accounted_at_(sim.now()) {
  if (auto error = options_.validate()) throw std::invalid_argument(fmt::format("objstore options: {}", *error));
  if (zones_.empty()) throw std::invalid_argument("objstore: at least one zone is needed");
  const sim::Random root = sim.random("objstore");
  for (const std::string& zone : zones_) {
    if (endpoint_in_zone(zone) != sim::kNoNode) throw std::invalid_argument("objstore: a zone is listed twice");
    const sim::NodeId id = sim.add_node({fmt::format("objstore-{}", zone), zone,
                                         [this](sim::Simulation&, sim::NodeId node) {
                                           boot_endpoint(node);
                                           return std::unique_ptr<sim::Process>();
                                         },
                                         {}});
    endpoints_.push_back(id);
    randoms_.push_back(root.fork(zone));
    sim.start(id);
  }
}

sim::NodeId ObjectStore::endpoint_in_zone(std::string_view zone) const {
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (zones_[i] == zone) return endpoints_[i];
  }
  return sim::kNoNode;
}

void ObjectStore::boot_endpoint(sim::NodeId node) {
  sim::Network& net = sim_.network();
  net.serve<PutRequest>(node, [this, node](sim::NodeId, const PutRequest& request) { return serve_put(node, request); });
  net.serve<GetRequest>(node, [this, node](sim::NodeId, const GetRequest& request) {
    return serve_get(node, request.key, std::nullopt);
  });
  net.serve<RangeGetRequest>(node, [this, node](sim::NodeId, const RangeGetRequest& range) {
    return serve_get(node, range.key, range);
  });
  net.serve<ListRequest>(node, [this, node](sim::NodeId, const ListRequest& request) {
    return serve_list(node, request);
  });
  net.serve<DeleteRequest>(node, [this, node](sim::NodeId, const DeleteRequest& request) {
    return serve_delete(node, request);
  });
}

// ---------------------------------------------------------------- serving

sim::Payload<PutResult> ObjectStore::serve_put(sim::NodeId endpoint, const PutRequest& request) {
  ++counters_.put_requests;
  const std::uint64_t size = request.data ? request.data->size() : 0;
  PutResult result;
  if (const auto status = turn_away(endpoint)) return failed<PutResult>(*status);
  wait_out_stalls();
  const Fate fate = draw_fate(endpoint);
  if (fate == Fate::slow_down) {
    wait_first_byte(endpoint, options_.put_first_byte);
    return failed<PutResult>(ObjectStatus::slow_down);
  }
  wait_latency(endpoint, options_.put_first_byte, size);
  wait_out_stalls();
  const bool applied =
      fate == Fate::normal || random_of(endpoint).bernoulli(options_.faults.timed_out_write_applied_probability);
  if (applied) {
    apply_put(request.key, request.data ? request.data : std::make_shared<const std::string>());
    counters_.bytes_in += size;
    const StoredObject& stored = objects_.find(request.key)->second;
    result.version = stored.version;
    result.etag = stored.etag;
    sim_.event(endpoint, kTraceObjectPut, {std::string_view(request.key), size});
  }
  if (fate == Fate::hang) {
    hang();
    return failed<PutResult>(ObjectStatus::timeout);
  }
  return reply(result, 0, key_digest(request.key, result.etag));
}

sim::Payload<GetResult> ObjectStore::serve_get(sim::NodeId endpoint, const std::string& key,
                                    std::optional<RangeGetRequest> range) {
  ++counters_.get_requests;
  if (const auto status = turn_away(endpoint)) return failed<GetResult>(*status);
  wait_out_stalls();
  const Fate fate = draw_fate(endpoint);
  wait_first_byte(endpoint, options_.get_first_byte);
  if (fate == Fate::slow_down) return failed<GetResult>(ObjectStatus::slow_down);
  GetResult result;
  const auto it = objects_.find(key);
  if (it == objects_.end()) {
    result.status = ObjectStatus::not_found;
  } else {
    // The read is linearized here, at its first byte; the transfer follows.
    const StoredObject object = it->second;
    result.object_size_bytes = object.data->size();
    result.version = object.version;
    result.etag = object.etag;
    if (!range) {
      result.data = *object.data;
    } else if (range->offset >= object.data->size() || range->length == 0) {
      result.status = ObjectStatus::invalid_range;
    } else {
      result.data = object.data->substr(range->offset, range->length);
    }
    wait_transfer(result.data.size());
  }
  wait_out_stalls();
  if (fate == Fate::hang) {
    hang();
    return failed<GetResult>(ObjectStatus::timeout);
  }
  counters_.bytes_out += result.data.size();
  const std::uint64_t digest = key_digest(key, result.etag);
  sim_.event(endpoint, kTraceObjectGet, {std::string_view(key)});
  const std::uint64_t body_bytes = result.data.size();
  return reply(std::move(result), body_bytes, digest);
}

sim::Payload<ListResult> ObjectStore::serve_list(sim::NodeId endpoint, const ListRequest& request) {
  ++counters_.list_requests;
  if (const auto status = turn_away(endpoint)) return failed<ListResult>(*status);
  wait_out_stalls();
  const Fate fate = draw_fate(endpoint);
  wait_first_byte(endpoint, options_.list_latency);
  if (fate == Fate::slow_down) return failed<ListResult>(ObjectStatus::slow_down);
  ListResult result;
  const std::uint32_t max_keys = std::max<std::uint32_t>(1, std::min(request.max_keys, options_.list_max_keys));
  auto it = request.start_after < request.prefix ? objects_.lower_bound(request.prefix)
                                                  : objects_.upper_bound(request.start_after);
  std::uint64_t body_bytes = 0;
  for (; it != objects_.end() && starts_with(it->first, request.prefix); ++it) {
    if (result.objects.size() == max_keys) {
      result.truncated = true;
      break;
    }
    result.objects.push_back(info_of(it->first, it->second));
    body_bytes += it->first.size() + 100;  // one <Contents> element
  }
  wait_out_stalls();
  if (fate == Fate::hang) {
    hang();
    return failed<ListResult>(ObjectStatus::timeout);
  }
  const std::uint64_t digest = key_digest(request.prefix, result.objects.size());
  sim_.event(endpoint, kTraceObjectList, {std::string_view(request.prefix)});
  return reply(std::move(result), body_bytes, digest);
}

sim::Payload<DeleteResult> ObjectStore::serve_delete(sim::NodeId endpoint, const DeleteRequest& request) {
  ++counters_.delete_requests;
  if (const auto status = turn_away(endpoint)) return failed<DeleteResult>(*status);
  wait_out_stalls();
  const Fate fate = draw_fate(endpoint);
  wait_first_byte(endpoint, options_.delete_latency);
  if (fate == Fate::slow_down) return failed<DeleteResult>(ObjectStatus::slow_down);
  wait_out_stalls();
  const bool applied =
      fate == Fate::normal || random_of(endpoint).bernoulli(options_.faults.timed_out_write_applied_probability);
  if (applied && apply_delete(request.key)) {
    sim_.event(endpoint, kTraceObjectDelete, {std::string_view(request.key)});
  }
  if (fate == Fate::hang) {
    hang();
    return failed<DeleteResult>(ObjectStatus::timeout);
  }
  return reply(DeleteResult{}, 0, sim::fnv1a64(request.key));
}

// ---------------------------------------------------------------- faults and latency

std::optional<ObjectStatus> ObjectStore::turn_away(sim::NodeId endpoint) {
  const auto& zones = options_.faults.unavailable_zones;
  if (std::find(zones.begin(), zones.end(), sim_.node(endpoint).zone()) == zones.end()) return std::nullopt;
  ++counters_.refused;
  if (!options_.faults.unavailable_drops_requests) return ObjectStatus::unavailable;
  hang();
  return ObjectStatus::timeout;
}

ObjectStore::Fate ObjectStore::draw_fate(sim::NodeId endpoint) {
  const ObjectStoreFaults& f = options_.faults;
  if (f.slow_down_probability <= 0.0 && f.timeout_probability <= 0.0) return Fate::normal;
  const double u = random_of(endpoint).uniform_real();
  if (u < f.slow_down_probability) {
    ++counters_.slow_downs;
    sim_.event(endpoint, kTraceObjectFault, {503});
    return Fate::slow_down;
  }
  if (u < f.slow_down_probability + f.timeout_probability) {
    ++counters_.timeouts;
    sim_.event(endpoint, kTraceObjectFault, {408});
    return Fate::hang;
  }
  return Fate::normal;
}

void ObjectStore::wait_latency(sim::NodeId endpoint, const sim::Latency& first_byte, std::uint64_t bytes) {
  wait_first_byte(endpoint, first_byte);
  wait_transfer(bytes);
}

void ObjectStore::wait_first_byte(sim::NodeId endpoint, const sim::Latency& first_byte) {
  sim_.sleep(scaled(first_byte.sample(random_of(endpoint)), options_.faults.latency_multiplier));
}

void ObjectStore::wait_transfer(std::uint64_t bytes) {
  if (bytes == 0) return;
  const double seconds = static_cast<double>(bytes) / static_cast<double>(options_.bytes_per_second);
  sim_.sleep(scaled(sim::Duration::seconds_f(seconds), options_.faults.latency_multiplier));
}

void ObjectStore::wait_out_stalls() {
  for (;;) {
    std::optional<sim::Time> until;
    for (const StallWindow& w : options_.faults.stalls) {
      if (w.start <= sim_.now() && sim_.now() < w.end) until = std::max(until.value_or(w.end), w.end);
    }
    if (!until) return;
    sim_.sleep_until(*until);
  }
}

void ObjectStore::hang() { sim_.sleep(options_.faults.timed_out_request_hang); }

sim::Random& ObjectStore::random_of(sim::NodeId endpoint) {
  const auto it = std::find(endpoints_.begin(), endpoints_.end(), endpoint);
  return randoms_[static_cast<std::size_t>(it - endpoints_.begin())];
}

void ObjectStore::set_faults(ObjectStoreFaults faults) {
  if (auto error = faults.validate()) throw std::invalid_argument(fmt::format("objstore faults: {}", *error));
  options_.faults = std::move(faults);
}

void ObjectStore::stall_for(sim::Duration length) {
  options_.faults.stalls.push_back(StallWindow{sim_.now(), sim_.now() + length});
}

void ObjectStore::set_zone_unavailable(std::string_view zone, bool unavailable) {
  auto& zones = options_.faults.unavailable_zones;
  std::erase(zones, zone);
  if (unavailable) zones.emplace_back(zone);
}

// ---------------------------------------------------------------- state

void ObjectStore::apply_put(const std::string& key, std::shared_ptr<const std::string> data) {
  account_storage();
  StoredObject& object = objects_[key];
  if (object.data) stored_bytes_ -= object.data->size();
  stored_bytes_ += data->size();
  object.etag = etag_of(*data);
  object.data = std::move(data);
  object.version = next_version_++;
}

bool ObjectStore::apply_delete(const std::string& key) {
  const auto it = objects_.find(key);
  if (it == objects_.end()) return false;
  account_storage();
  stored_bytes_ -= it->second.data->size();
  objects_.erase(it);
  ++next_version_;
  return true;
}

void ObjectStore::account_storage() {
  stored_byte_seconds_ += static_cast<double>(stored_bytes_) * (sim_.now() - storage_accounted_at_).seconds_f();
  storage_accounted_at_ = sim_.now();
}

double ObjectStore::stored_byte_seconds() const {
  return stored_byte_seconds_ + static_cast<double>(stored_bytes_) * (sim_.now() - storage_accounted_at_).seconds_f();
}

ObjectInfo ObjectStore::info_of(const std::string& key, const StoredObject& object) const {
  return ObjectInfo{key, object.data->size(), object.version, object.etag};
}

std::optional<ObjectInfo> ObjectStore::stat(std::string_view key) const {
  const auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  return info_of(it->first, it->second);
}

std::shared_ptr<const std::string> ObjectStore::peek(std::string_view key) const {
  const auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second.data;
}

std::vector<std::string> ObjectStore::keys(std::string_view prefix) const {
  std::vector<std::string> out;
  for (auto it = objects_.lower_bound(prefix); it != objects_.end() && starts_with(it->first, prefix); ++it) {
    out.push_back(it->first);
  }
  return out;
}

}  // namespace weir::models::objstore
