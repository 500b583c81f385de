#include "weir/models/mimir/prometheus_client.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "weir/models/mimir/shard.h"
#include "weir/models/remote_write.h"
#include "weir/properties/sample_value.h"

namespace weir::models::mimir {
namespace {

PrometheusClientOptions checked(PrometheusClientOptions options) {
  if (auto error = options.validate()) throw std::invalid_argument(fmt::format("PrometheusClientOptions: {}", *error));
  return options;
}

sim::Random client_random(sim::Simulation& sim, sim::NodeId node) {
  const sim::Node& n = sim.node(node);
  return sim.random("mimir.prometheus_client").fork(n.name()).fork(std::to_string(n.incarnation()));
}

}  // namespace

std::optional<std::string> PrometheusClientOptions::validate() const {
  if (tenant.empty()) return "tenant must not be empty";
  if (series < 0) return "series must not be negative";
  if (metric_names < 1) return "metric_names must be at least 1";
  if (extra_labels < 0) return "extra_labels must not be negative";
  if (churn_per_scrape < 0 || churn_per_scrape > series) return "churn_per_scrape must be within 0..series";
  if (scrape_interval.ns() <= 0) return "scrape_interval must be positive";
  if (scrapes < 0) return "scrapes must not be negative";
  if (max_samples_per_send < 1) return "max_samples_per_send must be at least 1";
  if (batch_send_deadline.ns() <= 0) return "batch_send_deadline must be positive";
  if (capacity < 1) return "capacity must be at least 1";
  if (shards < 1) return "shards must be at least 1";
  if (auto error = remote_write.validate()) return fmt::format("remote_write: {}", *error);
  return std::nullopt;
}

PrometheusClient::PrometheusClient(sim::Simulation& sim, sim::NodeId node, PrometheusClientOptions options,
                                   properties::History* history)
    : sim_(sim),
      node_(node),
      options_(checked(std::move(options))),
      instance_(sim.node(node).name()),
      random_(client_random(sim, node)),
      sender_(sim, node, instance_, options_.tenant, options_.remote_write, history, random_.fork("remote_write")) {
  for (int i = 0; i < options_.shards; ++i) queues_.emplace_back(sim, static_cast<std::size_t>(options_.capacity));
  for (int i = 0; i < options_.series; ++i) active_.push_back(make_series(next_series_index_++));
  shards_running_ = queues_.size();
  for (std::size_t shard = 0; shard < queues_.size(); ++shard) {
    sim.spawn(node, [this, shard] { shard_loop(shard); });
  }
  sim.spawn(node, [this] { scrape_loop(); });
}

PrometheusClient::~PrometheusClient() = default;

sim::BootFn PrometheusClient::boot(PrometheusClientOptions options, properties::History* history) {
  return [options = std::move(options), history](sim::Simulation& sim,
                                                 sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<PrometheusClient>(sim, node, options, history);
  };
}

bool PrometheusClient::finished() const { return scraping_done_ && shards_running_ == 0; }

Labels scrape_series_labels(const PrometheusClientOptions& options, std::string_view instance, std::uint64_t index) {
  Labels labels;
  const auto metric = index % static_cast<std::uint64_t>(options.metric_names);
  labels.push_back({"__name__", fmt::format("weir_metric_{}", metric)});
  labels.push_back({"instance", std::string(instance)});
  labels.push_back({"job", options.job});
  for (int i = 0; i < options.extra_labels; ++i) {
    labels.push_back({fmt::format("label_{}", i), fmt::format("v{}", (index >> i) % 8)});
  }
  labels.push_back({"series", std::to_string(index)});
  std::sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.name < b.name; });
  return labels;
}

void add_scraped_sample(prometheus::WriteRequest& request, const Labels& labels, SeriesId id, TimestampMs timestamp_ms) {
  prometheus::TimeSeries* series = request.add_timeseries();
  for (const Label& label : labels) {
    prometheus::Label* l = series->add_labels();
    l->set_name(label.name);
    l->set_value(label.value);
  }
  prometheus::Sample* sample = series->add_samples();
  sample->set_timestamp(timestamp_ms);
  sample->set_value(properties::sample_value(id, timestamp_ms));
}

std::shared_ptr<const PrometheusClient::Series> PrometheusClient::make_series(std::uint64_t index) const {
  auto series = std::make_shared<Series>();
  series->labels = scrape_series_labels(options_, instance_, index);
  series->id = series_id(options_.tenant, series->labels);
  return series;
}

void PrometheusClient::scrape_loop() {
  const sim::Duration interval = options_.scrape_interval;
  sim_.sleep(sim::Duration::nanoseconds(static_cast<std::int64_t>(random_.below(static_cast<std::uint64_t>(interval.ns())))));
  sim::Time next = sim_.now();
  for (int scrape = 0; options_.scrapes == 0 || scrape < options_.scrapes; ++scrape) {
    if (scrape > 0) {
      next += interval;
      if (next > sim_.now()) sim_.sleep_until(next);
      const auto churn = static_cast<std::size_t>(options_.churn_per_scrape);
      active_.erase(active_.begin(), active_.begin() + static_cast<std::ptrdiff_t>(churn));
      for (std::size_t i = 0; i < churn; ++i) active_.push_back(make_series(next_series_index_++));
    }
    scrape_once();
  }
  scraping_done_ = true;
  for (auto& queue : queues_) queue.close();
}

void PrometheusClient::scrape_once() {
  const TimestampMs timestamp_ms = sim_.now().ms();
  ++stats_.scrapes;
  // Only this fiber changes active_ (churn runs between scrapes), so a send
  // blocking on a full queue cannot invalidate the iteration.
  for (const auto& s : active_) {
    queues_[s->id % queues_.size()].send(Queued{s, timestamp_ms});
    ++stats_.samples_scraped;
  }
}

void PrometheusClient::shard_loop(std::size_t shard) {
  sim::Channel<Queued>& queue = queues_[shard];
  const auto max_batch = static_cast<std::size_t>(options_.max_samples_per_send);
  std::vector<Queued> pending;
  sim::Time deadline = sim_.now() + options_.batch_send_deadline;
  for (;;) {
    std::optional<Queued> item = queue.recv_until(deadline);
    if (item) {
      pending.push_back(std::move(*item));
      if (pending.size() < max_batch) continue;
      send_batch(pending);
    } else if (queue.closed() && queue.size() == 0) {
      if (!pending.empty()) send_batch(pending);
      break;
    } else if (!pending.empty()) {
      send_batch(pending);
    }
    deadline = sim_.now() + options_.batch_send_deadline;
  }
  --shards_running_;
}

void PrometheusClient::send_batch(std::vector<Queued>& batch) {
  // Built, encoded and freed at once: one arena holds the whole request.
  google::protobuf::Arena arena(request_arena_options());
  prometheus::WriteRequest& request = *google::protobuf::Arena::CreateMessage<prometheus::WriteRequest>(&arena);
  request.mutable_timeseries()->Reserve(static_cast<int>(batch.size()));
  for (const Queued& queued : batch) {
    add_scraped_sample(request, queued.series->labels, queued.series->id, queued.timestamp_ms);
  }
  ++stats_.batches;
  stats_.max_batch_samples = std::max<std::uint64_t>(stats_.max_batch_samples, batch.size());
  batch.clear();
  sender_.send(request, sample_runs(options_.tenant, request, false));
}

}  // namespace weir::models::mimir
