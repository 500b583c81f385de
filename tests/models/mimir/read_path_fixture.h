// ReadPathFixture: a Simulation with constant links (1 ms in a zone, 2 ms
// across), a ReferenceLog (one node per zone, the first leading every
// partition and coordinating groups), an ObjectStore with an endpoint per
// zone, a History, and a bare "client" node in zone-a whose fibers produce
// records and send queries. Helpers add the Mimir read-path nodes.
//
// Members are declared so that the History outlives the Simulation and the
// log, store and producer die before it (they must not outlive it).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <string>
#include <vector>

#include "../kafka_client/reference_log.h"
#include "weir/models/kafka/client/producer.h"
#include "weir/models/mimir/compactor.h"
#include "weir/models/mimir/ingest_record.h"
#include "weir/models/mimir/ingester.h"
#include "weir/models/mimir/querier.h"
#include "weir/models/mimir/query_frontend.h"
#include "weir/models/mimir/shard.h"
#include "weir/models/mimir/store_gateway.h"
#include "weir/models/objstore/object_store.h"
#include "weir/properties/history.h"
#include "weir/properties/sample_value.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir::testing {

using namespace weir::sim::literals;

inline sim::NetworkOptions constant_links() {
  sim::NetworkOptions options;
  options.same_zone = sim::Latency::constant(1_ms);
  options.cross_zone = sim::Latency::constant(2_ms);
  return options;
}

inline objstore::ObjectStoreOptions constant_store() {
  objstore::ObjectStoreOptions o;
  o.put_first_byte = sim::Latency::constant(30_ms);
  o.get_first_byte = sim::Latency::constant(15_ms);
  o.list_latency = sim::Latency::constant(20_ms);
  o.delete_latency = sim::Latency::constant(10_ms);
  return o;
}

// Disk latencies fixed, so tests can reason about durations.
inline sim::DiskOptions constant_disk() {
  sim::DiskOptions d;
  d.write_latency = sim::Latency::constant(50_us);
  d.fsync_latency = sim::Latency::constant(2_ms);
  d.read_latency = sim::Latency::constant(100_us);
  return d;
}

inline constexpr const char* kTenant = "tenant-1";

// prefix + suffix, without `literal + std::string` (GCC 12 warns falsely on it).
inline std::string named(std::string_view prefix, std::string_view suffix) {
  std::string s(prefix);
  s.append(suffix);
  return s;
}

// The labels of test series number `i`.
inline Labels series_labels(int i) { return {{"__name__", "up"}, {"instance", named("host-", std::to_string(i))}}; }
inline SeriesId test_series(int i) { return series_id(kTenant, series_labels(i)); }

// One sample per listed series at `ts`, valued sample_value(series, ts).
inline prometheus::WriteRequest make_request(const std::vector<int>& series, TimestampMs ts) {
  prometheus::WriteRequest request;
  for (int i : series) {
    prometheus::TimeSeries* ts_proto = request.add_timeseries();
    for (const Label& l : series_labels(i)) {
      prometheus::Label* label = ts_proto->add_labels();
      label->set_name(l.name);
      label->set_value(l.value);
    }
    prometheus::Sample* sample = ts_proto->add_samples();
    sample->set_timestamp(ts);
    sample->set_value(properties::sample_value(test_series(i), ts));
  }
  return request;
}

inline kafka::Record to_kafka(const IngestRecord& r, TimestampMs ts) {
  kafka::Record record;
  record.key = r.key;
  record.value = r.value;
  record.timestamp_ms = ts;
  for (const RecordHeader& h : r.headers) record.headers.push_back(kafka::RecordHeader{h.key, h.value});
  return record;
}

struct ReadPathFixture {
  explicit ReadPathFixture(std::uint64_t seed = 1, std::vector<std::string> zones = {"zone-a", "zone-b"},
                           std::int32_t partitions = 2, sim::NetworkOptions network = constant_links())
      : sim({.seed = seed}, network),
        log(sim, kafka::testing::ReferenceLogOptions{zones, "ingest", partitions}),
        store(sim, zones, constant_store()),
        zones_(std::move(zones)),
        partitions_(partitions) {
    client = sim.add_node(sim::NodeSpec{"client", zones_.front(), {}, {}});
    sim.start(client);
    kafka::ProducerOptions options;
    options.client_zone = zones_.front();
    producer = std::make_unique<kafka::Producer>(sim, client, log.bootstrap(zones_.front()), options);
  }

  IngesterSetup ingester_setup(const std::string& zone, PartitionId partition, IngesterOptions options = {}) {
    IngesterSetup setup;
    setup.zone = zone;
    setup.partition = partition;
    setup.log_bootstrap = log.bootstrap(zone);
    setup.object_store = &store;
    setup.history = &history;
    setup.options = options;
    return setup;
  }

  sim::NodeId add_ingester(const std::string& zone, PartitionId partition, IngesterOptions options = {},
                           sim::DiskOptions disk = constant_disk(), bool start = true) {
    const sim::NodeId id = sim.add_node(
        sim::NodeSpec{ingester_name(zone, partition), zone, ingester_boot(ingester_setup(zone, partition, options)), disk});
    topology.add_ingester(partition, zone, id);
    if (start) sim.start(id);
    return id;
  }

  sim::NodeId add_store_gateway(const std::string& zone) {
    const sim::NodeId id = sim.add_node(sim::NodeSpec{named("store-gateway-", zone), zone, store_gateway_boot(store), {}});
    topology.add_store_gateway(zone, id);
    sim.start(id);
    return id;
  }

