#include "weir/models/kafka/client/connections.h"

namespace weir::models::kafka {

// The handshake needs the broker's machine up and packets through both ways;
// otherwise the client hears nothing until its dial timeout.
bool Connections::dial(sim::NodeId to) {
  sim::Network& network = sim_.network();
  if (sim_.node(to).up() && network.reachable(self_, to) && network.reachable(to, self_)) return true;
  sim_.sleep(dial_timeout_);
  return false;
}

}  // namespace weir::models::kafka
