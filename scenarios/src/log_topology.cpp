#include "weir/scenarios/log_topology.h"

#include "weir/models/kafka/classic/classic_cluster.h"
#include "weir/models/kafka/diskless/diskless_cluster.h"

namespace weir::scenarios {

models::kafka::classic::ClassicClusterOptions classic_cluster_options(const LogTopologyOptions& options) {
  models::kafka::classic::ClassicClusterOptions classic = options.classic;
  classic.zones = options.zones;
  classic.topics = {{options.topic, options.partitions}};
  return classic;
}

models::kafka::diskless::DisklessOptions diskless_cluster_options(const LogTopologyOptions& options) {
  models::kafka::diskless::DisklessOptions diskless = options.diskless;
  diskless.zones = options.zones;
  diskless.topics = {{options.topic, options.partitions}};
  return diskless;
}

LogTopology build_log(sim::Simulation& sim, const LogTopologyOptions& options) {
  LogTopology t;
  switch (options.flavour) {
    case LogFlavour::classic:
      t.log = std::make_unique<models::kafka::classic::ClassicCluster>(sim, classic_cluster_options(options));
      break;
    case LogFlavour::diskless:
      t.object_store = std::make_unique<models::objstore::ObjectStore>(sim, options.zones);
      t.log = std::make_unique<models::kafka::diskless::DisklessCluster>(sim, *t.object_store,
                                                                          diskless_cluster_options(options));
      break;
  }
  return t;
}

}  // namespace weir::scenarios
