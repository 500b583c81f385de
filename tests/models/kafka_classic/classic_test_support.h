// Test support for the classic Kafka model: a World (a simulation, a cluster
// and a client node) and a small Client that speaks the Kafka protocol to the
// cluster by RPC (Metadata, then Produce/Fetch at the leader), retrying only
// what a real client would retry. Not a producer model: one request at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/classic/classic_cluster.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::classic::testing {

// Constant links keep the arithmetic of tests simple.
sim::NetworkOptions test_network();
Record make_record(std::int64_t i, std::size_t value_bytes = 16);

struct World {
  explicit World(ClassicClusterOptions options, std::uint64_t seed = 1,
                 sim::NetworkOptions network = test_network());
  // Steps the simulation until `done()` holds or `limit` of simulated time
  // passed; returns whether `done()` held.
  bool run_until(const std::function<bool()>& done, sim::Duration limit);
  void run_for(sim::Duration d) { sim.run_for(d); }
  // Runs `body` in a fiber on the client node until it returns.
  void run_client(std::function<void()> body, sim::Duration limit = sim::Duration::seconds(600));

  // ---- Cluster views built on the introspection API.
  std::optional<std::size_t> leader_index(const std::string& topic, std::int32_t partition) const;
  std::size_t broker_index(sim::NodeId node) const;
  // True when every replica of the partition is up, in the ISR, and at the leader's log end.
  bool fully_replicated(const std::string& topic, std::int32_t partition) const;

  sim::Simulation sim;
  ClassicCluster cluster;
  sim::NodeId client;
};

class Client {
 public:
  Client(World& world) : world_(world) {}

  std::optional<PartitionMetadata> partition(const std::string& topic, std::int32_t partition);
  // One Produce to `broker` (the leader by metadata when kNoNode); an RPC
  // timeout reads as request_timed_out.
  ProducePartitionResponse produce_once(const std::string& topic, std::int32_t partition, std::vector<Record> records,
                                        std::int16_t acks, sim::Duration timeout = sim::Duration::seconds(5),
                                        sim::NodeId broker = sim::kNoNode);
  // Retries retriable errors until it succeeds, fails for good, or `retry_for` passes.
  ProducePartitionResponse produce(const std::string& topic, std::int32_t partition, std::vector<Record> records,
                                   std::int16_t acks, sim::Duration retry_for = sim::Duration::seconds(60));
  FetchPartitionResponse fetch(const std::string& topic, std::int32_t partition, std::int64_t offset,
                               sim::Duration max_wait = sim::Duration::milliseconds(200));
  std::optional<ListOffsetsPartitionResponse> list_offset(const std::string& topic, std::int32_t partition,
                                                          std::int64_t timestamp);
  // Group offsets through the coordinator, retried until `retry_for` passes.
  ErrorCode commit(const std::string& group, const std::string& topic, std::int32_t partition, std::int64_t offset,
                   sim::Duration retry_for = sim::Duration::seconds(60));
  std::optional<std::int64_t> committed(const std::string& group, const std::string& topic, std::int32_t partition,
                                        sim::Duration retry_for = sim::Duration::seconds(60));
  std::optional<sim::NodeId> coordinator(const std::string& group);

 private:
  template <class Request>
  std::optional<sim::ReplyOf<Request>> call(sim::NodeId to, Request request,
                                            sim::Duration timeout = sim::Duration::seconds(5),
                                            std::string_view traffic = kTrafficMetadata);

  World& world_;
};

}  // namespace weir::models::kafka::classic::testing
