// Agent: the process of one stateless diskless-Kafka agent.
//
// Serves the Kafka protocol (protocol.h) for every partition. Produce:
// buffer for batch_timeout or batch_max_bytes, PUT one object, commit its
// batches to the metadata service (which assigns offsets), then acknowledge.
// Fetch: look the offsets up in the metadata service (long poll), read the
// objects with range GETs through an LRU cache. Metadata and FindCoordinator
// answer with agents of the client's zone. The knobs ack_before_commit and
// automq_wal_mode change the produce path (see options.h).
//
// All of an agent's state is volatile except its WAL (AutoMQ mode), kept on
// the node's disk. Built by the node's boot function; `context` is owned by
// the DisklessCluster and outlives the process. Split by concern into
// agent.cpp (control), agent_produce.cpp, agent_wal.cpp and agent_fetch.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "batch_cache.h"
#include "codec.h"
#include "messages.h"
#include "weir/models/kafka/diskless/options.h"
#include "weir/models/objstore/client.h"
#include "weir/models/objstore/object_store.h"
#include "weir/sim/future.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::kafka::diskless {

// An object of batches reached the object store.
inline constexpr sim::TraceKind kTraceAgentFlush{"diskless.flush", "uploaded object {object:text} of {bytes} bytes"};
// A batch was acknowledged to its producer at the offsets it was committed at.
inline constexpr sim::TraceKind kTraceAgentAck{
    "diskless.ack", "acked {records} records of partition {partition} at offsets {first}..{last}"};
// ack_before_commit: a batch acknowledged before its offsets are known.
inline constexpr sim::TraceKind kTraceAgentAckUnknownOffset{
    "diskless.ack_unknown_offset", "acked a produce to partition {partition} without its offset"};
// WAL mode: a WAL entry was written and fsynced on the agent's disk.
inline constexpr sim::TraceKind kTraceAgentWal{"diskless.wal", "wrote WAL entry {entry:text} of {bytes} bytes"};

// What the cluster tells every agent.
struct AgentContext {
  const DisklessOptions& options;
  const objstore::ObjectStore& store;
  sim::NodeId metadata_node;
  std::vector<AgentInfo> agents;  // every agent of the cluster, in node order
};

class Agent : public sim::Process {
 public:
  Agent(sim::Simulation& sim, sim::NodeId node, const AgentContext& context);

 private:
  struct BatchOutcome {
    ErrorCode error = ErrorCode::none;
    std::int64_t base_offset = -1;
  };
  struct PendingBatch {
    PendingBatch(sim::Simulation& sim, TopicPartition p, std::vector<Record> r, std::uint64_t b)
        : tp(std::move(p)), records(std::move(r)), bytes(b), done(sim) {}
    TopicPartition tp;
    std::vector<Record> records;
    std::uint64_t bytes;
    sim::Promise<BatchOutcome> done;
  };
  using Batches = std::vector<std::shared_ptr<PendingBatch>>;
  // Batches read for one fetch, by (object key or WAL entry id, byte offset).
  using Loaded = std::map<std::pair<std::string, std::uint64_t>, RecordBatch>;
  struct WalState {
    WalEntry entry;
    bool sequenced = false;
  };

  // ---- Control (agent.cpp).
  void serve_all();
  void heartbeat_loop();
  sim::NodeId choose_agent(std::string_view client_zone, std::uint64_t key) const;
  bool knows(const TopicPartition& tp) const;
  sim::Payload<MetadataResponse> handle_metadata(const MetadataRequest& request);
  sim::Payload<FindCoordinatorResponse> handle_find_coordinator(const FindCoordinatorRequest& request);
  sim::Payload<ListOffsetsResponse> handle_list_offsets(const ListOffsetsRequest& request);
  sim::Payload<OffsetCommitResponse> handle_offset_commit(const OffsetCommitRequest& request);
  sim::Payload<OffsetFetchResponse> handle_offset_fetch(const OffsetFetchRequest& request);
  template <class Request>
  std::optional<sim::ReplyOf<Request>> call_metadata(Request request, std::uint64_t bytes, sim::Duration timeout) {
    auto reply = sim_.network().call(node_, context_.metadata_node,
                                     sim::Payload{std::move(request), bytes, 0, kTrafficMetadata}, timeout);
    if (!reply.ok()) return std::nullopt;
    return std::move(reply.value());
  }
  std::string next_name(std::string_view kind);
  void backoff(std::uint32_t attempt);

  // ---- Produce (agent_produce.cpp).
  sim::Payload<ProduceResponse> handle_produce(const ProduceRequest& request);
  sim::Future<BatchOutcome> enqueue(const std::string& topic, const ProducePartitionData& data);
  void flush();
  void upload_and_commit(const Batches& batches);
  bool put_object(const std::string& key, std::shared_ptr<const std::string> data);
  std::optional<std::vector<std::int64_t>> commit(const std::string& commit_id,
                                                  const std::vector<CommitBatch>& batches);
  void ack_with_guesses(const Batches& batches);
  void ack(const Batches& batches, const std::vector<std::int64_t>& bases);
  void fail(const Batches& batches, ErrorCode error);

  // ---- AutoMQ WAL mode (agent_wal.cpp).
  void write_wal_and_sequence(const Batches& batches);
  std::optional<std::vector<std::int64_t>> sequence(const std::string& entry_id);
  void upload_loop();
  void upload_wal_entries();
  void recover_wal();
  sim::Payload<WalReadResponse> handle_wal_read(const WalReadRequest& request);

  // ---- Fetch (agent_fetch.cpp).
  sim::Payload<FetchResponse> handle_fetch(const FetchRequest& request);
  ErrorCode read_batches(const std::vector<BatchRef>& refs, std::int64_t from_offset,
                         std::vector<FetchedRecord>& out);
  void load_from_objects(const std::vector<BatchRef>& refs, Loaded& loaded);
  void load_from_wals(const std::vector<BatchRef>& refs, Loaded& loaded);
  objstore::GetResult get_range(const std::string& key, std::uint64_t offset, std::uint64_t length);

  sim::Simulation& sim_;
  sim::NodeId node_;
  const AgentContext& context_;
  const DisklessOptions& options_;
  objstore::ObjectStoreClient store_;
  std::vector<AgentInfo> live_agents_;  // as last heard from the metadata service

  Batches buffer_;
  std::uint64_t buffer_bytes_ = 0;
  std::uint64_t buffer_generation_ = 0;
  std::uint64_t next_name_ = 0;
  std::map<TopicPartition, std::int64_t> guessed_next_;  // ack_before_commit only
  std::map<std::string, WalState> wal_;                  // automq_wal_mode only, by entry id
  BatchCache cache_;
};

}  // namespace weir::models::kafka::diskless
