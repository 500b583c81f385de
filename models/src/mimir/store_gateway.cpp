#include "weir/models/mimir/store_gateway.h"

#include <stdexcept>

#include "weir/models/mimir/series_merge.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {

std::optional<std::string> StoreGatewayOptions::validate() const {
  if (load_attempts < 1) return "store-gateway load_attempts must be at least 1";
  if (sync_interval.ns() < 0) return "store-gateway sync_interval must not be negative (0 = list on every query)";
  return object_store.validate();
}

StoreGateway::StoreGateway(sim::Simulation& sim, sim::NodeId node, const objstore::ObjectStore& store,
                           StoreGatewayOptions options)
    : sim_(sim),
      node_(node),
      sync_interval_(options.sync_interval),
      objects_(sim, node, store, options.object_store),
      catalog_(objects_, options.load_attempts) {
  sim_.network().serve(node_, this, &StoreGateway::serve);
}

sim::Payload<StoreGatewayQueryResponse> StoreGateway::serve(const StoreGatewayQueryRequest& request) {
  ++stats_.queries;
  const properties::ReadSelector& selector = request.selector;
  const CatalogResult loaded = catalog_.load(blocks_prefix(request.tenant), [&](const BlockRef& ref) {
    return ref.tenant == request.tenant && ref.max_time_ms > selector.start_ms && ref.min_time_ms <= selector.end_ms;
  }, sim_.now(), sync_interval_);
  StoreGatewayQueryResponse response;
  if (!loaded.ok()) {
    ++stats_.failed_queries;
    response.ok = false;
    response.error = loaded.error;
  } else {
    SeriesMerge merge;
    for (const LoadedBlock& b : loaded.blocks) {
      for (const SeriesId id : selector.series) merge.add(id, b.block->query(id, selector.start_ms, selector.end_ms));
    }
    response.series = merge.results();
  }
  const std::uint64_t digest = sim::hash_combine(result_digest(response.series), loaded.blocks.size());
  sim_.event(node_, kTraceStoreGatewayQuery, {request.trace_read, response.series.size(), loaded.blocks.size()});
  const std::uint64_t bytes = result_wire_bytes(response.series) + response.error.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficQuery};
}

sim::BootFn store_gateway_boot(const objstore::ObjectStore& store, StoreGatewayOptions options) {
  if (auto error = options.validate()) throw std::invalid_argument(*error);
  return [&store, options](sim::Simulation& sim, sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<StoreGateway>(sim, node, store, options);
  };
}

}  // namespace weir::models::mimir
