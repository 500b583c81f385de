// ReferenceLog: a small, correct, in-memory Kafka-protocol log for testing the
// clients: one or a few nodes serving every service of protocol.h from one
// shared in-memory state that never loses anything (no replication, no disk).
//
// Each partition has a leader node; other nodes answer Produce, Fetch and
// ListOffsets for it with NOT_LEADER_OR_FOLLOWER, and any node answers
// Metadata. One node is the group coordinator. Tests move leadership and the
// coordinator, truncate a partition's head, and switch on faults (error
// answers, withheld answers, slow answers) to drive the clients' retry paths;
// they observe requests and concurrency as the log saw them.
//
// Ownership: the ReferenceLog owns the log state; its nodes' handlers refer to
// it, so it must outlive every run of the Simulation (declare it after the
// Simulation) and must not outlive the Simulation.
#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "weir/models/kafka/log_cluster.h"
#include "weir/models/kafka/protocol.h"
#include "weir/sim/future.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::testing {

struct ReferenceLogOptions {
  std::vector<std::string> zones = {"zone-a"};  // one node per entry, named ref-<index>
  std::string topic = "ingest";
  std::int32_t partitions = 4;
};

// Fault toggles, all off by default; counters count down as they fire.
struct ReferenceLogFaults {
  // The next this-many partitions of Produce requests are answered with
  // `fail_produce_error`, and not written.
  int fail_produce_partitions = 0;
  ErrorCode fail_produce_error = ErrorCode::not_enough_replicas;
  // The next this-many Produce requests are written but never answered, as
  // if every answer were lost.
  int withhold_produce_replies = 0;
  // Every Produce request is answered this long after it is written.
  sim::Duration produce_reply_delay;
};

class ReferenceLog : public LogCluster {
 public:
  ReferenceLog(sim::Simulation& sim, ReferenceLogOptions options);

  std::vector<sim::NodeId> bootstrap(std::string_view client_zone) const override;
  std::vector<sim::NodeId> serving_nodes() const override { return nodes_; }
  std::vector<sim::NodeId> all_nodes() const override { return nodes_; }

  // ---- Control.
  void move_leader(std::int32_t partition, std::size_t node_index);
  void move_coordinator(std::size_t node_index) { coordinator_ = node_index; }
  // Drops the records below `offset` (the log start moves there).
  void truncate_before(std::int32_t partition, std::int64_t offset);
  ReferenceLogFaults& faults() { return faults_; }

  // ---- Observation.
  std::vector<FetchedRecord> records(std::int32_t partition) const;
  std::int64_t end_offset(std::int32_t partition) const;
  sim::NodeId node(std::size_t index) const { return nodes_[index]; }
  std::uint64_t produce_requests() const;
  std::uint64_t produce_requests_to(std::size_t node_index) const { return produce_requests_[node_index]; }
  // Records carried by each Produce request, in arrival order.
  const std::vector<std::size_t>& records_per_produce_request() const { return records_per_request_; }
  // The most Produce requests one node was handling at the same time.
  int max_concurrent_produces() const { return max_concurrent_produces_; }
  std::uint64_t metadata_requests() const { return metadata_requests_; }

 private:
  struct Partition {
    explicit Partition(sim::Simulation& sim) : appended(sim) {}
    std::int64_t start = 0;  // offset of records.front()
    std::vector<Record> records;
    std::size_t leader = 0;
    std::int32_t epoch = 0;
    sim::Promise<bool> appended;  // replaced after each append; wakes long polls
    std::int64_t end() const { return start + static_cast<std::int64_t>(records.size()); }
  };
  using OffsetKey = std::tuple<std::string, std::string, std::int32_t>;

  void serve(sim::NodeId id, std::size_t index);
  Partition* find(const std::string& topic, std::int32_t partition);
  bool leads(std::size_t index, const Partition& partition) const { return partition.leader == index; }
  std::int64_t append(Partition& partition, const std::vector<Record>& records);
  sim::Payload<ProduceResponse> produce(std::size_t index, const ProduceRequest& request);
  ProducePartitionResponse produce_partition(std::size_t index, const std::string& topic,
                                             const ProducePartitionData& data);
  sim::Payload<FetchResponse> fetch(std::size_t index, const FetchRequest& request);
  FetchPartitionResponse fetch_partition(std::size_t index, const FetchRequest& request, const FetchPartition& wanted);
  sim::Payload<ListOffsetsResponse> list_offsets(std::size_t index, const ListOffsetsRequest& request);
  sim::Payload<MetadataResponse> metadata();
  sim::Payload<FindCoordinatorResponse> find_coordinator() const;
  sim::Payload<OffsetCommitResponse> offset_commit(std::size_t index, const OffsetCommitRequest& request);
  sim::Payload<OffsetFetchResponse> offset_fetch(std::size_t index, const OffsetFetchRequest& request) const;

  sim::Simulation& sim_;
  ReferenceLogOptions options_;
  std::vector<sim::NodeId> nodes_;
  std::vector<Partition> partitions_;
  std::size_t coordinator_ = 0;
  std::map<OffsetKey, std::int64_t> committed_;
  ReferenceLogFaults faults_;
  std::vector<std::uint64_t> produce_requests_;
  std::vector<int> active_produces_;
  int max_concurrent_produces_ = 0;
  std::vector<std::size_t> records_per_request_;
  std::uint64_t metadata_requests_ = 0;
};

}  // namespace weir::models::kafka::testing
