// MetadataService: the process of the diskless log's control-plane node.
//
// It models a replicated, linearizable metadata store (WarpStream's control
// plane, or a Raft/Spanner-backed service) as one reliable node: each request
// is applied atomically at one instant, after a simulated consensus latency.
// Its durable state (MetadataState) is owned by the cluster and survives the
// node's crashes; a crash only makes the service unavailable until restart,
// and drops the long polls in progress. Built by the node's boot function.
#pragma once

#include "messages.h"
#include "weir/models/kafka/diskless/metadata_state.h"
#include "weir/models/kafka/diskless/options.h"
#include "weir/sim/future.h"
#include "weir/sim/network.h"
#include "weir/sim/random.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::diskless {

class MetadataService : public sim::Process {
 public:
  // `state` and `options` must outlive the process (the cluster owns them).
  MetadataService(sim::Simulation& sim, sim::NodeId node, MetadataState& state, const DisklessOptions& options);

 private:
  sim::Payload<HeartbeatResponse> heartbeat(const HeartbeatRequest& request);
  sim::Payload<CommitResponse> commit(const CommitRequest& request);
  sim::Payload<RelocateResponse> relocate(const RelocateRequest& request);
  sim::Payload<LookupResponse> lookup(const LookupRequest& request);
  sim::Payload<ListOffsetsResponse> list_offsets(const MetaListOffsetsRequest& request);
  sim::Payload<OffsetCommitResponse> offset_commit(const MetaOffsetCommitRequest& request);
  sim::Payload<OffsetFetchResponse> offset_fetch(const MetaOffsetFetchRequest& request);

  LookupResponse answer_lookup(const LookupRequest& request) const;
  void wait(const sim::Latency& latency);
  void announce_commit();

  sim::Simulation& sim_;
  sim::NodeId node_;
  MetadataState& state_;
  const DisklessOptions& options_;
  sim::Random random_;
  sim::Promise<bool> committed_;  // set (and replaced) by every commit: wakes long polls
};

}  // namespace weir::models::kafka::diskless
