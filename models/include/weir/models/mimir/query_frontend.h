// QueryFrontend: the entry of the read path (kQueryFrontendService), with
// Mimir's read-consistency middleware (pkg/frontend/querymiddleware/
// read_consistency.go).
//
// An eventual read goes straight to a querier. A strong read
// (X-Read-Consistency: strong) first waits for the NEXT poll of the last
// produced offsets (LastProducedOffsets, every 1 s), so the offsets were
// taken after the read arrived and cover every write acknowledged before it;
// the per-partition offsets (offset of the last record, -1 when empty) go to
// the querier, which passes each to the partition's ingester. If the poll
// fails or does not complete within querier_timeout the read fails.
// Queriers are picked round-robin; a querier that errs or does not answer
// is replaced by the next one, up to max_retries attempts in all (Mimir's
// -query-frontend.max-retries-per-request, 5), all within querier_timeout
// (-querier.timeout bounds the whole query). While a querier works on a
// query the connection is kept alive as gRPC does (dskit's client: a ping
// after keepalive_time of silence, answered within keepalive_timeout): a
// querier that crashed or was cut off is given up on at the first missed
// ping and the next one tried, instead of holding the query until the
// timeout. (Mimir's queriers pull queries from the frontend or scheduler
// over such a connection, so a querier cut off takes no new work.)
//
// Planted bug (knob strong_read_uses_stale_offsets, default off; cf. Mimir
// #15762, where strong reads in the compartments architecture silently fell
// back to offsets not taken for the read): use the last completed poll, up
// to one poll interval old, so a write acknowledged after that poll but
// before the read can be missed (a read-after-write violation).
//
// Ownership: the Process of its node, built by query_frontend_boot().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/kafka/client/consumer.h"
#include "weir/models/mimir/last_produced_offsets.h"
#include "weir/models/mimir/querier.h"
#include "weir/models/mimir/services.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// A client's query answered (status: 200, or 500 when it failed).
inline constexpr sim::TraceKind kTraceQueryFrontendQuery{"mimir.query_frontend.query",
                                                         "read #{read} answered: {series} series, status {status}"};
// A strong read waits for each partition's last produced offset (one per partition).
inline constexpr sim::TraceKind kTraceQueryFrontendOffsets{
    "mimir.query_frontend.offsets", "read #{read} requires partition {partition} to reach offset {offset}"};

struct QueryFrontendOptions {
  kafka::ConsumerOptions consumer;  // client_zone defaults to the node's zone
  // -ingest-storage.kafka.last-produced-offset-poll-interval.
  sim::Duration last_produced_offset_poll_interval = sim::Duration::seconds(1);
  // -querier.timeout (2 min): the longest a query may take, retries included.
  sim::Duration querier_timeout = sim::Duration::seconds(120);
  // dskit grpcclient keepalive: Time 20 s, Timeout 10 s.
  sim::Duration keepalive_time = sim::Duration::seconds(20);
  sim::Duration keepalive_timeout = sim::Duration::seconds(10);
  // -query-frontend.max-retries-per-request: attempts in all.
  int max_retries = 5;
  // Planted bug (see above); default off.
  bool strong_read_uses_stale_offsets = false;

  std::optional<std::string> validate() const;
};

struct QueryFrontendSetup {
  std::string topic = "ingest";
  std::vector<PartitionId> partitions;      // every partition of the topic that may hold data
  std::vector<sim::NodeId> log_bootstrap;   // LogCluster::bootstrap(zone)
  std::vector<sim::NodeId> queriers;
  QueryFrontendOptions options;

  std::optional<std::string> validate() const;
};

struct QueryFrontendStats {
  std::uint64_t queries = 0;
  std::uint64_t strong_queries = 0;
  std::uint64_t failed_queries = 0;
  std::uint64_t retries = 0;
};

class QueryFrontend : public sim::Process {
 public:
  QueryFrontend(sim::Simulation& sim, sim::NodeId node, QueryFrontendSetup setup);

  const QueryFrontendStats& stats() const { return stats_; }
  const LastProducedOffsets& offsets() const { return offsets_; }

 private:
  sim::Payload<QueryResponse> serve(const QueryRequest& request);
  QueryResponse answer(const QueryRequest& request);
  std::optional<PartitionOffsets> strong_offsets(sim::Time deadline);
  QueryResponse ask_queriers(const QuerierRequest& request, sim::Time deadline);
  // One attempt on `querier`, given up at the deadline or a missed keepalive.
  std::optional<QueryResponse> ask_querier(sim::NodeId querier, const QuerierRequest& request, sim::Time deadline);

  sim::Simulation& sim_;
  sim::NodeId node_;
  QueryFrontendSetup setup_;
  kafka::Consumer consumer_;
  LastProducedOffsets offsets_;
  std::size_t next_querier_ = 0;
  QueryFrontendStats stats_;
};

// Throws std::invalid_argument if the setup is invalid.
sim::BootFn query_frontend_boot(QueryFrontendSetup setup);

}  // namespace weir::models::mimir
