#include "weir/scenarios/pipeline_world.h"

#include <fmt/format.h>

#include "weir/models/mimir/compactor.h"
#include "weir/models/mimir/distributor.h"
#include "weir/models/mimir/ingester.h"
#include "weir/models/mimir/prometheus_client.h"
#include "weir/models/mimir/querier.h"
#include "weir/models/mimir/query_frontend.h"
#include "weir/models/mimir/store_gateway.h"
#include "weir/scenarios/pipeline.h"

namespace weir::scenarios {

using models::mimir::PartitionId;

namespace {
// The clients are started (a scheduled callback: its digest is that of a
// domain event with no values).
constexpr sim::TraceKind kTraceClientsStart{"pipeline.clients_start", "clients start writing"};
}  // namespace

PipelineWorld::PipelineWorld(sim::Simulation& sim, const PipelineOptions& options, properties::History& history)
    : sim_(sim), history_(history), fault_budget_(scenarios::fault_budget(options.log)) {
  for (const auto& zone : options.ingester_zones) history_.declare_zone(zone);
  build_storage(options);
  build_write_path(options);
  build_ingesters(options);
  build_read_path(options);
  build_clients(options);
}

PipelineWorld::~PipelineWorld() = default;

sim::NodeId PipelineWorld::add(std::string name, std::string zone, sim::BootFn boot) {
  const sim::NodeId id = sim_.add_node({std::move(name), std::move(zone), std::move(boot), {}});
  sim_.start(id);
  return id;
}

void PipelineWorld::build_storage(const PipelineOptions& options) {
  log_ = build_log(sim_, options.log);
  if (log_.object_store) {
    object_store_ = log_.object_store.get();  // the diskless log's bucket holds the blocks too
  } else {
    own_object_store_ = std::make_unique<models::objstore::ObjectStore>(sim_, options.log.zones);
    object_store_ = own_object_store_.get();
  }
}

void PipelineWorld::build_write_path(const PipelineOptions& options) {
  ring_ = std::make_unique<models::mimir::PartitionRingKv>(sim_);
  ring_->add_active_partitions(static_cast<PartitionId>(options.log.partitions));
  models::mimir::DistributorOptions distributor = options.distributor;
  distributor.topic = options.log.topic;
  distributor.rate_limit_distributors = static_cast<int>(options.log.zones.size());
  for (const auto& zone : options.log.zones) {
    distributors_.push_back(add(fmt::format("distributor-{}", zone), zone,
                                models::mimir::Distributor::boot(*ring_, log_.log->bootstrap(zone), distributor,
                                                                 &history_)));
  }
}

void PipelineWorld::build_ingesters(const PipelineOptions& options) {
  for (const auto& zone : options.ingester_zones) {
    for (int p = 0; p < options.log.partitions; ++p) {
      const auto partition = static_cast<PartitionId>(p);
      models::mimir::IngesterSetup setup;
      setup.zone = zone;
      setup.partition = partition;
      setup.topic = options.log.topic;
      setup.log_bootstrap = log_.log->bootstrap(zone);
      setup.object_store = object_store_;
      setup.history = &history_;
      setup.counters = &counters_;
      setup.options = options.ingester;
      const sim::NodeId id = add(models::mimir::ingester_name(zone, partition), zone,
                                 models::mimir::ingester_boot(std::move(setup)));
      ingesters_.push_back(id);
      read_topology_.add_ingester(partition, zone, id);
    }
  }
}

void PipelineWorld::build_read_path(const PipelineOptions& options) {
  for (const auto& zone : options.ingester_zones) {
    const sim::NodeId gateway = add(fmt::format("store-gateway-{}", zone), zone,
                                    models::mimir::store_gateway_boot(*object_store_, options.store_gateway));
    store_gateways_.push_back(gateway);
    read_topology_.add_store_gateway(zone, gateway);
  }
  for (const auto& zone : options.ingester_zones) {
    models::mimir::QuerierSetup setup;
    setup.zone = zone;
    setup.topology = read_topology_;
    setup.options = options.querier;
    queriers_.push_back(add(fmt::format("querier-{}", zone), zone, models::mimir::querier_boot(std::move(setup))));
    queriers_by_zone_[zone] = queriers_.back();
  }
  const std::string& zone = options.ingester_zones.front();
  models::mimir::QueryFrontendSetup frontend;
  frontend.topic = options.log.topic;
  for (int p = 0; p < options.log.partitions; ++p) frontend.partitions.push_back(static_cast<PartitionId>(p));
  frontend.log_bootstrap = log_.log->bootstrap(zone);
  frontend.queriers = queriers_;
  frontend.options = options.query_frontend;
  query_frontend_ = add(fmt::format("query-frontend-{}", zone), zone,
                        models::mimir::query_frontend_boot(std::move(frontend)));
  compactor_ = add("compactor", zone, models::mimir::compactor_boot(*object_store_, options.compactor));
  checker_ = add("checker", zone, nullptr);
}

// Client c of a zone is "prometheus-<zone>" (c = 0) or "prometheus-<zone>-<c>",
// its job label too, so every client writes series of its own.
void PipelineWorld::build_clients(const PipelineOptions& options) {
  for (int c = 0; c < options.clients_per_zone; ++c) {
    for (std::size_t i = 0; i < options.log.zones.size(); ++i) {
      const std::string& zone = options.log.zones[i];
      models::mimir::PrometheusClientOptions client;
      client.job = c == 0 ? fmt::format("prometheus-{}", zone) : fmt::format("prometheus-{}-{}", zone, c);
      client.series = options.series_per_client;
      client.scrape_interval = options.scrape_interval;
      client.batch_send_deadline = options.batch_send_deadline;
      client.scrapes = static_cast<int>((options.write_phase - options.clients_start_after).ns() /
                                        options.scrape_interval.ns());
      client.remote_write.distributors = {distributors_[i]};
      clients_.push_back(
          sim_.add_node({client.job, zone, models::mimir::PrometheusClient::boot(client, &history_), {}}));
    }
  }
  sim_.schedule(sim_.now() + options.clients_start_after, sim::kNoNode, kTraceClientsStart, sim::fields_digest({}), [this] {
    for (sim::NodeId client : clients_) sim_.start(client);
  });
}

std::vector<sim::NodeId> PipelineWorld::faultable_nodes() const {
  std::vector<sim::NodeId> nodes = log_.log->all_nodes();
  for (const auto* group : {&distributors_, &ingesters_, &queriers_, &store_gateways_}) {
    nodes.insert(nodes.end(), group->begin(), group->end());
  }
  nodes.push_back(query_frontend_);
  nodes.push_back(compactor_);
  return nodes;
}

}  // namespace weir::scenarios
