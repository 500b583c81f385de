#include "weir/models/mimir/querier.h"

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "weir/models/mimir/series_merge.h"
#include "weir/sim/channel.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {

std::optional<std::string> QuerierOptions::validate() const {
  if (ingester_timeout.ns() <= 0) return "querier ingester_timeout must be positive";
  if (strong_read_max_wait.ns() < 0) return "querier strong_read_max_wait must not be negative";
  if (strong_read_timeout_margin.ns() <= 0) return "querier strong_read_timeout_margin must be positive";
  if (store_gateway_timeout.ns() <= 0) return "querier store_gateway_timeout must be positive";
  if (query_ingesters_within.ns() < 0) return "querier query_ingesters_within must not be negative (0 = off)";
  if (query_store_after.ns() < 0) return "querier query_store_after must not be negative (0 = off)";
  if (query_ingesters_within.ns() > 0 && query_store_after >= query_ingesters_within) {
    return "querier query_ingesters_within must be greater than query_store_after, otherwise queries might return "
           "partial results";
  }
  return std::nullopt;
}

Querier::Querier(sim::Simulation& sim, sim::NodeId node, QuerierSetup setup)
    : sim_(sim),
      node_(node),
      zone_(setup.zone.empty() ? sim.node(node).zone() : setup.zone),
      name_(sim.node(node).name()),
      setup_(std::move(setup)) {
  sim_.network().serve<QuerierPing>(node_, [](sim::NodeId, const QuerierPing&) {
    return sim::Payload{true, 8, 0, kTrafficQuery};
  });
  sim_.network().serve(node_, this, &Querier::serve);
}

// Mimir's ShouldQueryIngesters / ShouldQueryBlockStore, with the ranges
// clamped as its distributor and blocks-store queryables do.
Querier::Plan Querier::plan(const properties::ReadSelector& selector) {
  Plan plan;
  const TimestampMs now_ms = sim_.now().ms();
  const std::int64_t within_ms = setup_.options.query_ingesters_within.ns() / 1'000'000;
  const std::int64_t after_ms = setup_.options.query_store_after.ns() / 1'000'000;
  if (within_ms == 0 || selector.end_ms >= now_ms - within_ms) {
    plan.ingesters = selector;
    if (within_ms > 0) plan.ingesters->start_ms = std::max(selector.start_ms, now_ms - within_ms);
  } else {
    ++stats_.ingesters_skipped;
  }
  if (!setup_.options.query_store_gateways) return plan;
  if (after_ms == 0 || selector.start_ms <= now_ms - after_ms) {
    plan.store = selector;
    if (after_ms > 0) plan.store->end_ms = std::min(selector.end_ms, now_ms - after_ms);
  } else {
    ++stats_.store_gateways_skipped;
  }
  return plan;
}

sim::Payload<QueryResponse> Querier::serve(const QuerierRequest& request) {
  ++stats_.queries;
  const Plan split = plan(request.query.selector);
  const std::vector<PartitionId> partitions = split.ingesters ? setup_.topology.partitions() : std::vector<PartitionId>{};
  const std::size_t count = partitions.size() + (split.store ? 1 : 0);
  // One slot per sub-query, filled by its fiber.
  auto answers = std::make_shared<std::vector<Answer>>(count);
  auto to_ingesters = std::make_shared<QueryRequest>(request.query);
  auto to_store = std::make_shared<QueryRequest>(request.query);
  if (split.ingesters) to_ingesters->selector = *split.ingesters;
  if (split.store) to_store->selector = *split.store;
  auto zone = std::make_shared<const std::string>(request.zone);
  sim::Channel<int> done(sim_);
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    const auto offset = request.min_offsets.find(partitions[i]);
    const std::int64_t min_offset = offset == request.min_offsets.end() ? -1 : offset->second;
    sim_.spawn(node_, [this, to_ingesters, zone, answers, done, i, partition = partitions[i], min_offset]() mutable {
      (*answers)[i] = ask_partition(*to_ingesters, partition, min_offset, *zone);
      done.send(1);
    });
  }
  if (split.store) {
    sim_.spawn(node_, [this, to_store, zone, answers, done, i = partitions.size()]() mutable {
      (*answers)[i] = ask_store_gateways(*to_store, *zone);
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
    const TimestampMs ingesters_from = split.ingesters ? split.ingesters->start_ms : INT64_MAX;
    for (const auto& series : response.series) {
      for (const auto& sample : series.samples) response.store_gateway_only_samples += sample.ts_ms < ingesters_from;
    }
  } else {
    ++stats_.failed_queries;
  }
  const std::uint64_t digest = sim::hash_combine(result_digest(response.series), response.ok ? 1 : 2);
  sim_.event(node_, kTraceQuerierQuery, {request.query.trace_read, response.series.size(), std::string_view(zone_)});
  const std::uint64_t bytes = result_wire_bytes(response.series) + response.error.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficQuery};
}

Querier::Answer Querier::ask_partition(const QueryRequest& query, PartitionId partition, std::int64_t min_offset,
                                       const std::string& pinned_zone) {
  IngesterQueryRequest request{query.tenant, query.selector, min_offset, setup_.options.strong_read_max_wait,
                               query.trace_read};
  const sim::Duration timeout = min_offset >= 0
                                    ? setup_.options.strong_read_max_wait + setup_.options.strong_read_timeout_margin
                                    : setup_.options.ingester_timeout;
  const std::vector<sim::NodeId> ingesters = pinned_zone.empty() ? setup_.topology.ingesters_for(partition, zone_)
                                                                 : setup_.topology.ingesters_in(partition, pinned_zone);
  Answer answer = ask_in_order(ingesters, request, timeout, stats_.ingester_failovers);
  if (!answer.ok) answer.error = fmt::format("partition {}: {}", partition, answer.error);
  return answer;
}

Querier::Answer Querier::ask_store_gateways(const QueryRequest& query, const std::string& pinned_zone) {
  const StoreGatewayQueryRequest request{{query.tenant, query.selector, -1, sim::Duration(), query.trace_read}};
  const std::vector<sim::NodeId> gateways = pinned_zone.empty() ? setup_.topology.store_gateways_for(zone_)
                                                                : setup_.topology.store_gateways_in(pinned_zone);
  Answer answer = ask_in_order(gateways, request, setup_.options.store_gateway_timeout,
                               stats_.store_gateway_failovers);
  if (!answer.ok) answer.error = fmt::format("store-gateway: {}", answer.error);
  return answer;
}

template <class Request>
Querier::Answer Querier::ask_in_order(const std::vector<sim::NodeId>& nodes, const Request& request,
                                      sim::Duration timeout, std::uint64_t& failovers) {
  Answer answer{false, "no node to ask", {}};
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i > 0) ++failovers;
    const std::uint64_t digest = sim::hash_combine(sim::fnv1a64(request.tenant), static_cast<std::uint64_t>(request.min_offset));
    const std::uint64_t bytes = 64 + 8 * request.selector.series.size();
    auto reply = sim_.network().call(node_, nodes[i], sim::Payload{request, bytes, digest, kTrafficQuery}, timeout);
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
