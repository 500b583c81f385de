#include "weir/scenarios/pipeline.h"

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "weir/models/kafka/client/consumer.h"
#include "weir/models/mimir/compactor.h"
#include "weir/models/mimir/querier.h"
#include "weir/models/mimir/services.h"
#include "weir/properties/check_all.h"
#include "weir/scenarios/fault_injector.h"
#include "weir/scenarios/measures.h"
#include "weir/scenarios/pipeline_world.h"
#include "weir/scenarios/read_workload.h"
#include "weir/sim/errors.h"
#include "weir/sim/network.h"

namespace weir::scenarios {
namespace {

using properties::History;
using properties::ReadConsistency;

constexpr const char* kTenant = "tenant-1";
constexpr int kFinalReadAttempts = 5;

properties::SimTime now_of(sim::Simulation& sim) { return sim.now().ns(); }

std::vector<properties::SeriesId> all_series(const History& history) {
  std::set<properties::SeriesId> series;
  for (const auto& write : history.writes()) {
    for (const auto& run : write.samples) series.insert(run.series);
  }
  return {series.begin(), series.end()};
}

// The log's bounds per partition, for the gapless-replay check.
void record_log_bounds(sim::Simulation& sim, PipelineWorld& world, History& history, const PipelineOptions& options) {
  models::kafka::Consumer consumer(sim, world.checker(), world.log().bootstrap(options.log.zones.front()), {});
  for (int p = 0; p < options.log.partitions; ++p) {
    const models::kafka::TopicPartition tp{options.log.topic, p};
    const auto start = consumer.list_offsets(tp, models::kafka::kEarliestTimestamp);
    const auto end = consumer.list_offsets(tp, models::kafka::kLatestTimestamp);
    if (start.ok() && end.ok()) history.record_log_bounds(p, start.offset, end.offset);
  }
}

// The zone's querier, asked for `request` pinned to its zone; retried while
// it fails (an ingester not ready yet). Either the answer or the last error.
std::variant<models::mimir::QueryResponse, std::string> ask_pinned_querier(sim::Simulation& sim, PipelineWorld& world,
                                                                            const models::mimir::QuerierRequest& request) {
  const sim::NodeId querier = world.queriers_by_zone().at(request.zone);
  std::string error;
  for (int attempt = 0; attempt < kFinalReadAttempts; ++attempt) {
    auto reply = sim.network().call(
        world.checker(), querier,
        sim::Payload{request, 64 + 8 * request.query.selector.series.size(), static_cast<std::uint64_t>(attempt), "query"},
        sim::Duration::seconds(60));
    if (reply.ok() && reply.value().ok) return std::move(reply.value());
    error = reply.ok() ? reply.value().error : "querier timed out";
    sim.sleep(sim::Duration::seconds(5));
  }
  return error;
}

// The final read of one zone: every series over the whole run, through the
// zone's querier pinned to the zone, as user queries are answered (its
// ingesters for the recent range, its store-gateway for the older one), so
// a sample only long-term storage holds counts, and one it lost is missed.
void final_read(sim::Simulation& sim, PipelineWorld& world, History& history, const std::string& zone) {
  const auto selector = properties::make_selector(all_series(history), 0, sim.now().ms());
  const auto id = history.record_read_invoke(ReadConsistency::eventual, selector, now_of(sim), /*final_drain=*/true);
  const models::mimir::QuerierRequest request{{kTenant, selector, ReadConsistency::eventual}, {}, zone};
  auto answer = ask_pinned_querier(sim, world, request);
  if (auto* error = std::get_if<std::string>(&answer)) {
    history.record_read_failed(id, now_of(sim), zone, fmt::format("querier-{}", zone),
                               fmt::format("final read of {}: {}", zone, *error));
    return;
  }
  auto& response = std::get<models::mimir::QueryResponse>(answer);
  world.counters()["final_reads_store_gateway_samples"] += response.store_gateway_only_samples;
  world.counters()[fmt::format("final_read_store_gateway_samples_{}", zone)] = response.store_gateway_only_samples;
  history.record_read_complete(id, now_of(sim), zone, response.querier, std::move(response.series));
}

// What the long-term storage path did, for the run's counters.
void count_long_term_storage(sim::Simulation& sim, PipelineWorld& world, std::map<std::string, std::uint64_t>& c) {
  for (const auto& [name, value] : world.counters()) c[name] += value;
  sim::Node& compactor = sim.node(world.compactor());
  if (compactor.up() && compactor.process() != nullptr) {
    const auto& stats = compactor.process_as<models::mimir::Compactor>().stats();
    c["compactions"] = stats.ranges_compacted;
    c["compactor_blocks_merged"] = stats.blocks_merged;
  }
}

// Runs the simulation until `done` holds; false if it ran out of events first.
bool step_until(sim::Simulation& sim, const std::function<bool()>& done) {
  while (!done()) {
    if (!sim.step()) return false;
  }
  return true;
}

void run_phases(sim::Simulation& sim, PipelineWorld& world, FaultInjector& injector, History& history,
                const PipelineOptions& options) {
  ReadWorkload readers(sim, world.checker(), world.query_frontend(), history, options.reads);
  readers.start();
  injector.start();
  if (options.fault_plan) sim.spawn(sim::kNoNode, [&] { options.fault_plan(world); });
  sim.run_until(sim::Time::zero() + options.write_phase);
  injector.heal_all();
  history.record_fault_healed(now_of(sim));
  // The readers go on through the drain: strong reads after healing are
  // what strong-read liveness judges.
  sim.run_for(options.drain);
  readers.stop();
  if (!step_until(sim, [&] { return readers.idle(); })) throw sim::SimulatorError("the readers never finished");
  bool done = false;
  sim.spawn(world.checker(), [&] {
    record_log_bounds(sim, world, history, options);
    for (const auto& zone : options.ingester_zones) final_read(sim, world, history, zone);
    done = true;
  });
  if (!step_until(sim, [&] { return done; })) throw sim::SimulatorError("the final reads never completed");
  history.record_drain_completed(now_of(sim));
  history.record_end(now_of(sim));
}

std::map<std::string, std::uint64_t> count(const History& history) {
  std::map<std::string, std::uint64_t> c;
  for (const auto& write : history.writes()) {
    ++c[fmt::format("writes_{}", properties::to_string(write.outcome))];
    if (write.outcome != properties::WriteOutcome::acked) continue;
    for (const auto& run : write.samples) c["samples_acked"] += run.count;
  }
  for (const auto& read : history.reads()) {
    const std::string kind = read.final_drain ? "final" : std::string(properties::to_string(read.consistency));
    ++c[fmt::format("reads_{}_{}", kind, read.ok() ? "ok" : "failed")];
    if (!read.final_drain) continue;
    for (const auto& series : read.result) c["final_samples"] += series.samples.size();
  }
  for (const auto& event : history.data().ingester_events) {
    if (event.kind == properties::IngesterEventKind::applied) ++c["records_applied"];
  }
  c["log_acks"] = history.data().log_acks.size();
  return c;
}

}  // namespace

std::optional<std::string> PipelineOptions::validate() const {
  if (log.partitions < 1) return "partitions must be at least 1";
  if (ingester_zones.empty()) return "ingester_zones must not be empty";
  for (const auto& zone : ingester_zones) {
    if (std::find(log.zones.begin(), log.zones.end(), zone) == log.zones.end()) {
      return fmt::format("ingester zone '{}' is not one of the log's zones", zone);
    }
  }
  if (clients_per_zone < 1 || clients_per_zone > 64) return "clients_per_zone must be in [1, 64]";
  if (series_per_client < 1) return "series_per_client must be at least 1";
  if (batch_send_deadline <= sim::Duration()) return "batch_send_deadline must be positive";
  if (scrape_interval <= sim::Duration()) return "scrape_interval must be positive";
  if (clients_start_after < sim::Duration()) return "clients_start_after must not be negative";
  if (write_phase < clients_start_after + scrape_interval) {
    return "write_phase must hold clients_start_after and one scrape_interval";
  }
  if (drain <= sim::Duration()) return "drain must be positive";
  if (auto e = reads.validate()) return "reads: " + *e;
  if (auto e = distributor.validate()) return "distributor: " + *e;
  if (auto e = ingester.validate()) return "ingester: " + *e;
  if (auto e = query_frontend.validate()) return "query_frontend: " + *e;
  if (auto e = querier.validate()) return "querier: " + *e;
  if (auto e = store_gateway.validate()) return "store_gateway: " + *e;
  if (auto e = compactor.validate()) return "compactor: " + *e;
  if (ingester.retention_period < querier.query_ingesters_within) {
    return "ingester retention_period must be at least querier query_ingesters_within (ingesters must still hold "
           "what they are asked for)";
  }
  if (auto e = faults.validate(write_phase)) return "faults: " + *e;
  return std::nullopt;
}

properties::CheckOptions PipelineOptions::check_options() const {
  properties::CheckOptions judged = checks;
  judged.read_timeout = reads.timeout.ns();
  return judged;
}

RunResult run_pipeline(const PipelineOptions& options, std::uint64_t seed, const RunHooks& hooks) {
  if (auto error = options.validate()) throw std::invalid_argument(*error);
  const auto wall_start = std::chrono::steady_clock::now();
  RunResult result;
  result.scenario = options.name;
  result.seed = seed;
  result.expected = options.expect;
  History history;
  {
    sim::Simulation sim({.seed = seed, .shuffle_same_instant = options.faults.shuffles(seed)});
    sim.trace().set_sink(hooks.trace_sink);
    std::unique_ptr<PipelineWorld> world;
    std::unique_ptr<FaultInjector> injector;
    try {
      world = std::make_unique<PipelineWorld>(sim, options, history);
      injector = std::make_unique<FaultInjector>(*world, options.faults, options.write_phase);
      if (hooks.on_start) hooks.on_start(sim, *world);
      run_phases(sim, *world, *injector, history, options);
      const properties::CheckReport report = properties::check_all(history, options.check_options());
      result.violations = report.violations();
      result.checked = report.checked();
      result.counters = count(history);
      count_long_term_storage(sim, *world, result.counters);
      result.measures = measure(history, sim.network(), &world->object_store());
    } catch (const sim::SimulatorError& e) {
      result.simulator_error = e.what();
    }
    if (injector) {
      result.faults = injector->applied();
      result.fault_schedule = injector->faults();
      if (auto beyond = beyond_budget(world->fault_budget(), result.fault_schedule)) result.beyond_budget = *beyond;
    }
    result.trace_hash = sim.trace_hash();
    result.sim_seconds = sim.now().seconds_f();
    result.events = sim.events_processed();
    if (hooks.on_finish) hooks.on_finish(sim, history);
    sim.trace().set_sink(nullptr);  // shutdown's unwinding is not part of the run
    sim.shutdown();  // fibers reference the world: unwind them before it goes
  }
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

}  // namespace weir::scenarios
