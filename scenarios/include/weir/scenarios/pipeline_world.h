// PipelineWorld: the nodes of one Pipeline run and the shared objects they
// use (the log, object storage, the partition ring store), as fault plans
// and the run's phases see them. Built inside a Simulation, which it must
// not outlive; the History it records into must outlive it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "weir/models/kafka/log_cluster.h"
#include "weir/models/mimir/partition_ring_kv.h"
#include "weir/models/mimir/read_topology.h"
#include "weir/models/objstore/object_store.h"
#include "weir/properties/history.h"
#include "weir/scenarios/fault_budget.h"
#include "weir/scenarios/log_topology.h"
#include "weir/sim/simulation.h"

namespace weir::scenarios {

struct PipelineOptions;

class PipelineWorld {
 public:
  PipelineWorld(sim::Simulation& sim, const PipelineOptions& options, properties::History& history);
  ~PipelineWorld();
  PipelineWorld(const PipelineWorld&) = delete;
  PipelineWorld& operator=(const PipelineWorld&) = delete;

  sim::Simulation& sim() { return sim_; }
  models::kafka::LogCluster& log() { return *log_.log; }
  models::objstore::ObjectStore& object_store() { return *object_store_; }
  const models::mimir::ReadTopology& read_topology() const { return read_topology_; }
  // What the log promises to survive; the swarm draws within it.
  const FaultBudget& fault_budget() const { return fault_budget_; }

  // Node groups, in creation order.
  const std::vector<sim::NodeId>& distributors() const { return distributors_; }
  const std::vector<sim::NodeId>& ingesters() const { return ingesters_; }
  const std::vector<sim::NodeId>& clients() const { return clients_; }
  sim::NodeId query_frontend() const { return query_frontend_; }
  // The querier of each ingester zone, by zone.
  const std::map<std::string, sim::NodeId>& queriers_by_zone() const { return queriers_by_zone_; }
  sim::NodeId compactor() const { return compactor_; }
  // Run-wide counters that outlive restarts, for the run's RunResult:
  // the ingesters add blocks_cut_<zone> and blocks_shipped_<zone>.
  std::map<std::string, std::uint64_t>& counters() { return counters_; }
  sim::NodeId checker() const { return checker_; }  // hosts the final reads, never faulted
  // Every node a fault may target: the log's, the pipeline's, not the clients'.
  std::vector<sim::NodeId> faultable_nodes() const;

 private:
  void build_storage(const PipelineOptions& options);
  void build_write_path(const PipelineOptions& options);
  void build_ingesters(const PipelineOptions& options);
  void build_read_path(const PipelineOptions& options);
  void build_clients(const PipelineOptions& options);
  sim::NodeId add(std::string name, std::string zone, sim::BootFn boot);

  sim::Simulation& sim_;
  properties::History& history_;
  LogTopology log_;
  FaultBudget fault_budget_;
  std::unique_ptr<models::objstore::ObjectStore> own_object_store_;  // when the log has none
  models::objstore::ObjectStore* object_store_ = nullptr;
  std::unique_ptr<models::mimir::PartitionRingKv> ring_;
  models::mimir::ReadTopology read_topology_;
  std::vector<sim::NodeId> distributors_;
  std::vector<sim::NodeId> ingesters_;
  std::vector<sim::NodeId> queriers_;
  std::map<std::string, sim::NodeId> queriers_by_zone_;
  std::map<std::string, std::uint64_t> counters_;
  std::vector<sim::NodeId> store_gateways_;
  std::vector<sim::NodeId> clients_;
  sim::NodeId query_frontend_ = sim::kNoNode;
  sim::NodeId compactor_ = sim::kNoNode;
  sim::NodeId checker_ = sim::kNoNode;
};

}  // namespace weir::scenarios
