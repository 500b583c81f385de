// Test fixture: a Simulation with an object store, a DisklessCluster and one
// client node per zone, plus helpers to run fibers on the clients.
#pragma once

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "speaker.h"
#include "weir/models/kafka/diskless/diskless_cluster.h"
#include "weir/models/objstore/object_store.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::diskless::testing {

inline constexpr const char* kTopic = "ingest";

// "prefix<i>", built without `literal + std::string` (GCC 12 warns falsely on it).
inline std::string numbered(std::string_view prefix, std::uint64_t i) {
  std::string s(prefix);
  s.append(std::to_string(i));
  return s;
}

struct World {
  explicit World(DisklessOptions options = {}, std::uint64_t seed = 1,
                 objstore::ObjectStoreOptions store_options = {})
      : sim({.seed = seed}), store(sim, options.zones, store_options), cluster(sim, store, options) {
    for (const std::string& zone : options.zones) {
      clients.push_back(sim.add_node({numbered("client-", clients.size()), zone, {}, {}}));
      sim.start(clients.back());
    }
  }

  // Starts `body` on the client of zone `zone_index` with a fresh Speaker.
  void spawn(std::size_t zone_index, std::function<void(Speaker&)> body) {
    const sim::NodeId node = clients.at(zone_index);
    sim.spawn(node, [this, node, body = std::move(body)] {
      Speaker speaker(sim, node, cluster);
      body(speaker);
    });
  }

  // Runs `body` on a client to its end (bounded by `limit` of simulated time).
  void run(std::size_t zone_index, std::function<void(Speaker&)> body, sim::Duration limit = sim::Duration::seconds(120)) {
    auto done = std::make_shared<bool>(false);
    spawn(zone_index, [done, body = std::move(body)](Speaker& s) {
      body(s);
      *done = true;
    });
    const sim::Time end = sim.now() + limit;
    while (!*done && sim.now() < end) sim.run_for(sim::Duration::milliseconds(100));
    REQUIRE(*done);
  }

  sim::Simulation sim;
  objstore::ObjectStore store;
  DisklessCluster cluster;
  std::vector<sim::NodeId> clients;
};

}  // namespace weir::models::kafka::diskless::testing
