// WritePathFixture: a small write path to test distributors and clients
// against: a Simulation with constant links (1 ms in a zone, 2 ms across), a
// single-node ReferenceLog with 16 partitions of topic "ingest", a
// PartitionRingKv, a History, distributors added on demand (nodes
// "distributor-<i>" in zone-a) and a bare "tester" node whose fibers push
// directly. Members are declared so that the log and ring go before the
// Simulation, and the History after the runs.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference_log.h"
#include "weir/models/mimir/distributor.h"
#include "weir/models/mimir/partition_ring_kv.h"
#include "weir/models/mimir/services.h"
#include "weir/models/mimir/shard.h"
#include "weir/models/remote_write.h"
#include "weir/properties/history.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir::testing {

using kafka::testing::ReferenceLog;
using kafka::testing::ReferenceLogOptions;

inline constexpr int kPartitions = 16;

inline sim::NetworkOptions constant_links() {
  sim::NetworkOptions options;
  options.same_zone = sim::Latency::constant(sim::Duration::milliseconds(1));
  options.cross_zone = sim::Latency::constant(sim::Duration::milliseconds(2));
  return options;
}

inline ReferenceLogOptions sixteen_partitions() {
  ReferenceLogOptions options;
  options.partitions = kPartitions;
  return options;
}

struct WritePathFixture {
  explicit WritePathFixture(std::uint64_t seed = 1, bool active_ring = true,
                            ReferenceLogOptions log_options = sixteen_partitions())
      : sim({.seed = seed}, constant_links()), log(sim, std::move(log_options)), ring(sim) {
    if (active_ring) ring.add_active_partitions(kPartitions);
    tester = sim.add_node(sim::NodeSpec{"tester", "zone-a", {}, {}});
    sim.start(tester);
  }

  sim::NodeId add_distributor(DistributorOptions options = {}) {
    const std::string name = "distributor-" + std::to_string(distributors.size());
    const sim::NodeId id = sim.add_node(
        sim::NodeSpec{name, "zone-a", Distributor::boot(ring, log.bootstrap("zone-a"), options, &history), {}});
    sim.start(id);
    distributors.push_back(id);
    return id;
  }

  // A started node in zone-a running `boot` (a client).
  sim::NodeId add_client(const std::string& name, sim::BootFn boot) {
    const sim::NodeId id = sim.add_node(sim::NodeSpec{name, "zone-a", std::move(boot), {}});
    sim.start(id);
    return id;
  }

  Distributor& distributor(std::size_t index = 0) {
    return sim.node(distributors.at(index)).process_as<Distributor>();
  }

  // Runs until `done` or `span` passed, whichever is first.
  void run_until(const bool& done, sim::Duration span) {
    const sim::Time limit = sim.now() + span;
    while (!done && sim.now() <= limit && sim.step()) {
    }
  }

  // Pushes `body` as `tenant` from the tester node and returns the answer
  // (nothing if none came within 30 s).
  std::optional<PushResponse> push_body(std::string body, std::string tenant = "tenant-1", std::size_t index = 0) {
    std::optional<PushResponse> answer;
    bool done = false;
    const sim::NodeId target = distributors.at(index);
    sim.spawn(tester, [&, target] {
      const std::uint64_t bytes = body.size();
      auto reply = sim.network().call(tester, target,
                                                    sim::Payload{PushRequest{tenant, body, {}}, bytes, 0, "remote_write"},
                                                    sim::Duration::seconds(30));
      if (reply.ok()) answer = reply.value();
      done = true;
    });
    run_until(done, sim::Duration::seconds(31));
    return answer;
  }

  std::optional<PushResponse> push(const prometheus::WriteRequest& request, std::string tenant = "tenant-1") {
    return push_body(encode_write_request(request), std::move(tenant));
  }

  // Every record in the log, per partition.
  std::vector<std::vector<kafka::FetchedRecord>> log_records() const {
    std::vector<std::vector<kafka::FetchedRecord>> out;
    for (int p = 0; p < kPartitions; ++p) out.push_back(log.records(p));
    return out;
  }

  sim::Simulation sim;
  ReferenceLog log;
  PartitionRingKv ring;
  properties::History history;
  std::vector<sim::NodeId> distributors;
  sim::NodeId tester = sim::kNoNode;
};

// A series with the given labels (in the given order) and samples (ts, value).
inline prometheus::TimeSeries make_series(const std::vector<std::pair<std::string, std::string>>& labels,
                                          const std::vector<std::pair<std::int64_t, double>>& samples) {
  prometheus::TimeSeries series;
  for (const auto& [name, value] : labels) {
    prometheus::Label* label = series.add_labels();
    label->set_name(name);
    label->set_value(value);
  }
  for (const auto& [ts, value] : samples) {
    prometheus::Sample* sample = series.add_samples();
    sample->set_timestamp(ts);
    sample->set_value(value);
  }
  return series;
}

// `count` valid series {__name__="up", instance="host-<i>", job="<job>"}, one sample each at `ts`.
inline prometheus::WriteRequest up_series(int count, std::int64_t ts = 0, const std::string& job = "node") {
  prometheus::WriteRequest request;
  for (int i = 0; i < count; ++i) {
    *request.add_timeseries() =
        make_series({{"__name__", "up"}, {"instance", "host-" + std::to_string(i)}, {"job", job}},
                    {{ts, static_cast<double>(i)}});
  }
  return request;
}

}  // namespace weir::models::mimir::testing
