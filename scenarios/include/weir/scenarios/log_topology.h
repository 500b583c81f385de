// LogTopology: one Kafka-compatible log of either flavour, built in a
// Simulation with what it needs (the diskless log's object store). Owns
// both; must not outlive the Simulation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "weir/models/kafka/classic/classic_cluster_options.h"
#include "weir/models/kafka/diskless/options.h"
#include "weir/models/kafka/log_cluster.h"
#include "weir/models/objstore/object_store.h"
#include "weir/scenarios/log_flavour.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios {

struct LogTopologyOptions {
  LogFlavour flavour = LogFlavour::classic;
  std::vector<std::string> zones = {"zone-a", "zone-b", "zone-c"};
  std::string topic = "ingest";
  int partitions = 16;
  // The flavour's cluster options; build_log overrides their zones and
  // topics with the fields above.
  models::kafka::classic::ClassicClusterOptions classic;
  models::kafka::diskless::DisklessOptions diskless;
};

// The cluster options build_log passes: `classic`/`diskless` with the
// topology's zones and topic.
models::kafka::classic::ClassicClusterOptions classic_cluster_options(const LogTopologyOptions& options);
models::kafka::diskless::DisklessOptions diskless_cluster_options(const LogTopologyOptions& options);

struct LogTopology {
  std::unique_ptr<models::objstore::ObjectStore> object_store;  // diskless only
  std::unique_ptr<models::kafka::LogCluster> log;
};

LogTopology build_log(sim::Simulation& sim, const LogTopologyOptions& options);

}  // namespace weir::scenarios
