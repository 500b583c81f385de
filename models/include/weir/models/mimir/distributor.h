// Distributor: Mimir's distributor with ingest storage, as a Process on a
// node, serving kPushService (services.h).
//
// A push goes through Mimir's steps (pkg/distributor/distributor.go):
//  1. the tenant must be set (401), the body must decode as a snappy
//     WriteRequest within max_recv_msg_size (400 otherwise);
//  2. every series is prepared and validated (series_validation.h); invalid
//     series and metadata are dropped and the first finding is kept;
//  3. if nothing valid is left, the answer is that finding (400) or 200;
//  4. the valid samples + metadata are charged to the tenant's token bucket
//     (429 when over the rate or the burst; nothing is written);
//  5. each series goes to the ACTIVE partition owning its shard token on the
//     ring (the tenant's shuffle shard when configured), metadata by metric
//     name; each partition's WriteRequest becomes records (encode_records,
//     key = tenant, "Version" header) produced to the log with the Producer;
//  6. the answer is 200 once every record of every partition is
//     acknowledged, or the first finding of step 2 (400: the valid series
//     were written anyway, as Mimir does); 500 as soon as any record fails;
//     500 when request_timeout passes first, although records may still be
//     written (ambiguous).
// Whenever the log acknowledges a record, even after the push has answered,
// the Distributor records it in the History (record_log_ack with the
// record's kafka::Record::digest(), the digest ingesters record on apply).
//
// Ownership: built by the node's boot function (see boot()); it registers the
// push handler and owns its Producer. It reads the PartitionRingKv and writes
// the History, both owned by the topology, which must outlive every run.
// A crash destroys it with the node's fibers: pushes in flight get no answer.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "weir/models/kafka/client/producer.h"
#include "weir/models/mimir/distributor_options.h"
#include "weir/models/mimir/ingestion_rate_limiter.h"
#include "weir/models/mimir/partition_ring_kv.h"
#include "weir/models/mimir/services.h"
#include "weir/models/proto/remote_write.pb.h"
#include "weir/properties/history.h"
#include "weir/sim/node.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// A push answered: the series and samples the request carried, and the status.
inline constexpr sim::TraceKind kTraceDistributorPush{
    "mimir.distributor.push", "push of write #{write}: {series} series, {samples} samples, answered {status}"};
// The log acknowledged one record of a push (record: the Kafka record's digest).
inline constexpr sim::TraceKind kTraceDistributorLogAck{
    "mimir.distributor.log_ack", "write #{write}: record {record:hex} for partition {partition} acked at offset {offset}"};

struct DistributorStats {
  std::uint64_t requests = 0;
  std::uint64_t answered_2xx = 0;
  std::uint64_t answered_4xx = 0;
  std::uint64_t answered_5xx = 0;
  std::uint64_t timed_out = 0;        // of the 5xx: request_timeout passed
  std::uint64_t series_invalid = 0;   // dropped by validation
  std::uint64_t samples_written = 0;  // in produced records
  std::uint64_t records_produced = 0;
  std::uint64_t records_acked = 0;
  std::uint64_t records_failed = 0;
};

class PushTracker;

class Distributor : public sim::Process {
 public:
  Distributor(sim::Simulation& sim, sim::NodeId node, const PartitionRingKv& ring,
              std::vector<sim::NodeId> log_bootstrap, DistributorOptions options,
              properties::History* history = nullptr);
  ~Distributor() override;

  // A boot function building a Distributor with these arguments at every start.
  static sim::BootFn boot(const PartitionRingKv& ring, std::vector<sim::NodeId> log_bootstrap,
                          DistributorOptions options, properties::History* history);

  // Serves one push; blocks the calling fiber (what the RPC handler runs).
  PushResponse push(const PushRequest& request);

  const DistributorStats& stats() const { return stats_; }
  sim::NodeId node() const { return node_; }

 private:
  struct Partitioned {
    std::vector<std::pair<PartitionId, prometheus::WriteRequest*>> parts;  // ascending partition, on the request's arena
    std::uint64_t samples = 0;
    std::optional<std::string> error;  // no ACTIVE partition
  };

  // What a push carried, for the trace.
  struct PushSize {
    std::int64_t series = 0;
    std::int64_t samples = 0;
  };

  PushResponse handle(const PushRequest& request, PushSize& size);
  std::optional<std::string> validate(prometheus::WriteRequest& request, std::int64_t& items);
  Partitioned shard(const std::string& tenant, prometheus::WriteRequest& request, google::protobuf::Arena& arena);
  const PartitionRing& tenant_ring(const std::string& tenant);
  PushResponse write(const std::string& tenant, Partitioned partitioned, const std::optional<std::string>& finding,
                     std::int64_t trace_write);
  void watch(std::shared_ptr<PushTracker> tracker, PartitionId partition, std::uint64_t digest,
             sim::Future<kafka::ProduceResult> result, std::int64_t trace_write);
  PushResponse answer(PushResponse response, std::int64_t trace_write, const PushSize& size);

  sim::Simulation& sim_;
  sim::NodeId node_;
  const PartitionRingKv& ring_;
  DistributorOptions options_;
  properties::History* history_;
  IngestionRateLimiter rate_limiter_;
  std::unique_ptr<kafka::Producer> producer_;
  DistributorStats stats_;
  // Each tenant's shuffle shard, with the ring version it was computed from.
  std::map<std::string, std::pair<std::uint64_t, PartitionRing>, std::less<>> shuffle_shards_;
};

}  // namespace weir::models::mimir
