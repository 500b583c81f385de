// LogCluster: what a scenario and its fault injector see of a Kafka-compatible
// log, whichever flavour it is.
//
// A LogCluster builds its nodes (brokers, agents, controllers...) inside a
// Simulation at construction and owns their process state through them; it
// must outlive nothing but must not outlive the Simulation. Clients reach it
// only through the Kafka protocol (protocol.h), starting from bootstrap().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "weir/sim/trace.h"

namespace weir::models::kafka {

class LogCluster {
 public:
  virtual ~LogCluster() = default;

  // Nodes a client in `client_zone` sends its first Metadata request to.
  virtual std::vector<sim::NodeId> bootstrap(std::string_view client_zone) const = 0;
  // The nodes that serve the Kafka protocol (brokers or agents): the targets
  // of crash, restart and disk-loss faults.
  virtual std::vector<sim::NodeId> serving_nodes() const = 0;
  // Every node the log runs on, including controllers or metadata services.
  virtual std::vector<sim::NodeId> all_nodes() const = 0;
  // Called just before a fault kills the process on `node` (a serving node)
  // while its machine stays up. What the node leaves in the operating
  // system's care outlives the process, so it must reach the node's disk
  // first, with no simulated time passing (the process must not act after
  // it): a classic broker's page cache. A machine crash skips this.
  virtual void before_process_kill(sim::NodeId node) { (void)node; }
};

}  // namespace weir::models::kafka
