// ClientFixture: a Simulation with constant link latencies (1 ms in a zone,
// 2 ms across), a ReferenceLog, and a bare "client" node in zone-a whose
// fibers the tests' clients use. Members are declared so that the log is
// destroyed before the Simulation and after any client a test declares later.
#pragma once

#include <functional>

#include "reference_log.h"
#include "weir/models/kafka/client/consumer.h"
#include "weir/models/kafka/client/producer.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::testing {

inline sim::NetworkOptions constant_links() {
  sim::NetworkOptions options;
  options.same_zone = sim::Latency::constant(sim::Duration::milliseconds(1));
  options.cross_zone = sim::Latency::constant(sim::Duration::milliseconds(2));
  return options;
}

struct ClientFixture {
  explicit ClientFixture(ReferenceLogOptions log_options = {}, std::uint64_t seed = 1,
                         sim::NetworkOptions network = constant_links())
      : sim({.seed = seed}, network), log(sim, std::move(log_options)) {
    client = sim.add_node(sim::NodeSpec{"client", "zone-a", {}, {}});
    sim.start(client);
  }

  ProducerOptions producer_options() const {
    ProducerOptions options;
    options.client_zone = "zone-a";
    return options;
  }
  ConsumerOptions consumer_options() const {
    ConsumerOptions options;
    options.client_zone = "zone-a";
    return options;
  }
  Producer make_producer(ProducerOptions options) { return Producer(sim, client, log.bootstrap("zone-a"), options); }

  // Runs `body` in a fiber of the client node, then the simulation for `span`.
  void run(std::function<void()> body, sim::Duration span = sim::Duration::seconds(60)) {
    sim.spawn(client, std::move(body));
    sim.run_for(span);
  }

  sim::Simulation sim;
  ReferenceLog log;
  sim::NodeId client = sim::kNoNode;
};

inline Record make_record(std::string value) {
  Record record;
  record.key = "tenant";
  record.value = std::move(value);
  return record;
}

}  // namespace weir::models::kafka::testing
