// Querier: answers a query from the query-frontend (kQuerierService) by
// asking, for each partition, one ingester, and the store-gateways, then
// merging (Mimir's querier with ingest storage, pkg/querier).
//
// Time split (Mimir's querier): ingesters are asked only for [max(start,
// now - query_ingesters_within), end], and not at all when the range ends
// before now - query_ingesters_within; store-gateways only for [start,
// min(end, now - query_store_after)], and not at all when the range starts
// after now - query_store_after (0 turns either split off). With
// query_store_after < query_ingesters_within, and ingesters keeping shipped
// blocks for a retention at least query_ingesters_within, every sample is in
// one of the two ranges.
//
// Per partition it tries the partition's ingesters in the order of the
// ReadTopology: its own zone first, then the other zones; an error answer
// (not ready, strong read timed out) or no answer moves on to the next zone.
// A request pinned to a zone (QuerierRequest::zone) asks only that zone's
// ingesters and store-gateway, with no failover. For a strong read the
// request carries the partition's offset from the query-frontend (the last
// produced offset, -1 for an empty partition) and the ingester waits until
// it has consumed it. The partitions are queried concurrently, each from a
// fiber, together with one store-gateway (own zone first, failing over
// likewise). If any partition, or the store-gateway, has no answer in any
// zone, the query fails with the last error.
//
// The answer lists each selected series once with one sample per timestamp
// (the first source wins: ingesters in partition order, then the
// store-gateway), names the querier's zone and node, and counts the samples
// only the store-gateway could give (older than the ingesters' range).
//
// Ownership: the Process of its node, built by querier_boot(); the topology
// is copied. Sub-query fibers share their results through a shared_ptr.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "weir/models/mimir/read_topology.h"
#include "weir/models/mimir/services.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

inline constexpr std::string_view kQuerierService = "querier.query";
// A query answered (or failed: no series) from this querier's zone.
inline constexpr sim::TraceKind kTraceQuerierQuery{"mimir.querier.query", "read #{read}: {series} series from zone {zone:text}"};

// What the query-frontend sends a querier.
struct QuerierRequest {
  using Reply = QueryResponse;
  static constexpr std::string_view kService = kQuerierService;
  QueryRequest query;
  // Strong reads: the last produced offset of each partition, to wait for.
  std::map<PartitionId, std::int64_t> min_offsets;
  // Non-empty: ask only this zone's ingesters and store-gateway (no failover).
  std::string zone;
};

struct QuerierOptions {
  // How long to wait for an ingester's answer to an eventual read.
  sim::Duration ingester_timeout = sim::Duration::seconds(10);
  // The longest an ingester may wait for a strong read's offset (passed down;
  // the ingester also bounds it by its own 20 s), and the extra time the
  // querier gives it to answer.
  sim::Duration strong_read_max_wait = sim::Duration::seconds(20);
  sim::Duration strong_read_timeout_margin = sim::Duration::seconds(5);
  sim::Duration store_gateway_timeout = sim::Duration::seconds(30);
  bool query_store_gateways = true;
  // -querier.query-ingesters-within (13 h): ingesters only hold data this
  // recent (0 = ask them for any range).
  sim::Duration query_ingesters_within = sim::Duration::seconds(13 * 3600);
  // -querier.query-store-after (12 h): store-gateways are asked only for
  // data older than this (0 = for any range). Must be less than
  // query_ingesters_within (Mimir's errBadLookbackConfigs).
  sim::Duration query_store_after = sim::Duration::seconds(12 * 3600);

  std::optional<std::string> validate() const;
};

struct QuerierSetup {
  std::string zone;  // empty: the node's zone
  ReadTopology topology;
  QuerierOptions options;
};

struct QuerierStats {
  std::uint64_t queries = 0;
  std::uint64_t failed_queries = 0;
  std::uint64_t ingester_failovers = 0;      // an ingester failed and another zone was tried
  std::uint64_t store_gateway_failovers = 0;
  std::uint64_t ingesters_skipped = 0;       // the range ended before query_ingesters_within
  std::uint64_t store_gateways_skipped = 0;  // the range started after query_store_after
};

class Querier : public sim::Process {
 public:
  Querier(sim::Simulation& sim, sim::NodeId node, QuerierSetup setup);

  const QuerierStats& stats() const { return stats_; }
  const std::string& zone() const { return zone_; }

 private:
  struct Answer {
    bool ok = false;
    std::string error;
    std::vector<properties::SeriesResult> series;
  };

  // The ranges each source is asked for (nothing: not asked).
  struct Plan {
    std::optional<properties::ReadSelector> ingesters;
    std::optional<properties::ReadSelector> store;
  };

  sim::Payload<QueryResponse> serve(const QuerierRequest& request);
  Plan plan(const properties::ReadSelector& selector);
  Answer ask_partition(const QueryRequest& query, PartitionId partition, std::int64_t min_offset,
                       const std::string& pinned_zone);
  Answer ask_store_gateways(const QueryRequest& query, const std::string& pinned_zone);
  // Asks each node in turn until one answers; Request names the service.
  template <class Request>
  Answer ask_in_order(const std::vector<sim::NodeId>& nodes, const Request& request, sim::Duration timeout,
                      std::uint64_t& failovers);

  sim::Simulation& sim_;
  sim::NodeId node_;
  std::string zone_;
  std::string name_;
  QuerierSetup setup_;
  QuerierStats stats_;
};

sim::BootFn querier_boot(QuerierSetup setup);

}  // namespace weir::models::mimir
