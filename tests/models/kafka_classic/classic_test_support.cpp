#include "classic_test_support.h"

#include <stdexcept>

#include <fmt/format.h>

namespace weir::models::kafka::classic::testing {

using namespace sim::literals;

sim::NetworkOptions test_network() {
  sim::NetworkOptions o;
  o.same_zone = sim::Latency::constant(200_us);
  o.cross_zone = sim::Latency::constant(1_ms);
  return o;
}

Record make_record(std::int64_t i, std::size_t value_bytes) {
  std::string value = fmt::format("value-{}-", i);
  value.resize(std::max(value_bytes, value.size()), 'x');
  // Mimir's records carry a version header; it must survive replication and disk.
  return Record{"tenant", std::move(value), i, {RecordHeader{"Version", "1"}}};
}

// ---------------------------------------------------------------- World

World::World(ClassicClusterOptions options, std::uint64_t seed, sim::NetworkOptions network)
    : sim({.seed = seed}, network), cluster(sim, options) {
  client = sim.add_node(sim::NodeSpec{"client", options.zones.front(), {}, {}});
  sim.start(client);
}

bool World::run_until(const std::function<bool()>& done, sim::Duration limit) {
  const sim::Time end = sim.now() + limit;
  while (!done()) {
    if (sim.now() >= end || !sim.step()) return done();
  }
  return true;
}

void World::run_client(std::function<void()> body, sim::Duration limit) {
  bool finished = false;
  sim.spawn(client, [&finished, body = std::move(body)] {
    body();
    finished = true;
  });
  if (!run_until([&finished] { return finished; }, limit)) throw std::runtime_error("client did not finish in time");
}

std::size_t World::broker_index(sim::NodeId node) const {
  for (std::size_t i = 0; i < cluster.broker_count(); ++i) {
    if (cluster.broker(i) == node) return i;
  }
  throw std::logic_error("not a broker");
}

std::optional<std::size_t> World::leader_index(const std::string& topic, std::int32_t partition) const {
  const auto state = cluster.partition_state(topic, partition);
  if (!state || !state->has_leader()) return std::nullopt;
  return broker_index(state->leader);
}

bool World::fully_replicated(const std::string& topic, std::int32_t partition) const {
  const auto state = cluster.partition_state(topic, partition);
  if (!state || !state->has_leader() || state->isr.size() != state->replicas.size()) return false;
  const auto leader = cluster.replica_status(broker_index(state->leader), topic, partition);
  if (!leader || leader->high_watermark != leader->log_end_offset) return false;
  for (sim::NodeId n : state->replicas) {
    const auto status = cluster.replica_status(broker_index(n), topic, partition);
    if (!status || status->log_end_offset != leader->log_end_offset) return false;
  }
  return true;
}

// ---------------------------------------------------------------- Client

template <class Request>
std::optional<sim::ReplyOf<Request>> Client::call(sim::NodeId to, Request request, sim::Duration timeout,
                                                  std::string_view traffic) {
  auto reply = world_.sim.network().call(world_.client, to, sim::Payload{std::move(request), 64, 0, traffic}, timeout);
  if (!reply.ok()) return std::nullopt;
  return std::move(reply.value());
}

std::optional<PartitionMetadata> Client::partition(const std::string& topic, std::int32_t partition) {
  std::optional<PartitionMetadata> seen;
  for (sim::NodeId broker : world_.cluster.bootstrap(world_.cluster.options().zones.front())) {
    const auto reply = call(broker, MetadataRequest{{topic}, ""}, 1_s);
    if (!reply || reply->topics.empty()) continue;
    for (const PartitionMetadata& p : reply->topics.front().partitions) {
      if (p.partition != partition) continue;
      if (p.error == ErrorCode::none) return p;
      seen = p;
    }
  }
  return seen;
}

ProducePartitionResponse Client::produce_once(const std::string& topic, std::int32_t partition,
                                              std::vector<Record> records, std::int16_t acks, sim::Duration timeout,
                                              sim::NodeId broker) {
  if (broker == sim::kNoNode) {
    const auto meta = this->partition(topic, partition);
    if (!meta || meta->leader == sim::kNoNode) return {partition, ErrorCode::leader_not_available, -1};
    broker = meta->leader;
  }
  ProduceRequest request{topic, {{partition, std::move(records)}}, acks, timeout};
  const std::uint64_t bytes = request.wire_bytes();
  auto reply = world_.sim.network().call(
      world_.client, broker, sim::Payload{std::move(request), bytes, 0, kTrafficProduce},
      timeout + 1_s);
  if (!reply.ok()) return {partition, ErrorCode::request_timed_out, -1};
  return reply.value().partitions.front();
}

ProducePartitionResponse Client::produce(const std::string& topic, std::int32_t partition, std::vector<Record> records,
                                         std::int16_t acks, sim::Duration retry_for) {
  const sim::Time deadline = world_.sim.now() + retry_for;
  for (;;) {
    ProducePartitionResponse r = produce_once(topic, partition, records, acks);
    if (r.error == ErrorCode::none || !is_retriable(r.error) || world_.sim.now() >= deadline) return r;
    world_.sim.sleep(100_ms);
  }
}

FetchPartitionResponse Client::fetch(const std::string& topic, std::int32_t partition, std::int64_t offset,
                                     sim::Duration max_wait) {
  const auto meta = this->partition(topic, partition);
  if (!meta || meta->leader == sim::kNoNode) return {partition, ErrorCode::leader_not_available, 0, 0, {}};
  FetchRequest request;
  request.topic = topic;
  request.partitions.push_back(FetchPartition{partition, offset, -1});
  request.max_wait = max_wait;
  auto reply = call(meta->leader, std::move(request), max_wait + 1_s, kTrafficFetch);
  if (!reply) return {partition, ErrorCode::request_timed_out, 0, 0, {}};
  return std::move(reply->partitions.front());
}

std::optional<ListOffsetsPartitionResponse> Client::list_offset(const std::string& topic, std::int32_t partition,
                                                                std::int64_t timestamp) {
  const auto meta = this->partition(topic, partition);
  if (!meta || meta->leader == sim::kNoNode) return std::nullopt;
  const auto reply =
      call(meta->leader, ListOffsetsRequest{topic, {{partition, timestamp}}});
  if (!reply) return std::nullopt;
  return reply->partitions.front();
}

std::optional<sim::NodeId> Client::coordinator(const std::string& group) {
  for (sim::NodeId broker : world_.cluster.bootstrap(world_.cluster.options().zones.front())) {
    const auto reply = call(broker, FindCoordinatorRequest{group, ""}, 1_s);
    if (reply && reply->error == ErrorCode::none) return reply->coordinator;
  }
  return std::nullopt;
}

ErrorCode Client::commit(const std::string& group, const std::string& topic, std::int32_t partition,
                         std::int64_t offset, sim::Duration retry_for) {
  const sim::Time deadline = world_.sim.now() + retry_for;
  ErrorCode last = ErrorCode::coordinator_not_available;
  while (world_.sim.now() < deadline) {
    if (const auto c = coordinator(group)) {
      const auto reply = call(*c, OffsetCommitRequest{group, topic, partition, offset}, 10_s);
      last = reply ? reply->error : ErrorCode::request_timed_out;
      if (last == ErrorCode::none) return last;
    }
    world_.sim.sleep(200_ms);
  }
  return last;
}

std::optional<std::int64_t> Client::committed(const std::string& group, const std::string& topic,
                                              std::int32_t partition, sim::Duration retry_for) {
  const sim::Time deadline = world_.sim.now() + retry_for;
  while (world_.sim.now() < deadline) {
    if (const auto c = coordinator(group)) {
      const auto reply = call(*c, OffsetFetchRequest{group, topic, partition});
      if (reply && reply->error == ErrorCode::none) return reply->offset;
    }
    world_.sim.sleep(200_ms);
  }
  return std::nullopt;
}

}  // namespace weir::models::kafka::classic::testing
