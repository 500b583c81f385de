#include "weir/models/mimir/query_frontend.h"

#include <stdexcept>

#include <fmt/format.h>

#include "weir/models/mimir/series_merge.h"
#include "weir/sim/future.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {
namespace {

kafka::ConsumerOptions consumer_options(kafka::ConsumerOptions options, const sim::Node& node) {
  if (options.client_zone.empty()) options.client_zone = node.zone();
  return options;
}

QueryResponse failure(std::string error) {
  QueryResponse response;
  response.ok = false;
  response.error = std::move(error);
  return response;
}

}  // namespace

std::optional<std::string> QueryFrontendOptions::validate() const {
  if (auto error = consumer.validate()) return error;
  if (last_produced_offset_poll_interval.ns() <= 0) return "query-frontend poll interval must be positive";
  if (querier_timeout.ns() <= 0) return "query-frontend querier_timeout must be positive";
  if (max_retries < 1) return "query-frontend max_retries must be at least 1";
  if (keepalive_time.ns() <= 0 || keepalive_timeout.ns() <= 0) return "query-frontend keepalive times must be positive";
  return std::nullopt;
}

std::optional<std::string> QueryFrontendSetup::validate() const {
  if (topic.empty()) return "query-frontend topic must not be empty";
  if (log_bootstrap.empty()) return "query-frontend needs at least one log bootstrap node";
  if (queriers.empty()) return "query-frontend needs at least one querier";
  return options.validate();
}

QueryFrontend::QueryFrontend(sim::Simulation& sim, sim::NodeId node, QueryFrontendSetup setup)
    : sim_(sim),
      node_(node),
      setup_(std::move(setup)),
      consumer_(sim, node, setup_.log_bootstrap, consumer_options(setup_.options.consumer, sim.node(node))),
      offsets_(sim, consumer_, setup_.topic, setup_.partitions, setup_.options.last_produced_offset_poll_interval) {
  sim_.network().serve(node_, this, &QueryFrontend::serve);
  sim_.spawn(node_, [this] { offsets_.run(); });
}

sim::Payload<QueryResponse> QueryFrontend::serve(const QueryRequest& request) {
  ++stats_.queries;
  QueryResponse response = answer(request);
  if (!response.ok) ++stats_.failed_queries;
  const std::uint64_t digest = sim::hash_combine(result_digest(response.series), response.ok ? 1 : 2);
  sim_.event(node_, kTraceQueryFrontendQuery, {request.trace_read, response.series.size(), response.ok ? 200 : 500});
  const std::uint64_t bytes = result_wire_bytes(response.series) + response.error.size();
  return sim::Payload{std::move(response), bytes, digest, kTrafficQuery};
}

QueryResponse QueryFrontend::answer(const QueryRequest& request) {
  const sim::Time deadline = sim_.now() + setup_.options.querier_timeout;
  QuerierRequest downstream{request, {}, {}};
  if (request.consistency == properties::ReadConsistency::strong) {
    ++stats_.strong_queries;
    const std::optional<PartitionOffsets> offsets = strong_offsets(deadline);
    if (!offsets) return failure("wait for last produced offsets: timed out");
    if (!offsets->ok()) return failure("wait for last produced offsets: " + offsets->error);
    downstream.min_offsets = offsets->last_produced;
    for (const auto& [partition, offset] : downstream.min_offsets) {
      sim_.event(node_, kTraceQueryFrontendOffsets, {request.trace_read, partition, offset});
    }
  }
  return ask_queriers(downstream, deadline);
}

std::optional<PartitionOffsets> QueryFrontend::strong_offsets(sim::Time deadline) {
  if (setup_.options.strong_read_uses_stale_offsets && offsets_.last()) return offsets_.last();
  return offsets_.wait_next(deadline);
}

QueryResponse QueryFrontend::ask_queriers(const QuerierRequest& request, sim::Time deadline) {
  std::string last_error = "no querier answered";
  for (int attempt = 0; attempt < setup_.options.max_retries && sim_.now() < deadline; ++attempt) {
    if (attempt > 0) ++stats_.retries;
    const sim::NodeId querier = setup_.queriers[next_querier_++ % setup_.queriers.size()];
    std::optional<QueryResponse> reply = ask_querier(querier, request, deadline);
    if (!reply) {
      last_error = fmt::format("{} did not answer", sim_.node(querier).name());
      continue;
    }
    if (reply->ok) return std::move(*reply);
    last_error = reply->error;
  }
  return failure(last_error);
}

// The query runs in a fiber of its own; this one waits for it and pings the
// querier after each keepalive_time without an answer.
std::optional<QueryResponse> QueryFrontend::ask_querier(sim::NodeId querier, const QuerierRequest& request,
                                                        sim::Time deadline) {
  const std::uint64_t digest = sim::hash_combine(sim::fnv1a64(request.query.tenant), request.min_offsets.size());
  const std::uint64_t bytes = 64 + 8 * (request.query.selector.series.size() + request.min_offsets.size());
  sim::Promise<std::optional<QueryResponse>> answer(sim_);
  sim_.spawn(node_, [this, answer, querier, request, bytes, digest, deadline]() mutable {
    auto reply = sim_.network().call(node_, querier,
                                                    sim::Payload{std::move(request), bytes, digest, kTrafficQuery},
                                                    deadline - sim_.now());
    answer.set(reply.ok() ? std::optional<QueryResponse>(std::move(reply.value())) : std::nullopt);
  });
  sim::Future<std::optional<QueryResponse>> future = answer.future();
  for (;;) {
    const sim::Time wake = std::min(deadline, sim_.now() + setup_.options.keepalive_time);
    if (auto done = future.get_until(wake)) return std::move(*done);
    if (sim_.now() >= deadline) return std::nullopt;
    const auto ping = sim_.network().call(node_, querier, sim::Payload{QuerierPing{}, 8, 0, kTrafficQuery},
                                          setup_.options.keepalive_timeout);
    if (!ping.ok() && !future.ready()) return std::nullopt;
  }
}

sim::BootFn query_frontend_boot(QueryFrontendSetup setup) {
  if (auto error = setup.validate()) throw std::invalid_argument(*error);
  return [setup = std::move(setup)](sim::Simulation& sim, sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<QueryFrontend>(sim, node, setup);
  };
}

}  // namespace weir::models::mimir
