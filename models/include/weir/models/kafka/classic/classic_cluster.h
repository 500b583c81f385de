// ClassicCluster: a replicated Kafka cluster (brokers with local logs and a
// KRaft-like controller) built inside a Simulation.
//
// The constructor adds one node per broker and one controller node, and
// starts them; from then on everything happens through the simulation: clients
// speak the Kafka protocol (protocol.h) to the brokers, brokers replicate by
// fetching from leaders (replica_id >= 0, traffic "replication"), and the
// controller elects leaders and owns ISRs. The controller is a single node in
// zones[0] whose metadata log is fsynced on every change (a KRaft quorum of
// one); its disk is never wiped.
//
// Lifetime: node state lives in the nodes' processes, which share the
// topology and options by shared_ptr, so this object may be destroyed before
// the Simulation; it must not be used after the Simulation is gone. Fault
// hooks and introspection may be called between simulation steps or from a
// fiber; introspection reads state and never blocks or changes anything.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/kafka/classic/classic_cluster_options.h"
#include "weir/models/kafka/classic/partition_state.h"
#include "weir/models/kafka/log_cluster.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::classic {

class Topology;

// One broker's view of one of its replicas.
struct ReplicaStatus {
  std::int64_t log_end_offset = 0;
  std::int64_t high_watermark = 0;
  std::int32_t latest_epoch = -1;  // newest epoch in the leader-epoch cache
  bool leader = false;             // the broker believes it leads the partition
  PartitionState state;            // the partition state the broker knows
  std::int64_t log_start_offset = 0;
  std::size_t segments = 1;        // the log's segments, the active one included
};

class ClassicCluster final : public LogCluster {
 public:
  // Throws std::invalid_argument when options.validate() fails.
  ClassicCluster(sim::Simulation& sim, ClassicClusterOptions options);

  // ---- LogCluster.
  // Every broker, those in `client_zone` first.
  std::vector<sim::NodeId> bootstrap(std::string_view client_zone) const override;
  std::vector<sim::NodeId> serving_nodes() const override;
  std::vector<sim::NodeId> all_nodes() const override;
  // Writes the broker's page cache to its disk (nothing if it is down).
  void before_process_kill(sim::NodeId node) override;

  const ClassicClusterOptions& options() const { return *options_; }
  std::size_t broker_count() const;
  sim::NodeId broker(std::size_t index) const;
  sim::NodeId controller() const;

  // ---- Fault hooks.
  void crash_broker(std::size_t index);
  void start_broker(std::size_t index);    // no-op if it is up
  void restart_broker(std::size_t index);  // crash (if up), then start
  // The machine is replaced: crash, wipe its disk, start empty. It rejoins as
  // an empty replica and re-replicates from the leaders.
  void lose_broker_disk(std::size_t index);
  void crash_controller();
  void start_controller();

  // ---- Introspection (read-only).
  // The controller's view; nothing while the controller is down or booting,
  // or for an unknown partition.
  std::optional<PartitionState> partition_state(std::string_view topic, std::int32_t partition) const;
  // A broker's view of its replica; nothing when the broker is down or still
  // recovering, or does not host the partition.
  std::optional<ReplicaStatus> replica_status(std::size_t broker, std::string_view topic,
                                              std::int32_t partition) const;
  // Record::digest() of every record in the replica's log, by offset from its log start.
  std::vector<std::uint64_t> record_digests(std::size_t broker, std::string_view topic,
                                            std::int32_t partition) const;

 private:
  sim::Simulation& sim_;
  std::shared_ptr<const ClassicClusterOptions> options_;
  std::shared_ptr<const Topology> topology_;
};

}  // namespace weir::models::kafka::classic
