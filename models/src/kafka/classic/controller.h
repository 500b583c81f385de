// Controller: the process of the single KRaft-like controller node.
//
// It owns the cluster metadata (MetadataImage): broker registrations and
// fencing, and every partition's leader, epochs and ISR. Brokers register
// once per incarnation and heartbeat; a broker silent for the session timeout
// is fenced, and a new incarnation fences the old one. Fencing and unfencing
// reconcile every partition (election.h). Leaders change ISRs only through
// AlterPartition, checked against the epochs they saw.
//
// Like KRaft's single-threaded controller, every change runs as a command on
// one fiber: plan a MetadataDelta from the current image, append it to the
// metadata log on disk and fsync (a quorum of one), then apply it, trace it
// and push it to every broker. Readers only ever see committed metadata. A
// restart replays the log and gives every broker a fresh session. Owned by its
// node; shares the immutable topology and options.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "internal_messages.h"
#include "metadata_image.h"
#include "topology.h"
#include "weir/sim/channel.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::classic {

class Controller final : public sim::Process {
 public:
  Controller(sim::Simulation& sim, sim::NodeId self, std::shared_ptr<const Topology> topology,
             std::shared_ptr<const ClassicClusterOptions> options);

  // Nothing until the metadata log is loaded.
  const MetadataImage* image() const { return loaded_ ? &image_ : nullptr; }

 private:
  using Command = std::function<void()>;

  void main();
  void load();
  MetadataDelta initial_metadata() const;
  void serve();
  void fence_checker();

  sim::Payload<RegisterBrokerResponse> on_register(const RegisterBrokerRequest& request);
  sim::Payload<BrokerHeartbeatResponse> on_heartbeat(const BrokerHeartbeatRequest& request);
  sim::Payload<AlterPartitionResponse> on_alter_partition(const AlterPartitionRequest& request);

  // Runs `fn` on the command fiber and waits for it.
  template <class T>
  T run_command(std::function<T()> fn);
  void fence(std::size_t broker);
  void unfence(std::size_t broker, std::uint64_t incarnation);
  void register_broker(const RegisterBrokerRequest& request);
  AlterPartitionResponse alter_partition(const AlterPartitionRequest& request);
  // Adds to `delta` every partition whose leader or ISR changes for `live`.
  void reconcile_all(MetadataDelta& delta, const std::function<bool(std::size_t)>& live) const;

  void commit(MetadataDelta delta);
  void apply(const MetadataDelta& delta);
  void trace_changes(const MetadataDelta& delta);
  void push(const MetadataDelta& delta);

  sim::Simulation& sim_;
  const sim::NodeId self_;
  std::shared_ptr<const Topology> topology_;
  std::shared_ptr<const ClassicClusterOptions> options_;
  MetadataImage image_;
  std::vector<sim::TraceField> isr_fields_;  // reused to trace an ISR change
  bool loaded_ = false;
  std::vector<sim::Time> last_contact_;  // by broker index
  std::vector<bool> fence_queued_;
  std::vector<bool> unfence_queued_;
  sim::Channel<Command> commands_;
};

}  // namespace weir::models::kafka::classic
