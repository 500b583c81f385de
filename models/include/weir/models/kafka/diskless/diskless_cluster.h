// DisklessCluster: a WarpStream-like Kafka over object storage, as a LogCluster.
//
// Builds, inside the Simulation, one metadata-service node (the control
// plane: a replicated, linearizable store modelled as one reliable node whose
// state survives its crashes) and `agents_per_zone` stateless agents in every
// zone. Agents write produced batches to the shared ObjectStore and commit
// them to the metadata service, which assigns offsets; no byte is replicated
// across zones by the log itself (object storage replicates).
//
// Ownership: the cluster owns the metadata state and the agents' shared
// context; the ObjectStore is borrowed and must outlive the cluster. The
// cluster must outlive every run of the Simulation and not outlive it.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "weir/models/kafka/diskless/metadata_state.h"
#include "weir/models/kafka/diskless/options.h"
#include "weir/models/kafka/log_cluster.h"
#include "weir/models/objstore/object_store.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::diskless {

struct AgentContext;

class DisklessCluster : public LogCluster {
 public:
  // Throws std::invalid_argument when the options are invalid or the store
  // has no endpoint in one of the zones.
  DisklessCluster(sim::Simulation& sim, objstore::ObjectStore& store, DisklessOptions options = {});
  ~DisklessCluster() override;
  DisklessCluster(const DisklessCluster&) = delete;
  DisklessCluster& operator=(const DisklessCluster&) = delete;

  // ---- LogCluster.
  // The agents of `client_zone`, or every agent when the zone has none.
  std::vector<sim::NodeId> bootstrap(std::string_view client_zone) const override;
  std::vector<sim::NodeId> serving_nodes() const override;  // the agents
  std::vector<sim::NodeId> all_nodes() const override;      // the metadata node, then the agents

  // ---- Topology and inspection (no simulated time passes).
  const DisklessOptions& options() const { return options_; }
  sim::NodeId metadata_node() const { return metadata_node_; }
  const std::vector<AgentInfo>& agents() const;
  std::vector<sim::NodeId> agents_in_zone(std::string_view zone) const;
  const MetadataState& metadata() const { return state_; }
  objstore::ObjectStore& object_store() { return store_; }

  // ---- Fault hooks. Object-store faults go through object_store().
  void crash_agent(sim::NodeId agent);    // loses its buffer (and unsynced WAL writes)
  void restart_agent(sim::NodeId agent);  // crash if up, then boot (recovering its WAL)
  void crash_metadata();                  // the control plane becomes unavailable...
  void restart_metadata();                // ...until restarted, with all its state
  sim::PartitionId partition_zone(std::string_view zone);  // cut the zone off the others
  void heal(sim::PartitionId partition);

 private:
  void check_agent(sim::NodeId node) const;

  sim::Simulation& sim_;
  objstore::ObjectStore& store_;
  DisklessOptions options_;
  MetadataState state_;
  sim::NodeId metadata_node_ = sim::kNoNode;
  std::unique_ptr<AgentContext> context_;
};

}  // namespace weir::models::kafka::diskless