  // Call after the ingesters and store-gateways are added (copies the topology).
  sim::NodeId add_querier(const std::string& zone, QuerierOptions options = {}) {
    QuerierSetup setup{zone, topology, options};
    const sim::NodeId id = sim.add_node(sim::NodeSpec{named("querier-", zone), zone, querier_boot(setup), {}});
    queriers.push_back(id);
    sim.start(id);
    return id;
  }

  // An ingester for every (zone, partition).
  void add_all_ingesters(const IngesterOptions& options = {}, const sim::DiskOptions& disk = constant_disk()) {
    for (const std::string& zone : zones_) {
      for (PartitionId p = 0; p < partitions_; ++p) add_ingester(zone, p, options, disk);
    }
  }

  sim::NodeId add_query_frontend(QueryFrontendOptions options = {}) {
    QueryFrontendSetup setup;
    for (PartitionId p = 0; p < partitions_; ++p) setup.partitions.push_back(p);
    setup.log_bootstrap = log.bootstrap(zones_.front());
    setup.queriers = queriers;
    setup.options = options;
    const sim::NodeId id =
        sim.add_node(sim::NodeSpec{"query-frontend", zones_.front(), query_frontend_boot(setup), {}});
    sim.start(id);
    return id;
  }

  Ingester* ingester(sim::NodeId id) {
    sim::Node& node = sim.node(id);
    return node.up() && node.process() != nullptr ? &node.process_as<Ingester>() : nullptr;
  }

  // Produces one record from a client fiber and waits for its ack; returns its offset.
  std::int64_t produce(PartitionId partition, const prometheus::WriteRequest& request) {
    return await<std::int64_t>([&] { return produce_in_fiber(partition, request); });
  }

  // From a fiber of the client node: produce and wait for the ack.
  std::int64_t produce_in_fiber(PartitionId partition, const prometheus::WriteRequest& request) {
    std::int64_t last = -1;
    for (const IngestRecord& r : encode_records(kTenant, request)) {
      auto ack = producer->produce("ingest", partition, to_kafka(r, sim.now().ms()));
      producer->flush();
      last = ack.get().offset;
    }
    return last;
  }

  // Runs `call` in a client fiber and the simulation until it returns
  // (throws if that takes more than 10 simulated minutes).
  template <class Result>
  Result await(std::function<Result()> call, sim::Duration step = 1_ms) {
    std::optional<Result> result;
    sim.spawn(client, [&] { result = call(); });
    const sim::Time deadline = sim.now() + 600_s;
    while (!result) {
      if (sim.now() > deadline) throw std::runtime_error("await: no result within 10 simulated minutes");
      sim.run_for(step);
    }
    return std::move(*result);
  }

  IngesterQueryResponse query_ingester(sim::NodeId ingester_node, const properties::ReadSelector& selector,
                                       std::int64_t min_offset = -1, sim::Duration timeout = 60_s) {
    return await<IngesterQueryResponse>([&] {
      IngesterQueryRequest request{kTenant, selector, min_offset, 20_s};
      auto reply = sim.network().call(client, ingester_node,
                                                             sim::Payload{request, 64, 0, "query"}, timeout);
      if (!reply.ok()) return IngesterQueryResponse{false, "rpc timed out", {}};
      return reply.value();
    });
  }

  // Asks the query-frontend `target`.
  QueryResponse query(sim::NodeId target, const properties::ReadSelector& selector,
                      properties::ReadConsistency consistency = properties::ReadConsistency::eventual) {
    return await<QueryResponse>([&] { return query_in_fiber(target, selector, consistency); });
  }

  QueryResponse query_in_fiber(sim::NodeId target, const properties::ReadSelector& selector,
                               properties::ReadConsistency consistency) {
    QueryRequest request{kTenant, selector, consistency};
    auto reply = sim.network().call(client, target, sim::Payload{request, 64, 0, "query"}, 300_s);
    if (!reply.ok()) return QueryResponse{false, "rpc timed out", {}, {}, {}, 0};
    return reply.value();
  }

  // Declares the log's final bounds in the history, for the gapless checker.
  void record_log_bounds() {
    for (PartitionId p = 0; p < partitions_; ++p) {
      const auto records = log.records(p);
      const std::int64_t start = records.empty() ? log.end_offset(p) : records.front().offset;
      history.record_log_bounds(p, start, log.end_offset(p));
    }
  }

  properties::History history;
  sim::Simulation sim;
  kafka::testing::ReferenceLog log;
  objstore::ObjectStore store;
  std::vector<std::string> zones_;
  std::int32_t partitions_;
  ReadTopology topology;
  std::vector<sim::NodeId> queriers;
  sim::NodeId client = sim::kNoNode;
  std::unique_ptr<kafka::Producer> producer;
};

// The selector of test series `series` over [start, end].
inline properties::ReadSelector select(const std::vector<int>& series, TimestampMs start = 0,
                                       TimestampMs end = INT64_MAX / 4) {
  std::vector<SeriesId> ids;
  for (int i : series) ids.push_back(test_series(i));
  return properties::make_selector(std::move(ids), start, end);
}

// A store-gateway's answer to `selector`, asked from the fixture's client.
inline IngesterQueryResponse query_store_gateway(ReadPathFixture& f, sim::NodeId gateway, const properties::ReadSelector& selector) {
  return f.await<IngesterQueryResponse>([&] {
    StoreGatewayQueryRequest request{kTenant, selector, -1, {}};
    auto reply = f.sim.network().call(f.client, gateway,
                                                                 sim::Payload{request, 64, 0, "query"}, 60_s);
    return reply.ok() ? reply.value() : StoreGatewayQueryResponse{false, "rpc timed out", {}};
  });
}

inline std::size_t sample_count(const std::vector<properties::SeriesResult>& series) {
  std::size_t n = 0;
  for (const auto& s : series) n += s.samples.size();
  return n;
}

}  // namespace weir::models::mimir::testing
