// Test fixture: a Simulation with an ObjectStore in three zones and one
// client node per zone, with constant latencies so durations are exact.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/objstore/client.h"
#include "weir/models/objstore/object_store.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::objstore::testing {

using namespace weir::sim::literals;

inline sim::NetworkOptions constant_links() {
  sim::NetworkOptions o;
  o.same_zone = sim::Latency::constant(1_ms);
  o.cross_zone = sim::Latency::constant(5_ms);
  return o;
}

// Constant first-byte latencies: PUT 30 ms, GET 15 ms, LIST 20 ms, DELETE 10 ms; 1 MB/s.
inline ObjectStoreOptions constant_store() {
  ObjectStoreOptions o;
  o.put_first_byte = sim::Latency::constant(30_ms);
  o.get_first_byte = sim::Latency::constant(15_ms);
  o.list_latency = sim::Latency::constant(20_ms);
  o.delete_latency = sim::Latency::constant(10_ms);
  o.bytes_per_second = 1'000'000;
  return o;
}

// "prefix<i>", built without `literal + std::string` (GCC 12 warns falsely on it).
inline std::string numbered(std::string_view prefix, std::uint64_t i) {
  std::string s(prefix);
  s.append(std::to_string(i));
  return s;
}

struct World {
  explicit World(ObjectStoreOptions options = constant_store(), std::uint64_t seed = 1,
                 sim::NetworkOptions net = constant_links())
      : sim({.seed = seed}, net), store(sim, {"zone-a", "zone-b", "zone-c"}, std::move(options)) {
    for (const char* zone : {"zone-a", "zone-b", "zone-c"}) {
      clients.push_back(sim.add_node({fmt_name(zone), zone, {}, {}}));
      sim.start(clients.back());
    }
  }
  static std::string fmt_name(const char* zone) {
    std::string name("client-");
    name.append(zone);
    return name;
  }
  // Runs `body` with a client on the node of zone `zone_index`, to the end of the simulation.
  void run(std::size_t zone_index, const std::function<void(ObjectStoreClient&)>& body,
           ObjectStoreClientOptions options = {}) {
    const sim::NodeId node = clients[zone_index];
    sim.spawn(node, [this, node, body, options] {
      ObjectStoreClient client(sim, node, store, options);
      body(client);
    });
    sim.run();
  }
  sim::Simulation sim;
  ObjectStore store;
  std::vector<sim::NodeId> clients;
};

}  // namespace weir::models::objstore::testing
