#include "weir/models/kafka/client/metadata_cache.h"

#include <algorithm>

#include "weir/sim/hash.h"
#include "weir/sim/network.h"
#include "weir/sim/select.h"

namespace weir::models::kafka {
namespace {

constexpr std::uint64_t kRequestOverheadBytes = 64;

std::uint64_t request_digest(const MetadataRequest& request) {
  std::uint64_t h = sim::fnv1a64(request.client_zone);
  for (const auto& topic : request.topics) h = sim::hash_combine(h, sim::fnv1a64(topic));
  return h;
}

// Every known route, in (topic, partition) order.
template <class Visit>
void for_each_route(const std::map<std::string, std::vector<PartitionRoute>, std::less<>>& routes_by_topic,
                    Visit visit) {
  for (const auto& [topic, routes] : routes_by_topic) {
    for (std::size_t partition = 0; partition < routes.size(); ++partition) {
      if (routes[partition].leader != sim::kNoNode) visit(static_cast<std::int32_t>(partition), routes[partition]);
    }
  }
}

std::uint64_t routes_digest(const std::map<std::string, std::vector<PartitionRoute>, std::less<>>& routes_by_topic) {
  std::uint64_t count = 0;
  for_each_route(routes_by_topic, [&](std::int32_t, const PartitionRoute&) { ++count; });
  std::uint64_t h = count;
  for_each_route(routes_by_topic, [&](std::int32_t partition, const PartitionRoute& route) {
    h = sim::hash_combine(h, static_cast<std::uint64_t>(partition));
    h = sim::hash_combine(h, (static_cast<std::uint64_t>(route.leader) << 32) ^
                                 static_cast<std::uint32_t>(route.leader_epoch));
  });
  return h;
}

}  // namespace

std::optional<std::string> MetadataCacheOptions::validate() const {
  if (min_age.ns() < 0) return "metadata min_age must not be negative";
  if (max_age.ns() <= 0) return "metadata max_age must be positive";
  if (request_timeout.ns() <= 0) return "metadata request_timeout must be positive";
  if (dial_timeout.ns() <= 0) return "metadata dial_timeout must be positive";
  return retry_backoff.validate();
}

std::shared_ptr<MetadataCache> MetadataCache::create(sim::Simulation& sim, sim::NodeId self,
                                                     std::vector<sim::NodeId> bootstrap,
                                                     MetadataCacheOptions options) {
  std::shared_ptr<MetadataCache> cache(new MetadataCache(sim, self, std::move(bootstrap), std::move(options)));
  cache->start(cache);
  return cache;
}

MetadataCache::MetadataCache(sim::Simulation& sim, sim::NodeId self, std::vector<sim::NodeId> bootstrap,
                             MetadataCacheOptions options)
    : sim_(sim),
      self_(self),
      bootstrap_(std::move(bootstrap)),
      options_(std::move(options)),
      random_(sim.random("kafka.client.metadata").fork(sim.node(self).name())),
      connections_(sim, self, options_.dial_timeout),
      wake_(sim),
      refreshed_(sim) {}

void MetadataCache::start(std::shared_ptr<MetadataCache> self) {
  // The fiber owns a reference so the cache outlives any client that drops it
  // while a refresh is in flight.
  sim_.spawn(self_, [cache = std::move(self)] { cache->run_refresher(); });
}

std::optional<PartitionRoute> MetadataCache::route(const TopicPartition& tp) const {
  const auto it = routes_by_topic_.find(tp.topic);
  if (it == routes_by_topic_.end() || tp.partition < 0) return std::nullopt;
  const auto index = static_cast<std::size_t>(tp.partition);
  if (index >= it->second.size() || it->second[index].leader == sim::kNoNode) return std::nullopt;
  return it->second[index];
}

std::vector<sim::NodeId> MetadataCache::contact_points() const {
  std::vector<sim::NodeId> points;
  const auto add = [&points](sim::NodeId node) {
    if (std::find(points.begin(), points.end(), node) == points.end()) points.push_back(node);
  };
  for (const auto& broker : brokers_) {
    if (broker.zone == options_.client_zone) add(broker.node);
  }
  for (const auto& broker : brokers_) add(broker.node);
  for (sim::NodeId node : bootstrap_) add(node);
  return points;
}

void MetadataCache::trigger() {
  requested_ = true;
  wake_refresher();
}

void MetadataCache::trigger_now() {
  requested_now_ = true;
  wake_refresher();
}

bool MetadataCache::wait_for_refresh(sim::Time deadline) {
  sim::Future<bool> next = refreshed_.future();
  return next.get_until(deadline).has_value();
}

void MetadataCache::close() {
  if (closed_) return;
  closed_ = true;
  wake_.close();
}

void MetadataCache::wake_refresher() {
  if (!closed_ && wake_.size() == 0) wake_.try_send(0);
}

sim::Time MetadataCache::next_due() const {
  const sim::Time now = sim_.now();
  if (!last_success_ || requested_now_) return now;
  const sim::Time periodic = *last_success_ + options_.max_age;
  if (!requested_) return periodic;
  return std::min(periodic, std::max(now, *last_success_ + options_.min_age));
}

void MetadataCache::run_refresher() {
  while (!closed_) {
    const sim::Time due = next_due();
    if (sim_.now() < due) {
      sim::select_until(sim_, due, wake_);
      while (wake_.try_recv()) {
      }
      continue;
    }
    requested_ = false;
    requested_now_ = false;
    if (refresh_once()) {
      consecutive_failures_ = 0;
      continue;
    }
    if (closed_) return;
    ++consecutive_failures_;
    sim_.sleep(options_.retry_backoff.delay(consecutive_failures_, random_));
    // A failed refresh is retried until one succeeds: stale routes stay stale.
    requested_now_ = true;
  }
}

bool MetadataCache::refresh_once() {
  const std::vector<sim::NodeId> contacts = contact_points();
  if (contacts.empty()) return false;
  const sim::NodeId to = contacts[next_contact_ % contacts.size()];
  MetadataRequest request{options_.topics, options_.client_zone};
  std::uint64_t bytes = kRequestOverheadBytes + request.client_zone.size();
  for (const auto& topic : request.topics) bytes += topic.size();
  const std::uint64_t digest = request_digest(request);
  auto reply = connections_.call(
      to, sim::Payload{std::move(request), bytes, digest, kTrafficMetadata},
      options_.request_timeout);
  if (closed_) return false;
  if (!reply.ok()) {
    ++next_contact_;
    ++failed_refreshes_;
    return false;
  }
  apply(reply.value());
  return true;
}

void MetadataCache::apply(const MetadataResponse& response) {
  if (!response.brokers.empty()) brokers_ = response.brokers;
  routes_by_topic_.clear();
  for (const auto& topic : response.topics) {
    if (topic.error != ErrorCode::none) continue;
    for (const auto& partition : topic.partitions) {
      if (partition.error != ErrorCode::none || partition.leader == sim::kNoNode || partition.partition < 0) continue;
      std::vector<PartitionRoute>& routes = routes_by_topic_[topic.name];
      const auto index = static_cast<std::size_t>(partition.partition);
      if (routes.size() <= index) routes.resize(index + 1);
      routes[index] = PartitionRoute{partition.leader, partition.leader_epoch};
    }
  }
  ++refreshes_;
  last_success_ = sim_.now();
  sim_.record(self_, kTraceMetadataRefresh, routes_digest(routes_by_topic_));
  sim::Promise<bool> done = refreshed_;
  refreshed_ = sim::Promise<bool>(sim_);
  done.set(true);
  for (const auto& listener : listeners_) listener();
}

}  // namespace weir::models::kafka
