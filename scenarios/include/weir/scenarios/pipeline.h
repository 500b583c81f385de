// Pipeline: the whole ingest pipeline under test, built in one Simulation.
//
// Prometheus clients in every zone push to distributors; distributors shard
// onto the partitions of a Kafka-compatible log (classic or diskless);
// ingesters, one per partition in each ingester zone, replay the log; queries
// go through a query-frontend and queriers to ingesters and store-gateways;
// object storage keeps the blocks and a compactor merges them. Every client
// observation lands in a properties::History.
//
// A run: write phase (clients scrape and push; readers issue strong and
// eventual queries, see ReadWorkload; the fault plan, if any, acts), then
// the clients stop and all faults heal, a drain lets the ingesters catch up
// while the readers go on, the readers finish, and a final read per
// ingester zone asks that zone's querier for every series, pinned to the
// zone: its ingesters for the recent range and its store-gateway for the
// older one (querier.h's time split), merged. The checkers then judge the
// history.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/mimir/compactor.h"
#include "weir/models/mimir/distributor_options.h"
#include "weir/models/mimir/ingester_options.h"
#include "weir/models/mimir/querier.h"
#include "weir/models/mimir/query_frontend.h"
#include "weir/models/mimir/store_gateway.h"
#include "weir/properties/check_options.h"
#include "weir/scenarios/fault_plan.h"
#include "weir/scenarios/log_topology.h"
#include "weir/scenarios/read_workload.h"
#include "weir/scenarios/run_result.h"
#include "weir/sim/time.h"

namespace weir::sim {
class Simulation;
class TraceSink;
}  // namespace weir::sim

namespace weir::scenarios {
class PipelineWorld;
}  // namespace weir::scenarios

namespace weir::properties {
class History;
}  // namespace weir::properties

namespace weir::scenarios {

class PipelineWorld;

struct PipelineOptions {
  std::string name = "pipeline";            // reported as the scenario name
  LogTopologyOptions log;                   // flavour, zones, partitions
  std::vector<std::string> ingester_zones = {"zone-a", "zone-b"};
  // The write load (docs/scenarios.md says why): 2 Prometheus servers per
  // zone, each scraping 10 series every second and pushing every second
  // (batch_send_deadline; Prometheus' default is 5 s), so that a run of a
  // minute acknowledges hundreds of pushes.
  int clients_per_zone = 2;
  int series_per_client = 10;
  sim::Duration scrape_interval = sim::Duration::seconds(1);
  sim::Duration batch_send_deadline = sim::Duration::seconds(1);
  // Clients start once the pipeline is up (the log's brokers registered).
  sim::Duration clients_start_after = sim::Duration::seconds(5);
  sim::Duration write_phase = sim::Duration::seconds(60);
  sim::Duration drain = sim::Duration::seconds(60);
  ReadWorkloadOptions reads;  // readers through the write phase and the drain
  models::mimir::DistributorOptions distributor;
  models::mimir::IngesterOptions ingester;
  models::mimir::QueryFrontendOptions query_frontend;
  models::mimir::QuerierOptions querier;
  models::mimir::StoreGatewayOptions store_gateway;
  models::mimir::CompactorOptions compactor;
  properties::CheckOptions checks;
  // Faults during the write phase (the safety phase), carried out by a
  // FaultInjector; everything is healed when it ends.
  FaultPlan faults;
  // What each run is expected to do (a hazard scenario expects failures);
  // copied into the RunResult, whose exit code follows it.
  Expectation expect;
  // Custom fault code, run as a system fiber alongside `faults`.
  std::function<void(PipelineWorld&)> fault_plan;

  std::optional<std::string> validate() const;
  // `checks` as the run judges it: with the readers' timeout as the longest
  // the system may hold a read (CheckOptions::read_timeout).
  properties::CheckOptions check_options() const;
};

// What a caller may attach to one run; not part of the scenario (the run's
// events and verdict do not depend on it). Defaults attach nothing.
struct RunHooks {
  // Sees every trace event (replay/ records or compares them). Borrowed: it
  // must outlive the run_pipeline call.
  sim::TraceSink* trace_sink = nullptr;
  // Called once the run is over (also after a simulator error), before the
  // simulation is shut down: the node names and the final history.
  std::function<void(const sim::Simulation&, const properties::History&)> on_finish;
  // Called once the world is built, before the first phase: lets a test or a
  // tool act inside the run (spawn a fiber on one of the world's nodes, say).
  std::function<void(sim::Simulation&, PipelineWorld&)> on_start;
};

RunResult run_pipeline(const PipelineOptions& options, std::uint64_t seed, const RunHooks& hooks = {});

}  // namespace weir::scenarios
