#include "weir/models/mimir/querier.h"

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "weir/models/mimir/series_merge.h"
#include "weir/sim/channel.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {
namespace {

std::uint64_t selector_digest(const QueryRequest& query) {
  std::uint64_t h = sim::fnv1a64(query.tenant);
  for (const SeriesId id : query.selector.series) h = sim::hash_combine(h, id);
  h = sim::hash_combine(h, static_cast<std::uint64_t>(query.selector.start_ms));
  return sim::hash_combine(h, static_cast<std::uint64_t>(query.selector.end_ms));
}

}  // namespace

std::optional<std::string> QuerierOptions::validate() const {
  if (ingester_timeout.ns() <= 0) return "querier ingester_timeout must be positive";
  if (strong_read_max_wait.ns() < 0) return "querier strong_read_max_wait must not be negative";
  if (strong_read_timeout_margin.ns() <= 0) return "querier strong_read_timeout_margin must be positive";
  if (store_gateway_timeout.ns() <= 0) return "querier store_gateway_timeout must be positive";
  return std::nullopt;
}

Querier::Querier(sim::Simulation& sim, sim::NodeId node, QuerierSetup setup)
    : sim_(sim),
      node_(node),
      zone_(setup.zone.empty() ? sim.node(node).zone() : setup.zone),
      name_(sim.node(node).name()),
      setup_(std::move(setup)) {
  sim_.network().serve(node_, std::string(kQuerierPingService), [](sim::NodeId, const std::any&) {
    return sim::Payload{true, 8, 0, kTrafficQuery};
  });
  sim_.network().serve(node_, std::string(kQuerierService), [this](sim::NodeId, const std::any& body) {
    return serve(std::any_cast<const QuerierRequest&>(body));
  });
}

sim::Payload Querier::serve(const QuerierRequest& request) {
  ++stats_.queries;
  const std::vector<PartitionId> partitions = setup_.topology.partitions();
  const bool ask_gateways = setup_.options.query_store_gateways;
  const std::size_t count = partitions.size() + (ask_gateways ? 1 : 0);
  // One slot per sub-query, filled by its fiber.
  auto answers = std::make_shared<std::vector<Answer>>(count);
  auto query = std::make_shared<const QueryRequest>(request.query);
  sim::Channel<int> done(sim_);
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    const auto offset = request.min_offsets.find(partitions[i]);
    const std::int64_t min_offset = offset == request.min_offsets.end() ? -1 : offset->second;
    sim_.spawn(node_, [this, query, answers, done, i, partition = partitions[i], min_offset]() mutable {
      (*answers)[i] = ask_partition(*query, partition, min_offset);
      done.send(1);
    });
  }
  if (ask_gateways) {
    sim_.spawn(node_, [this, query, answers, done, i = partitions.size()]() mutable {
      (*answers)[i] = ask_store_gateways(*query);
      done.send(1);
    });
  }
  for (std::size_t i = 0; i < count; ++i) done.recv();

  QueryResponse response;
  response.zone = zone_;
  response.querier = name_;
  SeriesMerge merge;
  for (const Answer& answer : *answers) {
    if (!answer.ok) {
      response.ok = false;
      response.error = answer.error;
    }
    for (const properties::SeriesResult& s : answer.series) merge.add(s);
  }
  if (response.ok) {
    response.series = merge.results();
  } else {
    ++stats_.failed_queries;
  }
  const std::uint64_t digest = sim::hash_combine(result_digest(response.series), response.ok ? 1 : 2);
  sim_.record(node_, kTraceQuerierQuery, sim::hash_combine(selector_digest(request.query), digest));
  const std::uint64_t bytes = result_wire_bytes(response.series) + response.error.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficQuery};
}

Querier::Answer Querier::ask_partition(const QueryRequest& query, PartitionId partition, std::int64_t min_offset) {
  IngesterQueryRequest request{query.tenant, query.selector, min_offset, setup_.options.strong_read_max_wait};
  const sim::Duration timeout = min_offset >= 0
                                    ? setup_.options.strong_read_max_wait + setup_.options.strong_read_timeout_margin
                                    : setup_.options.ingester_timeout;
  const std::vector<sim::NodeId> ingesters = setup_.topology.ingesters_for(partition, zone_);
  Answer answer = ask_in_order(ingesters, kIngesterQueryService, request, timeout, stats_.ingester_failovers);
  if (!answer.ok) answer.error = fmt::format("partition {}: {}", partition, answer.error);
  return answer;
}

Querier::Answer Querier::ask_store_gateways(const QueryRequest& query) {
  const StoreGatewayQueryRequest request{query.tenant, query.selector, -1, sim::Duration()};
  Answer answer = ask_in_order(setup_.topology.store_gateways_for(zone_), kStoreGatewayQueryService, request,
                               setup_.options.store_gateway_timeout, stats_.store_gateway_failovers);
  if (!answer.ok) answer.error = fmt::format("store-gateway: {}", answer.error);
  return answer;
}

Querier::Answer Querier::ask_in_order(const std::vector<sim::NodeId>& nodes, std::string_view service,
                                      const IngesterQueryRequest& request, sim::Duration timeout,
                                      std::uint64_t& failovers) {
  Answer answer{false, "no node to ask", {}};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i > 0) ++failovers;
    const std::uint64_t digest = sim::hash_combine(sim::fnv1a64(request.tenant), static_cast<std::uint64_t>(request.min_offset));
    const std::uint64_t bytes = 64 + 8 * request.selector.series.size();
    auto reply = sim_.network().call<IngesterQueryResponse>(node_, nodes[i], std::string(service),
                                                            sim::Payload{request, bytes, digest, kTrafficQuery}, timeout);
    if (!reply.ok()) {
      answer.error = fmt::format("{} timed out", sim_.node(nodes[i]).name());
      continue;
    }
    if (!reply.value().ok) {
      answer.error = fmt::format("{}: {}", sim_.node(nodes[i]).name(), reply.value().error);
      continue;
    }
    return Answer{true, {}, std::move(reply.value().series)};
  }
  return answer;
}

sim::BootFn querier_boot(QuerierSetup setup) {
  if (auto error = setup.options.validate()) throw std::invalid_argument(*error);
  return [setup = std::move(setup)](sim::Simulation& sim, sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<Querier>(sim, node, setup);
  };
}

}  // namespace weir::models::mimir
