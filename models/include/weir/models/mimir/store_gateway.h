// StoreGateway: serves reads of the blocks in object storage
// (kStoreGatewayQueryService), as Mimir's store-gateway does for the
// querier.
//
// For each query it loads the tenant's blocks overlapping the time range
// through a BlockCatalog (LIST, then GET only blocks it has not cached at
// their current version) and merges them with one sample per (series,
// timestamp): compacted blocks first, then the ingesters' per-zone blocks
// that the compactor has not merged yet, so zones' copies of a sample
// collapse into one. A failed LIST or GET fails the query (a store-gateway
// must not answer with part of the blocks).
//
// Like Mimir's store-gateway, it refreshes its list of a tenant's blocks at
// most every sync_interval (-blocks-storage.bucket-store.sync-interval,
// 15 min; 0 lists on every query), so a shipped block becomes visible up to
// that late; the querier asks ingesters for recent data meanwhile. A listed
// block the compactor deleted since is served from memory if loaded, else
// the store-gateway lists again (block_catalog.h). Mimir shards blocks over
// store-gateways by a ring; here each store-gateway serves every block.
// Ownership: the Process of its node, built by store_gateway_boot(); the
// ObjectStore must outlive the Simulation's run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "weir/models/mimir/block_catalog.h"
#include "weir/models/mimir/services.h"
#include "weir/models/objstore/client.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// A query answered from the blocks in the object store.
inline constexpr sim::TraceKind kTraceStoreGatewayQuery{"mimir.store_gateway.query",
                                                        "read #{read}: answered {series} series from {blocks} blocks"};

struct StoreGatewayOptions {
  objstore::ObjectStoreClientOptions object_store;
  // LISTs per query when listed blocks vanish before their GET.
  int load_attempts = 3;
  // -blocks-storage.bucket-store.sync-interval (15 min).
  sim::Duration sync_interval = sim::Duration::seconds(15 * 60);

  std::optional<std::string> validate() const;
};

struct StoreGatewayStats {
  std::uint64_t queries = 0;
  std::uint64_t failed_queries = 0;
};

class StoreGateway : public sim::Process {
 public:
  StoreGateway(sim::Simulation& sim, sim::NodeId node, const objstore::ObjectStore& store, StoreGatewayOptions options);

  const StoreGatewayStats& stats() const { return stats_; }
  const BlockCatalogStats& catalog_stats() const { return catalog_.stats(); }

 private:
  sim::Payload<StoreGatewayQueryResponse> serve(const StoreGatewayQueryRequest& request);

  sim::Simulation& sim_;
  sim::NodeId node_;
  sim::Duration sync_interval_;
  objstore::ObjectStoreClient objects_;
  BlockCatalog catalog_;
  StoreGatewayStats stats_;
};

// Throws std::invalid_argument if the options are invalid. `store` must
// outlive every run of the Simulation.
sim::BootFn store_gateway_boot(const objstore::ObjectStore& store, StoreGatewayOptions options = {});

}  // namespace weir::models::mimir
